//! One row per granted permission, read from resolved grants: what the `grants` view shows.

use crate::catalog::{Catalog, PermissionKey, PermissionKind};
use crate::kind::Kind;
use crate::native::Grant;
use crate::validate::CheckedDocument;
use crate::yaml::{Node, Value};

/// One permission of one grant, with what the run resolved about it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Row {
    /// The tenant's name, when known.
    pub tenant: Option<String>,
    /// The app: its name (or the object id of its service principal when not exported).
    pub app: String,
    /// Its application id, when resolved.
    pub app_id: Option<String>,
    /// The publisher's name, when stated.
    pub publisher: Option<String>,
    /// Whether the publisher is verified, when stated.
    pub verified: Option<bool>,
    /// Where the app comes from, seen from the tenant, when known.
    pub origin: Option<String>,
    /// The API.
    pub resource: String,
    /// The permission.
    pub permission: String,
    /// Delegated or application.
    pub kind: Grant,
    /// `AllPrincipals` or `Principal` for a delegated grant.
    pub consent: Option<String>,
    /// The user of a `Principal` grant.
    pub principal: Option<String>,
    /// The permission's risk in the catalog.
    pub risk: Option<String>,
    /// Whether the desired state approves it, when the run holds one.
    pub approved: Option<bool>,
    /// Whether the app's registration requests it, when exported.
    pub requested: Option<bool>,
    /// Whether the tenant's current user consent policies would let a user grant it (delegated
    /// grants), when the run states what that depends on.
    pub user_may_grant: Option<bool>,
    /// The export it was read from, when that export lists only some of the tenant's grants
    /// (ScubaGear's).
    pub partial: Option<&'static str>,
}

/// The string at `path` below `node`.
fn text(node: &Node, path: &[&str]) -> Option<String> {
    path.iter().try_fold(node, |node, key| node.get(key)).and_then(Node::as_str).map(str::to_owned)
}

/// The boolean at `key`.
fn flag(node: &Node, path: &[&str]) -> Option<bool> {
    match path.iter().try_fold(node, |node, key| node.get(key)).map(|n| &n.value) {
        Some(Value::Bool(b)) => Some(*b),
        _ => None,
    }
}

/// The rows of a grant document (none for any other document), with `tenant` its tenant.
#[must_use]
pub fn rows(document: &CheckedDocument, tenant: Option<&str>, catalog: &Catalog) -> Vec<Row> {
    if document.kind != Kind::Grant {
        return Vec::new();
    }
    let Some(spec) = document.root.get("spec") else { return Vec::new() };
    let kind = if text(spec, &["type"]).as_deref() == Some("application") {
        Grant::Application
    } else {
        Grant::Delegated
    };
    let partial = document
        .native
        .as_ref()
        .map(|n| n.format)
        .filter(|format| crate::native::PARTIAL_GRANTS.contains(format));
    let app =
        text(spec, &["client", "displayName"]).or_else(|| text(spec, &["clientId"])).unwrap_or_default();
    let items: &[Node] = match spec.get("permissions").map(|n| &n.value) {
        Some(Value::Seq(items)) => items,
        _ => &[],
    };
    items
        .iter()
        .filter_map(|item| {
            let permission = text(item, &["name"])?;
            let resource = text(item, &["resource"]).unwrap_or_default();
            let key = PermissionKey {
                name: &permission,
                kind: match kind {
                    Grant::Delegated => PermissionKind::Delegated,
                    Grant::Application => PermissionKind::Application,
                },
                resource: &resource,
            };
            let risk = match catalog.fact(&key, "risk") {
                Some(Value::String(risk)) => Some(risk),
                _ => None,
            };
            Some(Row {
                tenant: tenant.map(str::to_owned),
                app: app.clone(),
                app_id: text(spec, &["client", "appId"]),
                publisher: text(spec, &["client", "publisher", "name"]),
                verified: flag(spec, &["client", "publisher", "verified"]),
                origin: text(spec, &["client", "publisher", "origin"]),
                resource,
                permission,
                kind,
                consent: text(spec, &["consentType"]),
                principal: text(spec, &["principalId"]),
                risk,
                approved: flag(item, &["approved"]),
                requested: flag(item, &["requested"]),
                user_may_grant: flag(item, &["userMayGrant"]),
                partial,
            })
        })
        .collect()
}
