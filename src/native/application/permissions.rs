//! `requiredResourceAccess` as `spec.permissions`: one permission per `resourceAccess` item, named
//! through the [`Lookup`] when the file gives ids, each value at the native text it comes from.

use std::collections::{HashMap, HashSet};

use crate::native::resources::{Grant, Lookup, is_guid, is_placeholder};
use crate::native::{entry, field, items, node};
use crate::yaml::{Node, Value};

/// One `resourceAccess` item that can be mapped.
struct Access<'a> {
    /// `resourceAppId`: a GUID, or an API's name in a Teams Toolkit template.
    resource: &'a Node,
    /// `id`: a GUID, or a permission's name in a Teams Toolkit template.
    id: &'a Node,
    /// `type`, and what it means.
    kind: (&'a Node, Grant),
    /// The item.
    item: &'a Node,
}

/// `spec.permissions` from the `requiredResourceAccess` list `list`, at that list. Items of one API
/// stay together even when the API has several entries, and a permission listed twice is listed
/// once. An item that cannot be read (no `id` or `type`, a `type` other than `Scope` or `Role`, a
/// placeholder instead of an id) is left out, and `spec.permissions` is then unknown: the list the
/// file states is not the list of the app.
pub(super) fn map(list: &Node, lookup: &dyn Lookup, unknown: &mut Vec<&'static str>) -> Node {
    // Each API's position among the APIs, in order of first appearance.
    let mut apis: HashMap<String, usize> = HashMap::new();
    let mut seen: HashSet<(usize, String, Grant)> = HashSet::new();
    let mut accesses: Vec<(usize, Access<'_>)> = Vec::new();
    let mut complete = true;
    for entry in items(list) {
        let resource = field(entry, "resourceAppId").filter(|r| r.as_str().is_some_and(usable));
        let Some((resource, listed)) = resource.zip(field(entry, "resourceAccess")) else {
            complete = false;
            continue;
        };
        let count = apis.len();
        let api = *apis.entry(resource.as_str().unwrap_or_default().to_ascii_lowercase()).or_insert(count);
        for item in items(listed) {
            match read(resource, item) {
                Some(access) => {
                    let id = access.id.as_str().unwrap_or_default().to_ascii_lowercase();
                    if seen.insert((api, id, access.kind.1)) {
                        accesses.push((api, access));
                    }
                }
                None => complete = false,
            }
        }
    }
    if !complete {
        unknown.push("spec.permissions");
    }
    // Stable: within an API, the order of the file.
    accesses.sort_by_key(|(api, _)| *api);
    let mapped = accesses.iter().map(|(_, access)| permission(access, lookup)).collect();
    node(Value::Seq(mapped), list.span)
}

/// Whether the app object `app` is a Teams Toolkit template: a placeholder anywhere, or an API or
/// permission named instead of given by id.
pub(super) fn is_template(app: &Node) -> bool {
    let named = field(app, "requiredResourceAccess").is_some_and(|list| {
        items(list).iter().any(|entry| {
            let not_guid = |node: Option<&Node>| node.and_then(Node::as_str).is_some_and(|s| !is_guid(s));
            not_guid(field(entry, "resourceAppId"))
                || field(entry, "resourceAccess")
                    .is_some_and(|accesses| items(accesses).iter().any(|a| not_guid(field(a, "id"))))
        })
    });
    let mut stack = vec![app];
    let mut placeholder = false;
    while let Some(node) = stack.pop().filter(|_| !placeholder) {
        match &node.value {
            Value::String(text) => placeholder = is_placeholder(text),
            Value::Seq(items) => stack.extend(items),
            Value::Map(entries) => stack.extend(entries.iter().map(|e| &e.value)),
            _ => {}
        }
    }
    named || placeholder
}

/// An item's id and type, when both can be read.
fn read<'a>(resource: &'a Node, item: &'a Node) -> Option<Access<'a>> {
    let id = field(item, "id").filter(|id| id.as_str().is_some_and(usable))?;
    let kind = field(item, "type")?;
    let grant = match kind.as_str()?.to_ascii_lowercase().as_str() {
        "scope" => Grant::Delegated,
        "role" => Grant::Application,
        _ => return None,
    };
    Some(Access { resource, id, kind: (kind, grant), item })
}

/// One permission: `name` at the id, `type` at the type, `resource` at the `resourceAppId`.
fn permission(access: &Access<'_>, lookup: &dyn Lookup) -> Node {
    let resource = access.resource.as_str().unwrap_or_default();
    let id = access.id.as_str().unwrap_or_default();
    let (kind, grant) = access.kind;
    // A GUID that no catalog knows stays a GUID, so that CL-A004 reports it at its place.
    let name =
        if is_guid(resource) && is_guid(id) { lookup.permission_name(resource, id, grant) } else { None };
    // An API no catalog describes is named, when it is one of Microsoft's own, from the bundled list.
    let api = if is_guid(resource) {
        lookup.resource_name(resource).or_else(|| crate::native::first_party::name(resource))
    } else {
        None
    };
    let ours = match grant {
        Grant::Delegated => "delegated",
        Grant::Application => "application",
    };
    let entries = vec![
        entry("name", node(Value::String(name.unwrap_or(id).to_owned()), access.id.span)),
        entry("type", node(Value::String(ours.to_owned()), kind.span)),
        entry("resource", node(Value::String(api.unwrap_or(resource).to_owned()), access.resource.span)),
    ];
    node(Value::Map(entries), access.item.span)
}

/// Whether an id or name can stand for what it names: not empty, not a placeholder.
fn usable(text: &str) -> bool {
    !text.trim().is_empty() && !is_placeholder(text)
}
