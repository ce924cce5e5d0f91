//! The "Consent Policy Settings" directory setting (template `dffd5d46-495d-40a9-8e21-954ff55e198a`):
//! Microsoft Graph beta `/settings` (one object, or the `value` collection holding it among others),
//! PowerShell's `Get-MgBetaDirectorySetting` in Pascal case, and TMF's configuration with real booleans.

use super::{Part, Partial, entry, field, map, node, objects, tenant, text};
use crate::kind::Kind;
use crate::yaml::{Entry, Node, Value};

/// The format, as users know it.
const FORMAT: &str = "Microsoft Graph directory setting (Consent Policy Settings)";
/// The part of a tenant the object is.
pub(super) const PART: Part = Part {
    name: "Consent Policy Settings",
    provides: &["spec.consentPolicySettings", "spec.userConsent.groupOwnerConsent"],
    repeatable: false,
};
/// The template of the consent settings, from Microsoft Graph's directory setting templates.
const TEMPLATE: &str = "dffd5d46-495d-40a9-8e21-954ff55e198a";
/// The template's display name, which TMF uses in place of its id.
const DISPLAY_NAME: &str = "consent policy settings";
/// The setting's values and the keys of `spec.consentPolicySettings` that hold them.
const VALUES: [(&str, &str); 4] = [
    ("EnableGroupSpecificConsent", "enableGroupSpecificConsent"),
    ("BlockUserConsentForRiskyApps", "blockUserConsentForRiskyApps"),
    ("EnableAdminConsentRequests", "enableAdminConsentRequests"),
    ("ConstrainGroupSpecificConsentToMembersOfGroupId", "constrainGroupSpecificConsentToMembersOfGroupId"),
];

/// The tenant part that `root` describes, when it is, or is a collection holding, the one consent
/// setting.
pub(super) fn recognise(root: &Node) -> Option<(Kind, Node, Partial)> {
    let found: Vec<&Node> = objects(root).into_iter().filter(|o| is_consent_setting(o)).collect();
    match found.as_slice() {
        [setting] => Some(convert(setting, FORMAT)),
        _ => None,
    }
}

/// Whether `object` is the consent setting: its template id with a `values` list, or TMF's object
/// named after the template with `present`.
pub(super) fn is_consent_setting(object: &Node) -> bool {
    let templated = text(object, "templateId").is_some_and(|id| id == TEMPLATE)
        && field(object, "values").is_some_and(|v| matches!(v.value, Value::Seq(_)));
    let tmf = text(object, "displayName").is_some_and(|name| name == DISPLAY_NAME)
        && field(object, "present").is_some()
        && field(object, "values").is_none();
    templated || tmf
}

/// The tenant part of a recognised setting, read as `format`.
pub(super) fn convert(setting: &Node, format: &'static str) -> (Kind, Node, Partial) {
    let span = setting.span;
    let mut settings: Vec<Entry> = Vec::new();
    for (theirs, ours) in VALUES {
        if let Some(value) = value_of(setting, theirs) {
            settings.push(entry(ours, value));
        }
    }
    let mut unknown = Vec::new();
    let mut consent = Vec::new();
    // An empty value names the setting without saying whether group owners may consent.
    match settings
        .iter()
        .find(|e| e.key == "enableGroupSpecificConsent")
        .filter(|e| e.value.value != Value::Null)
    {
        Some(group) => consent.push(entry("groupOwnerConsent", group.value.clone())),
        None => unknown.push("spec.userConsent.groupOwnerConsent"),
    }
    let spec =
        vec![entry("userConsent", map(consent, span)), entry("consentPolicySettings", map(settings, span))];
    (Kind::TenantConfig, tenant(Vec::new(), spec, span), Partial { format, unknown, part: Some(PART) })
}

/// The part that a complete export without the consent setting is: the tenant has no such object,
/// so its values are stated as absent (as in a tenant file without `consentPolicySettings`), not
/// unknown; the tree points at `at`, where the export lists the tenant's directory settings.
pub(super) fn none(at: &Node, format: &'static str) -> (Kind, Node, Partial) {
    let spec = vec![entry("userConsent", map(Vec::new(), at.span))];
    (
        Kind::TenantConfig,
        tenant(Vec::new(), spec, at.span),
        Partial { format, unknown: Vec::new(), part: Some(PART) },
    )
}

/// The value named `name`: from the `values` list of `{name, value}` pairs, where `"true"` and
/// `"false"` in any case are booleans and an empty string is `null` (the setting names the value
/// without giving one, which Maester's EIDSCA.CP01 runs on and fails, where it skips a missing
/// name); or, in TMF's object, the key itself. A `null` value is no value. A value of another shape
/// is kept as it is, for the schema to report where it is written.
fn value_of(setting: &Node, name: &str) -> Option<Node> {
    let raw = match field(setting, "values") {
        Some(Node { value: Value::Seq(pairs), .. }) => pairs
            .iter()
            .find(|pair| {
                field(pair, "name").and_then(Node::as_str).is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
            .and_then(|pair| field(pair, "value"))?,
        _ => field(setting, name)?,
    };
    match raw.as_str().map(str::to_ascii_lowercase).as_deref() {
        Some("true") => Some(node(Value::Bool(true), raw.span)),
        Some("false") => Some(node(Value::Bool(false), raw.span)),
        Some("") => Some(node(Value::Null, raw.span)),
        _ if raw.value == Value::Null => None,
        _ => Some(raw.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::recognise;
    use crate::yaml::{Node, Value};

    fn convert(text: &str) -> Option<(Node, Vec<&'static str>)> {
        super::super::converted(text, recognise)
    }

    fn at<'a>(root: &'a Node, pointer: &str) -> &'a Node {
        root.pointer(pointer).map(|(node, _)| node).unwrap()
    }

    #[test]
    fn string_values_in_any_case_are_booleans_at_the_value() {
        let source = r#"{"@odata.context": "https://graph.microsoft.com/beta/$metadata#settings", "value": [
  {"id": "x", "templateId": "62375ab9-6b52-47ed-826b-58e47e0e304b", "values": [{"name": "EnableMIPLabels", "value": "False"}]},
  {"id": "y", "displayName": "Consent Policy Settings", "templateId": "DFFD5D46-495d-40a9-8e21-954ff55e198a", "values": [
    {"name": "EnableGroupSpecificConsent", "value": "False"},
    {"name": "BlockUserConsentForRiskyApps", "value": "true"},
    {"name": "ConstrainGroupSpecificConsentToMembersOfGroupId", "value": ""}]}]}"#;
        let (root, unknown) = convert(source).unwrap();
        assert!(unknown.is_empty());
        let group = at(&root, "/spec/userConsent/groupOwnerConsent");
        assert_eq!(group.value, Value::Bool(false));
        assert_eq!(source.get(group.span.start..group.span.end), Some("\"False\""));
        assert_eq!(
            at(&root, "/spec/consentPolicySettings/blockUserConsentForRiskyApps").value,
            Value::Bool(true)
        );
        let empty = at(&root, "/spec/consentPolicySettings/constrainGroupSpecificConsentToMembersOfGroupId");
        assert_eq!(empty.value, Value::Null, "an empty string names the value without giving one");
        assert_eq!(source.get(empty.span.start..empty.span.end), Some("\"\""));
        assert!(root.pointer("/spec/consentPolicySettings/enableAdminConsentRequests").is_none());
    }

    #[test]
    fn an_empty_group_value_is_stated_empty_and_leaves_group_consent_unknown() {
        let source = "{\"templateId\": \"dffd5d46-495d-40a9-8e21-954ff55e198a\", \"values\": [\r\n  {\"name\": \"EnableGroupSpecificConsent\", \"value\": \"\"}]}";
        let (root, unknown) = convert(source).unwrap();
        assert_eq!(unknown, ["spec.userConsent.groupOwnerConsent"]);
        let empty = at(&root, "/spec/consentPolicySettings/enableGroupSpecificConsent");
        assert_eq!(empty.value, Value::Null);
        assert_eq!(source.get(empty.span.start..empty.span.end), Some("\"\""));
    }

    #[test]
    fn pascal_case_without_the_group_value_leaves_group_consent_unknown() {
        let source = r#"[{"Id": "1", "TemplateId": "dffd5d46-495d-40a9-8e21-954ff55e198a", "Values": [{"Name": "EnableAdminConsentRequests", "Value": "true"}]}]"#;
        let (root, unknown) = convert(source).unwrap();
        assert_eq!(unknown, ["spec.userConsent.groupOwnerConsent"]);
        assert_eq!(
            at(&root, "/spec/consentPolicySettings/enableAdminConsentRequests").value,
            Value::Bool(true)
        );
    }

    #[test]
    fn tmf_objects_hold_booleans_and_patch_bodies_are_skipped() {
        let tmf = r#"{"displayName": "Consent Policy Settings", "present": true, "BlockUserConsentForRiskyApps": true, "EnableAdminConsentRequests": false}"#;
        let (root, _) = convert(tmf).unwrap();
        assert_eq!(
            at(&root, "/spec/consentPolicySettings/enableAdminConsentRequests").value,
            Value::Bool(false)
        );
        assert!(
            convert(r#"{"values": [{"name": "EnableGroupSpecificConsent", "value": "false"}]}"#).is_none()
        );
    }
}
