//! Paths into documents: `spec.publisher.origin`, `.`, `$tenant.spec.userConsent.enabled`,
//! `$catalog.risk`.

use serde_json::Value as Json;

use crate::suggest;

/// Where a path starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Root {
    /// The rule's scope: the document, or the element under `for-each`.
    Scope,
    /// The document being judged.
    Document,
    /// The tenant in context.
    Tenant,
    /// Facts about the permission in scope.
    Catalog,
    /// The rule's parameters, as the profile of the run sets them.
    Profile,
}

const ROOTS: &[(&str, Root)] = &[
    ("$document", Root::Document),
    ("$tenant", Root::Tenant),
    ("$catalog", Root::Catalog),
    ("$profile", Root::Profile),
];

/// A parsed path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Path {
    /// Where it starts.
    pub root: Root,
    /// Keys and list indices.
    pub segments: Vec<String>,
    /// As written.
    pub text: String,
}

/// A mistake in a path: what, and where in the path's text.
#[derive(Debug)]
pub(super) struct PathError {
    pub message: String,
    pub help: Option<String>,
    /// Byte offset and length within the path's text.
    pub at: (usize, usize),
}

impl Path {
    /// Parses a path.
    pub(super) fn parse(text: &str) -> Result<Self, PathError> {
        let trimmed = text.trim();
        if trimmed == "." {
            return Ok(Self { root: Root::Scope, segments: Vec::new(), text: text.to_owned() });
        }
        let mut parts: Vec<&str> = trimmed.split('.').collect();
        let root = match parts.first() {
            Some(first) if first.starts_with('$') => {
                let Some(&(_, root)) = ROOTS.iter().find(|(name, _)| name == first) else {
                    return Err(PathError {
                        message: format!("unknown path root `{first}`"),
                        help: Some(suggest::help_for(first, ROOTS.iter().map(|(name, _)| *name))),
                        at: (0, first.len()),
                    });
                };
                parts.remove(0);
                root
            }
            _ => Root::Scope,
        };
        if let Some(index) = parts.iter().position(|p| p.is_empty()) {
            let offset: usize =
                trimmed.split('.').take(index + usize::from(root != Root::Scope)).map(|p| p.len() + 1).sum();
            return Err(PathError {
                message: format!("path `{trimmed}` has an empty step"),
                help: Some("separate keys with single dots, such as `spec.publisher.origin`".into()),
                at: (offset.saturating_sub(1), 1),
            });
        }
        if root == Root::Profile && parts.is_empty() {
            return Err(PathError {
                message: format!("path `{trimmed}` names no parameter"),
                help: Some("name one of the rule's `parameters`, such as `$profile.acceptedPolicies`".into()),
                at: (0, trimmed.len()),
            });
        }
        if root != Root::Scope && parts.is_empty() && root != Root::Document && root != Root::Tenant {
            return Err(PathError {
                message: format!("path `{trimmed}` names no fact"),
                help: Some(format!("add one of {}", suggest::list(crate::catalog::FACTS.iter().copied()))),
                at: (0, trimmed.len()),
            });
        }
        Ok(Self { root, segments: parts.into_iter().map(str::to_owned).collect(), text: text.to_owned() })
    }

    /// Byte offset of segment `index` within the text.
    fn offset_of(&self, index: usize) -> usize {
        let skip = usize::from(self.root != Root::Scope);
        self.text.trim().split('.').take(index + skip).map(|p| p.len() + 1).sum()
    }

    /// Follows the path's segments through `schema`, returning the schema of the value reached.
    pub(super) fn walk<'a>(&self, mut schema: &'a Json) -> Result<&'a Json, PathError> {
        for (index, segment) in self.segments.iter().enumerate() {
            let next = if segment.parse::<usize>().is_ok() {
                schema.get("items")
            } else {
                schema.get("properties").and_then(|p| p.get(segment))
            };
            schema = match next {
                Some(next) => next,
                None => {
                    let keys: Vec<&str> = schema
                        .get("properties")
                        .and_then(Json::as_object)
                        .map(|p| p.keys().map(String::as_str).collect())
                        .unwrap_or_default();
                    let parent = if index == 0 {
                        "the scope".to_owned()
                    } else {
                        format!("`{}`", self.segments.get(..index).unwrap_or_default().join("."))
                    };
                    let help = if keys.is_empty() {
                        if schema.get("items").is_some() {
                            Some("this is a list: use an index such as `0`, or `for-each` to check every element".to_owned())
                        } else {
                            Some("this value has no fields".to_owned())
                        }
                    } else {
                        Some(suggest::help_for(segment, keys.iter().copied()))
                    };
                    return Err(PathError {
                        message: format!("`{segment}` is not a field of {parent}"),
                        help,
                        at: (self.offset_of(index), segment.len()),
                    });
                }
            };
        }
        Ok(schema)
    }

    /// The JSON Pointer of the path's segments, to append to the scope's pointer.
    #[must_use]
    pub fn pointer_suffix(&self) -> String {
        let mut pointer = String::new();
        for segment in &self.segments {
            pointer.push('/');
            pointer.push_str(&crate::yaml::escape_pointer_token(segment));
        }
        pointer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_roots_and_segments() {
        let path = Path::parse("$tenant.spec.userConsent.enabled").unwrap();
        assert_eq!((path.root, path.segments.len()), (Root::Tenant, 3));
        assert_eq!(Path::parse(".").unwrap().segments.len(), 0);
        assert_eq!(Path::parse("spec.permissions.0").unwrap().pointer_suffix(), "/spec/permissions/0");
        let error = Path::parse("$tennant.spec").unwrap_err();
        assert_eq!(error.help.as_deref(), Some("did you mean `$tenant`?"));
        assert_eq!(Path::parse("spec..x").unwrap_err().at, (4, 1), "the dot before the empty step");
    }

    #[test]
    fn walks_the_schema_and_locates_the_wrong_step() {
        let schema = serde_json::json!({"properties": {"spec": {"properties": {"consent": {}, "permissions": {"items": {"properties": {"name": {}}}}}}}});
        assert!(Path::parse("spec.permissions.3.name").unwrap().walk(&schema).is_ok());
        let error = Path::parse("spec.consnet").unwrap().walk(&schema).unwrap_err();
        assert_eq!(error.message, "`consnet` is not a field of `spec`");
        assert_eq!(error.at, (5, 7));
        assert_eq!(error.help.as_deref(), Some("did you mean `consent`?"));
    }
}
