//! The Microsoft Graph `organization` object: the tenant's id and display name, which name an
//! assembled tenant.

use super::{
    Part, Partial, context_names, entry, field, is_guid, metadata_name, node, objects, string, tenant,
};
use crate::kind::Kind;
use crate::yaml::{Node, Value};

/// The format, as users know it.
const FORMAT: &str = "Microsoft Graph organization";
/// The part of a tenant the object is: it states no consent setting.
pub(super) const PART: Part = Part { name: "organization", provides: &[], repeatable: false };

/// The tenant part that `root` describes, when it is the organization (or a collection of one).
pub(super) fn recognise_all(root: &Node) -> Vec<(Kind, Node, Partial)> {
    let named = context_names(root, "#organization");
    let all = objects(root);
    let named = named && all.len() == 1;
    all.into_iter()
        .filter(|object| named || is_organization(object))
        .map(|object| convert(object, FORMAT))
        .collect()
}

/// The first part [`recognise_all`] finds.
#[cfg(test)]
fn recognise(root: &Node) -> Option<(Kind, Node, Partial)> {
    recognise_all(root).into_iter().next()
}

/// Whether `object` is an organization: a GUID `id`, a `displayName` and its `verifiedDomains`.
fn is_organization(object: &Node) -> bool {
    field(object, "id").and_then(Node::as_str).is_some_and(is_guid)
        && field(object, "displayName").and_then(Node::as_str).is_some()
        && field(object, "verifiedDomains").is_some_and(|d| matches!(d.value, Value::Seq(_)))
}

/// The tenant part of an organization read as `format`: `metadata.name` from its display name and
/// `metadata.tenantId` from its id, each pointing at the value it came from.
pub(super) fn convert(object: &Node, format: &'static str) -> (Kind, Node, Partial) {
    let mut metadata = Vec::new();
    if let Some(display) = field(object, "displayName")
        && let Some(name) = display.as_str().and_then(metadata_name)
    {
        metadata.push(entry("name", string(&name, display.span)));
    }
    if let Some(id) = field(object, "id").or_else(|| field(object, "tenantId"))
        && let Some(text) = id.as_str().filter(|t| is_guid(t))
    {
        metadata.push(entry("tenantId", node(Value::String(text.to_ascii_lowercase()), id.span)));
    }
    (
        Kind::TenantConfig,
        tenant(metadata, Vec::new(), object.span),
        Partial { format, unknown: Vec::new(), part: Some(PART) },
    )
}

#[cfg(test)]
mod tests {
    use super::recognise;
    use crate::yaml::{Limits, Node, parse};

    #[test]
    fn the_name_and_id_point_at_their_values() {
        let source = r#"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#organization", "value": [{"id": "84DA47F7-5c3b-4ef5-a3c4-8b2e2d1f0c11", "displayName": "Contoso Ltd", "verifiedDomains": []}]}"#;
        let output = parse(source, Limits::default());
        let (_, root, _) = recognise(&output.documents[0].root).unwrap();
        let name = root.pointer("/metadata/name").map(|(n, _)| n).unwrap();
        assert_eq!(name.as_str(), Some("contoso-ltd"));
        assert_eq!(source.get(name.span.start..name.span.end), Some("\"Contoso Ltd\""));
        let id = root.pointer("/metadata/tenantId").map(|(n, _)| n).unwrap();
        assert_eq!(id.as_str(), Some("84da47f7-5c3b-4ef5-a3c4-8b2e2d1f0c11"));
        assert!(
            recognise(&parse(r#"{"id": "x", "displayName": "y"}"#, Limits::default()).documents[0].root)
                .is_none()
        );
        let _: Option<&Node> = None;
    }
}
