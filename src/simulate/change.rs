//! The edits a change is made of: what each does to copies of the tenant and the app, and how it
//! reads. They are the settings an administrator or a publisher can change; whether an edit helps
//! is for the consent model to say, on the edited copies.

use crate::catalog::GRAPH;
use crate::native::BUILTIN_POLICIES;
use crate::yaml::{Entry, Node, Value};

use super::Step;

/// Whom a change edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Side {
    /// The tenant's settings.
    Tenant,
    /// The app's manifest (and so the app, or its publisher).
    App,
    /// Both.
    Both,
}

impl Side {
    /// The name in every output format.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Tenant => "tenant",
            Self::App => "app",
            Self::Both => "tenant and app",
        }
    }
}

/// The user consent policies a tenant can be given, the most restrictive first: of two changes
/// that cost the same, the one with the more restrictive policy is preferred.
pub(super) const POLICIES: [&str; 3] = ["verified-publishers-low-impact", "microsoft-managed", "all-apps"];

/// One edit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Edit {
    /// Turn user consent on with this policy, or switch to it.
    Policy(&'static str),
    /// Classify a permission of an API as low impact.
    Classify { permission: usize, name: String, resource: String },
    /// The publisher completes publisher verification.
    Verify,
    /// Request an application permission as a delegated one.
    Delegated { permission: usize, name: String },
    /// Request a narrower permission instead.
    Narrower { permission: usize, from: String, to: String },
    /// Correct a name the catalog does not know to the one it most likely means.
    Correct { permission: usize, from: String, to: String },
    /// Stop requesting a permission.
    Remove { permission: usize, name: String },
}

impl Edit {
    /// Whom the edit changes.
    pub(super) fn side(&self) -> Side {
        match self {
            Self::Policy(_) | Self::Classify { .. } => Side::Tenant,
            _ => Side::App,
        }
    }

    /// The same edit of the permission at `to` instead (for a copy of the app that holds fewer).
    pub(super) fn moved(&self, to: usize) -> Self {
        let mut edit = self.clone();
        match &mut edit {
            Self::Classify { permission, .. }
            | Self::Delegated { permission, .. }
            | Self::Narrower { permission, .. }
            | Self::Correct { permission, .. }
            | Self::Remove { permission, .. } => *permission = to,
            Self::Policy(_) | Self::Verify => {}
        }
        edit
    }

    /// Whether the app loses a permission.
    pub(super) fn removes(&self) -> bool {
        matches!(self, Self::Remove { .. })
    }

    /// How the edit reads, for the tenant and the app as they are.
    pub(super) fn step(&self, tenant: &Node, app: &Node) -> Step {
        let text = |node: &Node, path: &[&str]| -> String {
            path.iter()
                .try_fold(node, |node, key| node.get(key))
                .and_then(Node::as_str)
                .unwrap_or("?")
                .to_owned()
        };
        let tenant_name = text(tenant, &["metadata", "name"]);
        let publisher = text(app, &["spec", "publisher", "name"]);
        let (action, permission, words, cost): (&'static str, Option<&str>, String, Option<String>) =
            match self {
                Self::Policy(policy) => {
                    let on =
                        tenant.get("spec").and_then(|s| s.get("userConsent")).and_then(|u| u.get("enabled"));
                    let words = if on.is_some_and(|n| n.value == Value::Bool(true)) {
                        format!("switch user consent in tenant `{tenant_name}` to the `{policy}` policy")
                    } else {
                        format!("turn user consent on in tenant `{tenant_name}`, with the `{policy}` policy")
                    };
                    let cost = format!(
                        "every user may then consent, for themselves, to every app the `{policy}` policy allows, not only to this one"
                    );
                    ("user-consent-policy", None, words, Some(cost))
                }
                Self::Classify { name, resource, .. } => (
                    "classify-low-impact",
                    Some(name.as_str()),
                    if resource.eq_ignore_ascii_case(GRAPH) {
                        format!("classify `{name}` as low impact in tenant `{tenant_name}`")
                    } else {
                        format!("classify `{name}` of `{resource}` as low impact in tenant `{tenant_name}`")
                    },
                    Some(format!("every user may then grant `{name}` to any app they may consent to")),
                ),
                Self::Verify => (
                    "verify-publisher",
                    None,
                    format!(
                        "have `{publisher}` complete Microsoft publisher verification, and record `verified: true`"
                    ),
                    None,
                ),
                Self::Delegated { name, .. } => (
                    "request-delegated",
                    Some(name.as_str()),
                    format!(
                        "request `{name}` as a delegated permission instead of an application permission"
                    ),
                    Some(
                        "the app then acts only for a signed-in user, and reaches only what that user can"
                            .to_owned(),
                    ),
                ),
                Self::Narrower { from, to, .. } => (
                    "request-narrower",
                    Some(from.as_str()),
                    format!("request `{to}` instead of `{from}`"),
                    Some(format!(
                        "the app then reaches only the signed-in user's own data, not what `{from}` reaches"
                    )),
                ),
                Self::Correct { from, to, .. } => (
                    "correct-name",
                    Some(from.as_str()),
                    format!("correct `{from}` to `{to}`, the permission it most likely means"),
                    None,
                ),
                Self::Remove { name, .. } => (
                    "remove-permission",
                    Some(name.as_str()),
                    format!("stop requesting `{name}`"),
                    Some(format!("the app loses what `{name}` gives it")),
                ),
            };
        Step { on: self.side(), action, permission: permission.map(str::to_owned), text: words, cost }
    }
}

/// Copies of `tenant` and `app` with `edits` made.
pub(super) fn apply(edits: &[Edit], tenant: &Node, app: &Node) -> (Node, Node) {
    let (mut tenant, mut app) = (tenant.clone(), app.clone());
    let mut removed: Vec<usize> = Vec::new();
    for edit in edits {
        match edit {
            Edit::Policy(policy) => {
                set(&mut tenant, &["spec", "userConsent", "enabled"], Value::Bool(true));
                set(&mut tenant, &["spec", "userConsent", "policy"], Value::String((*policy).to_owned()));
                // The policy replaces whatever was assigned, the tenant's own policies included.
                let assigned: Vec<Value> = BUILTIN_POLICIES
                    .iter()
                    .filter(|(_, ours)| ours == policy)
                    .map(|(id, _)| Value::String((*id).to_owned()))
                    .collect();
                if let Some(list) = list_mut(&mut tenant, &["spec", "userConsent", "grantPolicies"]) {
                    let span = list.span;
                    list.value = Value::Seq(assigned.into_iter().map(|value| Node { value, span }).collect());
                }
            }
            Edit::Classify { name, resource, .. } => {
                if let Some(list) = list_mut(&mut tenant, &["spec", "userConsent", "lowImpactPermissions"]) {
                    let span = list.span;
                    let value = if resource.eq_ignore_ascii_case(GRAPH) {
                        Value::String(name.clone())
                    } else {
                        let entry = |key: &str, text: &str| Entry {
                            key: key.to_owned(),
                            key_span: span,
                            value: Node { value: Value::String(text.to_owned()), span },
                        };
                        Value::Map(vec![entry("name", name), entry("resource", resource)])
                    };
                    if let Value::Seq(items) = &mut list.value {
                        items.push(Node { value, span });
                    }
                }
            }
            Edit::Verify => {
                set(&mut app, &["spec", "publisher", "verified"], Value::Bool(true));
                let publisher = app.get("spec").and_then(|s| s.get("publisher"));
                let third_party =
                    publisher.and_then(|p| p.get("origin")).and_then(Node::as_str) == Some("third-party");
                if third_party && publisher.and_then(|p| p.get("verifiedPublisherId")).is_none() {
                    // Verification gives the publisher a partner ID, which the manifest then records.
                    set(
                        &mut app,
                        &["spec", "publisher", "verifiedPublisherId"],
                        Value::String("0".to_owned()),
                    );
                }
            }
            Edit::Delegated { permission, .. } => {
                set_in_permission(&mut app, *permission, "type", "delegated");
            }
            Edit::Narrower { permission, to, .. } | Edit::Correct { permission, to, .. } => {
                set_in_permission(&mut app, *permission, "name", to);
            }
            Edit::Remove { permission, .. } => removed.push(*permission),
        }
    }
    removed.sort_unstable();
    if let Some(Value::Seq(items)) =
        app.get("spec").and_then(|s| s.get("permissions")).map(|p| p.value.clone())
    {
        let kept: Vec<Node> = items
            .into_iter()
            .enumerate()
            .filter(|(index, _)| !removed.contains(index))
            .map(|(_, n)| n)
            .collect();
        set(&mut app, &["spec", "permissions"], Value::Seq(kept));
    }
    (tenant, app)
}

/// Sets `key` of permission `index` of the app to the string `value`.
fn set_in_permission(app: &mut Node, index: usize, key: &str, value: &str) {
    let Some(list) = list_mut(app, &["spec", "permissions"]) else { return };
    if let Value::Seq(items) = &mut list.value
        && let Some(permission) = items.get_mut(index)
    {
        set(permission, &[key], Value::String(value.to_owned()));
    }
}

/// The node at `path`, created as an empty mapping (pointing at its parent) where it is missing.
/// `None` when a step is not a mapping.
fn node_mut<'a>(mut node: &'a mut Node, path: &[&str]) -> Option<&'a mut Node> {
    for key in path {
        let span = node.span;
        let Value::Map(entries) = &mut node.value else { return None };
        let at = match entries.iter().position(|entry| entry.key == *key) {
            Some(at) => at,
            None => {
                let value = Node { value: Value::Map(Vec::new()), span };
                entries.push(Entry { key: (*key).to_owned(), key_span: span, value });
                entries.len() - 1
            }
        };
        node = &mut entries.get_mut(at)?.value;
    }
    Some(node)
}

/// Sets the value at `path`, keeping the span of a value that is there.
fn set(node: &mut Node, path: &[&str], value: Value) {
    if let Some(target) = node_mut(node, path) {
        target.value = value;
    }
}

/// The list at `path`, made an empty list where there is none.
fn list_mut<'a>(node: &'a mut Node, path: &[&str]) -> Option<&'a mut Node> {
    let list = node_mut(node, path)?;
    if !matches!(list.value, Value::Seq(_)) {
        list.value = Value::Seq(Vec::new());
    }
    Some(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Node {
        crate::yaml::parse(text, crate::yaml::Limits::default()).documents.remove(0).root
    }

    #[test]
    fn edits_change_copies_and_create_what_is_missing() {
        let tenant = tree("metadata: {name: t}\nspec:\n  userConsent: {enabled: false}\n");
        let app = tree(
            "spec:\n  publisher: {name: P, origin: third-party}\n  permissions:\n    - {name: A, type: application}\n    - {name: B.All, type: delegated}\n    - {name: C, type: delegated}\n",
        );
        let edits = [
            Edit::Policy("verified-publishers-low-impact"),
            Edit::Classify { permission: 0, name: "A".into(), resource: GRAPH.into() },
            Edit::Verify,
            Edit::Delegated { permission: 0, name: "A".into() },
            Edit::Narrower { permission: 1, from: "B.All".into(), to: "B".into() },
            Edit::Remove { permission: 2, name: "C".into() },
        ];
        let (t, a) = apply(&edits, &tenant, &app);
        let consent = t.get("spec").and_then(|s| s.get("userConsent")).unwrap();
        assert_eq!(consent.get("enabled").unwrap().value, Value::Bool(true));
        assert_eq!(consent.get("policy").and_then(Node::as_str), Some("verified-publishers-low-impact"));
        assert!(
            matches!(&consent.get("lowImpactPermissions").unwrap().value, Value::Seq(items) if items.len() == 1)
        );
        let spec = a.get("spec").unwrap();
        assert_eq!(spec.get("publisher").and_then(|p| p.get("verified")).unwrap().value, Value::Bool(true));
        let Value::Seq(permissions) = &spec.get("permissions").unwrap().value else { panic!() };
        let names: Vec<(&str, &str)> = permissions
            .iter()
            .map(|p| {
                (p.get("name").and_then(Node::as_str).unwrap(), p.get("type").and_then(Node::as_str).unwrap())
            })
            .collect();
        assert_eq!(names, [("A", "delegated"), ("B", "delegated")]);
        assert_eq!(tenant.get("spec").and_then(|s| s.get("userConsent")).and_then(|u| u.get("policy")), None);
        assert_eq!(
            edits[0].step(&tenant, &app).text,
            "turn user consent on in tenant `t`, with the `verified-publishers-low-impact` policy"
        );
    }
}
