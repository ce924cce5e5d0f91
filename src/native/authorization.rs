//! A Microsoft Graph `authorizationPolicy` (v1.0 or beta; REST, Graph Explorer and `EntraExporter` in
//! camelCase, PowerShell `ConvertTo-Json` in Pascal case) as a `TenantConfig`.

use super::{
    BUILTIN_POLICIES as POLICIES, Part, Partial, context_names, entry, field, map, node, string, tenant,
};
use crate::kind::Kind;
use crate::yaml::{Entry, Node, Value};

/// The format, as users know it.
const FORMAT: &str = "Microsoft Graph authorizationPolicy";
/// The part of a tenant the object is.
pub(super) const PART: Part = Part {
    name: "authorizationPolicy",
    provides: &[
        "spec.userConsent.enabled",
        "spec.userConsent.policy",
        "spec.userConsent.allowRiskyApps",
        "spec.userConsent.grantPolicies",
        "spec.usersCanRegisterApps",
    ],
    repeatable: false,
};
/// The prefix of the permission grant policies that govern user consent (compared without case).
const SELF_PREFIX: &str = "managepermissiongrantsforself.";

/// The tenant parts that `root` describes, when it holds `authorizationPolicy` objects: the object
/// itself, or each policy of a `value` collection or of a top-level list (a tenant has one: a second
/// is reported when the tenant is assembled, at its own place).
pub(super) fn recognise_all(root: &Node) -> Vec<(Kind, Node, Partial)> {
    let policies: Vec<&Node> = match &root.value {
        Value::Map(_) if is_policy(root) => vec![root],
        Value::Map(_) => field(root, "value")
            .map(super::items)
            .unwrap_or_default()
            .iter()
            .filter(|i| is_policy(i))
            .collect(),
        Value::Seq(items) => items.iter().filter(|item| is_policy(item)).collect(),
        _ => Vec::new(),
    };
    policies.into_iter().map(|policy| convert(policy, FORMAT)).collect()
}

/// The first part [`recognise_all`] finds.
#[cfg(test)]
fn recognise(root: &Node) -> Option<(Kind, Node, Partial)> {
    recognise_all(root).into_iter().next()
}

/// The one element of a list, when it is a policy.
pub(super) fn only(list: &Node) -> Option<&Node> {
    match &list.value {
        Value::Seq(items) if items.len() == 1 => items.first().filter(|item| is_policy(item)),
        Value::Map(_) if is_policy(list) => Some(list),
        _ => None,
    }
}

/// Whether `object` says it is an `authorizationPolicy` (by `@odata.type`, `@odata.context` or its
/// fixed `id`) and holds the state consentlint reads: `defaultUserRolePermissions` and the assigned
/// permission grant policies. A PATCH body holds neither marker and is a change, not a state.
fn is_policy(object: &Node) -> bool {
    let text = |key: &str| field(object, key).and_then(Node::as_str).map(str::to_ascii_lowercase);
    let named = text("@odata.type").is_some_and(|t| t == "#microsoft.graph.authorizationpolicy")
        || context_names(object, "#policies/authorizationpolicy")
        || text("id").is_some_and(|id| id == "authorizationpolicy");
    // TMF names the policy by its display name and flattens `defaultUserRolePermissions`.
    let tmf = text("displayName").is_some_and(|name| name == "authorization policy")
        && field(object, "allowedToCreateApps").is_some();
    (tmf || (named && field(object, "defaultUserRolePermissions").is_some_and(|d| d.as_map().is_some())))
        && grants(object).is_some()
}

/// The list of assigned permission grant policies: beta's top-level
/// `permissionGrantPolicyIdsAssignedToDefaultUserRole`, or v1.0's
/// `defaultUserRolePermissions.permissionGrantPoliciesAssigned`.
fn grants(object: &Node) -> Option<&Node> {
    field(object, "permissionGrantPolicyIdsAssignedToDefaultUserRole")
        .or_else(|| {
            field(object, "defaultUserRolePermissions")
                .and_then(|d| field(d, "permissionGrantPoliciesAssigned"))
        })
        .filter(|list| matches!(list.value, Value::Seq(_)))
}

/// The tenant part of a recognised policy, read as `format`.
pub(super) fn convert(policy: &Node, format: &'static str) -> (Kind, Node, Partial) {
    let span = policy.span;
    let mut unknown = Vec::new();
    let metadata: Vec<Entry> = tenant_id(policy).map(|id| entry("tenantId", id)).into_iter().collect();
    let mut spec = vec![entry("userConsent", user_consent(policy, &mut unknown))];
    let permissions = field(policy, "defaultUserRolePermissions");
    // Absent or `null`: not stated (in a complete export, Entra ID's default; see `assemble`). A
    // value of another type is kept, for the schema to report where it is written.
    match permissions
        .and_then(|p| field(p, "allowedToCreateApps"))
        .or_else(|| field(policy, "allowedToCreateApps"))
        .filter(|v| v.value != Value::Null)
    {
        Some(create) => spec.push(entry("usersCanRegisterApps", create.clone())),
        None => unknown.push("spec.usersCanRegisterApps"),
    }
    (Kind::TenantConfig, tenant(metadata, spec, span), Partial { format, unknown, part: Some(PART) })
}

/// `spec.userConsent` from the assigned policies and `allowUserConsentForRiskyApps` (`null` or absent:
/// Entra ID's default, which is also what an absent `allowRiskyApps` means).
fn user_consent(policy: &Node, unknown: &mut Vec<&'static str>) -> Node {
    let list = grants(policy).unwrap_or(policy);
    let own: Vec<(&Node, String)> = match &list.value {
        Value::Seq(items) => items
            .iter()
            .filter_map(|item| {
                let lower = item.as_str()?.to_ascii_lowercase();
                lower.strip_prefix(SELF_PREFIX).map(|id| (item, id.to_owned()))
            })
            .collect(),
        _ => Vec::new(),
    };
    let known = POLICIES
        .iter()
        .find_map(|(id, ours)| own.iter().find(|(_, own)| own == id).map(|(item, _)| (*item, *ours)));
    let custom = own.iter().find(|(_, own)| !POLICIES.iter().any(|(id, _)| id == own));
    let mut entries = Vec::new();
    match (known, custom) {
        // The legacy policy lets users grant anything, whatever else is assigned.
        (Some((item, ours @ "all-apps")), _) | (Some((item, ours)), None) => {
            entries.push(entry("enabled", node(Value::Bool(true), item.span)));
            entries.push(entry("policy", string(ours, item.span)));
        }
        // A policy of the tenant's own: consent is on, under rules this file does not show.
        (_, Some((item, _))) => {
            entries.push(entry("enabled", node(Value::Bool(true), item.span)));
            unknown.push("spec.userConsent.policy");
        }
        (None, None) => entries.push(entry("enabled", node(Value::Bool(false), list.span))),
    }
    if let Some(risky) =
        field(policy, "allowUserConsentForRiskyApps").filter(|v| matches!(v.value, Value::Bool(_)))
    {
        entries.push(entry("allowRiskyApps", risky.clone()));
    }
    let ids = own.iter().map(|(item, id)| string(id, item.span)).collect();
    entries.push(entry("grantPolicies", node(Value::Seq(ids), list.span)));
    map(entries, list.span)
}

/// The tenant id in `@odata.id` (`https://graph.microsoft.com/v2/<tenant>/authorizationPolicy/…`),
/// the only place the object holds it; pointing at that string.
fn tenant_id(policy: &Node) -> Option<Node> {
    let link = field(policy, "@odata.id")?;
    let after = link.as_str()?.split_once("graph.microsoft.com/")?.1;
    let tenant = after.split('/').nth(1)?;
    super::is_guid(tenant).then(|| string(&tenant.to_ascii_lowercase(), link.span))
}

#[cfg(test)]
mod tests {
    use super::recognise;
    use crate::yaml::Node;

    fn convert(text: &str) -> Option<(Node, Vec<&'static str>)> {
        super::super::converted(text, recognise)
    }

    fn at<'a>(root: &'a Node, pointer: &str) -> Option<&'a Node> {
        root.pointer(pointer).map(|(node, _)| node)
    }

    fn text<'a>(source: &'a str, node: &Node) -> &'a str {
        source.get(node.span.start..node.span.end).unwrap_or_default()
    }

    #[test]
    fn the_most_permissive_self_policy_governs_and_owned_resource_entries_do_not_count() {
        let source = r#"{"id": "authorizationPolicy", "defaultUserRolePermissions": {"permissionGrantPoliciesAssigned": ["ManagePermissionGrantsForOwnedResource.x", "managePermissionGrantsForSelf.microsoft-user-default-low", "ManagePermissionGrantsForSelf.microsoft-user-default-legacy"]}}"#;
        let (root, unknown) = convert(source).unwrap();
        let policy = at(&root, "/spec/userConsent/policy").unwrap();
        assert_eq!(policy.as_str(), Some("all-apps"));
        assert_eq!(text(source, policy), "\"ManagePermissionGrantsForSelf.microsoft-user-default-legacy\"");
        assert!(unknown.contains(&"spec.usersCanRegisterApps"), "`allowedToCreateApps` is missing");
        let ids: Vec<&str> = match &at(&root, "/spec/userConsent/grantPolicies").unwrap().value {
            crate::yaml::Value::Seq(items) => items.iter().filter_map(Node::as_str).collect(),
            _ => Vec::new(),
        };
        assert_eq!(ids, ["microsoft-user-default-low", "microsoft-user-default-legacy"]);
        assert!(at(&root, "/metadata/tenantId").is_none(), "no tenant id is invented");
    }

    #[test]
    fn a_custom_self_policy_is_consent_on_with_an_unknown_policy() {
        let source = r#"{"Id": "authorizationPolicy", "PermissionGrantPolicyIdsAssignedToDefaultUserRole": ["ManagePermissionGrantsForSelf.contoso-only", "ManagePermissionGrantsForSelf.microsoft-user-default-low"], "DefaultUserRolePermissions": {"AllowedToCreateApps": false}}"#;
        let (root, unknown) = convert(source).unwrap();
        let enabled = at(&root, "/spec/userConsent/enabled").unwrap();
        assert_eq!(text(source, enabled), "\"ManagePermissionGrantsForSelf.contoso-only\"");
        assert!(at(&root, "/spec/userConsent/policy").is_none());
        assert!(unknown.contains(&"spec.userConsent.policy"));
        assert_eq!(text(source, at(&root, "/spec/usersCanRegisterApps").unwrap()), "false");
    }

    #[test]
    fn no_self_policy_is_consent_off_at_the_list_and_the_tenant_id_comes_from_odata_id() {
        let source = r#"{"@odata.id": "https://graph.microsoft.com/v2/B30F2EAC-f6b4-4f87-9dcb-cdf7ae1f8923/authorizationPolicy/authorizationPolicy", "id": "authorizationPolicy", "allowUserConsentForRiskyApps": null, "defaultUserRolePermissions": {"permissionGrantPoliciesAssigned": [ ]}}"#;
        let (root, _) = convert(source).unwrap();
        let enabled = at(&root, "/spec/userConsent/enabled").unwrap();
        assert_eq!(enabled.value, crate::yaml::Value::Bool(false));
        assert_eq!(text(source, enabled), "[ ]");
        assert!(at(&root, "/spec/userConsent/allowRiskyApps").is_none(), "null is Entra ID's default");
        let tenant = at(&root, "/metadata/tenantId").unwrap();
        assert_eq!(tenant.as_str(), Some("b30f2eac-f6b4-4f87-9dcb-cdf7ae1f8923"));
    }

    #[test]
    fn patch_bodies_and_other_shapes_are_not_policies() {
        assert!(
            convert(r#"{"defaultUserRolePermissions": {"permissionGrantPoliciesAssigned": []}}"#).is_none()
        );
        assert!(convert(r#"{"permissionGrantPolicyIdsAssignedToDefaultUserRole": []}"#).is_none());
        assert!(convert(r#"{"id": "authorizationPolicy"}"#).is_none(), "no state to judge");
        assert!(convert(r#"{"value": [1, 2]}"#).is_none());
        assert!(convert("- a\n- b\n").is_none());
        let typed = r##"{"@odata.type": "#microsoft.graph.authorizationPolicy", "permissionGrantPolicyIdsAssignedToDefaultUserRole": [], "defaultUserRolePermissions": {}}"##;
        assert!(convert(typed).is_some());
    }
}
