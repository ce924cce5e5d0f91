//! Microsoft Graph `delegatedPermissionClassification`s (`GET
//! /servicePrincipals/{id}/delegatedPermissionClassifications`): the permissions of one API that the
//! tenant classifies low impact, the only ones users may grant under the low-impact consent policy.
//!
//! A classification names its API by the service principal's object id only, in the collection's
//! `@odata.context` or in the folder an export files it under. The converter writes each low
//! permission as `{name, resource: <that id>}`; assembling the tenant names the API from the service
//! principal exported beside it, or marks the classifications unknown when none is.

use std::path::Path;

use super::{Part, Partial, context_names, entry, field, is_guid, map, node, objects, string, tenant, text};
use crate::kind::Kind;
use crate::yaml::{Node, Value};

/// The format, as users know it.
const FORMAT: &str = "Microsoft Graph delegatedPermissionClassification";
/// The part of a tenant each file of classifications is: one per API.
pub(super) const PART: Part = Part {
    name: "delegatedPermissionClassification",
    provides: &["spec.userConsent.lowImpactPermissions"],
    repeatable: true,
};

/// The tenant part that `root` describes, when it holds classifications: the low ones of one API.
pub(super) fn recognise(root: &Node, path: &Path) -> Option<(Kind, Node, Partial)> {
    let named = context_names(root, "/delegatedpermissionclassifications");
    let found: Vec<&Node> = objects(root).into_iter().filter(|o| is_classification(o)).collect();
    if found.is_empty() && !named {
        return None;
    }
    let principal = principal(root, path);
    let span = root.span;
    let low: Vec<Node> = found
        .into_iter()
        .filter(|o| text(o, "classification").is_some_and(|c| c == "low"))
        .filter_map(|o| {
            let name = field(o, "permissionName").filter(|n| n.as_str().is_some())?;
            let mut item = vec![entry("name", name.clone())];
            if let Some(principal) = &principal {
                item.push(entry("resource", string(principal, name.span)));
            }
            Some(map(item, o.span))
        })
        .collect();
    let mut unknown = Vec::new();
    if principal.is_none() {
        unknown.push("spec.userConsent.lowImpactPermissions");
    }
    let consent = map(vec![entry("lowImpactPermissions", node(Value::Seq(low), span))], span);
    let spec = vec![entry("userConsent", consent)];
    Some((
        Kind::TenantConfig,
        tenant(Vec::new(), spec, span),
        Partial { format: FORMAT, unknown, part: Some(PART) },
    ))
}

/// Whether `object` is a classification: a `classification` with the permission's name.
fn is_classification(object: &Node) -> bool {
    field(object, "classification").and_then(Node::as_str).is_some()
        && field(object, "permissionName").and_then(Node::as_str).is_some()
}

/// The object id of the service principal the classifications belong to: from
/// `servicePrincipals('<id>')` or `servicePrincipals/<id>` in the `@odata.context`, else the nearest
/// folder named by an id.
fn principal(root: &Node, path: &Path) -> Option<String> {
    let context = text(root, "@odata.context").unwrap_or_default();
    let from_context = context.split_once("serviceprincipals").and_then(|(_, rest)| {
        let rest = rest.trim_start_matches(['(', '\'', '/']);
        rest.get(..36).filter(|id| is_guid(id)).map(str::to_owned)
    });
    from_context.or_else(|| {
        path.ancestors()
            .skip(1)
            .filter_map(|dir| dir.file_name().and_then(|n| n.to_str()))
            .find(|name| is_guid(name))
            .map(str::to_ascii_lowercase)
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::recognise;
    use crate::yaml::{Limits, Node, parse};

    fn convert(text: &str, path: &str) -> Option<(Node, Vec<&'static str>)> {
        let output = parse(text, Limits::default());
        let (_, root, partial) = recognise(&output.documents[0].root, Path::new(path))?;
        Some((root, partial.unknown))
    }

    #[test]
    fn the_low_ones_name_their_api_by_the_principal_in_the_context() {
        let source = r#"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('E2A3F1B0-6c5d-4e8f-9a7b-3c2d1e0f9a8b')/delegatedPermissionClassifications", "value": [
  {"id": "1", "permissionId": "e1fe6dd8-ba31-4d61-89e7-88639da4683d", "permissionName": "User.Read", "classification": "low"},
  {"id": "2", "permissionId": "x", "permissionName": "Mail.Read", "classification": "medium"}]}"#;
        let (root, unknown) = convert(source, "saved/classifications.json").unwrap();
        assert!(unknown.is_empty());
        let list = root.pointer("/spec/userConsent/lowImpactPermissions").map(|(n, _)| n).unwrap();
        let crate::yaml::Value::Seq(items) = &list.value else { panic!("a list") };
        assert_eq!(items.len(), 1, "only the low one");
        let name = items[0].get("name").unwrap();
        assert_eq!(source.get(name.span.start..name.span.end), Some("\"User.Read\""));
        assert_eq!(
            items[0].get("resource").and_then(Node::as_str),
            Some("e2a3f1b0-6c5d-4e8f-9a7b-3c2d1e0f9a8b")
        );
    }

    #[test]
    fn a_folder_named_by_an_id_names_the_principal_and_without_one_they_are_unknown() {
        let one = r#"{"id": "1", "permissionId": "p", "permissionName": "openid", "classification": "Low"}"#;
        let (root, _) =
            convert(one, "t/ServicePrincipals/0b6ad0d4-5a36-4f70-a3fb-b6c4b1d9a1f0/Classifications/1.json")
                .unwrap();
        let item = root.pointer("/spec/userConsent/lowImpactPermissions/0/resource").map(|(n, _)| n).unwrap();
        assert_eq!(item.as_str(), Some("0b6ad0d4-5a36-4f70-a3fb-b6c4b1d9a1f0"));
        let (_, unknown) = convert(one, "saved/one.json").unwrap();
        assert_eq!(unknown, ["spec.userConsent.lowImpactPermissions"]);
        assert!(convert(r#"{"id": "1", "permissionName": "openid"}"#, "a.json").is_none());
    }
}
