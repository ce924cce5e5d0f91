//! Native tenants assembled from their parts: the objects of one export (authorization policy, admin
//! consent request policy, consent directory setting, organization) form one tenant whose findings
//! point into the file that states each value; a second object of a kind a tenant has one of is
//! reported at it; `tenants:` names directories; native apps are judged against the tenant exported
//! beside them.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "test helpers fail loudly, and index texts they wrote"
)]

#[path = "support/files.rs"]
mod files;
#[path = "support/run.rs"]
mod support;

use std::path::Path;

use files::write;
use serde_json::Value;
use tempfile::TempDir;

const AUTHORIZATION: &str = r#"{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/authorizationPolicy/$entity",
  "id": "authorizationPolicy",
  "allowUserConsentForRiskyApps": false,
  "defaultUserRolePermissions": {
    "allowedToCreateApps": false,
    "permissionGrantPoliciesAssigned": []
  }
}
"#;

const REQUESTS: &str = "{\r\n  \"isEnabled\": true,\r\n  \"notifyReviewers\": true,\r\n  \"remindersEnabled\": true,\r\n  \"requestDurationInDays\": 90,\r\n  \"reviewers\": []\r\n}\r\n";

const ORGANIZATION: &str = r#"{"value": [{"id": "5f1c7a52-3a5e-4c5b-9a1e-6d3f0b8e2c41", "displayName": "Tailspin Toys", "verifiedDomains": []}]}"#;

/// Runs `consentlint check --no-config --format json ARGS…` in `dir`.
fn check(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["--no-config"];
    all.extend_from_slice(args);
    files::check_json(dir, &all)
}

/// The diagnostics with `code`.
fn with_code<'a>(report: &'a Value, code: &str) -> Vec<&'a Value> {
    report["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == code).collect()
}

/// The text a diagnostic underlines, read from its file under `dir`.
fn underlined(dir: &Path, diagnostic: &Value) -> String {
    let text = std::fs::read_to_string(dir.join(diagnostic["file"].as_str().unwrap())).unwrap();
    let line = text.split('\n').nth(diagnostic["line"].as_u64().unwrap() as usize - 1).unwrap();
    let chars: Vec<char> = line.chars().collect();
    let start = diagnostic["column"].as_u64().unwrap() as usize - 1;
    let end = diagnostic["endColumn"].as_u64().unwrap() as usize - 1;
    chars[start..end].iter().collect()
}

fn export(dir: &Path) {
    write(dir, "tailspin/Policies/AuthorizationPolicy/authorizationPolicy.json", AUTHORIZATION);
    write(dir, "tailspin/Policies/AdminConsentRequestPolicy/adminConsentRequestPolicy.json", REQUESTS);
    write(dir, "tailspin/Organization/Organization.json", ORGANIZATION);
}

#[test]
fn the_parts_of_an_export_are_one_tenant_and_findings_point_into_each_part() {
    let dir = TempDir::new().unwrap();
    export(dir.path());
    let (code, report) = check(dir.path(), &["tailspin"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["summary"]["documents"], 3, "three parts, each counted in its file");
    // The workflow is on, so CL-T001 judged the assembled tenant and held: consent is off (the
    // authorization policy) and the workflow is enabled (the request policy).
    assert!(with_code(&report, "CL-T001").is_empty(), "{report:#}");
    let expiry = with_code(&report, "CL-T005");
    assert_eq!(expiry.len(), 1, "{report:#}");
    assert_eq!(
        expiry[0]["file"],
        "tailspin/Policies/AdminConsentRequestPolicy/adminConsentRequestPolicy.json"
    );
    assert_eq!((expiry[0]["line"].as_u64(), expiry[0]["column"].as_u64()), (Some(5), Some(28)));
    assert_eq!(underlined(dir.path(), expiry[0]), "90", "after CRLF line ends");
    let reviewers = with_code(&report, "CL-T002");
    assert_eq!(reviewers.len(), 1, "{report:#}");
    assert_eq!(underlined(dir.path(), reviewers[0]), "[]");
    let notes: Vec<&str> =
        report["notes"].as_array().unwrap().iter().map(|n| n["message"].as_str().unwrap()).collect();
    assert!(
        notes.iter().any(|n| n.contains("`CL-T010`") && n.contains("tenant `tailspin-toys`")),
        "the tenant is named after its organization, and a rule it cannot judge is said: {notes:#?}"
    );
}

#[test]
fn a_complete_export_without_the_consent_setting_is_judged_as_a_tenant_without_it() {
    let dir = TempDir::new().unwrap();
    // EntraExporter's organization file beside its authorization policy: every directory setting
    // was exported, and none is the consent setting.
    export(dir.path());
    let (_, report) = check(dir.path(), &["tailspin", "--profile", "eidsca"]);
    let requests = with_code(&report, "CL-T011");
    assert_eq!(requests.len(), 1, "{report:#}");
    assert!(
        requests[0]["message"].as_str().unwrap().starts_with("the tenant has no \"Consent Policy Settings\""),
        "{report:#}"
    );
    assert_eq!(requests[0]["file"], "tailspin/Policies/AuthorizationPolicy/authorizationPolicy.json");
    assert_eq!((requests[0]["line"].as_u64(), requests[0]["column"].as_u64()), (Some(1), Some(1)));
    assert_eq!(underlined(dir.path(), requests[0]), "{", "the policy whose tenant lacks the setting");
    let controls = report["controls"]["controls"].as_array().unwrap();
    let status = |id: &str| controls.iter().find(|c| c["id"] == id).unwrap()["status"].clone();
    assert_eq!(status("EIDSCA.CP01"), "not-applicable", "Maester skips CP01 without the value");
    assert_eq!(status("EIDSCA.CP03"), "fail");

    // Without the organization file nothing says the export is whole: not judged.
    std::fs::remove_file(dir.path().join("tailspin/Organization/Organization.json")).unwrap();
    let (_, report) = check(dir.path(), &["tailspin", "--profile", "eidsca"]);
    assert!(with_code(&report, "CL-T011").is_empty(), "{report:#}");
    let controls = report["controls"]["controls"].as_array().unwrap();
    let status = |id: &str| controls.iter().find(|c| c["id"] == id).unwrap()["status"].clone();
    assert_eq!(status("EIDSCA.CP04"), "not-judgeable");

    // `completeExports: true` says so for any export.
    write(dir.path(), ".consentlint.yaml", "completeExports: true\n");
    let (_, report) = files::check_json(dir.path(), &["tailspin", "--profile", "eidsca"]);
    assert_eq!(with_code(&report, "CL-T011").len(), 1, "{report:#}");
}

#[test]
fn a_scubagear_export_that_ran_the_settings_command_states_the_setting_absent() {
    let dir = TempDir::new().unwrap();
    let export = |commands: &str| {
        format!(
            "{{\"baseline_version\": \"1\", \"module_version\": \"1.8.0\",\r\n  \"aad_successful_commands\": [{commands}],\r\n  \"authorization_policies\": [{{\"Id\": \"authorizationPolicy\", \"PermissionGrantPolicyIdsAssignedToDefaultUserRole\": [], \"DefaultUserRolePermissions\": {{}}}}],\r\n  \"directory_settings\": [{{\"TemplateId\": \"62375ab9-6b52-47ed-826b-58e47e0e304b\", \"Values\": []}}]}}\r\n"
        )
    };
    let ran = "\"Get-MgBetaPolicyAuthorizationPolicy\", \"Get-MgBetaDirectorySetting\"";
    write(dir.path(), "scuba/ProviderSettingsExport.json", &export(ran));
    let (_, report) = check(dir.path(), &["scuba", "--profile", "scuba"]);
    let requests = with_code(&report, "CL-T011");
    assert_eq!(requests.len(), 1, "{report:#}");
    // At the authorization policy, whose tenant lacks the setting, as for EntraExporter's export.
    assert_eq!((requests[0]["line"].as_u64(), requests[0]["column"].as_u64()), (Some(3), Some(30)));
    assert!(underlined(dir.path(), requests[0]).starts_with("{\"Id\": \"authorizationPolicy\""));
    // The policy lacks `AllowedToCreateApps`: Entra ID's default, as in a tenant file.
    let create = with_code(&report, "CL-T009");
    assert_eq!(create.len(), 1, "{report:#}");
    assert!(underlined(dir.path(), create[0]).starts_with("{\"Id\""), "the policy that lacks it");

    // An export that does not record the commands may have failed them: not judged.
    write(dir.path(), "scuba/ProviderSettingsExport.json", &export(""));
    let (_, report) = check(dir.path(), &["scuba", "--profile", "scuba"]);
    assert!(
        with_code(&report, "CL-T011").is_empty() && with_code(&report, "CL-T009").is_empty(),
        "{report:#}"
    );
}

#[test]
fn a_schema_error_in_a_part_points_into_that_part() {
    let dir = TempDir::new().unwrap();
    export(dir.path());
    write(
        dir.path(),
        "tailspin/Policies/AdminConsentRequestPolicy/adminConsentRequestPolicy.json",
        "{\"isEnabled\": \"yes\", \"requestDurationInDays\": 7, \"reviewers\": []}\n",
    );
    let (code, report) = check(dir.path(), &["tailspin"]);
    assert_eq!(code, 1);
    let errors = with_code(&report, "CL-S001");
    assert_eq!(errors.len(), 1, "{report:#}");
    assert_eq!(
        errors[0]["file"],
        "tailspin/Policies/AdminConsentRequestPolicy/adminConsentRequestPolicy.json"
    );
    assert_eq!(underlined(dir.path(), errors[0]), "\"yes\"");
}

#[test]
fn a_second_authorization_policy_is_reported_at_it_pointing_at_the_first() {
    let dir = TempDir::new().unwrap();
    export(dir.path());
    write(dir.path(), "tailspin/Policies/AuthorizationPolicy/saved-last-week.json", AUTHORIZATION);
    let (code, report) = check(dir.path(), &["tailspin"]);
    assert_eq!(code, 1);
    let conflicts = with_code(&report, "CL-S004");
    assert_eq!(conflicts.len(), 1, "{report:#}");
    let conflict = conflicts[0];
    assert_eq!(conflict["file"], "tailspin/Policies/AuthorizationPolicy/saved-last-week.json");
    assert_eq!(underlined(dir.path(), conflict), "{");
    assert_eq!(
        conflict["related"][0]["file"], "tailspin/Policies/AuthorizationPolicy/authorizationPolicy.json",
        "the one that is used, the first by path"
    );
}

#[test]
fn the_configuration_names_tenants_that_share_a_layout() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "exports/prod/authorizationPolicy.json", AUTHORIZATION);
    write(dir.path(), "exports/test/authorizationPolicy.json", AUTHORIZATION);
    write(
        dir.path(),
        ".consentlint.yaml",
        "tenants:\n  contoso-prod: exports/prod\n  contoso-test: exports/test\n",
    );
    let (_, report) = files::check_json(dir.path(), &["exports"]);
    assert!(with_code(&report, "CL-S004").is_empty(), "{report:#}");
    let notes = report["notes"].to_string();
    assert!(notes.contains("contoso-prod") && notes.contains("contoso-test"), "{notes}");
    write(dir.path(), ".consentlint.yaml", "tenants:\n  contoso-prod: exports/missing\n");
    let (code, report) = files::check_json(dir.path(), &["exports"]);
    assert_eq!(code, 2, "{report:#}");
}

#[test]
fn a_native_app_is_judged_against_the_tenant_exported_beside_it() {
    let dir = TempDir::new().unwrap();
    export(dir.path());
    let app = r#"{"appId": "3f6b2c1d-8e9a-4b7c-a1d2-5e6f7a8b9c0d", "displayName": "Timesheets", "signInAudience": "AzureADMyOrg", "requiredResourceAccess": [{"resourceAppId": "00000003-0000-0000-c000-000000000000", "resourceAccess": [{"id": "00000000-0000-0000-0000-00000000beef", "type": "Scope"}]}]}"#;
    write(dir.path(), "tailspin/Applications/3f6b2c1d-8e9a-4b7c-a1d2-5e6f7a8b9c0d/app.json", app);
    // A second tenant in the run, written by hand: the app needs no `metadata.tenant` to find its own.
    write(
        dir.path(),
        "contoso.yaml",
        "apiVersion: consentlint/v1\nkind: TenantConfig\nmetadata:\n  name: contoso\n  tenantId: 139edd04-fa42-4cdc-b5bd-9b9ac4812e84\nspec:\n  userConsent:\n    enabled: false\n",
    );
    let (_, report) = check(dir.path(), &["."]);
    assert!(with_code(&report, "CL-S002").is_empty(), "no ambiguity: {report:#}");
    let unknown = with_code(&report, "CL-A004");
    assert_eq!(unknown.len(), 1, "{report:#}");
    assert_eq!(underlined(dir.path(), unknown[0]), "\"00000000-0000-0000-0000-00000000beef\"");
}

#[test]
fn a_utf16_part_is_read_and_located_in_characters() {
    let dir = TempDir::new().unwrap();
    export(dir.path());
    let text = "{\r\n  \"displayName\": \"Überprüfung\",\r\n  \"isEnabled\": true,\r\n  \"notifyReviewers\": false,\r\n  \"remindersEnabled\": true,\r\n  \"requestDurationInDays\": 7,\r\n  \"reviewers\": [{\"query\": \"/users/1\"}]\r\n}\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(
        dir.path().join("tailspin/Policies/AdminConsentRequestPolicy/adminConsentRequestPolicy.json"),
        bytes,
    )
    .unwrap();
    let (_, report) = check(dir.path(), &["tailspin"]);
    let notify = with_code(&report, "CL-T003");
    assert_eq!(notify.len(), 1, "{report:#}");
    assert_eq!((notify[0]["line"].as_u64(), notify[0]["column"].as_u64()), (Some(4), Some(22)));
}

#[test]
fn show_skipped_says_why_each_file_was_not_judged() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "patch.json",
        r#"{"defaultUserRolePermissions": {"permissionGrantPoliciesAssigned": []}}"#,
    );
    write(dir.path(), "other.json", r#"{"name": "not ours"}"#);
    let (_, report) = check(dir.path(), &["--show-skipped", "."]);
    let notes = report["notes"].to_string();
    assert!(notes.contains("`patch.json` was skipped: it changes an authorizationPolicy"), "{notes}");
    assert!(notes.contains("`other.json` was skipped: its content is none of the formats"), "{notes}");
    let (_, quiet) = check(dir.path(), &["."]);
    assert!(!quiet["notes"].to_string().contains("was skipped"), "only when asked");
}

#[test]
fn a_custom_consent_policy_is_judged_by_its_exported_conditions() {
    let dir = TempDir::new().unwrap();
    let authorization = AUTHORIZATION.replace(
        "\"permissionGrantPoliciesAssigned\": []",
        "\"permissionGrantPoliciesAssigned\": [\"ManagePermissionGrantsForSelf.contoso-open\"]",
    );
    write(dir.path(), "tailspin/Policies/AuthorizationPolicy/authorizationPolicy.json", &authorization);
    write(dir.path(), "tailspin/Policies/AdminConsentRequestPolicy/adminConsentRequestPolicy.json", REQUESTS);
    let (_, report) = check(dir.path(), &["tailspin"]);
    assert!(with_code(&report, "CL-T006").is_empty(), "not exported: not judgeable, {report:#}");
    assert!(report["notes"].to_string().contains("`CL-T006`"), "and said so: {report:#}");
    write(
        dir.path(),
        "tailspin/Policies/PermissionGrantPolicies/policies.json",
        r#"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/permissionGrantPolicies", "value": [
  {"id": "contoso-open", "includes": [{"id": "1", "permissionType": "delegated", "permissionClassification": "all", "clientApplicationIds": ["all"], "resourceApplication": "any", "permissions": ["all"]}], "excludes": []}]}"#,
    );
    let (_, report) = check(dir.path(), &["tailspin"]);
    let legacy = with_code(&report, "CL-T006");
    assert_eq!(
        legacy.len(),
        1,
        "an unrestricted policy of one's own allows what all-apps allows: {report:#}"
    );
    assert_eq!(underlined(dir.path(), legacy[0]), "\"ManagePermissionGrantsForSelf.contoso-open\"");
}

#[test]
fn a_number_in_a_later_part_is_quoted_from_that_part() {
    let dir = TempDir::new().unwrap();
    export(dir.path());
    write(
        dir.path(),
        "tailspin/Policies/AdminConsentRequestPolicy/adminConsentRequestPolicy.json",
        "{\"isEnabled\": true, \"requestDurationInDays\": 9999, \"reviewers\": []}\n",
    );
    let (_, report) = check(dir.path(), &["tailspin"]);
    let errors = with_code(&report, "CL-S001");
    assert_eq!(errors.len(), 1, "{report:#}");
    assert_eq!(errors[0]["message"], "`9999` is above the maximum of 3650");
    assert_eq!(underlined(dir.path(), errors[0]), "9999");
}

#[test]
fn two_objects_that_disagree_on_a_value_are_reported_at_both() {
    let dir = TempDir::new().unwrap();
    export(dir.path());
    let stamped = AUTHORIZATION.replace(
        "\"id\": \"authorizationPolicy\",",
        "\"@odata.id\": \"https://graph.microsoft.com/v2/00000000-0000-0000-0000-0000000000aa/authorizationPolicy/authorizationPolicy\",\n  \"id\": \"authorizationPolicy\",",
    );
    write(dir.path(), "tailspin/Policies/AuthorizationPolicy/authorizationPolicy.json", &stamped);
    let (code, report) = check(dir.path(), &["tailspin"]);
    assert_eq!(code, 1);
    let conflicts = with_code(&report, "CL-S004");
    assert_eq!(conflicts.len(), 1, "{report:#}");
    assert_eq!(conflicts[0]["file"], "tailspin/Organization/Organization.json");
    assert_eq!(underlined(dir.path(), conflicts[0]), "\"5f1c7a52-3a5e-4c5b-9a1e-6d3f0b8e2c41\"");
    assert_eq!(
        conflicts[0]["related"][0]["file"],
        "tailspin/Policies/AuthorizationPolicy/authorizationPolicy.json"
    );
}

/// The default app management policy as EntraExporter writes it with Windows PowerShell: UTF-16 LE
/// with a byte-order mark, CRLF line ends, beta's camelCase.
const APP_MANAGEMENT: &str = "{\r\n  \"@odata.context\": \"https://graph.microsoft.com/beta/$metadata#policies/defaultAppManagementPolicy/$entity\",\r\n  \"id\": \"00000000-0000-0000-0000-000000000000\",\r\n  \"isEnabled\": true,\r\n  \"applicationRestrictions\": {\"passwordCredentials\": [\r\n    {\"restrictionType\": \"passwordAddition\", \"state\": \"enabled\", \"restrictForAppsCreatedAfterDateTime\": \"0001-01-01T00:00:00Z\"},\r\n    {\"restrictionType\": \"passwordLifetime\", \"state\": \"enabled\", \"maxLifetime\": \"P182D\"}],\r\n    \"keyCredentials\": [{\"restrictionType\": \"asymmetricKeyLifetime\", \"state\": \"enabled\", \"maxLifetime\": \"P366D\"}]},\r\n  \"servicePrincipalRestrictions\": {\"passwordCredentials\": [\r\n    {\"restrictionType\": \"passwordAddition\", \"state\": \"disabled\", \"restrictForAppsCreatedAfterDateTime\": \"0001-01-01T00:00:00Z\"}],\r\n    \"keyCredentials\": [{\"restrictionType\": \"asymmetricKeyLifetime\", \"state\": \"enabled\", \"maxLifetime\": \"P366D\"}]}\r\n}\r\n";

#[test]
fn the_default_app_management_policy_in_utf16_is_judged_at_its_values() {
    let dir = TempDir::new().unwrap();
    export(dir.path());
    let path = "tailspin/Policies/DefaultAppManagementPolicy/00000000-0000-0000-0000-000000000000/00000000-0000-0000-0000-000000000000.json";
    let bytes: Vec<u8> =
        [0xFF_u8, 0xFE].into_iter().chain(APP_MANAGEMENT.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    std::fs::create_dir_all(dir.path().join(path).parent().unwrap()).unwrap();
    std::fs::write(dir.path().join(path), bytes).unwrap();
    // A copy in UTF-8 beside the export, for reading the underlined text.
    let copy = TempDir::new().unwrap();
    write(copy.path(), path, APP_MANAGEMENT);
    let (_, report) = check(dir.path(), &["tailspin", "--profile", "scuba"]);
    let addition = with_code(&report, "CL-T015");
    assert_eq!(addition.len(), 1, "{report:#}");
    assert_eq!(addition[0]["file"], path);
    assert_eq!((addition[0]["line"].as_u64(), addition[0]["column"].as_u64()), (Some(10), Some(54)));
    assert_eq!(underlined(copy.path(), addition[0]), "\"disabled\"", "service principals may get passwords");
    let lifetime = with_code(&report, "CL-T016");
    assert_eq!(lifetime.len(), 1, "{report:#}");
    assert_eq!(underlined(copy.path(), lifetime[0]), "\"P182D\"");
    // Certificates are limited to 366 days, but EntraExporter's export does not say which apps the
    // tenant's own policies exempt: not judged, and the note says so.
    assert!(with_code(&report, "CL-T017").is_empty(), "{report:#}");
    let notes = report["notes"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n["message"].as_str().unwrap().contains("`CL-T017` was not judged")
            && n["message"].as_str().unwrap().contains("spec.appManagement.exemptions")),
        "{notes:#?}"
    );
}

#[test]
fn scubagear_exports_the_default_policy_and_the_apps_its_own_policies_exempt() {
    let dir = TempDir::new().unwrap();
    let export = r#"{"baseline_version": "1", "module_version": "1.8.0", "report_uuid": "e7c1",
  "authorization_policies": [{"Id": "authorizationPolicy", "PermissionGrantPolicyIdsAssignedToDefaultUserRole": [], "DefaultUserRolePermissions": {"AllowedToCreateApps": false}}],
  "default_app_management_policy": [{"Id": "00000000-0000-0000-0000-000000000000", "IsEnabled": true,
    "ApplicationRestrictions": {"PasswordCredentials": [{"RestrictionType": "passwordAddition", "State": "enabled", "RestrictForAppsCreatedAfterDateTime": "/Date(-62135596800000)/"}]},
    "ServicePrincipalRestrictions": {"PasswordCredentials": [{"RestrictionType": "passwordAddition", "State": "enabled", "RestrictForAppsCreatedAfterDateTime": "/Date(-62135596800000)/"}]}}],
  "app_management_policies": [{"Id": "p1", "DisplayName": "Legacy secrets", "IsEnabled": true, "Restrictions": {"PasswordCredentials": [
    {"RestrictionType": "passwordAddition", "State": "disabled", "AppliesTo": [{"Id": "a1", "AppId": "b1", "DisplayName": "Payroll Export"}]}], "KeyCredentials": []}}]}
"#;
    write(dir.path(), "scuba/ProviderSettingsExport.json", export);
    let (_, report) = check(dir.path(), &["scuba", "--profile", "scuba"]);
    let addition = with_code(&report, "CL-T015");
    assert_eq!(addition.len(), 1, "{report:#}");
    assert_eq!(underlined(dir.path(), addition[0]), "\"Payroll Export\"", "the exempted app");
    // Passwords are blocked for everything but that app, and no lifetime is restricted.
    assert_eq!(with_code(&report, "CL-T016").len(), 1, "{report:#}");
}
