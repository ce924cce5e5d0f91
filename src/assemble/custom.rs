//! A user consent policy of the tenant's own, judged by its conditions when its
//! `permissionGrantPolicy` object is exported: `spec.userConsent.policy` then says which built-in
//! policy it allows no more than, and stays unknown when it is not exported or fits none of them.
//!
//! The policy is placed by the consent evaluator ([`crate::consent::bound`]), the one `simulate` uses:
//! a policy that lets users grant no more than permissions classified low, to apps of the tenant or of
//! verified publishers, allows no more than `verified-publishers-low-impact`; one that lets them grant
//! unclassified permissions, or to unverified apps of other tenants, allows what `all-apps` allows;
//! one whose answer depends on which permission, API or app is asked for stays unknown.

use crate::native::BUILTIN_POLICIES;
use crate::yaml::{Entry, Node, Value};

/// Sets `spec.userConsent.policy` from the tenant's own assigned policies when each of them is
/// exported and fits a known shape; returns whether it did.
pub(super) fn judge(tree: &mut Node) -> bool {
    let Some(consent) = at(tree, &["spec", "userConsent"]) else { return false };
    if consent.get("policy").is_some() || consent.get("enabled").and_then(bool_of) != Some(true) {
        return false;
    }
    let Some(Value::Seq(assigned)) = consent.get("grantPolicies").map(|n| &n.value) else { return false };
    // One index of the exported policies, by id in lowercase, however many are assigned.
    let policies: std::collections::HashMap<String, &Node> =
        match at(tree, &["spec", "permissionGrantPolicies"]) {
            Some(Node { value: Value::Seq(items), .. }) => {
                items.iter().filter_map(|p| Some((p.get("id")?.as_str()?.to_ascii_lowercase(), p))).collect()
            }
            _ => std::collections::HashMap::new(),
        };
    let own_tenant = at(tree, &["metadata", "tenantId"]).and_then(Node::as_str);
    let mut verdict: Option<(&str, &Node)> = None;
    for id in assigned {
        let Some(name) = id.as_str() else { return false };
        let allows = match builtin(name) {
            Some(builtin) => builtin,
            // Microsoft's other built-in user consent policies (the mail client policy, assigned
            // beside the recommended one) add to what another policy allows; they set no `policy`.
            None if crate::consent::bundled().is_ok_and(|b| b.is_builtin(name)) => continue,
            None => {
                let Some(object) = policies.get(&name.to_ascii_lowercase()) else { return false };
                let Some(shape) = shape(object, own_tenant) else { return false };
                shape
            }
        };
        // Most permissive first: a lower position allows more.
        let rank = |policy: &str| BUILTIN_POLICIES.iter().position(|(_, ours)| *ours == policy);
        if verdict.is_none_or(|(current, _)| rank(allows) < rank(current)) {
            verdict = Some((allows, id));
        }
    }
    let Some((policy, id)) = verdict else { return false };
    let span = id.span;
    let Some(Value::Map(entries)) = at_mut(tree, &["spec", "userConsent"]).map(|n| &mut n.value) else {
        return false;
    };
    let value = Node { value: Value::String(policy.to_owned()), span };
    entries.push(Entry { key: "policy".into(), key_span: span, value });
    true
}

/// The built-in policy a built-in id is, as `spec.userConsent.policy` names it.
fn builtin(id: &str) -> Option<&'static str> {
    BUILTIN_POLICIES.iter().find(|(builtin, _)| *builtin == id).map(|(_, ours)| *ours)
}

/// What the policy allows no more than, as the consent evaluator places it.
fn shape(policy: &Node, own_tenant: Option<&str>) -> Option<&'static str> {
    let policy = crate::consent::GrantPolicy::read(policy)?;
    crate::consent::bound(&policy, own_tenant)
}

fn bool_of(node: &Node) -> Option<bool> {
    match node.value {
        Value::Bool(b) => Some(b),
        _ => None,
    }
}

fn at<'a>(node: &'a Node, path: &[&str]) -> Option<&'a Node> {
    path.iter().try_fold(node, |node, key| node.get(key))
}

fn at_mut<'a>(node: &'a mut Node, path: &[&str]) -> Option<&'a mut Node> {
    path.iter().try_fold(node, |node, key| match &mut node.value {
        Value::Map(entries) => entries.iter_mut().find(|e| e.key == *key).map(|e| &mut e.value),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::judge;
    use crate::yaml::{Limits, parse};

    fn policy_of(yaml: &str) -> Option<String> {
        let mut root = parse(yaml, Limits::default()).documents.remove(0).root;
        judge(&mut root).then(|| {
            root.pointer("/spec/userConsent/policy").and_then(|(n, _)| n.as_str().map(str::to_owned))
        })?
    }

    const TENANT: &str = "metadata:\n  tenantId: 5f1c7a52-3a5e-4c5b-9a1e-6d3f0b8e2c41\nspec:\n  userConsent:\n    enabled: true\n    grantPolicies: [GRANTS]\n  permissionGrantPolicies:\n";

    fn tenant(grants: &str, policies: &str) -> String {
        TENANT.replace("GRANTS", grants) + policies
    }

    #[test]
    fn a_low_impact_policy_of_ones_own_is_the_low_impact_policy() {
        let policies = "    - id: contoso-low\n      includes:\n        - {permissionType: delegated, permissionClassification: low, clientApplicationsFromVerifiedPublisherOnly: true}\n        - {permissionType: delegated, permissionClassification: low, clientApplicationTenantIds: [5f1c7a52-3a5e-4c5b-9a1e-6d3f0b8e2c41]}\n      excludes: []\n";
        assert_eq!(
            policy_of(&tenant("contoso-low", policies)).as_deref(),
            Some("verified-publishers-low-impact")
        );
        let with_recommended = tenant("contoso-low, microsoft-user-default-recommended", policies);
        assert_eq!(
            policy_of(&with_recommended).as_deref(),
            Some("microsoft-managed"),
            "the most permissive governs"
        );
    }

    #[test]
    fn the_mail_client_policy_beside_the_recommended_one_is_microsoft_managed() {
        // Learn, "Manage app consent policies": the mail client policy is Microsoft's, assigned
        // beside `microsoft-user-default-recommended`; it is not a policy of the tenant's own.
        let grants = "microsoft-user-default-recommended, microsoft-user-default-allow-consent-apps";
        assert_eq!(policy_of(&tenant(grants, "")).as_deref(), Some("microsoft-managed"));
    }

    #[test]
    fn an_unrestricted_policy_is_all_apps_and_other_shapes_or_missing_objects_stay_unknown() {
        let open =
            "    - id: open\n      includes:\n        - {permissionType: delegated}\n      excludes: []\n";
        assert_eq!(policy_of(&tenant("open", open)).as_deref(), Some("all-apps"));
        let odd = "    - id: odd\n      includes:\n        - {permissionType: delegated, permissions: [e1fe6dd8-ba31-4d61-89e7-88639da4683d]}\n      excludes: []\n";
        assert_eq!(policy_of(&tenant("odd", odd)), None, "a policy for one permission fits neither shape");
        assert_eq!(policy_of(&tenant("missing", open)), None, "not exported: not judgeable");
    }

    #[test]
    fn exclusions_and_named_apps_are_judged_by_the_evaluator() {
        // Graph, permissionGrantPolicy: a request is granted when an include matches and no exclude
        // does. Excluding mail still lets any app have everything else: more than the low policy.
        let legacy_but_mail = "    - id: no-mail\n      includes:\n        - {permissionType: delegated}\n      excludes:\n        - {permissionType: delegated, permissions: [Mail.Read]}\n";
        assert_eq!(policy_of(&tenant("no-mail", legacy_but_mail)).as_deref(), Some("all-apps"));
        // Unclassified permissions, to the tenant's own apps only: still more than the low policy.
        let own = "    - id: own\n      includes:\n        - {permissionType: delegated, clientApplicationTenantIds: [5f1c7a52-3a5e-4c5b-9a1e-6d3f0b8e2c41]}\n";
        assert_eq!(policy_of(&tenant("own", own)).as_deref(), Some("all-apps"));
        // Named apps: which app asks decides, so the policy stays unknown.
        let named = "    - id: named\n      includes:\n        - {permissionType: delegated, clientApplicationIds: [93bd2970-6f2c-49b3-920a-8defe1c55855]}\n";
        assert_eq!(policy_of(&tenant("named", named)), None);
    }
}
