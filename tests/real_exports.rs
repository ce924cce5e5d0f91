//! Real exports read right: collections of apps, EntraExporter's whole tree, APIs no catalog
//! describes, ScubaGear run folders and failed exports, with self-made files of the shapes real
//! tenants' exports have (the real files are credited under `tests/fixtures/realworld/`).

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

/// The notes' messages.
fn notes(report: &Value) -> Vec<String> {
    report["notes"].as_array().unwrap().iter().map(|n| n["message"].as_str().unwrap().to_owned()).collect()
}

/// The text a diagnostic underlines, read from its file under `dir` (decoded, BOM and all).
fn underlined(dir: &Path, diagnostic: &Value) -> String {
    let bytes = std::fs::read(dir.join(diagnostic["file"].as_str().unwrap())).unwrap();
    let text = if bytes.starts_with(&[0xFF, 0xFE]) {
        let units: Vec<u16> = bytes[2..].chunks(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        String::from_utf16(&units).unwrap()
    } else {
        String::from_utf8(bytes).unwrap().trim_start_matches('\u{feff}').to_owned()
    };
    let line = text.split('\n').nth(diagnostic["line"].as_u64().unwrap() as usize - 1).unwrap();
    let chars: Vec<char> = line.trim_end_matches('\r').chars().collect();
    let start = diagnostic["column"].as_u64().unwrap() as usize - 1;
    let end = diagnostic["endColumn"].as_u64().unwrap() as usize - 1;
    chars[start..end].iter().collect()
}

/// `Get-MgApplication | ConvertTo-Json` of three apps (PowerShell's Pascal case, CRLF, a name
/// beyond ASCII): the third requests a critical application permission.
const APPS: &str = "[\r\n  {\r\n    \"AppId\": \"11111111-2222-4333-8444-555555555555\",\r\n    \"DisplayName\": \"Zoë's portal\",\r\n    \"RequiredResourceAccess\": [\r\n      {\r\n        \"ResourceAppId\": \"00000003-0000-0000-c000-000000000000\",\r\n        \"ResourceAccess\": [ { \"Id\": \"e1fe6dd8-ba31-4d61-89e7-88639da4683d\", \"Type\": \"Scope\" } ]\r\n      }\r\n    ]\r\n  },\r\n  {\r\n    \"AppId\": \"21111111-2222-4333-8444-555555555555\",\r\n    \"DisplayName\": \"Payroll\",\r\n    \"RequiredResourceAccess\": []\r\n  },\r\n  {\r\n    \"AppId\": \"31111111-2222-4333-8444-555555555555\",\r\n    \"DisplayName\": \"Directory sync — nightly\",\r\n    \"RequiredResourceAccess\": [\r\n      {\r\n        \"ResourceAppId\": \"00000003-0000-0000-c000-000000000000\",\r\n        \"ResourceAccess\": [ { \"Id\": \"fee28b28-e1f3-4841-818e-2704dc62245f\", \"Type\": \"Role\" } ]\r\n      }\r\n    ]\r\n  }\r\n]\r\n";

#[test]
fn every_app_of_a_collection_is_judged_at_its_own_item() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "apps/all.json", APPS);
    let graph = format!(
        "{{\"@odata.context\": \"https://graph.microsoft.com/v1.0/$metadata#applications\", \"value\": {}}}",
        APPS.replace("\r\n", "\n")
    );
    write(dir.path(), "graph/applications.json", &graph);
    let (code, report) = check(dir.path(), &["apps/all.json", "graph/applications.json"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["summary"]["documents"], 6, "three apps in each file: {report:#}");
    assert_eq!(report["summary"]["skipped"], 0, "{report:#}");
    let critical = with_code(&report, "CL-A007");
    assert_eq!(critical.len(), 2, "{report:#}");
    for finding in critical {
        assert!(finding["message"].as_str().unwrap().contains("`directory-sync-nightly`"), "{finding:#}");
        assert_eq!(finding["line"], 23, "{finding:#}");
        assert_eq!(underlined(dir.path(), finding), "\"fee28b28-e1f3-4841-818e-2704dc62245f\"");
    }
    // `Get-MgApplication | ConvertTo-Json | Out-File` in Windows PowerShell writes UTF-16 with a
    // byte-order mark: the same apps, at the same places.
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(APPS.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::create_dir_all(dir.path().join("ps")).unwrap();
    std::fs::write(dir.path().join("ps/apps.json"), utf16).unwrap();
    let (_, report) = check(dir.path(), &["ps/apps.json"]);
    assert_eq!(report["summary"]["documents"], 3, "{report:#}");
    let critical = with_code(&report, "CL-A007");
    assert_eq!(critical.len(), 1, "{report:#}");
    assert_eq!((critical[0]["line"].as_u64(), critical[0]["column"].as_u64()), (Some(23), Some(37)));
    assert_eq!(underlined(dir.path(), critical[0]), "\"fee28b28-e1f3-4841-818e-2704dc62245f\"");
    let plain = support::run(dir.path(), &["check", "--no-config", "--format", "plain", "apps/all.json"]);
    assert!(
        plain.stdout.contains("apps/all.json:23:"),
        "the plain format gives the same place: {}",
        plain.stdout
    );
}

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

const CONSENT_SETTING: &str = r#"{
  "id": "b4e1c0f4-0c44-4f4c-9d53-2d6f2a1f7c10",
  "displayName": "Consent Policy Settings",
  "templateId": "dffd5d46-495d-40a9-8e21-954ff55e198a",
  "values": [
    {"name": "EnableGroupSpecificConsent", "value": "true"},
    {"name": "BlockUserConsentForRiskyApps", "value": "true"},
    {"name": "EnableAdminConsentRequests", "value": "true"}
  ]
}
"#;

#[test]
fn every_folder_of_an_entra_exporter_tree_belongs_to_one_tenant() {
    let dir = TempDir::new().unwrap();
    let id = "b4e1c0f4-0c44-4f4c-9d53-2d6f2a1f7c10";
    write(dir.path(), "nightly/contoso/Policies/AuthorizationPolicy/AuthorizationPolicy.json", AUTHORIZATION);
    write(dir.path(), &format!("nightly/contoso/GroupSettings/{id}/{id}.json"), CONSENT_SETTING);
    write(
        dir.path(),
        &format!("nightly/contoso/Users/{id}/{id}.json"),
        r#"{"id": "x", "displayName": "Ann"}"#,
    );
    let (_, report) = check(dir.path(), &["nightly"]);
    let tenants: Vec<String> = notes(&report)
        .iter()
        .filter_map(|n| n.split("tenant `").nth(1).map(|t| t.split('`').next().unwrap().to_owned()))
        .collect();
    assert!(tenants.iter().all(|t| t == "contoso"), "one tenant, named after the export root: {tenants:?}");
    // Group owner consent is stated by the setting under `GroupSettings`: CL-T008 judges it.
    let owners = with_code(&report, "CL-T008");
    assert_eq!(owners.len(), 1, "{report:#}");
    assert_eq!(owners[0]["file"], format!("nightly/contoso/GroupSettings/{id}/{id}.json"));
    assert_eq!(underlined(dir.path(), owners[0]), "\"true\"");
    assert!(with_code(&report, "CL-S004").is_empty(), "{report:#}");
    write(dir.path(), "apps/all.json", APPS);
    let simulate = support::run(
        dir.path(),
        &["simulate", "--no-config", "--tenant", "nightly/contoso", "apps/all.json"],
    );
    assert_ne!(simulate.code, 2, "{}{}", simulate.stdout, simulate.stderr);
}

/// A ScubaGear 1.8 provider export of run `RUN` (PowerShell's layout, Pascal case inside).
fn provider(run: &str, create_apps: &str) -> String {
    format!(
        "{{\n \"baseline_version\": \"1\",\n \"module_version\": \"1.8.0\",\n \"report_uuid\": \"{run}\",\n \"tenant_details\": [{{\"DisplayName\": \"Fabrikam\", \"TenantId\": \"ca08493a-c9c8-4db0-a9e8-d3b4bafac269\"}}],\n \"authorization_policies\": [{{\"Id\": \"authorizationPolicy\", \"PermissionGrantPolicyIdsAssignedToDefaultUserRole\": [], \"DefaultUserRolePermissions\": {{\"AllowedToCreateApps\": {create_apps}}}}}],\n \"directory_settings\": [{{\"TemplateId\": \"dffd5d46-495d-40a9-8e21-954ff55e198a\", \"Values\": [{{\"Name\": \"BlockUserConsentForRiskyApps\", \"Value\": \"true\"}}, {{\"Name\": \"EnableAdminConsentRequests\", \"Value\": \"true\"}}]}}]\n}}\n"
    )
}

/// The `ScubaResults_<id>.json` of the same run: the provider export under `Raw`.
fn results(run: &str, create_apps: &str) -> String {
    format!(
        "{{\"MetaData\": {{\"ReportUUID\": \"{run}\", \"ToolVersion\": \"1.8.0\"}}, \"Summary\": {{}}, \"Raw\": {}}}",
        provider(run, create_apps)
    )
}

#[test]
fn a_scubagear_run_folder_is_one_tenant_judged_from_the_provider_export() {
    let run = "fa5589b7-d528-4f80-8e7d-5c20eda7b6d8";
    // The results sort first by name: which copy is judged does not follow the names.
    for (export, results_name) in
        [("ProviderSettingsExport.json", "ScubaResults_fa5589b7.json"), ("z.json", "a.json")]
    {
        let dir = TempDir::new().unwrap();
        write(dir.path(), &format!("M365BaselineConformance/{export}"), &provider(run, "true"));
        write(dir.path(), &format!("M365BaselineConformance/{results_name}"), &results(run, "true"));
        let (_, report) = check(dir.path(), &["M365BaselineConformance"]);
        assert!(with_code(&report, "CL-S004").is_empty(), "one run is one tenant: {report:#}");
        let register = with_code(&report, "CL-T009");
        assert_eq!(register.len(), 1, "{report:#}");
        assert_eq!(register[0]["file"], format!("M365BaselineConformance/{export}"), "{report:#}");
        assert_eq!(underlined(dir.path(), register[0]), "true");
    }
    // Two different runs under one root are still two copies in conflict.
    let dir = TempDir::new().unwrap();
    write(dir.path(), "runs/ProviderSettingsExport.json", &provider(run, "true"));
    write(dir.path(), "runs/old.json", &provider("0a5589b7-d528-4f80-8e7d-5c20eda7b6d8", "false"));
    let (_, report) = check(dir.path(), &["runs"]);
    assert!(!with_code(&report, "CL-S004").is_empty(), "{report:#}");
}

#[test]
fn a_failed_scubagear_export_is_an_error_at_its_first_failed_value() {
    let dir = TempDir::new().unwrap();
    let failed = provider("fa5589b7-d528-4f80-8e7d-5c20eda7b6d8", "false").replace(
        "{\"DisplayName\": \"Fabrikam\", \"TenantId\": \"ca08493a-c9c8-4db0-a9e8-d3b4bafac269\"}",
        "{\"DisplayName\": \"Error retrieving Display name\", \"TenantId\": \"Error retrieving Tenant ID\"}",
    );
    write(dir.path(), "failed/ProviderSettingsExport.json", &format!("\u{feff}{failed}"));
    let (code, report) = check(dir.path(), &["failed"]);
    assert_eq!(code, 1, "{report:#}");
    let errors = with_code(&report, "CL-P004");
    assert_eq!(errors.len(), 1, "{report:#}");
    assert_eq!((errors[0]["line"].as_u64(), errors[0]["column"].as_u64()), (Some(5), Some(37)), "{report:#}");
    assert_eq!(underlined(dir.path(), errors[0]), "\"Error retrieving Display name\"");
    assert!(!report.to_string().contains("error-retrieving"), "no tenant named after the error: {report:#}");
    assert_eq!(report["summary"]["documents"], 0, "{report:#}");
    // A provider that left the file invalid JSON is an error at the syntax error, not a skipped file.
    let broken = provider("fa5589b7-d528-4f80-8e7d-5c20eda7b6d8", "false")
        .replace("\"authorization_policies\": [", "\"authorization_policies\": ,[");
    write(dir.path(), "broken/ProviderSettingsExport.json", &broken);
    let (code, report) = check(dir.path(), &["broken"]);
    assert_eq!(code, 1, "{report:#}");
    let syntax = with_code(&report, "CL-P001");
    assert_eq!(syntax.len(), 1, "{report:#}");
    assert_eq!(syntax[0]["line"], 6, "{report:#}");
}

/// The verdict and reason of control `id` in a JSON report run with a profile.
fn control<'a>(report: &'a Value, id: &str) -> (&'a str, Option<&'a str>) {
    let control = report["controls"]["controls"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap();
    (control["status"].as_str().unwrap(), control["reason"].as_str())
}

#[test]
fn ms_aad_5_3_passes_on_a_scubagear_export_whose_setting_passes() {
    // ScubaGear from 1.1 on no longer exports the request policy: the control is judged on the
    // directory setting, as ScubaGear judges it, and says which stricter checks were not judged.
    let dir = TempDir::new().unwrap();
    let run = "fa5589b7-d528-4f80-8e7d-5c20eda7b6d8";
    write(dir.path(), "on/ProviderSettingsExport.json", &provider(run, "false"));
    let (_, report) = check(dir.path(), &["--profile", "scuba", "on"]);
    let (status, reason) = control(&report, "MS.AAD.5.3v1");
    assert_eq!(status, "pass", "{report:#}");
    assert!(reason.unwrap().contains("`CL-T001` reads `spec.adminConsentWorkflow`"), "{report:#}");
    // The setting off fails it, at the setting's value.
    let off = provider(run, "false").replace(
        "{\"Name\": \"EnableAdminConsentRequests\", \"Value\": \"true\"}",
        "{\"Name\": \"EnableAdminConsentRequests\", \"Value\": \"false\"}",
    );
    write(dir.path(), "off/ProviderSettingsExport.json", &off);
    let (_, report) = check(dir.path(), &["--profile", "scuba", "off"]);
    assert_eq!(control(&report, "MS.AAD.5.3v1").0, "fail", "{report:#}");
    // Where the request policy is exported, the stricter checks still fail the control.
    write(dir.path(), "graph/Policies/AuthorizationPolicy/AuthorizationPolicy.json", AUTHORIZATION);
    write(dir.path(), "graph/Policies/Settings/consent.json", CONSENT_SETTING);
    write(
        dir.path(),
        "graph/Policies/AdminConsentRequestPolicy/AdminConsentRequestPolicy.json",
        r#"{"isEnabled": false, "notifyReviewers": true, "remindersEnabled": true, "requestDurationInDays": 30, "reviewers": [{"query": "/users/0b6ad0d4-5a36-4f70-a3fb-b6c4b1d9a1f0"}]}"#,
    );
    let (_, report) = check(dir.path(), &["--profile", "scuba", "graph"]);
    assert_eq!(control(&report, "MS.AAD.5.3v1"), ("fail", None), "{report:#}");
}

/// An app of the tenant's own requesting a permission of `Office 365 SharePoint Online`, a permission of a partner's API and a
/// Graph one by id: only the Graph one is described by the bundled catalog.
const MIXED_APP: &str = r#"{
  "appId": "41111111-2222-4333-8444-555555555555",
  "displayName": "Intranet sync",
  "requiredResourceAccess": [
    {"resourceAppId": "00000003-0000-0ff1-ce00-000000000000", "resourceAccess": [{"id": "56680e0d-d2a3-4ae1-80d8-3c4f2100e3d0", "type": "Scope"}]},
    {"resourceAppId": "b55b276d-2b09-4ad2-8de5-f09cf24ffba9", "resourceAccess": [{"id": "162b1576-a2b2-458d-b7b9-04481911b4ef", "type": "Role"}]},
    {"resourceAppId": "00000003-0000-0000-c000-000000000000", "resourceAccess": [{"id": "00000000-1111-4222-8333-444444444444", "type": "Scope"}]}
  ]
}
"#;

#[test]
fn permissions_of_apis_no_catalog_describes_are_not_judged_and_the_api_is_named() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "apps/intranet.json", MIXED_APP);
    let (_, report) = check(dir.path(), &["apps"]);
    let unknown = with_code(&report, "CL-A004");
    assert_eq!(unknown.len(), 1, "only the Graph id no catalog names: {report:#}");
    assert_eq!(unknown[0]["line"], 7, "{report:#}");
    assert_eq!(underlined(dir.path(), unknown[0]), "\"00000000-1111-4222-8333-444444444444\"");
    let notes = notes(&report);
    let note = notes
        .iter()
        .find(|n| n.contains("not judged on the permissions of"))
        .unwrap_or_else(|| panic!("{notes:#?}"));
    assert!(
        note.contains("permissions of `Office 365 SharePoint Online` and `b55b276d-2b09-4ad2-8de5-f09cf24ffba9` that app `intranet-sync`"),
        "Microsoft's own API by name, a partner's by its id: {note}"
    );
    assert!(note.contains("`CL-A004`") && note.contains("`CL-A007`"), "{note}");
    // A `$select` service principal (no `servicePrincipalType`) beside the app names its API.
    write(
        dir.path(),
        "apps/sharepoint-principal.json",
        r#"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals(appId,displayName,oauth2PermissionScopes)/$entity", "appId": "00000003-0000-0ff1-ce00-000000000000", "displayName": "Office 365 SharePoint Online", "oauth2PermissionScopes": [{"id": "56680e0d-d2a3-4ae1-80d8-3c4f2100e3d0", "value": "AllSites.FullControl", "type": "Admin"}]}"#,
    );
    write(
        dir.path(),
        "apps/partner-principal.json",
        r#"{"appId": "b55b276d-2b09-4ad2-8de5-f09cf24ffba9", "displayName": "Contoso Orders API", "oauth2PermissionScopes": [], "appRoles": [{"id": "162b1576-a2b2-458d-b7b9-04481911b4ef", "value": "Orders.Read.All", "allowedMemberTypes": ["Application"]}]}"#,
    );
    let (_, report) = check(dir.path(), &["apps"]);
    assert_eq!(with_code(&report, "CL-A004").len(), 1, "{report:#}");
    let notes = crate::notes(&report);
    assert!(!notes.iter().any(|n| n.contains("no permission catalog describes")), "{notes:#?}");
    assert_eq!(report["summary"]["skipped"], 0, "service principals are read: {report:#}");
}

#[test]
fn messages_on_native_files_name_the_native_key_and_the_tenant_remedy() {
    let dir = TempDir::new().unwrap();
    let open = AUTHORIZATION.replace("\"allowedToCreateApps\": false", "\"allowedToCreateApps\": true");
    write(dir.path(), "graph/Policies/AuthorizationPolicy/AuthorizationPolicy.json", &open);
    let (_, report) = check(dir.path(), &["graph"]);
    let register = with_code(&report, "CL-T009");
    assert_eq!(register.len(), 1, "{report:#}");
    let message = register[0]["message"].as_str().unwrap();
    assert!(message.starts_with("`allowedToCreateApps` is true"), "{message}");
    assert!(!message.contains("usersCanRegisterApps"), "{message}");
    let help = register[0]["help"].as_str().unwrap();
    assert!(help.contains("PATCH /policies/authorizationPolicy") && !help.contains("spec."), "{help}");
    assert_eq!(underlined(dir.path(), register[0]), "true");
    // A severity override has its native wording too: Graph's `null` is not stated.
    let unset = AUTHORIZATION
        .replace("\"allowUserConsentForRiskyApps\": false", "\"allowUserConsentForRiskyApps\": null");
    write(dir.path(), "unset/Policies/AuthorizationPolicy/AuthorizationPolicy.json", &unset);
    let (_, report) = check(dir.path(), &["--profile", "eidsca", "unset"]);
    let risky = with_code(&report, "CL-T007");
    assert_eq!(risky.len(), 1, "{report:#}");
    assert!(
        risky[0]["message"].as_str().unwrap().starts_with("`allowUserConsentForRiskyApps` is not set"),
        "{report:#}"
    );
    assert!(!risky[0]["help"].as_str().unwrap().contains("allowRiskyApps"), "{report:#}");
    // The same rule on a document of ours speaks of its keys.
    write(
        dir.path(),
        "yaml/tenant.yaml",
        "apiVersion: consentlint/v1\nkind: TenantConfig\nmetadata: {name: yaml, tenantId: 139edd04-fa42-4cdc-b5bd-9b9ac4812e84}\nspec:\n  userConsent: {enabled: false, allowRiskyApps: false, groupOwnerConsent: false}\n  usersCanRegisterApps: true\n",
    );
    let (_, report) = check(dir.path(), &["yaml"]);
    let register = with_code(&report, "CL-T009");
    assert!(
        register[0]["message"].as_str().unwrap().starts_with("`usersCanRegisterApps` is true"),
        "{report:#}"
    );
    assert!(register[0]["help"].as_str().unwrap().contains("spec.usersCanRegisterApps"), "{report:#}");
}

#[test]
fn the_configuration_assigns_exported_apps_to_a_tenant_by_directory() {
    let dir = TempDir::new().unwrap();
    let tenant = |name: &str| {
        format!(
            "apiVersion: consentlint/v1\nkind: TenantConfig\nmetadata: {{name: {name}, tenantId: 139edd04-fa42-4cdc-b5bd-9b9ac4812e84}}\nspec:\n  userConsent: {{enabled: false, allowRiskyApps: false, groupOwnerConsent: false}}\n  usersCanRegisterApps: false\n"
        )
    };
    write(dir.path(), "tenants/contoso.yaml", &tenant("contoso"));
    write(dir.path(), "tenants/fabrikam.yaml", &tenant("fabrikam"));
    write(dir.path(), "exports/contoso-apps/all.json", APPS);
    let (_, report) = check(dir.path(), &["tenants", "exports"]);
    let unknown = with_code(&report, "CL-S002");
    assert_eq!(unknown.len(), 3, "{report:#}");
    let help = unknown[0]["help"].as_str().unwrap();
    assert!(help.contains("`tenants:`") && !help.contains("metadata.tenant"), "{help}");
    write(dir.path(), ".consentlint.yaml", "tenants:\n  contoso: exports/contoso-apps\n");
    let (_, report) = files::check_json(dir.path(), &["tenants", "exports"]);
    assert!(with_code(&report, "CL-S002").is_empty(), "{report:#}");
    let critical = with_code(&report, "CL-A007");
    assert_eq!(critical.len(), 1, "{report:#}");
}

#[test]
fn a_lone_native_app_gets_no_warning_it_cannot_fix_and_no_note_on_rules_that_do_not_apply() {
    let dir = TempDir::new().unwrap();
    let app = r#"{"appId": "51111111-2222-4333-8444-555555555555", "displayName": "Intranet", "signInAudience": "AzureADMyOrg", "publisherDomain": "contoso.com", "verifiedPublisher": {"displayName": null, "verifiedPublisherId": null, "addedDateTime": null}, "requiredResourceAccess": [{"resourceAppId": "00000003-0000-0000-c000-000000000000", "resourceAccess": [{"id": "e1fe6dd8-ba31-4d61-89e7-88639da4683d", "type": "Scope"}]}]}"#;
    write(dir.path(), "app.json", app);
    let (code, report) = check(dir.path(), &["--fail-on", "warning", "app.json"]);
    assert!(
        with_code(&report, "CL-S003").is_empty(),
        "the tenant rules could not run on it anyway: {report:#}"
    );
    assert_eq!(code, 0, "{report:#}");
    let notes = notes(&report);
    assert!(!notes.iter().any(|n| n.contains("`CL-A010`")), "an app of the organisation's own: {notes:#?}");
    // What the format cannot state is still said: the rules that read who consents.
    assert!(notes.iter().any(|n| n.contains("`CL-A002`") && n.contains("`spec.consent`")), "{notes:#?}");
}

#[test]
fn an_import_checked_from_outside_its_folder_uses_its_configuration() {
    let dir = TempDir::new().unwrap();
    let export = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/entra-export");
    let target = dir.path().join("repo");
    let imported = support::run(
        dir.path(),
        &["import", "--no-config", "--output", target.to_str().unwrap(), export.to_str().unwrap()],
    );
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    let findings = |report: &Value| {
        let mut found: Vec<(String, String)> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["code"].as_str().unwrap().to_owned(), d["pointer"].as_str().unwrap().to_owned()))
            .collect();
        found.sort();
        found
    };
    let (_, inside) = files::check_json(&target, &[]);
    let (_, outside) = files::check_json(dir.path(), &["repo"]);
    assert_eq!(findings(&outside), findings(&inside), "{outside:#}");
    assert_eq!(outside["summary"], inside["summary"]);
}

#[test]
fn after_init_the_configuration_and_its_schema_are_not_inputs() {
    let dir = TempDir::new().unwrap();
    let init = support::run(dir.path(), &["init", "--schema"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    assert!(dir.path().join(".consentlint.schema.json").exists());
    write(
        dir.path(),
        "tenants/contoso.yaml",
        "apiVersion: consentlint/v1\nkind: TenantConfig\nmetadata: {name: contoso, tenantId: 139edd04-fa42-4cdc-b5bd-9b9ac4812e84}\nspec:\n  userConsent: {enabled: false, allowRiskyApps: false, groupOwnerConsent: false}\n  usersCanRegisterApps: false\n  adminConsentWorkflow: {enabled: true, notifyReviewers: true, remindersEnabled: true, requestDurationInDays: 30, reviewers: [{group: Reviewers}]}\n",
    );
    let (_, report) = files::check_json(dir.path(), &[]);
    assert_eq!(report["summary"]["files"], 1, "{report:#}");
    assert_eq!(report["summary"]["skipped"], 0, "{report:#}");
    // Named, the configuration is still read as what it is.
    let (_, named) = files::check_json(dir.path(), &["--show-skipped", ".consentlint.yaml"]);
    assert_eq!(named["summary"]["skipped"], 1, "{named:#}");
}

/// The findings of `check --format json ARGS` in `dir` as `(code, pointer)`, sorted, and the notes
/// up to the format they name (a native file's and its import's formats differ by name only).
fn judged(dir: &Path, args: &[&str]) -> (i32, Vec<(String, String)>, Vec<String>) {
    let (code, report) = files::check_json(dir, args);
    let mut found: Vec<(String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (d["code"].as_str().unwrap().to_owned(), d["pointer"].as_str().unwrap_or_default().to_owned())
        })
        .collect();
    found.sort();
    let mut notes: Vec<String> =
        notes(&report).iter().map(|n| n.split(", which the ").next().unwrap().to_owned()).collect();
    notes.sort();
    (code, found, notes)
}

#[test]
fn checking_the_import_of_every_real_world_and_example_folder_gives_the_findings_of_the_export() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut folders: Vec<std::path::PathBuf> = Vec::new();
    for parent in ["tests/fixtures/realworld", "examples", "examples/entra-export"] {
        for entry in std::fs::read_dir(root.join(parent)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            }
        }
    }
    folders.sort();
    let (mut compared, mut refused) = (0, 0);
    for folder in &folders {
        let dir = TempDir::new().unwrap();
        let out = dir.path().join("repo");
        let folder_arg = folder.to_str().unwrap();
        let native = judged(dir.path(), &["--no-config", folder_arg]);
        let import = support::run(
            dir.path(),
            &["import", "--no-config", "--output", out.to_str().unwrap(), folder_arg],
        );
        // An export's grants are its actual state; its import makes them the desired state (the
        // apps that hold them get manifests approving them), which is judged differently by design:
        // `tests/grants.rs` checks that an export checked with its import shows no drift.
        let grants = native.1.iter().any(|(code, _)| code.starts_with("CL-G"))
            || native.2.iter().any(|note: &String| note.contains("`CL-G"));
        if grants {
            continue;
        }
        let conflicts = native.1.iter().any(|(code, _)| code == "CL-S004");
        if conflicts {
            // Two copies of an object the export holds one of: nothing is imported, and the import
            // says why, as checking the export does.
            assert_eq!(import.code, 1, "{}: {}", folder.display(), import.stderr);
            let said = format!("{}{}", import.stdout, import.stderr);
            assert!(said.contains("CL-S004"), "{}: {said}", folder.display());
            assert!(!out.join("tenants").exists(), "{}", folder.display());
            refused += 1;
            continue;
        }
        assert!(import.code == 0 || import.code == 1, "{}: {}", folder.display(), import.stderr);
        if !out.exists() {
            continue; // nothing native in it
        }
        let imported = judged(&out, &[]);
        assert_eq!((imported.1, imported.2), (native.1, native.2), "{}", folder.display());
        compared += 1;
    }
    assert!(compared >= 5 && refused >= 3, "compared {compared}, refused {refused} of {folders:?}");
}

#[test]
fn the_human_snippet_of_line_one_shows_no_byte_order_mark_and_underlines_the_value() {
    let dir = TempDir::new().unwrap();
    let open = AUTHORIZATION.replace("\"allowedToCreateApps\": false", "\"allowedToCreateApps\": true");
    let one_line: String = open.split('\n').map(str::trim).collect::<Vec<_>>().join(" ");
    write(dir.path(), "policy.json", &format!("\u{feff}{one_line}\n"));
    let out = support::run(
        dir.path(),
        &["check", "--no-config", "--format", "human", "--color", "never", "policy.json"],
    );
    assert!(!out.stdout.contains('\u{feff}'), "{}", out.stdout);
    let lines: Vec<&str> = out.stdout.lines().collect();
    let row = lines.iter().position(|l| l.starts_with(" 1 │ ")).unwrap_or_else(|| panic!("{}", out.stdout));
    let text: Vec<char> = lines[row].chars().collect();
    let marks: Vec<char> = lines[row + 1].chars().collect();
    let value = lines[row].find("true").map(|at| lines[row][..at].chars().count()).unwrap();
    let first = marks.iter().position(|c| *c == '─').unwrap();
    assert_eq!(first, value, "the underline starts under `true`:\n{}\n{}", lines[row], lines[row + 1]);
    assert_eq!(text[value..value + 4].iter().collect::<String>(), "true");
    assert!(out.stdout.contains("[policy.json:1:"), "{}", out.stdout);
}

#[test]
fn teams_toolkit_templates_with_placeholder_names_are_named_from_their_path() {
    let dir = TempDir::new().unwrap();
    let template = |scope: &str| {
        format!(
            r#"{{"id": "${{{{AAD_APP_OBJECT_ID}}}}", "appId": "${{{{AAD_APP_CLIENT_ID}}}}", "name": "${{{{APP_NAME}}}}-aad", "requiredResourceAccess": [{{"resourceAppId": "Microsoft Graph", "resourceAccess": [{{"id": "{scope}", "type": "Scope"}}]}}]}}"#
        )
    };
    write(dir.path(), "bot-sso/aad.manifest.json", &template("User.Raed"));
    write(dir.path(), "tab-sso/aad.manifest.json", &template("User.Reed"));
    let (_, report) = check(dir.path(), &["bot-sso", "tab-sso"]);
    let unknown = with_code(&report, "CL-A004");
    assert_eq!(unknown.len(), 2, "{report:#}");
    let names: Vec<&str> = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["message"].as_str())
        .filter(|n| n.contains("`CL-A009`"))
        .collect();
    assert!(
        names.iter().any(|n| n.contains("`bot-sso-aad.manifest`") && n.contains("`tab-sso-aad.manifest`")),
        "{names:#?}"
    );
}

#[test]
fn classifications_whose_api_is_not_exported_are_not_judged_for_that_reason() {
    let dir = TempDir::new().unwrap();
    let id = "7d3e1c5a-2b4f-4e6d-8a9c-0b1d2e3f4a5b";
    write(dir.path(), "t/Policies/AuthorizationPolicy/AuthorizationPolicy.json", AUTHORIZATION);
    write(
        dir.path(),
        &format!("t/ServicePrincipals/{id}/DelegatedPermissionClassifications/{id}.json"),
        r#"{"value": [{"id": "x", "classification": "low", "permissionId": "e1fe6dd8-ba31-4d61-89e7-88639da4683d", "permissionName": "User.Read"}]}"#,
    );
    let (_, report) = check(dir.path(), &["t"]);
    let notes = notes(&report);
    let note = notes.iter().find(|n| n.contains("`CL-T010`")).unwrap_or_else(|| panic!("{notes:#?}"));
    assert!(note.contains("cannot be tied to an API"), "{note}");
    assert!(!note.contains("does not state"), "{note}");
}

#[test]
fn a_collection_of_two_policies_a_tenant_has_one_of_is_reported_at_the_second() {
    let dir = TempDir::new().unwrap();
    let policy = |create: bool| {
        format!(
            "{{\"id\": \"authorizationPolicy\", \"defaultUserRolePermissions\": {{\"allowedToCreateApps\": {create}, \"permissionGrantPoliciesAssigned\": []}}}}"
        )
    };
    let text = format!("[\n  {},\n  {}\n]\n", policy(false), policy(true));
    write(dir.path(), "policies.json", &text);
    let (_, report) = check(dir.path(), &["policies.json"]);
    let second = with_code(&report, "CL-S004");
    assert_eq!(second.len(), 1, "{report:#}");
    assert_eq!(second[0]["line"], 3, "at the second policy: {report:#}");
    assert!(with_code(&report, "CL-T009").is_empty(), "the first policy is the one used: {report:#}");
    assert_eq!(report["summary"]["skipped"], 0, "{report:#}");
}

#[test]
fn a_run_over_the_real_world_folder_counts_what_it_skipped_and_skips_no_kind_it_reads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_, report) = files::check_json(root, &["--no-config", "--show-skipped", "tests/fixtures/realworld"]);
    let skipped: Vec<String> = notes(&report)
        .into_iter()
        .filter_map(|n| {
            n.strip_prefix('`')
                .and_then(|n| n.split_once("` was skipped: "))
                .map(|(f, why)| format!("{f}: {why}"))
        })
        .collect();
    assert_eq!(report["summary"]["skipped"], skipped.len(), "{skipped:#?}");
    assert!(!skipped.is_empty());
    // What may be skipped: formats consentlint does not read, and change (PATCH) bodies.
    let not_read = ["/appcreationscripts/", "/bicep/", "/msidentity-app-registrations-apps-json/"];
    for entry in &skipped {
        let (file, why) = entry.split_once(": ").unwrap();
        let other_format = not_read.iter().any(|dir| file.contains(dir));
        let change = why.contains("(a PATCH body)");
        assert!(other_format || change, "a file of a kind consentlint reads was skipped: {entry}");
    }
    let plain =
        support::run(root, &["check", "--no-config", "--format", "plain", "tests/fixtures/realworld"]);
    let last = plain.stdout.lines().last().unwrap_or_default().to_owned();
    assert!(last.ends_with(&format!("; {} files were skipped)", skipped.len())), "{last}");
}
