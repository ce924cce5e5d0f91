//! The seams between stages: discovery says which files were named, diagnostics point into other
//! files in every format, configuration problems stop the run at their place, policy tests never
//! swallow a broken case, and every tool code is listed and documented.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "a test fails loudly when its setup fails; tests index what they built"
)]

use std::path::Path;

use consentlint::codes::Code;
use serde_json::Value;
use tempfile::TempDir;

#[path = "support/files.rs"]
mod files;
#[path = "support/snapshots.rs"]
mod snapshots;
#[path = "support/run.rs"]
mod support;
use files::write;
use support::run;

use files::check_json as json;

fn diagnostics(report: &Value) -> &Vec<Value> {
    report["diagnostics"].as_array().unwrap()
}

const TENANT: &str = "apiVersion: consentlint/v1
kind: TenantConfig
metadata:
  name: contoso
  tenantId: 6f1c2e4a-0b7d-4c1e-9a55-3e2f7d8c9b10
spec:
  userConsent: {enabled: false, allowRiskyApps: false, groupOwnerConsent: false}
  usersCanRegisterApps: false
  adminConsentWorkflow:
    enabled: true
    reviewers: [{group: Reviewers}]
    notifyReviewers: true
    remindersEnabled: true
    requestDurationInDays: 30
";

/// An app that expects user consent where user consent is off (CL-A002, line 9).
const APP: &str = "apiVersion: consentlint/v1
kind: AppManifest
metadata:
  name: notes
  appId: 0d4b6f2e-7a1c-4e8b-9f3d-2c5a8e1b7f60
spec:
  displayName: Notes
  publisher: {name: Contoso IT, origin: organization}
  consent: user
  permissions:
    - {name: User.Read, type: delegated, justification: Sign in.}
";

fn repo() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    write(dir.path(), "tenants/contoso.yaml", TENANT);
    write(dir.path(), "apps/notes.yaml", APP);
    dir
}

#[test]
fn a_named_file_is_checked_however_its_path_is_spelt() {
    let dir = repo();
    write(dir.path(), ".consentlint.yaml", "include: [\"apps/**\"]\n");
    write(dir.path(), "other/app.yaml", APP);
    for spelling in ["other/app.yaml", "./other/app.yaml"] {
        let (_, report) = json(dir.path(), &[spelling, "--no-config"]);
        assert_eq!(report["summary"]["files"], 1, "{spelling} without configuration");
        let (_, report) = json(dir.path(), &[spelling]);
        assert_eq!(report["summary"]["files"], 1, "{spelling}: include filters walked files only");
    }
    // Walked, the same file is not included.
    let (_, report) = json(dir.path(), &["other"]);
    assert_eq!(report["summary"]["files"], 0);
}

#[test]
fn an_app_finding_points_at_the_tenant_it_was_judged_against() {
    let dir = repo();
    let (code, report) = json(dir.path(), &["--select", "CL-A002"]);
    assert_eq!(code, 0, "CL-A002 is a warning: {report:#}");
    let [finding] = diagnostics(&report).as_slice() else { panic!("{report:#}") };
    assert_eq!((finding["file"].as_str(), finding["line"].as_u64()), (Some("apps/notes.yaml"), Some(9)));
    let related = &finding["related"][0];
    assert_eq!(related["file"], "tenants/contoso.yaml");
    assert_eq!((related["line"].as_u64(), related["column"].as_u64()), (Some(4), Some(9)));
    assert_eq!((related["endLine"].as_u64(), related["endColumn"].as_u64()), (Some(4), Some(16)));
    assert_eq!(related["message"], "the tenant it is judged against");
}

#[test]
fn related_locations_in_other_files_reach_sarif_and_plain() {
    let dir = repo();
    write(dir.path(), "tenants/copy.yaml", TENANT);
    let out = run(dir.path(), &["check", "tenants", "--select", "CL-S002", "--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&out.stdout).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "tenants/copy.yaml");
    let related = &result["relatedLocations"][0]["physicalLocation"];
    assert_eq!(related["artifactLocation"]["uri"], "tenants/contoso.yaml");
    assert_eq!(related["region"]["startLine"], 4);
    assert_eq!(related["region"]["startColumn"], 9);

    let plain = run(dir.path(), &["check", "tenants", "--select", "CL-S002", "--format", "plain"]);
    let expected = "\
error[CL-S002]: tenant name `contoso` is already used by the tenant at tenants/contoso.yaml:4
 --> tenants/copy.yaml:4:9
  |
4 |   name: contoso
  |         ^^^^^^^ used twice
  |
 ::: tenants/contoso.yaml:4:9
  |
4 |   name: contoso
  |         ------- first used here
  |
";
    assert!(plain.stdout.starts_with(expected), "{}", plain.stdout);
}

#[test]
fn a_severity_set_in_the_configuration_points_at_its_line() {
    let dir = repo();
    write(dir.path(), ".consentlint.yaml", "# severities\nrules:\n  CL-A002: error\n");
    let (code, report) = json(dir.path(), &["--select", "CL-A002"]);
    assert_eq!(code, 1);
    let [finding] = diagnostics(&report).as_slice() else { panic!("{report:#}") };
    assert_eq!(finding["severity"], "error");
    let setting = finding["related"].as_array().unwrap().iter().find(|r| r["file"] == ".consentlint.yaml");
    let setting = setting.unwrap_or_else(|| panic!("{finding:#}"));
    assert_eq!((setting["line"].as_u64(), setting["column"].as_u64()), (Some(3), Some(3)));
    assert_eq!(setting["message"], "severity set to error here");
}

#[test]
fn an_unreadable_configuration_stops_the_run_at_its_place() {
    let cases: [(&str, &str, (u64, u64)); 4] = [
        ("syntax error", "failOn: [error\n", (2, 1)),
        ("duplicate key", "failOn: never\nfailOn: error\n", (2, 1)),
        ("tab indentation", "rules:\n\tCL-A002: off\n", (2, 1)),
        ("second document", "failOn: never\n---\nfailOn: error\n", (3, 1)),
    ];
    for (what, text, (line, column)) in cases {
        let dir = repo();
        write(dir.path(), ".consentlint.yaml", text);
        let (code, report) = json(dir.path(), &[]);
        assert_eq!(code, 2, "{what}: {report:#}");
        let found = diagnostics(&report);
        assert!(!found.is_empty(), "{what}");
        let first = &found[0];
        assert_eq!(first["code"], "CL-C007", "{what}: {first:#}");
        assert_eq!(first["file"], ".consentlint.yaml", "{what}");
        assert_eq!(
            (first["line"].as_u64(), first["column"].as_u64()),
            (Some(line), Some(column)),
            "{what}: {first:#}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_configuration_that_is_not_a_file_stops_the_run() {
    let dir = repo();
    std::fs::create_dir(dir.path().join(".consentlint.yaml")).unwrap();
    let (code, report) = json(dir.path(), &[]);
    assert_eq!(code, 2, "{report:#}");
    assert_eq!(diagnostics(&report)[0]["code"], "CL-C007");
    assert!(diagnostics(&report)[0]["line"].is_null(), "about the file, not a place in it");

    let dir = repo();
    std::os::unix::fs::symlink(".consentlint.yaml", dir.path().join(".consentlint.yaml")).unwrap();
    let (code, report) = json(dir.path(), &[]);
    assert_eq!(code, 2, "a symbolic link loop: {report:#}");
}

#[test]
fn a_missing_path_in_the_configuration_is_reported_at_its_entry() {
    let dir = repo();
    write(dir.path(), ".consentlint.yaml", "context:\n  - tenants\n  - tennants\n");
    let (code, report) = json(dir.path(), &["apps"]);
    assert_eq!(code, 2);
    let [problem] = diagnostics(&report).as_slice() else { panic!("{report:#}") };
    assert_eq!(problem["message"], "`tennants` does not exist");
    assert_eq!((problem["line"].as_u64(), problem["column"].as_u64()), (Some(3), Some(5)));
}

#[test]
fn a_policy_test_with_a_broken_catalog_is_a_problem_not_a_pass() {
    let dir = repo();
    write(dir.path(), "t/tenant.yaml", TENANT);
    write(dir.path(), "t/app.yaml", APP);
    write(
        dir.path(),
        "t/broken-catalog.yaml",
        "resource: SharePoint
permissions:
  A.B: {delegated: {ownDataOnly: maybe}}
",
    );
    write(
        dir.path(),
        "t/case.test.yaml",
        "apiVersion: consentlint/v1\nkind: PolicyTest\nmetadata: {name: t}\ncatalogs: [broken-catalog.yaml]\ncases:\n  - name: c\n    documents: [tenant.yaml, app.yaml]\n    expect:\n      - {rule: CL-A002, file: app.yaml, line: 9}\n",
    );
    let out = run(dir.path(), &["test", "t"]);
    assert_eq!(out.code, 2, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("error[CL-C006]"), "{}", out.stdout);
    assert!(out.stdout.contains("--> t/broken-catalog.yaml:3:"), "{}", out.stdout);
    assert!(out.stdout.contains("0 passed, 0 failed"), "no case ran with a broken catalog: {}", out.stdout);
}

#[test]
fn every_tool_code_is_listed_and_documented() {
    let listed: Vec<String> = Code::ALL
        .iter()
        .map(|c| format!("{} {} {}: {}", c.as_str(), c.name(), c.default_severity().as_str(), c.summary()))
        .collect();
    insta::assert_snapshot!(listed.join("\n"));
    for code in Code::ALL {
        let out = run(Path::new(env!("CARGO_MANIFEST_DIR")), &["explain", code.as_str()]);
        assert_eq!(out.code, 0);
        assert!(out.stdout.starts_with(&format!("# {}: {}\n", code.as_str(), code.name())), "{}", out.stdout);
        let body = code.documentation().unwrap();
        let last = body.lines().last().unwrap();
        assert!(out.stdout.contains(last), "{code}: the whole section is printed");
    }
}

#[test]
fn no_snapshot_of_this_file_is_orphaned() {
    let tests = ["every_tool_code_is_listed_and_documented"];
    snapshots::assert_no_orphans("seams", &tests, tests.map(str::to_owned));
}
