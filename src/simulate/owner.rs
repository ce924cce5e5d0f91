//! What a group or team owner meets when the app asks for resource-specific permissions
//! (`data/consent/resource-specific.yaml`): an owner may grant the team-scoped ones for their team
//! where the tenant allows group owner consent (`spec.userConsent.groupOwnerConsent`), and anything
//! else the app asks for as any user may. Chat-scoped ones follow a Microsoft Teams setting that no
//! input holds.

use crate::catalog::GRAPH;
use crate::consent::Bundled;
use crate::yaml::{Node, Value};

use super::{Grantor, GroupOwner, Outcome, Permission};

/// The owner's outcome, when the app asks for a resource-specific permission; `recourse` says
/// whether a request for approval reaches no one (`Some(true)`), or may not (`None`).
pub(super) fn group_owner(
    bundled: &Bundled,
    tenant: &Node,
    permissions: &[Permission],
    recourse: Option<bool>,
) -> Option<GroupOwner> {
    let scopes: Vec<Option<&str>> = permissions
        .iter()
        .map(|p| {
            let graph = p.resource.eq_ignore_ascii_case(GRAPH);
            (graph && p.kind == "application").then(|| bundled.resource_specific.scope_of(&p.name)).flatten()
        })
        .collect();
    if scopes.iter().all(Option::is_none) {
        return None;
    }
    let consent = tenant.get("spec").and_then(|s| s.get("userConsent"));
    // Absent, or not in a native export: not stated, never assumed.
    let allowed = match consent.and_then(|c| c.get("groupOwnerConsent")).map(|n| &n.value) {
        Some(Value::Bool(allowed)) => Some(*allowed),
        _ => None,
    };
    let tenant_name =
        tenant.get("metadata").and_then(|m| m.get("name")).and_then(Node::as_str).unwrap_or("?");
    let (mut admin, mut unknown) = (Vec::new(), Vec::new());
    for (permission, scope) in permissions.iter().zip(&scopes) {
        let name = format!("`{}`", permission.name);
        match (*scope, allowed, permission.grantable_by) {
            (Some("group"), Some(true), _) | (None, _, Grantor::User) => {}
            (Some("group"), Some(false), _) | (None, _, Grantor::Admin) => admin.push(name),
            _ => unknown.push(name),
        }
    }
    let (outcome, reason) = if !admin.is_empty() {
        let outcome = if recourse == Some(true) { Outcome::Blocked } else { Outcome::ApprovalRequired };
        let why = if allowed == Some(false) {
            format!("tenant `{tenant_name}` does not allow group owner consent")
        } else {
            "only an administrator may grant them".to_owned()
        };
        let verb = if admin.len() == 1 { "needs" } else { "need" };
        (outcome, format!("{} {verb} an administrator: {why}", admin.join(", ")))
    } else if !unknown.is_empty() {
        let why = if allowed.is_none() && scopes.contains(&Some("group")) {
            format!(
                "tenant `{tenant_name}` does not state whether group owners may consent (`spec.userConsent.groupOwnerConsent`)"
            )
        } else {
            "who may grant chat-scoped permissions is a Microsoft Teams setting that no input holds"
                .to_owned()
        };
        (Outcome::Undetermined, format!("{}: {why}", unknown.join(", ")))
    } else {
        let constrained = tenant
            .get("spec")
            .and_then(|s| s.get("consentPolicySettings"))
            .and_then(|c| c.get("constrainGroupSpecificConsentToMembersOfGroupId"))
            .and_then(Node::as_str)
            .filter(|g| !g.is_empty());
        let who = constrained.map_or_else(
            || "an owner of a team".to_owned(),
            |group| format!("an owner of a team who is a member of group `{group}`"),
        );
        (
            Outcome::ConsentPrompt,
            format!(
                "{who} may grant the app's team permissions for that team, under the group owner consent of tenant `{tenant_name}`"
            ),
        )
    };
    Some(GroupOwner { outcome, reason })
}
