//! App management policies: the tenant's default policy (Microsoft Graph `GET
//! /policies/defaultAppManagementPolicy`, v1.0 or beta, REST in camelCase, PowerShell and
//! ScubaGear's export in Pascal case), which restricts the credentials of every app registration
//! and service principal; and a custom `appManagementPolicy` applied to one app or service
//! principal (EntraExporter's `Applications/<id>/AppManagementPolicies/…`), which may exempt it.
//! Both become `spec.appManagement` of a `TenantConfig`.

use std::path::Path;

use super::{
    Part, Partial, context_names, entry, field, is_guid, items, map, node, objects, string, tenant, text,
};
use crate::kind::Kind;
use crate::yaml::{Entry, Node, Value};

/// The format of the default policy, as users know it.
const FORMAT: &str = "Microsoft Graph defaultAppManagementPolicy";
/// The format of a policy applied to one app.
const CUSTOM_FORMAT: &str = "Microsoft Graph appManagementPolicy of an app";
/// The part of a tenant the default policy is. It does not say which apps a policy of the
/// tenant's own exempts: those are known only where the inputs list them.
pub(super) const PART: Part =
    Part { name: "defaultAppManagementPolicy", provides: &["spec.appManagement"], repeatable: false };
/// The part a policy applied to one app is: it adds to the exemptions, and a tenant may have many.
pub(super) const APPLIED: Part = Part { name: "appManagementPolicy", provides: &[], repeatable: true };
/// The exemptions, unknown unless a source lists every policy of the tenant's own with its apps.
pub(super) const EXEMPTIONS: &str = "spec.appManagement.exemptions";

/// The restrictions consentlint reads: the credential list and `restrictionType` in Graph, and the
/// key in `spec.appManagement.applications` / `.servicePrincipals` and `.exemptions`.
const RESTRICTIONS: [(&str, &str, &str); 3] = [
    ("passwordCredentials", "passwordAddition", "passwordAddition"),
    ("passwordCredentials", "passwordLifetime", "passwordLifetime"),
    ("keyCredentials", "asymmetricKeyLifetime", "certificateLifetime"),
];

/// `restrictForAppsCreatedAfterDateTime` values that mean every app, as .NET's `DateTime.MinValue`
/// is written (ScubaGear's `AADConfig.rego`, `ALL_APPS_DATES`).
const ALL_APPS: [&str; 2] = ["/Date(-62135596800000)/", "0001-01-01T00:00:00Z"];

/// The default policy that `root` is, or holds as the one item of a collection.
pub(super) fn recognise(root: &Node) -> Option<(Kind, Node, Partial)> {
    let found: Vec<&Node> = objects(root).into_iter().filter(|o| is_default(o)).collect();
    match found.as_slice() {
        [policy] => Some(convert(policy, FORMAT)),
        _ => None,
    }
}

/// Whether `object` is the default policy as Graph returns it: named by `@odata.context` or
/// `@odata.type`, or an object with an `id` and the restrictions of both kinds of object (a PATCH
/// body has no `id`).
fn is_default(object: &Node) -> bool {
    let restrictions = field(object, "applicationRestrictions").is_some()
        || field(object, "servicePrincipalRestrictions").is_some();
    let named = context_names(object, "#policies/defaultappmanagementpolicy")
        || text(object, "@odata.type").is_some_and(|t| t == "#microsoft.graph.tenantappmanagementpolicy")
        || field(object, "id").is_some();
    restrictions && named
}

/// The tenant part of the default policy, read as `format`: `isEnabled` and the restrictions of
/// each kind of object.
pub(super) fn convert(policy: &Node, format: &'static str) -> (Kind, Node, Partial) {
    let span = policy.span;
    let mut management: Vec<Entry> = Vec::new();
    if let Some(enabled) = field(policy, "isEnabled").filter(|v| v.value != Value::Null) {
        management.push(entry("enabled", enabled.clone()));
    }
    for (theirs, ours) in
        [("applicationRestrictions", "applications"), ("servicePrincipalRestrictions", "servicePrincipals")]
    {
        let at = field(policy, theirs).filter(|v| v.value != Value::Null);
        let restrictions = at.map(restrictions).unwrap_or_default();
        management.push(entry(ours, map(restrictions, at.map_or(span, |n| n.span))));
    }
    let spec = vec![entry("appManagement", map(management, span))];
    let unknown = vec![EXEMPTIONS];
    (Kind::TenantConfig, tenant(Vec::new(), spec, span), Partial { format, unknown, part: Some(PART) })
}

/// The restrictions of one kind of object, each the first of its type: `state`, the lifetime in
/// days (`P181D`; another ISO 8601 duration is kept as `maxLifetime`), and the creation date after
/// which it applies, left out where it means every app.
fn restrictions(scope: &Node) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    for (list, kind, ours) in RESTRICTIONS {
        let Some(item) = field(scope, list).map(items).unwrap_or_default().iter().find(|i| of_type(i, kind))
        else {
            continue;
        };
        let mut facts = Vec::new();
        if let Some(state) = field(item, "state").filter(|v| v.value != Value::Null) {
            facts.push(entry("state", state.clone()));
        }
        if let Some(lifetime) = field(item, "maxLifetime").filter(|v| v.value != Value::Null) {
            match lifetime.as_str().and_then(days) {
                Some(days) => facts.push(entry("maxLifetimeDays", node(Value::Int(days), lifetime.span))),
                None => facts.push(entry("maxLifetime", lifetime.clone())),
            }
        }
        if let Some(date) = field(item, "restrictForAppsCreatedAfterDateTime")
            .filter(|v| v.value != Value::Null && !v.as_str().is_some_and(|d| ALL_APPS.contains(&d)))
        {
            facts.push(entry("appliesToAppsCreatedAfter", date.clone()));
        }
        out.push(entry(ours, map(facts, item.span)));
    }
    out
}

/// Whether a restriction item is of `kind` (`restrictionType`, compared without case).
fn of_type(item: &Node, kind: &str) -> bool {
    text(item, "restrictionType").is_some_and(|t| t.eq_ignore_ascii_case(kind))
}

/// The days of an ISO 8601 duration written in days alone (`P181D`).
fn days(duration: &str) -> Option<i64> {
    duration.strip_prefix('P')?.strip_suffix('D')?.parse().ok().filter(|d| *d >= 0)
}

/// The apps each enabled policy of the tenant's own exempts from a restriction, by restriction, as
/// `spec.appManagement.exemptions`: `policies` are `(policy, apps)`, each app a node naming it.
fn exemptions<'a>(policies: impl Iterator<Item = (&'a Node, Vec<Node>)>, span: crate::source::Span) -> Node {
    let mut lists: Vec<(&str, Vec<Node>)> =
        RESTRICTIONS.iter().map(|(_, _, ours)| (*ours, Vec::new())).collect();
    for (policy, apps) in policies {
        let enabled = field(policy, "isEnabled").is_some_and(|v| v.value == Value::Bool(true));
        let restrictions = field(policy, "restrictions");
        if !enabled || apps.is_empty() {
            continue;
        }
        for ((list, kind, _), (_, exempted)) in RESTRICTIONS.iter().zip(lists.iter_mut()) {
            // A restriction whose `state` is not `enabled` (ScubaGear: `Restriction.State != "enabled"`).
            let off = restrictions
                .and_then(|r| field(r, list))
                .map(items)
                .unwrap_or_default()
                .iter()
                .any(|item| of_type(item, kind) && text(item, "state").is_some_and(|s| s != "enabled"));
            if off {
                exempted.extend(apps.iter().cloned());
            }
        }
    }
    // Each list points at the first app it names: where a finding about it is best read.
    let entries = lists
        .into_iter()
        .filter_map(|(key, apps)| {
            let at = apps.first()?.span;
            Some(entry(key, node(Value::Seq(apps), at)))
        })
        .collect();
    map(entries, span)
}

/// ScubaGear's export: the default policy (`default_app_management_policy`, a list of one) and every
/// policy of the tenant's own with the apps it applies to (`app_management_policies`, each
/// restriction holding `AppliesTo`), so that the exemptions are known.
pub(super) fn scuba(
    default: &Node,
    custom: Option<&Node>,
    format: &'static str,
) -> Option<(Kind, Node, Partial)> {
    let policy = objects(default).into_iter().next()?;
    let (kind, mut root, mut partial) = convert(policy, format);
    let list = custom?;
    let policies = objects(list).into_iter().map(|p| {
        let restrictions = field(p, "restrictions");
        let apps: Vec<Node> = ["passwordCredentials", "keyCredentials"]
            .iter()
            .flat_map(|key| restrictions.and_then(|r| field(r, key)).map(items).unwrap_or_default())
            .flat_map(|item| field(item, "appliesTo").map(items).unwrap_or_default())
            .filter_map(|app| field(app, "displayName").or_else(|| field(app, "id")).cloned())
            .collect();
        (p, dedup(apps))
    });
    let found = exemptions(policies, list.span);
    if let Some(management) = spec_field(&mut root, "appManagement")
        && let Value::Map(entries) = &mut management.value
    {
        entries.push(entry("exemptions", found));
    }
    partial.unknown.retain(|path| *path != EXEMPTIONS);
    Some((kind, root, partial))
}

/// The apps named once each, in their first order.
fn dedup(apps: Vec<Node>) -> Vec<Node> {
    let mut seen: Vec<Value> = Vec::new();
    apps.into_iter()
        .filter(|app| {
            let fresh = !seen.contains(&app.value);
            if fresh {
                seen.push(app.value.clone());
            }
            fresh
        })
        .collect()
}

/// `spec.KEY` of a converted tenant tree.
fn spec_field<'a>(root: &'a mut Node, key: &str) -> Option<&'a mut Node> {
    let Value::Map(entries) = &mut root.value else { return None };
    let spec = &mut entries.iter_mut().find(|e| e.key == "spec")?.value;
    let Value::Map(entries) = &mut spec.value else { return None };
    entries.iter_mut().find(|e| e.key == key).map(|e| &mut e.value)
}

/// A policy of the tenant's own applied to the app or service principal whose folder holds the
/// file (`Applications/<id>/AppManagementPolicies/…`, EntraExporter's layout): its exemptions,
/// naming the object by its folder's id.
pub(super) fn recognise_applied(root: &Node, path: &Path) -> Option<(Kind, Node, Partial)> {
    let owner = owner(path)?;
    let policies: Vec<&Node> = objects(root)
        .into_iter()
        .filter(|o| {
            field(o, "restrictions").is_some_and(|r| r.as_map().is_some()) && field(o, "isEnabled").is_some()
        })
        .collect();
    let first = policies.first()?;
    let span = first.span;
    let name = |policy: &Node| vec![string(&owner, field(policy, "id").map_or(policy.span, |n| n.span))];
    let found = exemptions(policies.iter().map(|p| (*p, name(p))), span);
    let spec = vec![entry("appManagement", map(vec![entry("exemptions", found)], span))];
    let partial = Partial { format: CUSTOM_FORMAT, unknown: Vec::new(), part: Some(APPLIED) };
    Some((Kind::TenantConfig, tenant(Vec::new(), spec, span), partial))
}

/// The id of the app or service principal an `AppManagementPolicies` folder belongs to: the GUID
/// folder right above it, under `Applications` or `ServicePrincipals`.
fn owner(path: &Path) -> Option<String> {
    let folders: Vec<&str> = path.iter().filter_map(|f| f.to_str()).collect();
    let at = folders.iter().rposition(|f| f.eq_ignore_ascii_case("AppManagementPolicies"))?;
    let id = folders.get(at.checked_sub(1)?)?;
    let kind = folders.get(at.checked_sub(2)?)?;
    let under = kind.eq_ignore_ascii_case("Applications") || kind.eq_ignore_ascii_case("ServicePrincipals");
    (under && is_guid(id)).then(|| id.to_ascii_lowercase())
}

#[cfg(test)]
mod tests;
