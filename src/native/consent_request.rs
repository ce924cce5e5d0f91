//! A Microsoft Graph `adminConsentRequestPolicy` (REST and Graph Explorer in camelCase, PowerShell in
//! Pascal case, TMF's configuration with named reviewers) as the tenant's admin consent workflow.

use super::{Part, Partial, context_names, entry, field, map, node, objects, tenant};
use crate::kind::Kind;
use crate::yaml::{Entry, Node, Value};

/// The format, as users know it.
const FORMAT: &str = "Microsoft Graph adminConsentRequestPolicy";
/// The part of a tenant the object is.
pub(super) const PART: Part =
    Part { name: "adminConsentRequestPolicy", provides: &["spec.adminConsentWorkflow"], repeatable: false };

/// The tenant part that `root` describes, when it is an `adminConsentRequestPolicy`.
pub(super) fn recognise_all(root: &Node) -> Vec<(Kind, Node, Partial)> {
    objects(root)
        .into_iter()
        .filter(|object| is_policy(object))
        .map(|policy| convert(policy, FORMAT))
        .collect()
}

/// The first part [`recognise_all`] finds.
#[cfg(test)]
fn recognise(root: &Node) -> Option<(Kind, Node, Partial)> {
    recognise_all(root).into_iter().next()
}

/// Whether `object` is the policy's whole state: named by its `@odata.context`, or holding
/// `isEnabled`, `requestDurationInDays` and `reviewers` together (a PUT body replaces all three).
pub(super) fn is_policy(object: &Node) -> bool {
    let has = |key: &str| field(object, key).is_some();
    object.as_map().is_some()
        && has("isEnabled")
        && (context_names(object, "#policies/adminconsentrequestpolicy")
            || (has("requestDurationInDays") && has("reviewers")))
}

/// The tenant part of a recognised policy, read as `format`.
pub(super) fn convert(policy: &Node, format: &'static str) -> (Kind, Node, Partial) {
    let mut unknown = Vec::new();
    let mut workflow: Vec<Entry> = Vec::new();
    for (ours, theirs) in [
        ("enabled", "isEnabled"),
        ("notifyReviewers", "notifyReviewers"),
        ("remindersEnabled", "remindersEnabled"),
        ("requestDurationInDays", "requestDurationInDays"),
    ] {
        // A value of the wrong type is kept, so that the schema reports it where it is written.
        if let Some(value) = field(policy, theirs).filter(|v| v.value != Value::Null) {
            workflow.push(entry(ours, value.clone()));
        }
    }
    if let Some(list) = field(policy, "reviewers") {
        match reviewers(list) {
            Some(reviewers) => workflow.push(entry("reviewers", reviewers)),
            None => unknown.push("spec.adminConsentWorkflow.reviewers"),
        }
    }
    let spec = vec![entry("adminConsentWorkflow", map(workflow, policy.span))];
    (Kind::TenantConfig, tenant(Vec::new(), spec, policy.span), Partial { format, unknown, part: Some(PART) })
}

/// The reviewers, each as one of ours: a Graph `query` as it is, a TMF `{reference, type}` as a user,
/// group or role. `None` when the list does not say who they are: PowerShell's depth limit writes
/// each reviewer as the name of its .NET type.
fn reviewers(list: &Node) -> Option<Node> {
    let Value::Seq(items) = &list.value else {
        return Some(list.clone());
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        if item.as_str().is_some() {
            return None;
        }
        let reviewer = if let Some(query) = field(item, "query") {
            map(vec![entry("query", query.clone())], item.span)
        } else if let (Some(reference), Some(kind)) =
            (field(item, "reference"), field(item, "type").and_then(Node::as_str))
        {
            let key = match kind.to_ascii_lowercase().as_str() {
                "singleuser" => "user",
                "groupmembers" => "group",
                "rolemembers" => "role",
                _ => return None,
            };
            map(vec![entry(key, reference.clone())], item.span)
        } else {
            item.clone()
        };
        out.push(reviewer);
    }
    Some(node(Value::Seq(out), list.span))
}

#[cfg(test)]
mod tests {
    use super::recognise;
    use crate::yaml::Node;

    fn convert(text: &str) -> Option<(Node, Vec<&'static str>)> {
        super::super::converted(text, recognise)
    }

    fn text<'a>(source: &'a str, root: &Node, pointer: &str) -> &'a str {
        let node = root.pointer(pointer).map(|(node, _)| node).unwrap();
        source.get(node.span.start..node.span.end).unwrap_or_default()
    }

    #[test]
    fn graph_responses_map_field_by_field_and_keep_queries() {
        let source = r#"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/adminConsentRequestPolicy/$entity", "isEnabled": true, "notifyReviewers": false, "remindersEnabled": false, "requestDurationInDays": 0, "version": 0, "reviewers": [{"query": "/users/906e0ee5-6372-4cc8-8248-fdf2846b48ed", "queryType": "MicrosoftGraph", "queryRoot": null}]}"#;
        let (root, unknown) = convert(source).unwrap();
        assert!(unknown.is_empty());
        assert_eq!(text(source, &root, "/spec/adminConsentWorkflow/enabled"), "true");
        assert_eq!(text(source, &root, "/spec/adminConsentWorkflow/requestDurationInDays"), "0");
        assert_eq!(
            text(source, &root, "/spec/adminConsentWorkflow/reviewers/0/query"),
            "\"/users/906e0ee5-6372-4cc8-8248-fdf2846b48ed\""
        );
    }

    #[test]
    fn tmf_reviewers_are_users_groups_and_roles_and_type_names_are_unknown() {
        let source = r#"{"present": true, "isEnabled": true, "requestDurationInDays": 30, "reviewers": [{"reference": "a@b.com", "type": "singleUser"}, {"reference": "Global Administrator", "type": "roleMembers"}]}"#;
        let (root, _) = convert(source).unwrap();
        assert_eq!(
            text(source, &root, "/spec/adminConsentWorkflow/reviewers/1/role"),
            "\"Global Administrator\""
        );
        let pascal = r#"[{"Id": null, "IsEnabled": false, "RequestDurationInDays": 0, "Reviewers": ["Microsoft.Graph.PowerShell.Models.MicrosoftGraphAccessReviewReviewerScope1"]}]"#;
        let (root, unknown) = convert(pascal).unwrap();
        assert_eq!(unknown, ["spec.adminConsentWorkflow.reviewers"]);
        assert!(root.pointer("/spec/adminConsentWorkflow/reviewers").is_none());
    }

    #[test]
    fn partial_bodies_are_not_the_policy() {
        assert!(convert(r#"{"isEnabled": true}"#).is_none());
        assert!(convert(r#"{"requestDurationInDays": 3, "reviewers": []}"#).is_none());
    }
}
