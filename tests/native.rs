//! Native inputs: a Microsoft Graph `authorizationPolicy`, as Graph, the CLI for Microsoft 365 and
//! PowerShell save it, is recognised by its content and judged as a tenant by the built-in rules,
//! with findings underlining the native text; JSON of any other shape stays silent.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "test helpers fail loudly, and index texts they wrote"
)]

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

const FIXTURES: &str = "tests/fixtures/native";
const LEGACY: &str = "\"ManagePermissionGrantsForSelf.microsoft-user-default-legacy\"";

/// Runs `consentlint check --format FORMAT PATH` from `dir` and returns stdout and the exit code.
fn check(dir: &Path, format: &str, path: &str) -> (String, i32) {
    let output = Command::cargo_bin("consentlint")
        .unwrap()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200")
        .args(["check", "--format", format, path])
        .output()
        .unwrap();
    (String::from_utf8(output.stdout).unwrap(), output.status.code().unwrap())
}

/// A finding as `(code, line, column, end column, pointer)`.
type Finding = (String, u64, u64, u64, String);

/// The findings of a fixture as `(code, line, column, end column, pointer)`, and how many documents
/// were judged.
fn findings(dir: &Path, path: &str) -> (Vec<Finding>, u64) {
    let (stdout, _) = check(dir, "json", path);
    let json: Value = serde_json::from_str(&stdout).unwrap();
    let found = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["endColumn"].as_u64().unwrap(),
                d["pointer"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (found, json["summary"]["documents"].as_u64().unwrap())
}

fn here() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The column (1-based) where `needle` starts on 1-based `line` of the fixture `name`.
fn column_of(name: &str, line: usize, needle: &str) -> u64 {
    let text = std::fs::read_to_string(here().join(FIXTURES).join(name)).unwrap();
    let line = text.lines().nth(line - 1).unwrap();
    line.find(needle).unwrap() as u64 + 1
}

#[test]
fn a_v1_entity_with_the_legacy_policy_fails_cl_t006_at_the_policy_id() {
    let name = "cli-microsoft365-policy-list-spec-authorizationPolicy-v1.0.json";
    let (found, documents) = findings(here(), &format!("{FIXTURES}/{name}"));
    assert_eq!(documents, 1, "recognised as one tenant");
    let start = column_of(name, 17, LEGACY);
    let end = start + LEGACY.chars().count() as u64;
    assert!(
        found.contains(&("CL-T006".into(), 17, start, end, "/spec/userConsent/policy".into())),
        "{found:?}"
    );
    // `allowedToCreateApps: true` is the value CL-T009 points at.
    let apps = column_of(name, 13, "true");
    assert!(
        found.contains(&("CL-T009".into(), 13, apps, apps + 4, "/spec/usersCanRegisterApps".into())),
        "{found:?}"
    );
    // The admin consent workflow and group owner consent are not in the object: no rule reads them.
    assert!(found.iter().all(|(code, ..)| !matches!(code.as_str(), "CL-T001" | "CL-T008")), "{found:?}");
    assert_eq!(found.len(), 2, "{found:?}");
}

#[test]
fn the_plain_underline_is_the_native_string() {
    let name = "cli-microsoft365-policy-list-spec-authorizationPolicy-v1.0.json";
    let (stdout, code) = check(here(), "plain", &format!("{FIXTURES}/{name}"));
    assert_eq!(code, 1);
    let lines: Vec<&str> = stdout.lines().collect();
    let at = lines.iter().position(|l| l.contains(LEGACY) && l.starts_with("17 |")).expect(&stdout);
    let source = lines[at];
    let carets = lines[at + 1];
    let start = carets.find('^').unwrap();
    let width = carets[start..].chars().take_while(|&c| c == '^').count();
    assert_eq!(&source[start..start + width], LEGACY, "{stdout}");
}

#[test]
fn a_beta_value_collection_is_recognised() {
    let name = "graph-docs-beta-authorizationpolicy-get-response-collection-newer-revision.json";
    let (found, documents) = findings(here(), &format!("{FIXTURES}/{name}"));
    assert_eq!(documents, 1);
    let start = column_of(name, 18, LEGACY);
    let end = start + LEGACY.chars().count() as u64;
    // `allowedToCreateApps` is false here, so CL-T006 stands alone.
    assert_eq!(found, [("CL-T006".into(), 18, start, end, "/spec/userConsent/policy".into())]);
}

#[test]
fn a_policy_with_no_self_consent_entry_is_consent_off_and_invents_nothing() {
    // `permissionGrantPoliciesAssigned: ["just-user-read"]`: no `ManagePermissionGrantsForSelf.`
    // entry, so user consent is off; CL-T001 would need the admin consent workflow, which this
    // object does not hold, so it is not run.
    let name = "graph-docs-v1.0-authorizationpolicy-get-response.json";
    let (found, documents) = findings(here(), &format!("{FIXTURES}/{name}"));
    assert_eq!(documents, 1);
    let apps = column_of(name, 13, "true");
    assert_eq!(found, [("CL-T009".into(), 13, apps, apps + 4, "/spec/usersCanRegisterApps".into())]);
}

#[test]
fn powershell_pascal_case_is_recognised_in_utf8_and_utf16() {
    let name = "scubagear-v1.8-authorization-policies-pascalcase.json";
    let text = std::fs::read_to_string(here().join(FIXTURES).join(name)).unwrap();
    let apps = column_of(name, 14, "true");
    // `ManagePermissionGrantsForSelf.microsoft-user-default-low`: CL-T006 passes.
    let expected = [("CL-T009".into(), 14, apps, apps + 4, "/spec/usersCanRegisterApps".into())];
    assert_eq!(findings(here(), &format!("{FIXTURES}/{name}")), (expected.to_vec(), 1));
    // Windows PowerShell's `Out-File` writes UTF-16 LE with a byte-order mark.
    let dir = TempDir::new().unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(dir.path().join("policy.json"), bytes).unwrap();
    assert_eq!(findings(dir.path(), "policy.json"), (expected.to_vec(), 1));
}

#[test]
fn json_of_another_shape_and_patch_bodies_are_skipped_silently() {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("package.json"), "{\"name\": \"x\", \"value\": [1, 2]}\n").unwrap();
    // A PATCH body holds only the changed keys: a change, not the tenant's state.
    std::fs::write(
        dir.path().join("patch.json"),
        "{\"defaultUserRolePermissions\": {\"permissionGrantPoliciesAssigned\": [\"managePermissionGrantsForSelf.microsoft-user-default-legacy\"]}}\n",
    )
    .unwrap();
    let (stdout, code) = check(dir.path(), "json", ".");
    assert_eq!(code, 0, "{stdout}");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["diagnostics"], Value::Array(Vec::new()));
    assert_eq!(json["summary"]["documents"], 0);
}

#[test]
fn the_tenant_name_comes_from_the_directory_and_apps_find_it() {
    let dir = TempDir::new().unwrap();
    let tenant = dir.path().join("Contoso_Prod");
    std::fs::create_dir(&tenant).unwrap();
    let name = "graph-docs-beta-authorizationpolicy-get-response-collection-newer-revision.json";
    std::fs::copy(here().join(FIXTURES).join(name), tenant.join("policy.json")).unwrap();
    let app = std::fs::read_to_string(here().join("examples/apps/contoso/expense-tracker.yaml")).unwrap();
    let app: String = app
        .lines()
        .map(|line| if line.starts_with("  tenant:") { "  tenant: nowhere" } else { line })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.path().join("app.yaml"), app).unwrap();
    let (stdout, _) = check(dir.path(), "json", ".");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    let unknown =
        json["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "CL-S002").expect(&stdout);
    assert_eq!(unknown["help"], "expected one of `contoso-prod`", "{stdout}");
}

#[test]
fn an_app_of_a_native_tenant_is_not_judged_on_the_workflow_the_policy_does_not_hold() {
    // Consent is off in this tenant; CL-A002 would report, for an app that expects user consent,
    // that there is no admin consent workflow, a fact the object does not hold.
    let dir = TempDir::new().unwrap();
    let tenant = dir.path().join("contoso");
    std::fs::create_dir(&tenant).unwrap();
    let name = "graph-docs-v1.0-authorizationpolicy-get-response.json";
    std::fs::copy(here().join(FIXTURES).join(name), tenant.join("policy.json")).unwrap();
    let app = std::fs::read_to_string(here().join("examples/apps/contoso/expense-tracker.yaml")).unwrap();
    std::fs::write(dir.path().join("app.yaml"), app.replace("consent: admin", "consent: user")).unwrap();
    let (stdout, _) = check(dir.path(), "json", ".");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    let codes: Vec<&str> =
        json["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"CL-T009"), "the tenant is judged: {stdout}");
    assert!(codes.iter().all(|code| !matches!(*code, "CL-A002" | "CL-S001" | "CL-S002")), "{stdout}");
}

#[test]
fn a_tenant_policy_of_its_own_passes_the_schema_and_cl_t006_is_not_run() {
    let dir = TempDir::new().unwrap();
    let policy = r#"{
  "id": "authorizationPolicy",
  "allowUserConsentForRiskyApps": true,
  "defaultUserRolePermissions": {
    "allowedToCreateApps": false,
    "permissionGrantPoliciesAssigned": ["ManagePermissionGrantsForSelf.contoso-reviewed"]
  }
}
"#;
    std::fs::write(dir.path().join("policy.json"), policy).unwrap();
    let (stdout, _) = check(dir.path(), "json", "policy.json");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    let codes: Vec<&str> =
        json["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    // `allowUserConsentForRiskyApps: true` is stated, so CL-T007 stands, at line 3.
    assert_eq!(codes, ["CL-T007"], "{stdout}");
    assert_eq!(json["diagnostics"][0]["line"], 3);
}
