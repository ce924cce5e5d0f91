use std::path::Path;

use super::{EXEMPTIONS, recognise, recognise_applied};
use crate::yaml::{Limits, Node, Value, parse};

fn convert(text: &str) -> Option<(Node, Vec<&'static str>)> {
    super::super::converted(text, recognise)
}

fn at<'a>(root: &'a Node, pointer: &str) -> &'a Node {
    root.pointer(pointer).map(|(node, _)| node).unwrap()
}

fn written<'a>(source: &'a str, node: &Node) -> &'a str {
    source.get(node.span.start..node.span.end).unwrap()
}

/// The v1.0 response as Graph documents it, with CRLF line ends.
const V1: &str = "{\r\n  \"@odata.context\": \"https://graph.microsoft.com/v1.0/$metadata#policies/defaultAppManagementPolicy/$entity\",\r\n  \"id\": \"00000000-0000-0000-0000-000000000000\",\r\n  \"isEnabled\": true,\r\n  \"applicationRestrictions\": {\r\n    \"passwordCredentials\": [\r\n      {\"restrictionType\": \"passwordAddition\", \"state\": \"enabled\", \"maxLifetime\": null, \"restrictForAppsCreatedAfterDateTime\": \"0001-01-01T00:00:00Z\"},\r\n      {\"restrictionType\": \"passwordLifetime\", \"state\": \"enabled\", \"maxLifetime\": \"P181D\", \"restrictForAppsCreatedAfterDateTime\": \"2023-11-14T22:13:20Z\"}\r\n    ],\r\n    \"keyCredentials\": [\r\n      {\"restrictionType\": \"asymmetricKeyLifetime\", \"state\": \"disabled\", \"maxLifetime\": \"P1Y\", \"restrictForAppsCreatedAfterDateTime\": null}\r\n    ]\r\n  },\r\n  \"servicePrincipalRestrictions\": {\"passwordCredentials\": [], \"keyCredentials\": []}\r\n}\r\n";

#[test]
fn the_default_policy_states_each_restriction_at_its_native_value() {
    let (root, unknown) = convert(V1).unwrap();
    assert_eq!(unknown, [EXEMPTIONS], "a policy of the tenant's own is not in the file");
    let enabled = at(&root, "/spec/appManagement/enabled");
    assert_eq!((enabled.value.clone(), written(V1, enabled)), (Value::Bool(true), "true"));
    let addition = "/spec/appManagement/applications/passwordAddition";
    assert_eq!(written(V1, at(&root, &format!("{addition}/state"))), "\"enabled\"");
    assert!(root.pointer(&format!("{addition}/appliesToAppsCreatedAfter")).is_none(), "every app");
    assert!(root.pointer(&format!("{addition}/maxLifetimeDays")).is_none());
    let lifetime = "/spec/appManagement/applications/passwordLifetime";
    let days = at(&root, &format!("{lifetime}/maxLifetimeDays"));
    assert_eq!((days.value.clone(), written(V1, days)), (Value::Int(181), "\"P181D\""));
    let after = at(&root, &format!("{lifetime}/appliesToAppsCreatedAfter"));
    assert_eq!(written(V1, after), "\"2023-11-14T22:13:20Z\"");
    // A duration not in days is kept as written.
    let certificate = "/spec/appManagement/applications/certificateLifetime";
    assert_eq!(written(V1, at(&root, &format!("{certificate}/maxLifetime"))), "\"P1Y\"");
    assert!(root.pointer(&format!("{certificate}/appliesToAppsCreatedAfter")).is_none(), "null: every app");
    let principals = at(&root, "/spec/appManagement/servicePrincipals");
    assert_eq!(principals.value, Value::Map(Vec::new()), "no restriction for service principals");
}

#[test]
fn pascal_case_and_the_legacy_date_are_read_and_a_patch_body_is_not() {
    let source = r#"[{"Id": "00000000-0000-0000-0000-000000000000", "IsEnabled": false,
  "ServicePrincipalRestrictions": {"PasswordCredentials": [{"RestrictionType": "passwordAddition", "State": "enabled",
  "RestrictForAppsCreatedAfterDateTime": "/Date(-62135596800000)/"}]}}]"#;
    let (root, _) = convert(source).unwrap();
    assert_eq!(at(&root, "/spec/appManagement/enabled").value, Value::Bool(false));
    let addition = at(&root, "/spec/appManagement/servicePrincipals/passwordAddition");
    assert!(addition.get("appliesToAppsCreatedAfter").is_none());
    assert_eq!(written(source, at(addition, "/state")), "\"enabled\"");
    assert!(convert(r#"{"isEnabled": true, "applicationRestrictions": {}}"#).is_none(), "a PATCH body");
}

#[test]
fn a_policy_applied_to_an_app_exempts_it_from_the_restrictions_it_turns_off() {
    let source = r#"{"id": "a1b2c3d4-0000-4000-8000-000000000001", "displayName": "Legacy secrets", "isEnabled": true,
  "restrictions": {"passwordCredentials": [{"restrictionType": "passwordAddition", "state": "disabled"},
  {"restrictionType": "passwordLifetime", "state": "enabled", "maxLifetime": "P90D"}], "keyCredentials": []}}"#;
    let output = parse(source, Limits::default());
    let root = &output.documents.first().unwrap().root;
    let app = "3f6b2c1d-8e9a-4b7c-a1d2-5e6f7a8b9c0d";
    let path =
        format!("t/Applications/{app}/AppManagementPolicies/a1b2c3d4-0000-4000-8000-000000000001/x.json");
    let (_, tree, partial) = recognise_applied(root, Path::new(&path)).unwrap();
    assert!(partial.unknown.is_empty());
    let exempted = at(&tree, "/spec/appManagement/exemptions/passwordAddition/0");
    assert_eq!(exempted.value, Value::String(app.into()), "named by its folder");
    assert_eq!(written(source, exempted), "\"a1b2c3d4-0000-4000-8000-000000000001\"", "at the policy's id");
    assert!(tree.pointer("/spec/appManagement/exemptions/passwordLifetime").is_none(), "still enforced");
    assert!(recognise_applied(root, Path::new("t/Policies/AppManagementPolicies/x/x.json")).is_none());
}

#[test]
fn scubagear_lists_the_exempted_apps_of_every_enabled_policy() {
    let source = r#"{"default": [{"Id": "00000000-0000-0000-0000-000000000000", "IsEnabled": true, "ApplicationRestrictions": {"PasswordCredentials": []}}],
  "custom": [{"Id": "p", "DisplayName": "Legacy", "IsEnabled": true, "Restrictions": {"PasswordCredentials": [
    {"RestrictionType": "passwordAddition", "State": "disabled", "AppliesTo": [{"Id": "x", "DisplayName": "Old App"}]}], "KeyCredentials": []}},
    {"Id": "q", "DisplayName": "Off", "IsEnabled": false, "Restrictions": {"PasswordCredentials": [
    {"RestrictionType": "passwordLifetime", "State": "disabled", "AppliesTo": [{"Id": "y", "DisplayName": "Other"}]}]}}]}"#;
    let output = parse(source, Limits::default());
    let root = &output.documents.first().unwrap().root;
    let (default, custom) = (root.get("default").unwrap(), root.get("custom"));
    let (_, tree, partial) = super::scuba(default, custom, "ScubaGear").unwrap();
    assert!(partial.unknown.is_empty(), "the export lists every policy of the tenant's own");
    let exempted = at(&tree, "/spec/appManagement/exemptions/passwordAddition/0");
    assert_eq!(written(source, exempted), "\"Old App\"");
    assert!(tree.pointer("/spec/appManagement/exemptions/passwordLifetime").is_none(), "a disabled policy");
}
