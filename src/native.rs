//! Documents in other tools' formats, recognised by their content and turned into located trees of
//! our kinds, so that validation, the rules and every renderer work on them unchanged.
//!
//! Each mapped value keeps the span of the native text it came from; a value the format lacks is
//! either synthesized at the object that lacks it or left out, and what the format cannot say at all
//! is listed in [`Native::unknown`], so that rules reading it are not run on the document.

mod authorization;

use std::path::Path;

use crate::kind::{API_VERSION, Kind};
use crate::source::Span;
use crate::yaml::{Entry, Node, Value};

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

/// The entry for `key` of a mapping, comparing keys without regard to ASCII case (REST and Graph
/// Explorer write camelCase, PowerShell's `ConvertTo-Json` Pascal case).
fn field<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    node.as_map()?.iter().find(|entry| entry.key.eq_ignore_ascii_case(key)).map(|entry| &entry.value)
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
    use super::{Native, metadata_name};

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
}
