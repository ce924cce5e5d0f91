//! Consents already given: grants read in every form (EntraExporter's files, Microsoft Graph
//! collections as its documentation publishes them, PowerShell output in Pascal case and UTF-16),
//! located at the permission inside the native text; bad input said at its place without losing
//! the rest of the run; an export checked with its import as one tenant; the `grants` view.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "test helpers fail loudly, and index texts they read"
)]

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

#[path = "support/copy.rs"]
mod copy;
use copy::copy_dir;

const GRANTS: &str = "tests/fixtures/grants";
const ADATUM: &str = "examples/entra-export/adatum";

/// Runs consentlint with `args` from the repository root; stdout and the exit code.
fn run(args: &[&str]) -> (String, i32) {
    let output = Command::cargo_bin("consentlint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200")
        .args(args)
        .output()
        .unwrap();
    (String::from_utf8(output.stdout).unwrap(), output.status.code().unwrap())
}

/// A diagnostic as `(code, file name, line, column, end column)`.
type Found = (String, String, u64, u64, u64);

/// The diagnostics of `check --format json` on `paths`, and its notes.
fn check(paths: &[&str]) -> (Vec<Found>, Vec<String>) {
    let mut args = vec!["check", "--format", "json"];
    args.extend(paths);
    let (stdout, _) = run(&args);
    let json: Value = serde_json::from_str(&stdout).unwrap();
    let found = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let file = d["file"].as_str().unwrap();
            let name = Path::new(file).file_name().unwrap().to_str().unwrap().to_owned();
            (
                d["code"].as_str().unwrap().to_owned(),
                name,
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                d["endColumn"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let notes =
        json["notes"].as_array().unwrap().iter().map(|n| n["message"].as_str().unwrap().to_owned()).collect();
    (found, notes)
}

fn found(code: &str, file: &str, line: u64, column: u64, end: u64) -> Found {
    (code.to_owned(), file.to_owned(), line, column, end)
}

/// `Get-MgOauth2PermissionGrant` and `Get-MgServicePrincipalAppRoleAssignment` piped to Windows
/// PowerShell's `ConvertTo-Json | Out-File` (UTF-16 with a byte-order mark, CRLF, Pascal case):
/// each finding underlines the permission's name inside `Scope` and the `AppRoleId`, at the same
/// place as in the same files saved as UTF-8.
#[test]
fn powershell_output_in_utf16_is_judged_at_the_permission() {
    let dir = format!("{GRANTS}/powershell");
    let (utf16, _) = check(&[&dir]);
    let expected = [
        // `Mail.ReadWrite` in `"Scope":  "User.Read Mail.ReadWrite"` (Microsoft Graph rates it high).
        found("CL-G001", "grants.json", 8, 30, 44),
        // `RoleManagement.ReadWrite.Directory` (critical), at the quoted id.
        found("CL-G002", "assignments.json", 3, 23, 61),
    ];
    let mut sorted = utf16.clone();
    sorted.sort();
    let mut wanted = expected.to_vec();
    wanted.sort();
    assert_eq!(sorted, wanted);
    let copy = TempDir::new().unwrap();
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(&dir)).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let text = if bytes.starts_with(&[0xff, 0xfe]) {
            let units: Vec<u16> = bytes[2..].chunks(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
            String::from_utf16(&units).unwrap()
        } else {
            String::from_utf8(bytes).unwrap()
        };
        std::fs::write(copy.path().join(path.file_name().unwrap()), text).unwrap();
    }
    let (utf8, _) = check(&[copy.path().to_str().unwrap()]);
    let mut utf8 = utf8;
    utf8.sort();
    assert_eq!(utf8, wanted, "UTF-8 and UTF-16 give the same places");
}

/// The plain renderer underlines the name inside the scope string, after a multi-byte app name in
/// the message.
#[test]
fn the_underline_is_under_the_permission_name() {
    let (stdout, code) = run(&[
        "check",
        "--format",
        "plain",
        &format!("{GRANTS}/powershell/grants.json"),
        &format!("{GRANTS}/powershell/service-principals.json"),
        &format!("{GRANTS}/powershell/organization.json"),
    ]);
    assert_eq!(code, 0, "a warning does not fail the run");
    let lines: Vec<&str> = stdout.lines().collect();
    let at = lines.iter().position(|l| l.contains("\"Scope\":  \"User.Read Mail.ReadWrite\"")).unwrap();
    let source = lines[at];
    let carets = lines[at + 1];
    let start = carets.find('^').unwrap();
    let end = carets.rfind('^').unwrap() + 1;
    assert_eq!(&source[start..end], "Mail.ReadWrite", "{stdout}");
    assert!(
        stdout.contains("`Tailspin Reports – Zürich` holds `Mail.ReadWrite` of Microsoft Graph"),
        "{stdout}"
    );
}

/// Microsoft Graph's own example responses (API reference, credited in the fixture's README): a
/// `value` collection of delegated grants and one of app role assignments. Neither comes with the
/// service principals it names: every id is said, none dropped, and the assignment's permission
/// is named through the catalog by the API name it states.
#[test]
fn graph_documentation_examples_are_read_and_their_unknown_ids_said() {
    let (grants, notes) = check(&[&format!("{GRANTS}/graph-docs/oauth2permissiongrant-list.json")]);
    let unresolved: Vec<&Found> = grants.iter().filter(|f| f.0 == "CL-S006").collect();
    // Two grants: the client of each, and the API of each.
    assert_eq!(unresolved.len(), 4, "{grants:?}");
    assert!(
        grants.iter().all(|f| f.0 == "CL-S006"),
        "no rule judges a permission of an unknown API: {grants:?}"
    );
    assert!(notes.iter().any(|n| n.contains("no permission catalog describes them")), "{notes:?}");
    let (assignments, _) =
        check(&[&format!("{GRANTS}/graph-docs/serviceprincipal-list-approleassignments.json")]);
    // The client is unknown; `e2a3a72e-…` is Microsoft Graph's application `Mail.ReadWrite` (critical).
    assert_eq!(
        assignments,
        [
            found("CL-G002", "serviceprincipal-list-approleassignments.json", 7, 20, 58),
            found("CL-S006", "serviceprincipal-list-approleassignments.json", 9, 22, 60)
        ]
    );
}

/// Bad input, each said at its place, and the good grant beside them still judged.
#[test]
fn bad_grants_are_located_and_nothing_else_is_lost() {
    let (mut got, _) = check(&[&format!("{GRANTS}/bad")]);
    got.sort();
    let mut expected = vec![
        found("CL-S005", "empty.json", 7, 12, 14),
        found("CL-S005", "spaces.json", 7, 22, 24),
        found("CL-S005", "spaces.json", 7, 33, 34),
        // The same app, API and consent as duplicate.json.
        found("CL-S007", "spaces.json", 1, 1, 2),
        found("CL-S006", "unknown-client.json", 2, 15, 53),
        found("CL-S006", "unknown-client.json", 7, 13, 22),
        found("CL-S001", "unknown-consent.json", 3, 18, 28),
        found("CL-G001", "good.json", 7, 13, 27),
    ];
    expected.sort();
    assert_eq!(got, expected);
}

/// EntraExporter writes each application permission assignment twice; the copy under the API's
/// `AppRoleAssignedTo/` is one grant with the other, unless it differs.
#[test]
fn entra_exporters_second_copy_is_one_grant_unless_it_differs() {
    let (got, _) = check(&[ADATUM]);
    let g002 = got.iter().filter(|f| f.0 == "CL-G002").count();
    assert_eq!(g002, 2, "two assignments, each once: {got:?}");
    let copy = TempDir::new().unwrap();
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join(ADATUM), copy.path());
    let twin = copy.path().join(
        "ServicePrincipals/9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/AppRoleAssignedTo/K5o_XUyMD0-2px4vOktcbc7dRjvxEzxGp7oCC0ZEqvk/K5o_XUyMD0-2px4vOktcbc7dRjvxEzxGp7oCC0ZEqvk.json",
    );
    let text = std::fs::read_to_string(&twin).unwrap();
    // Application.ReadWrite.All instead of User.Read.All.
    std::fs::write(
        &twin,
        text.replace("df021288-bdef-4463-88db-98f22de89214", "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9"),
    )
    .unwrap();
    let (got, _) = check(&[copy.path().to_str().unwrap()]);
    let duplicate: Vec<&Found> = got.iter().filter(|f| f.0 == "CL-S007").collect();
    assert_eq!(duplicate.len(), 1, "{got:?}");
    assert_eq!(got.iter().filter(|f| f.0 == "CL-G002").count(), 3, "the differing copy is judged: {got:?}");
}

/// An export and its import, checked together, are one tenant: no tenant name used twice, no app
/// id used twice, and no drift, since the import approves exactly what the export grants. Editing
/// the import (a permission removed) is drift again, at the grant.
#[test]
fn an_export_checked_with_its_import_is_one_tenant_without_drift() {
    let out = TempDir::new().unwrap();
    let imported = out.path().join("desired");
    let (_, code) = run(&["import", ADATUM, "--output", imported.to_str().unwrap()]);
    assert_eq!(code, 0);
    let (got, _) = check(&[ADATUM, imported.to_str().unwrap()]);
    let codes: Vec<&str> = got.iter().map(|f| f.0.as_str()).collect();
    for code in ["CL-S002", "CL-A009", "CL-G004"] {
        assert!(!codes.contains(&code), "{code} in {got:?}");
    }
    assert!(codes.contains(&"CL-G006"), "the grant rules still run: {got:?}");
    let manifest = imported.join("apps/adatum-corporation/inbox-helper-pro.yaml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    assert!(text.contains("consent: user"), "{text}");
    let trimmed: String = {
        let start = text.find("    - name: Mail.Read").unwrap();
        let end = text[start + 1..].find("    - name:").map_or(text.len(), |e| e + start + 1);
        format!("{}{}", &text[..start], &text[end..])
    };
    std::fs::write(&manifest, trimmed).unwrap();
    let (got, _) = check(&[ADATUM, imported.to_str().unwrap()]);
    let drift: Vec<&Found> = got.iter().filter(|f| f.0 == "CL-G004").collect();
    assert_eq!(drift.len(), 1, "{got:?}");
    assert_eq!((drift[0].2, drift[0].3), (7, 37), "at `Mail.Read` in the scope string");
}

/// The `grants` view: exit 0 once the inputs are read, whatever they grant; the JSON names each
/// app's publisher, verification and permissions with their consent, users, risk and approval.
#[test]
fn the_grants_view_shows_each_app() {
    let (stdout, code) = run(&["grants", "--format", "json", ADATUM, "examples/desired/adatum"]);
    assert_eq!(code, 0);
    let json: Value = serde_json::from_str(&stdout).unwrap();
    let apps = json["apps"].as_array().unwrap();
    let names: Vec<&str> = apps.iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["Adatum Directory Sync", "Adatum Mail Digest", "Fabrikam Planner", "Inbox Helper Pro"]
    );
    let inbox = &apps[3];
    assert_eq!(inbox["verified"], Value::Bool(false));
    assert_eq!(inbox["origin"], "other-organization");
    let mail = inbox["permissions"].as_array().unwrap().iter().find(|p| p["name"] == "Mail.Read").unwrap();
    assert_eq!(
        (mail["consent"].as_str(), mail["users"].as_u64(), mail["approved"].as_bool()),
        (Some("user"), Some(1), Some(false))
    );
    let sync = &apps[0]["permissions"][0];
    assert_eq!(
        (sync["name"].as_str(), sync["type"].as_str(), sync["risk"].as_str()),
        (Some("RoleManagement.ReadWrite.Directory"), Some("application"), Some("critical"))
    );
    let (csv, code) = run(&["grants", "--format", "csv", ADATUM]);
    assert_eq!(code, 0);
    assert_eq!(csv.lines().count(), 13, "a header and twelve permissions: {csv}");
    let (missing, code) = run(&["grants", "no/such/export"]);
    assert_eq!(code, 2, "{missing}");
}

/// The human view of the example, as README.md shows it.
#[test]
fn the_grants_view_of_the_example() {
    let (stdout, _) = run(&["grants", ADATUM]);
    insta::assert_snapshot!(stdout);
}

/// ScubaGear's v1.8 sample export (cisagov/ScubaGear, `PowerShell/ScubaGear/Sample-Reports/`,
/// CC0-1.0) and the `ScubaResults_<id>.json` of the same run, which repeats it under `Raw`.
const SCUBA: &str = "tests/fixtures/realworld/scubagear/scubagear-v1.8-sample-ProviderSettingsExport.json";
const SCUBA_RESULTS: &str =
    "tests/fixtures/realworld/scubagear/scubagear-v1.8-sample-ScubaResults_fa5589b7-d528-4f80.json";

/// The line and column (1-based, in characters) of the value of the `RoleId` that is `id`, among
/// the permissions of the app named `app` in the ScubaGear export `text`, and its end column.
fn role_at(text: &str, app: &str, id: &str) -> (u64, u64, u64) {
    let lists = text.find("\"risky_applications\"").unwrap();
    let from = lists + text[lists..].find(&format!("\"DisplayName\":  \"{app}\"")).unwrap();
    let at = from + text[from..].find(&format!("\"RoleId\":  \"{id}\"")).unwrap() + "\"RoleId\":  ".len();
    let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let line = text[..at].matches('\n').count() as u64 + 1;
    let column = text[line_start..at].chars().count() as u64 + 1;
    (line, column, column + id.len() as u64 + 2)
}

/// The application permissions ScubaGear's lists record as consented are grants, judged at their
/// `RoleId`: `User.Read.All` of `Test Application` (`risky_applications`, `IsAdminConsented`),
/// `Directory.Read.All` of `Test 3rd Party App` and `Policy.Read.All` of `Test Service Principal`
/// (`risky_third_party_service_principals`), each rated high in the catalog. Permissions an app
/// only requests (`IsAdminConsented: false`) are not grants. A run holding the export and its
/// results judges each grant once, in the export; the results alone are judged as the export.
#[test]
fn scubagear_lists_are_grants_judged_once_per_run() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = TempDir::new().unwrap();
    let export = dir.path().join("ProviderSettingsExport.json");
    let results = dir.path().join("ScubaResults_fa5589b7-d528-4f80.json");
    std::fs::copy(root.join(SCUBA), &export).unwrap();
    std::fs::copy(root.join(SCUBA_RESULTS), &results).unwrap();
    let expected = |file: &str, text: &str| -> Vec<Found> {
        let mut all = vec![
            ("Test Application", "df021288-bdef-4463-88db-98f22de89214"),
            ("Test 3rd Party App", "7ab1d382-f21e-4acd-a863-ba3e13f7da61"),
            ("Test Service Principal", "246dd0d5-5bd0-4def-940b-0421030a5b68"),
        ]
        .into_iter()
        .map(|(app, id)| {
            let (line, column, end) = role_at(text, app, id);
            found("CL-G002", file, line, column, end)
        })
        .collect::<Vec<_>>();
        all.sort();
        all
    };
    let g002 = |got: Vec<Found>| {
        let mut g002: Vec<Found> = got.into_iter().filter(|f| f.0 == "CL-G002").collect();
        g002.sort();
        g002
    };
    let (got, notes) = check(&[dir.path().to_str().unwrap()]);
    let export_text = std::fs::read_to_string(&export).unwrap();
    assert_eq!(g002(got), expected("ProviderSettingsExport.json", &export_text));
    assert!(
        notes
            .iter()
            .any(|n| n.contains("`CL-G005` was not judged") && n.contains("ScubaGear's export lists")),
        "{notes:?}"
    );
    std::fs::remove_file(&export).unwrap();
    let (got, _) = check(&[dir.path().to_str().unwrap()]);
    let results_text = std::fs::read_to_string(&results).unwrap().trim_start_matches('\u{feff}').to_owned();
    assert_eq!(g002(got), expected("ScubaResults_fa5589b7-d528-4f80.json", &results_text));
}

/// A desired state of ScubaGear's tenant (`tqhjy`) judges its grants: the approved one passes,
/// the others are drift (`CL-G004`). ScubaGear lists only some grants, so an approved grant it
/// does not list is not called missing: the run says it could not look.
#[test]
fn scubagear_grants_against_a_desired_state() {
    let dir = TempDir::new().unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(SCUBA),
        dir.path().join("ProviderSettingsExport.json"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("test-application.yaml"),
        "apiVersion: consentlint/v1\nkind: AppManifest\nmetadata:\n  name: test-application\n  \
         appId: 11904e76-b1b1-4b38-89dd-58387f0a4321\n  tenant: tqhjy\nspec:\n  displayName: Test Application\n  \
         publisher:\n    name: tqhjy IT\n    origin: organization\n  signInAudience: single-tenant\n  consent: admin\n  permissions:\n    - name: User.Read.All\n      \
         type: application\n      justification: Read the directory.\n    - name: Mail.Send\n      \
         type: application\n      justification: Send the reports.\n",
    )
    .unwrap();
    let (got, notes) = check(&[dir.path().to_str().unwrap()]);
    let drift: Vec<&Found> = got.iter().filter(|f| f.0 == "CL-G004").collect();
    // 8 grants, one approved; nothing about `Mail.Send`, which ScubaGear does not list.
    assert_eq!(drift.len(), 7, "{got:?}");
    assert!(drift.iter().all(|f| f.1 == "ProviderSettingsExport.json"), "{drift:?}");
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("`CL-G004` did not look for approved grants that tenant `tqhjy` lacks")),
        "{notes:?}"
    );
    let (stdout, code) = run(&["grants", "--format", "json", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0);
    let json: Value = serde_json::from_str(&stdout).unwrap();
    let apps = json["apps"].as_array().unwrap();
    assert_eq!(apps.len(), 3);
    assert!(
        apps.iter().all(|a| a["partialSource"].as_str().is_some_and(|s| s.starts_with("ScubaGear export")))
    );
    let test_app = apps.iter().find(|a| a["name"] == "Test Application").unwrap();
    assert_eq!(test_app["origin"], "organization");
    assert_eq!(test_app["permissions"][0]["approved"], Value::Bool(true));
    let (human, _) = run(&["grants", dir.path().to_str().unwrap()]);
    assert!(
        human.contains(
            "  grants: read from the ScubaGear export (`risky_third_party_service_principals`), which lists only \
             the application permissions of apps that hold a risky one"
        ),
        "{human}"
    );
    let (html, _) = run(&["grants", "--format", "html", dir.path().to_str().unwrap()]);
    assert!(
        html.contains(
            "<p>Grants read from the ScubaGear export (<code>risky_applications</code>), which lists only"
        ),
        "the format's name is code on the page"
    );
}
