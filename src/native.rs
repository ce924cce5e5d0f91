//! Documents in other tools' formats, recognised by their content and turned into located trees of
//! our kinds, so that validation, the rules and every renderer work on them unchanged.
//!
//! Each mapped value keeps the span of the native text it came from; a value the format lacks is
//! either synthesized at the object that lacks it or left out, and what the format cannot say at all
//! is listed in [`Native::unknown`], so that rules reading it are not run on the document.

// Not yet called by `recognise` and `load` outside tests: remove the expectation when they are.
#[cfg_attr(not(test), expect(dead_code, reason = "wired into `recognise` and `load` separately"))]
mod application;
mod authorization;
mod resources;
mod service_principal;

use std::path::Path;

use crate::kind::{API_VERSION, Kind};
use crate::source::Span;
use crate::yaml::{Entry, Node, Value};

#[cfg(test)]
pub use resources::ResourcePermission;
pub use resources::{Grant, Lookup, Resource};

/// Where a document of ours came from when it was not written in our format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Native {
    /// The format, as users know it.
    pub format: &'static str,
    /// Dotted paths (`spec.adminConsentWorkflow`) that the format does not hold. Rules that read
    /// one of them, or a value inside it, are not run on the document: no finding stands on a value
    /// the file does not state.
    pub unknown: Vec<&'static str>,
}

impl Native {
    /// Whether the dotted path `path` is, holds or lies inside a path the format does not hold.
    #[must_use]
    pub fn is_unknown(&self, path: &[String]) -> bool {
        self.unknown.iter().any(|unknown| {
            let steps: Vec<&str> = unknown.split('.').collect();
            steps.iter().zip(path).all(|(step, segment)| step == segment)
        })
    }

    /// Whether the dotted path `path` is or lies inside a path the format does not hold. Unlike
    /// [`Native::is_unknown`], a path that only holds one is known: the list `spec.permissions` is
    /// read when `spec.permissions.justification` is unknown, so a rule that goes through the list
    /// (`for-each`) runs, and only what reads the unknown field is skipped.
    #[must_use]
    #[cfg_attr(not(test), expect(dead_code, reason = "for the engine's `for-each` check, wired separately"))]
    pub fn is_within_unknown(&self, path: &[String]) -> bool {
        self.unknown.iter().any(|unknown| {
            let steps: Vec<&str> = unknown.split('.').collect();
            steps.len() <= path.len() && steps.iter().zip(path).all(|(step, segment)| step == segment)
        })
    }
}

/// A native document turned into one of ours.
#[derive(Debug)]
pub struct Converted {
    /// Its kind.
    pub kind: Kind,
    /// The located tree, with spans into the native text.
    pub root: Node,
    /// Its format and what it cannot say.
    pub native: Native,
}

/// The document at `root` of the file at `path` as one of ours, when it is in a format consentlint
/// reads natively; `None` when it is not (it is then skipped, as any file that is not ours).
#[must_use]
pub fn recognise(root: &Node, path: &Path) -> Option<Converted> {
    authorization::recognise(root, path)
}

/// The APIs that the document at `root` publishes, for naming the permissions apps request by id:
/// the service principals it holds, or the API that the application it holds exposes.
#[cfg_attr(not(test), expect(dead_code, reason = "wired into `load` separately"))]
pub(crate) fn resources(root: &Node) -> Vec<Resource> {
    let mut found = service_principal::resources(root);
    found.extend(application::resource_of(root));
    found
}

/// The entry for `key` of a mapping, comparing keys without regard to ASCII case (REST and Graph
/// Explorer write camelCase, PowerShell's `ConvertTo-Json` Pascal case).
fn field<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    node.as_map()?.iter().find(|entry| entry.key.eq_ignore_ascii_case(key)).map(|entry| &entry.value)
}

/// The items of a list; nothing for any other node.
fn items(node: &Node) -> &[Node] {
    match &node.value {
        Value::Seq(items) => items,
        _ => &[],
    }
}

/// A synthesized mapping entry whose key and value point at `span`.
fn entry(key: &str, value: Node) -> Entry {
    Entry { key: key.to_owned(), key_span: value.span, value }
}

/// A synthesized node at `span`.
fn node(value: Value, span: Span) -> Node {
    Node { value, span }
}

/// The header every document of ours starts with, pointing at `span`.
fn header(kind: Kind, span: Span) -> [Entry; 2] {
    [
        entry("apiVersion", node(Value::String(API_VERSION.to_owned()), span)),
        entry("kind", node(Value::String(kind.as_str().to_owned()), span)),
    ]
}

/// A name in the form `metadata.name` accepts (lowercase letters, digits, dots and hyphens, starting
/// and ending with a letter or digit), from a directory name or an id; `None` when nothing is left.
fn metadata_name(raw: &str) -> Option<String> {
    let mapped: String = raw
        .chars()
        .map(|c| {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' { c } else { '-' }
        })
        .collect();
    let trimmed = mapped.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    (!trimmed.is_empty() && trimmed.len() <= 253).then(|| trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::{Native, metadata_name, resources};
    use crate::yaml::{Limits, parse};

    #[test]
    fn names_follow_the_schema_pattern() {
        assert_eq!(metadata_name("Contoso_Prod").as_deref(), Some("contoso-prod"));
        assert_eq!(metadata_name("-x-").as_deref(), Some("x"));
        assert_eq!(metadata_name("__"), None);
    }

    #[test]
    fn unknown_paths_match_inside_and_around() {
        let native = Native { format: "f", unknown: vec!["spec.adminConsentWorkflow"] };
        let path = |text: &str| text.split('.').map(str::to_owned).collect::<Vec<_>>();
        assert!(native.is_unknown(&path("spec.adminConsentWorkflow.enabled")));
        assert!(native.is_unknown(&path("spec")));
        assert!(!native.is_unknown(&path("spec.userConsent.enabled")));
    }

    #[test]
    fn a_list_whose_items_lack_a_field_is_not_within_it() {
        let native = Native { format: "f", unknown: vec!["spec.permissions.justification"] };
        let path = |text: &str| text.split('.').map(str::to_owned).collect::<Vec<_>>();
        assert!(native.is_unknown(&path("spec.permissions")), "it holds the unknown field");
        assert!(!native.is_within_unknown(&path("spec.permissions")));
        assert!(native.is_within_unknown(&path("spec.permissions.justification")));
        assert!(!native.is_within_unknown(&path("spec.permissions.name")));
    }

    #[test]
    fn resources_come_from_service_principals_and_from_applications_that_expose_an_api() {
        let found = |text: &str| {
            let names: Vec<String> = resources(&parse(text, Limits::default()).documents[0].root)
                .into_iter()
                .map(|r| r.name)
                .collect();
            names
        };
        let principal = r#"{"servicePrincipalType": "Application", "appId": "00000003-0000-0ff1-ce00-000000000000", "displayName": "SharePoint", "appRoles": [{"allowedMemberTypes": ["Application"], "id": "678536fe-1083-478a-9c59-b99265e6b0d3", "value": "Sites.FullControl.All"}]}"#;
        assert_eq!(found(principal), ["SharePoint"]);
        let application = r#"{"appId": "b55b276d-2b09-4ad2-8de5-f09cf24ffba9", "displayName": "Orders", "requiredResourceAccess": [], "api": {"oauth2PermissionScopes": [{"id": "cf38eb5b-8fcd-4697-9bd5-d80b7f98dfc5", "type": "Admin", "value": "Orders.Read"}]}}"#;
        assert_eq!(found(application), ["Orders"]);
        assert!(found(r#"{"id": "authorizationPolicy"}"#).is_empty());
    }
}
