//! Grants read more than once: EntraExporter's second copy of each application permission
//! assignment (under the API's `AppRoleAssignedTo/`), one id read with different content, and two
//! grants of the same consent.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;

use crate::kind::Kind;
use crate::source::Span;
use crate::validate::CheckedDocument;
use crate::yaml::{Node, Value};

/// One grant read, as much as finding its duplicates needs: its id, hashes of its content and of
/// the consent it records, and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seen {
    /// The grant's id, in ASCII lowercase.
    pub id: String,
    /// A hash of what it grants (type, app, API, consent type, user, permissions).
    pub content: u64,
    /// A hash of the consent it records (app, API, consent type and user; or app, API and role).
    pub consent: u64,
    /// The input it was read from, its document and its span.
    pub file: usize,
    /// Its document's index in the file.
    pub document: usize,
    /// The object's span.
    pub span: Span,
    /// Whether it is read from an `AppRoleAssignedTo/` copy that is judged only if it differs.
    pub twin: bool,
}

/// The lowercased string at `key` of `spec`.
fn lower(spec: &Node, key: &str) -> String {
    spec.get(key).and_then(Node::as_str).unwrap_or_default().to_ascii_lowercase()
}

fn hash(parts: &[&str]) -> u64 {
    let mut hasher = DefaultHasher::new();
    parts.hash(&mut hasher);
    hasher.finish()
}

impl Seen {
    /// What finding duplicates needs of a grant read from an export, before it is resolved.
    #[must_use]
    pub fn of(document: &CheckedDocument, file: usize, twin: bool) -> Option<Self> {
        if document.kind != Kind::Grant {
            return None;
        }
        let spec = document.root.get("spec")?;
        let kind = lower(spec, "type");
        let (client, resource) = (lower(spec, "clientId"), lower(spec, "resourceId"));
        let (consent_type, principal) = (lower(spec, "consentType"), lower(spec, "principalId"));
        let mut names: Vec<String> = match &spec.get("permissions")?.value {
            Value::Seq(items) => items
                .iter()
                .filter_map(|item| item.get("id").or_else(|| item.get("name"))?.as_str())
                .map(str::to_ascii_lowercase)
                .collect(),
            _ => Vec::new(),
        };
        names.sort_unstable();
        let joined = names.join(" ");
        let content = hash(&[&kind, &client, &resource, &consent_type, &principal, &joined]);
        let recorded = if kind == "application" {
            hash(&[&kind, &client, &resource, &joined])
        } else {
            hash(&[&kind, &client, &resource, &consent_type, &principal])
        };
        let id = document.metadata("name").unwrap_or_default().to_ascii_lowercase();
        Some(Self {
            id,
            content,
            consent: recorded,
            file,
            document: document.index,
            span: document.root.span,
            twin,
        })
    }

    fn order(&self) -> (usize, usize, usize) {
        (self.file, self.document, self.span.start)
    }
}

/// The inputs that are EntraExporter's second copy of an application permission assignment: a file
/// under a folder `AppRoleAssignedTo` whose name a file under a folder `AppRoleAssignments` of the
/// run also has (EntraExporter names both `<assignment id>.json`).
#[derive(Debug, Default)]
pub struct Twins {
    inputs: HashSet<usize>,
}

impl Twins {
    /// The twins among `paths`, by index.
    #[must_use]
    pub fn new(paths: &[&std::path::PathBuf]) -> Self {
        let under = |path: &Path, folder: &str| {
            path.components().any(|c| c.as_os_str().to_str().is_some_and(|c| c.eq_ignore_ascii_case(folder)))
        };
        let assigned: HashSet<&std::ffi::OsStr> = paths
            .iter()
            .filter(|path| under(path, "AppRoleAssignments"))
            .filter_map(|path| path.file_name())
            .collect();
        let inputs = paths
            .iter()
            .enumerate()
            .filter(|(_, path)| {
                under(path, "AppRoleAssignedTo")
                    && path.file_name().is_some_and(|name| assigned.contains(name))
            })
            .map(|(index, _)| index)
            .collect();
        Self { inputs }
    }

    /// Whether input `index` is a twin.
    #[must_use]
    pub fn contains(&self, index: usize) -> bool {
        self.inputs.contains(&index)
    }
}

/// A grant read again: `at` repeats `first`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    /// The later one.
    pub at: Seen,
    /// The first one.
    pub first: Seen,
    /// Whether they share an id (else they record the same consent under two ids).
    pub same_id: bool,
}

/// The duplicates among the grants `seen`, and the twins to judge after all: those that differ from
/// the assignment they copy, or copy none. Sorted by place.
#[must_use]
pub fn duplicates(mut seen: Vec<Seen>) -> (Vec<Duplicate>, Vec<Seen>) {
    seen.sort_by_key(Seen::order);
    let mut by_id: HashMap<&str, &Seen> = HashMap::new();
    let mut by_consent: HashMap<u64, &Seen> = HashMap::new();
    let mut found = Vec::new();
    for grant in seen.iter().filter(|s| !s.twin) {
        match (grant.id.is_empty(), by_id.get(grant.id.as_str())) {
            (false, Some(first)) => {
                found.push(Duplicate { at: grant.clone(), first: (*first).clone(), same_id: true });
                continue;
            }
            (false, None) => {
                by_id.insert(&grant.id, grant);
            }
            (true, _) => {}
        }
        match by_consent.get(&grant.consent) {
            Some(first) => {
                found.push(Duplicate { at: grant.clone(), first: (*first).clone(), same_id: false });
            }
            None => {
                by_consent.insert(grant.consent, grant);
            }
        }
    }
    let mut judge = Vec::new();
    for twin in seen.iter().filter(|s| s.twin) {
        match by_id.get(twin.id.as_str()) {
            Some(first) if first.content == twin.content => {}
            Some(first) => {
                found.push(Duplicate { at: twin.clone(), first: (*first).clone(), same_id: true });
                judge.push(twin.clone());
            }
            None => judge.push(twin.clone()),
        }
    }
    found.sort_by_key(|d| d.at.order());
    (found, judge)
}

#[cfg(test)]
mod tests {
    use super::{Seen, Twins, duplicates};
    use crate::source::Span;

    fn seen(id: &str, content: u64, recorded: u64, file: usize, twin: bool) -> Seen {
        Seen { id: id.into(), content, consent: recorded, file, document: 0, span: Span::new(0, 1), twin }
    }

    #[test]
    fn a_twin_with_the_same_content_is_one_grant() {
        let (found, judge) = duplicates(vec![seen("a", 1, 1, 3, true), seen("a", 1, 1, 0, false)]);
        assert!(found.is_empty());
        assert!(judge.is_empty());
    }

    #[test]
    fn a_twin_that_differs_is_judged_and_reported() {
        let (found, judge) = duplicates(vec![seen("a", 2, 1, 3, true), seen("a", 1, 1, 0, false)]);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].at.file, found[0].first.file), (3, 0));
        assert_eq!(judge.len(), 1);
        let (_, alone) = duplicates(vec![seen("b", 2, 1, 3, true)]);
        assert_eq!(alone.len(), 1, "a copy of nothing is the only copy");
    }

    #[test]
    fn the_same_consent_under_two_ids_is_reported_at_the_later() {
        let (found, _) = duplicates(vec![seen("b", 2, 7, 5, false), seen("a", 1, 7, 1, false)]);
        assert_eq!(found.len(), 1);
        assert!(!found[0].same_id);
        assert_eq!((found[0].at.id.as_str(), found[0].first.id.as_str()), ("b", "a"));
    }

    #[test]
    fn twins_are_found_by_folder_and_name() {
        let paths: Vec<std::path::PathBuf> = [
            "t/ServicePrincipals/c/AppRoleAssignments/x/x.json",
            "t/ServicePrincipals/r/AppRoleAssignedTo/x/x.json",
            "t/ServicePrincipals/r/AppRoleAssignedTo/y/y.json",
        ]
        .iter()
        .map(std::path::PathBuf::from)
        .collect();
        let refs: Vec<&std::path::PathBuf> = paths.iter().collect();
        let twins = Twins::new(&refs);
        assert!(!twins.contains(0) && twins.contains(1) && !twins.contains(2));
    }
}
