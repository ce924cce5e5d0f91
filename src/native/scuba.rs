//! CISA ScubaGear's `ProviderSettingsExport.json` (and the `Raw` member of `ScubaResults_<id>.json`):
//! one file holding a tenant's authorization policy, directory settings, admin consent policy (up to
//! ScubaGear 1.0) and tenant details, each in PowerShell's Pascal case. Each becomes its own part.

use super::{Partial, authorization, consent_request, field, objects, organization, settings};
use crate::kind::Kind;
use crate::yaml::Node;

/// The tenant parts the export at `root` holds, when it is one; `None` when it is not.
pub(super) fn recognise(root: &Node) -> Option<Vec<(Kind, Node, Partial)>> {
    let export = field(root, "Raw").filter(|_| field(root, "MetaData").is_some()).unwrap_or(root);
    let is_export = field(export, "baseline_version").is_some()
        && field(export, "module_version").is_some()
        && (field(export, "authorization_policies").is_some()
            || field(export, "directory_settings").is_some());
    if !is_export {
        return None;
    }
    let mut parts = Vec::new();
    if let Some(policy) = field(export, "authorization_policies").and_then(authorization::only) {
        parts.push(authorization::convert(policy, "ScubaGear export (`authorization_policies`)"));
    }
    if let Some(setting) = field(export, "directory_settings")
        .and_then(|list| objects(list).into_iter().find(|o| settings::is_consent_setting(o)))
    {
        parts.push(settings::convert(setting, "ScubaGear export (`directory_settings`)"));
    }
    if let Some(policy) = field(export, "admin_consent_policies")
        .and_then(|list| objects(list).into_iter().find(|o| field(o, "isEnabled").is_some()))
    {
        parts.push(consent_request::convert(policy, "ScubaGear export (`admin_consent_policies`)"));
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
}
