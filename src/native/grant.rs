//! Consents already given, as `Grant` documents: a Microsoft Graph `oAuth2PermissionGrant` (a
//! delegated grant: `clientId`, `consentType`, `principalId`, `resourceId`, space-separated `scope`)
//! or an `appRoleAssignment` of an application permission to a service principal (`principalId`,
//! `principalType`, `resourceId`, `appRoleId`). Alone (EntraExporter writes one per file), as the
//! items of a `value` collection or of a top-level list (PowerShell's `Get-MgOauth2PermissionGrant`
//! and `Get-MgServicePrincipalAppRoleAssignment` piped to `ConvertTo-Json`), in camelCase or Pascal
//! case.
//!
//! Each value keeps its span in the native text; each permission of a delegated grant is located at
//! its name inside the `scope` string. What the file names by id (the client and resource service
//! principals, an app role) is resolved by the grants stage, which sees the
//! whole run. A `scope` string that is empty or not separated by single spaces is a [`Problem`].

use super::{Partial, Problem, entry, field, header, map, node, objects, string};
use crate::kind::Kind;
use crate::source::Span;
use crate::yaml::{Entry, Node, Value};

/// The format of a delegated grant.
pub(super) const DELEGATED: &str = "Microsoft Graph oAuth2PermissionGrant";
/// The format of an application permission assignment.
pub(super) const ASSIGNMENT: &str = "Microsoft Graph appRoleAssignment";

/// What no grant states by itself: the resolution stage fills these in from the rest of the run,
/// and leaves the ones it cannot resolve unknown.
pub const RESOLVED: [&str; 5] = [
    "spec.client",
    "spec.resource",
    "spec.permissions.approved",
    "spec.permissions.requested",
    "spec.permissions.userMayGrant",
];

/// A grant read, with the problems of its `scope` string.
pub(super) struct Read {
    pub root: Node,
    pub partial: Partial,
    pub problems: Vec<Problem>,
}

/// The grants `root` holds: itself, or the grants among the items of its `value` collection or of
/// a top-level list. Empty when it holds none.
pub(super) fn recognise(root: &Node) -> Vec<Read> {
    objects(root).into_iter().filter_map(|object| delegated(object).or_else(|| assignment(object))).collect()
}

/// Whether `object` is an assignment of an app role to something other than a service principal (a
/// user or a group): a role in an app, not a consent, and not read.
pub(super) fn is_user_assignment(object: &Node) -> bool {
    field(object, "appRoleId").is_some()
        && field(object, "principalType")
            .and_then(Node::as_str)
            .is_some_and(|t| !t.eq_ignore_ascii_case("ServicePrincipal"))
}

/// A string value's node, when `key` holds a non-empty string.
fn stated<'a>(object: &'a Node, key: &str) -> Option<&'a Node> {
    field(object, key).filter(|value| value.as_str().is_some_and(|text| !text.trim().is_empty()))
}

/// A copy of a string node of the native text under our key.
fn copied(key: &str, value: &Node) -> Entry {
    entry(key, value.clone())
}

/// A delegated grant: an object with `clientId`, `consentType` and `resourceId`.
fn delegated(object: &Node) -> Option<Read> {
    let client = stated(object, "clientId")?;
    let consent = field(object, "consentType")?;
    let resource = stated(object, "resourceId")?;
    let span = object.span;
    let mut problems = Vec::new();
    let mut spec = vec![
        entry("type", string("delegated", span)),
        copied("clientId", client),
        copied("resourceId", resource),
        copied("consentType", consent),
    ];
    if let Some(principal) = field(object, "principalId") {
        spec.push(copied("principalId", principal));
    }
    let scope = field(object, "scope");
    let permissions = match scope {
        Some(scope) if scope.as_str().is_some() => {
            spec.push(copied("scope", scope));
            scopes(scope, resource.as_str().unwrap_or_default(), &mut problems)
        }
        Some(scope) => {
            problems.push(Problem::new(
                scope.span,
                "the grant's `scope` is not a string".into(),
                "not a list of permission names",
                "`scope` holds the granted permission names separated by single spaces",
            ));
            Vec::new()
        }
        None => {
            problems.push(Problem::new(
                object.span,
                "the delegated grant has no `scope`, so it grants no permission".into(),
                "no `scope`",
                "export the whole `oAuth2PermissionGrant`: its `scope` lists the granted permissions",
            ));
            Vec::new()
        }
    };
    spec.push(entry("permissions", node(Value::Seq(permissions), scope.map_or(span, |s| s.span))));
    Some(read(object, spec, DELEGATED, problems))
}

/// An application permission assignment: an object with `appRoleId`, `principalId` and
/// `resourceId`, assigned to a service principal.
fn assignment(object: &Node) -> Option<Read> {
    let role = stated(object, "appRoleId")?;
    let principal = stated(object, "principalId")?;
    let resource = stated(object, "resourceId")?;
    if is_user_assignment(object) {
        return None;
    }
    let span = object.span;
    let mut spec = vec![
        entry("type", string("application", span)),
        copied("clientId", principal),
        copied("resourceId", resource),
    ];
    if let Some(kind) = stated(object, "principalType") {
        spec.push(copied("principalType", kind));
    }
    let named = stated(object, "resourceDisplayName");
    if let Some(named) = named {
        spec.push(copied("resourceDisplayName", named));
    }
    let api = named.unwrap_or(resource).as_str().unwrap_or_default();
    let permission = map(
        vec![
            copied("name", role),
            entry("type", string("application", role.span)),
            entry("resource", string(api, named.unwrap_or(resource).span)),
            copied("id", role),
        ],
        role.span,
    );
    spec.push(entry("permissions", node(Value::Seq(vec![permission]), role.span)));
    Some(read(object, spec, ASSIGNMENT, Vec::new()))
}

/// The document of a grant whose `spec` entries are `spec`, named by its `id`.
fn read(object: &Node, spec: Vec<Entry>, format: &'static str, problems: Vec<Problem>) -> Read {
    let name = stated(object, "id").map_or_else(|| string("grant", object.span), Clone::clone);
    document(name, object.span, spec, format, problems)
}

/// The document of a grant named `name`, at `span`, whose `spec` entries are `spec`.
pub(super) fn document(
    name: Node,
    span: Span,
    spec: Vec<Entry>,
    format: &'static str,
    problems: Vec<Problem>,
) -> Read {
    let mut root: Vec<Entry> = header(Kind::Grant, span).into();
    root.push(entry("metadata", map(vec![entry("name", name)], span)));
    root.push(entry("spec", map(spec, span)));
    let partial = Partial { format, unknown: RESOLVED.to_vec(), part: None };
    Read { root: map(root, span), partial, problems }
}

/// Where the characters of a string node's value start in the text: at the node for a plain
/// scalar, after the quote for a quoted string without escapes; `None` when escapes make the value
/// differ from its text (each permission is then located at the whole string).
fn value_start(node: &Node, value: &str) -> Option<usize> {
    let written = node.span.end.checked_sub(node.span.start)?;
    if written == value.len() {
        Some(node.span.start)
    } else if written == value.len() + 2 {
        Some(node.span.start + 1)
    } else {
        None
    }
}

/// The permissions of a `scope` string, each at its name, and the problems of its spacing: empty,
/// spaces before the first or after the last name, more than one space between two names, or a
/// name granted twice.
fn scopes(scope: &Node, resource: &str, problems: &mut Vec<Problem>) -> Vec<Node> {
    let text = scope.as_str().unwrap_or_default();
    let start = value_start(scope, text);
    let at = |from: usize, to: usize| match start {
        Some(base) => Span::new(base + from, base + to),
        None => scope.span,
    };
    let help = "Microsoft Graph separates the permission names of `scope` with single spaces; \
                write the grant again with `PATCH /oauth2PermissionGrants/{id}` and a clean `scope`";
    if text.trim().is_empty() {
        problems.push(Problem::new(
            scope.span,
            "the grant's `scope` is empty, so it grants no permission".into(),
            "no permission names",
            "delete the grant (`DELETE /oauth2PermissionGrants/{id}`) if it is no longer needed, or \
             write the permissions it should grant into `scope`",
        ));
        return Vec::new();
    }
    let (names, blanks) = runs(text);
    for &(from, to) in &blanks {
        let spaces = text.get(from..to).unwrap_or_default();
        let (message, label) = if from == 0 {
            ("the grant's `scope` starts with a space".to_owned(), "before the first permission")
        } else if to == text.len() {
            ("the grant's `scope` ends with a space".to_owned(), "after the last permission")
        } else if spaces != " " {
            (
                "the grant's `scope` separates two permissions with more than one space".to_owned(),
                "not one space",
            )
        } else {
            continue;
        };
        problems.push(Problem::new(at(from, to), message, label, help));
    }
    let mut seen: Vec<&str> = Vec::new();
    let mut permissions = Vec::new();
    for (from, to) in names {
        let name = text.get(from..to).unwrap_or_default();
        let span = at(from, to);
        if seen.iter().any(|s| s.eq_ignore_ascii_case(name)) {
            problems.push(Problem::new(
                span,
                format!("the grant's `scope` names `{name}` twice"),
                "already granted in this scope",
                help,
            ));
            continue;
        }
        seen.push(name);
        permissions.push(map(
            vec![
                entry("name", string(name, span)),
                entry("type", string("delegated", span)),
                entry("resource", string(resource, span)),
            ],
            span,
        ));
    }
    permissions
}

/// The byte ranges of the names and of the runs of blank space in `text`, in order.
type Runs = (Vec<(usize, usize)>, Vec<(usize, usize)>);

/// Splits `text` into names and runs of blank space.
fn runs(text: &str) -> Runs {
    let (mut names, mut blanks) = (Vec::new(), Vec::new());
    let mut from = 0;
    let mut blank = None;
    for (offset, c) in text.char_indices() {
        let is_blank = c.is_whitespace();
        if blank != Some(is_blank) {
            if let Some(was_blank) = blank {
                if was_blank { blanks.push((from, offset)) } else { names.push((from, offset)) }
            }
            from = offset;
            blank = Some(is_blank);
        }
    }
    match blank {
        Some(true) => blanks.push((from, text.len())),
        Some(false) => names.push((from, text.len())),
        None => {}
    }
    (names, blanks)
}

#[cfg(test)]
mod tests;
