//! CISA ScubaGear's `ProviderSettingsExport.json` (and the `Raw` member of `ScubaResults_<id>.json`):
//! one file holding a tenant's authorization policy, directory settings, admin consent policy (up to
//! ScubaGear 1.0) and tenant details, each in PowerShell's Pascal case. Each becomes its own part.
//! The application permissions its risky-app lists record as granted become grants ([`grants`]).

mod grants;

pub use grants::PARTIAL;

use super::{
    Partial, app_management, authorization, consent_request, field, objects, organization, settings, text,
};
use crate::kind::Kind;
use crate::source::Span;
use crate::yaml::{Node, Value};

/// The members of the export that consentlint reads.
const READ: [&str; 6] = [
    "tenant_details",
    "authorization_policies",
    "directory_settings",
    "admin_consent_policies",
    "default_app_management_policy",
    "app_management_policies",
];

/// What a ScubaGear provider writes in place of a value it could not retrieve
/// (`"Error retrieving Display name"`), compared without case.
const FAILED: &str = "error retrieving";

/// The commands whose results the export holds whole when its `aad_successful_commands` lists them.
const AUTHORIZATION: &str = "Get-MgBetaPolicyAuthorizationPolicy";
const SETTINGS: &str = "Get-MgBetaDirectorySetting";

/// Whether the export records `command` among the ones that succeeded (`aad_successful_commands`,
/// compared without case): its member then holds what Microsoft Graph returned, whole.
fn ran(export: &Node, command: &str) -> bool {
    field(export, "aad_successful_commands")
        .map(super::items)
        .unwrap_or_default()
        .iter()
        .any(|item| item.as_str().is_some_and(|name| name.eq_ignore_ascii_case(command)))
}

/// The provider export of `root`: itself, or the `Raw` member of a `ScubaResults_<id>.json`; `None`
/// when it is neither.
fn export(root: &Node) -> Option<&Node> {
    let export = field(root, "Raw").filter(|_| field(root, "MetaData").is_some()).unwrap_or(root);
    let is_export = field(export, "baseline_version").is_some()
        && field(export, "module_version").is_some()
        && (field(export, "authorization_policies").is_some()
            || field(export, "directory_settings").is_some());
    is_export.then_some(export)
}

/// The run an export belongs to (its `report_uuid`, lowercased): a `ProviderSettingsExport.json`
/// and the `ScubaResults_<id>.json` of the same run hold the same objects.
pub(super) fn run(root: &Node) -> Option<String> {
    export(root).and_then(|export| text(export, "report_uuid")).filter(|id| !id.trim().is_empty())
}

/// Whether `root` is the `ScubaResults_<id>.json` form (the provider export under `Raw`).
pub(super) fn is_results(root: &Node) -> bool {
    field(root, "Raw").is_some() && field(root, "MetaData").is_some()
}

/// The first value of the members read that its provider could not retrieve, with the error text:
/// such an export states nothing reliable about the tenant. Each node is visited once.
pub(super) fn failed(root: &Node) -> Option<(Span, String)> {
    let export = export(root)?;
    let mut stack: Vec<&Node> = READ.iter().rev().filter_map(|key| field(export, key)).collect();
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::String(text) if text.trim_start().to_ascii_lowercase().starts_with(FAILED) => {
                return Some((node.span, text.clone()));
            }
            Value::Map(entries) => stack.extend(entries.iter().rev().map(|e| &e.value)),
            Value::Seq(items) => stack.extend(items.iter().rev()),
            _ => {}
        }
    }
    None
}

/// The grants the export at `root` records, and what keeps one from being read; nothing when it is
/// not an export.
pub(super) fn grants(root: &Node) -> (Vec<super::grant::Read>, Vec<super::Problem>) {
    export(root).map(grants::grants).unwrap_or_default()
}

/// The tenant parts the export at `root` holds, when it is one; `None` when it is not.
pub(super) fn recognise(root: &Node) -> Option<Vec<(Kind, Node, Partial)>> {
    let export = export(root)?;
    let mut parts = Vec::new();
    if let Some(policy) = field(export, "authorization_policies").and_then(authorization::only) {
        let mut part = authorization::convert(policy, "ScubaGear export (`authorization_policies`)");
        // The whole policy as Graph returned it: a value it lacks is Entra ID's default.
        if ran(export, AUTHORIZATION) {
            part.2.unknown.retain(|path| *path != "spec.usersCanRegisterApps");
        }
        parts.push(part);
    }
    let listed = field(export, "directory_settings");
    match listed.and_then(|list| objects(list).into_iter().find(|o| settings::is_consent_setting(o))) {
        Some(setting) => parts.push(settings::convert(setting, "ScubaGear export (`directory_settings`)")),
        // Every directory setting of the tenant, and no consent setting among them: the tenant has
        // none, which ScubaGear's MS.AAD.5.3v1 fails (no `EnableAdminConsentRequests` "true").
        None => {
            if let Some(list) = listed.filter(|_| ran(export, SETTINGS)) {
                parts.push(settings::none(list, "ScubaGear export (`directory_settings`)"));
            }
        }
    }
    if let Some(policy) = field(export, "admin_consent_policies")
        .and_then(|list| objects(list).into_iter().find(|o| field(o, "isEnabled").is_some()))
    {
        parts.push(consent_request::convert(policy, "ScubaGear export (`admin_consent_policies`)"));
    }
    // Written since MS.AAD.5.5v1 to 5.7v1 were added (after release 1.8.0): the default app management policy, and every policy
    // of the tenant's own with the apps it applies to.
    if let Some(default) = field(export, "default_app_management_policy").filter(|d| d.value != Value::Null) {
        let custom = field(export, "app_management_policies").filter(|c| c.value != Value::Null);
        parts.extend(app_management::scuba(
            default,
            custom,
            "ScubaGear export (`default_app_management_policy`)",
        ));
    }
    if let Some(details) = field(export, "tenant_details").and_then(|list| objects(list).into_iter().next()) {
        parts.push(organization::convert(details, "ScubaGear export (`tenant_details`)"));
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::recognise;
    use crate::yaml::{Limits, parse};

    #[test]
    fn each_object_of_the_export_is_a_part() {
        let source = r#"{"baseline_version": "1", "module_version": "1.0.0",
  "tenant_details": [{"TenantId": "ca08493a-c9c8-4db0-a9e8-d3b4bafac269", "DisplayName": "tqhjy"}],
  "authorization_policies": [{"Id": "authorizationPolicy", "PermissionGrantPolicyIdsAssignedToDefaultUserRole": [], "DefaultUserRolePermissions": {"AllowedToCreateApps": false}}],
  "admin_consent_policies": [{"Id": null, "IsEnabled": false, "RequestDurationInDays": 0}],
  "directory_settings": [{"TemplateId": "dffd5d46-495d-40a9-8e21-954ff55e198a", "Values": []}]}"#;
        let output = parse(source, Limits::default());
        let parts = recognise(&output.documents[0].root).unwrap();
        let names: Vec<&str> = parts.iter().filter_map(|(_, _, p)| p.part.map(|p| p.name)).collect();
        assert_eq!(
            names,
            ["authorizationPolicy", "Consent Policy Settings", "adminConsentRequestPolicy", "organization"]
        );
        let other = parse(r#"{"baseline_version": "1"}"#, Limits::default());
        assert!(recognise(&other.documents[0].root).is_none());
    }

    #[test]
    fn a_failed_provider_is_found_at_its_first_error_text() {
        let source = "{\"baseline_version\": \"1\", \"module_version\": \"1.8.0\", \"report_uuid\": \"ABC\",\n  \"tenant_details\": [{\"DisplayName\": \"Error retrieving Display name\", \"TenantId\": \"Error retrieving Tenant ID\"}],\n  \"authorization_policies\": [], \"directory_settings\": []}";
        let output = parse(source, Limits::default());
        let root = &output.documents[0].root;
        let (span, text) = super::failed(root).unwrap();
        assert_eq!(source.get(span.start..span.end), Some("\"Error retrieving Display name\""));
        assert_eq!(text, "Error retrieving Display name");
        assert_eq!(super::run(root).as_deref(), Some("abc"));
        let fine = parse(&source.replace("Error retrieving", "Contoso"), Limits::default());
        assert!(super::failed(&fine.documents[0].root).is_none());
    }
}
