//! Microsoft Graph `permissionGrantPolicy` objects: the conditions of the tenant's own user consent
//! policies, so that an assigned custom policy can be read with its content.

use super::{Part, Partial, context_names, entry, field, map, node, objects, tenant};
use crate::kind::Kind;
use crate::yaml::{Entry, Node, Value};

/// The format, as users know it.
const FORMAT: &str = "Microsoft Graph permissionGrantPolicy";
/// The part of a tenant each policy is.
pub(super) const PART: Part =
    Part { name: "permissionGrantPolicy", provides: &["spec.permissionGrantPolicies"], repeatable: true };
/// The fields of a condition set that consentlint keeps (`permissionGrantConditionSet`).
const CONDITIONS: [&str; 10] = [
    "permissionType",
    "permissionClassification",
    "resourceApplication",
    "permissions",
    "clientApplicationIds",
    "clientApplicationTenantIds",
    "clientApplicationPublisherIds",
    "clientApplicationsFromVerifiedPublisherOnly",
    "certifiedClientApplicationsOnly",
    "scopeType",
];

/// The tenant parts `root` describes: one per policy it is or holds.
pub(super) fn recognise(root: &Node) -> Vec<(Kind, Node, Partial)> {
    let named = context_names(root, "#policies/permissiongrantpolicies");
    objects(root)
        .into_iter()
        .filter(|object| is_policy(object) || (named && field(object, "id").is_some()))
        .map(|object| convert(object, FORMAT))
        .collect()
}

/// Whether `object` is a permission grant policy: an `id` with `includes` and `excludes` lists.
fn is_policy(object: &Node) -> bool {
    let list = |key: &str| field(object, key).is_some_and(|v| matches!(v.value, Value::Seq(_)));
    field(object, "id").and_then(Node::as_str).is_some() && list("includes") && list("excludes")
}

/// The tenant part of one policy, read as `format`.
fn convert(object: &Node, format: &'static str) -> (Kind, Node, Partial) {
    let span = object.span;
    let mut policy: Vec<Entry> = Vec::new();
    if let Some(id) = field(object, "id") {
        policy.push(entry("id", id.clone()));
    }
    for key in ["includes", "excludes"] {
        if let Some(Node { value: Value::Seq(sets), span }) = field(object, key) {
            let sets = sets.iter().map(condition_set).collect();
            policy.push(entry(key, node(Value::Seq(sets), *span)));
        }
    }
    let list = node(Value::Seq(vec![map(policy, span)]), span);
    let spec = vec![entry("permissionGrantPolicies", list)];
    (
        Kind::TenantConfig,
        tenant(Vec::new(), spec, span),
        Partial { format, unknown: Vec::new(), part: Some(PART) },
    )
}

/// A condition set with the fields consentlint keeps, in camel case, and none that is `null`.
fn condition_set(set: &Node) -> Node {
    let entries = CONDITIONS
        .iter()
        .filter_map(|key| {
            let value = field(set, key).filter(|v| v.value != Value::Null)?;
            Some(Entry { key: (*key).to_owned(), key_span: value.span, value: value.clone() })
        })
        .collect();
    map(entries, set.span)
}

#[cfg(test)]
mod tests {
    use super::recognise;
    use crate::yaml::{Limits, parse};

    #[test]
    fn each_policy_of_a_collection_is_a_part_with_its_conditions() {
        let source = r#"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/permissionGrantPolicies", "value": [
  {"id": "contoso-low", "displayName": "x", "includes": [{"id": "a", "permissionType": "delegated", "permissionClassification": "low", "clientApplicationsFromVerifiedPublisherOnly": true, "resourceApplication": null}], "excludes": []},
  {"id": "other", "includes": [], "excludes": []}]}"#;
        let output = parse(source, Limits::default());
        let parts = recognise(&output.documents[0].root);
        assert_eq!(parts.len(), 2);
        let (_, root, _) = &parts[0];
        let set = root.pointer("/spec/permissionGrantPolicies/0/includes/0").map(|(n, _)| n).unwrap();
        let keys: Vec<&str> = set.as_map().unwrap().iter().map(|e| e.key.as_str()).collect();
        assert_eq!(
            keys,
            ["permissionType", "permissionClassification", "clientApplicationsFromVerifiedPublisherOnly"]
        );
        assert!(
            recognise(&parse(r#"{"id": "x", "includes": []}"#, Limits::default()).documents[0].root)
                .is_empty()
        );
    }
}
