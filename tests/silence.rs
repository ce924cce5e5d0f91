//! Never a silent pass: an app judged without its tenant, paths that hold nothing to judge, named
//! files the configuration excludes, policy-test fixtures, the configuration in use, and what the
//! summary line says about hidden findings.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "a test fails loudly when its setup fails; tests index what they built"
)]

use std::path::Path;

use tempfile::TempDir;

#[path = "support/files.rs"]
mod files;
#[path = "support/run.rs"]
mod support;
use files::write;
use support::run;

use files::check_json as json;

const TENANT: &str = "apiVersion: consentlint/v1
kind: TenantConfig
metadata: {name: contoso, tenantId: 6f1c2e4a-0b7d-4c1e-9a55-3e2f7d8c9b10}
spec:
  userConsent: {enabled: false, allowRiskyApps: false, groupOwnerConsent: false}
  usersCanRegisterApps: false
  adminConsentWorkflow: {enabled: false}
";

/// Expects user consent where the tenant has none and no workflow: CL-A002 needs the tenant.
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
fn an_app_checked_without_its_tenant_says_so() {
    let dir = repo();
    let (code, report) = json(dir.path(), &["apps/notes.yaml"]);
    assert_eq!(code, 0, "a warning by default: {report:#}");
    let found = report["diagnostics"].as_array().unwrap();
    let [warning] = found.as_slice() else { panic!("{report:#}") };
    assert_eq!(warning["code"], "CL-S003");
    assert_eq!(warning["severity"], "warning");
    assert!(warning["message"].as_str().unwrap().contains("`CL-A002`"), "{warning:#}");
    assert!(warning["help"].as_str().unwrap().contains("`context:`"), "{warning:#}");
    assert_eq!((warning["line"].as_u64(), warning["column"].as_u64()), (Some(3), Some(1)));

    // With the tenant in context, the app is judged and the real finding appears.
    write(dir.path(), ".consentlint.yaml", "context: [tenants]\n");
    let (code, report) = json(dir.path(), &["apps/notes.yaml"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["diagnostics"][0]["code"], "CL-A002");

    // Its severity is configurable.
    write(dir.path(), ".consentlint.yaml", "rules: {CL-S003: error}\n");
    let (code, report) = json(dir.path(), &["apps/notes.yaml"]);
    assert_eq!((code, report["diagnostics"][0]["severity"].as_str()), (1, Some("error")));
}

#[test]
fn paths_that_hold_nothing_to_judge_are_a_warning() {
    let dir = repo();
    write(dir.path(), "docs/readme.md", "# nothing here\n");
    write(dir.path(), "other/values.yaml", "replicas: 3\n");
    let (code, report) = json(dir.path(), &["docs"]);
    assert_eq!(code, 0);
    assert_eq!(report["notes"][0]["severity"], "warning");
    assert!(report["notes"][0]["message"].as_str().unwrap().starts_with("no files were checked"));
    let (_, report) = json(dir.path(), &["other"]);
    assert!(report["notes"][0]["message"].as_str().unwrap().contains("holds no consentlint document"));
    // A gate that fails on warnings fails when it judged nothing.
    let (code, _) = json(dir.path(), &["docs", "--fail-on", "warning"]);
    assert_eq!(code, 1);
    let plain = run(dir.path(), &["check", "docs", "--format", "plain"]);
    assert_eq!(
        plain.stdout,
        "warning: no files were checked: the paths hold no `.yaml`, `.yml` or `.json` file that the configuration includes\nno problems found in 0 files (0 documents)\n"
    );
}

#[test]
fn a_named_file_the_configuration_excludes_is_noted() {
    let dir = repo();
    write(dir.path(), ".consentlint.yaml", "exclude: [\"apps/**\"]\n");
    let (_, report) = json(dir.path(), &["apps/notes.yaml", "tenants"]);
    assert_eq!(report["summary"]["files"], 1);
    let notes = report["notes"].as_array().unwrap();
    assert_eq!(notes[0]["severity"], "info");
    assert_eq!(
        notes[0]["message"],
        "`apps/notes.yaml` is excluded by the configuration's `exclude` patterns, so it was not checked"
    );
}

#[test]
fn policy_test_fixtures_are_not_judged_by_check() {
    let dir = repo();
    write(dir.path(), "policies/t/fail.yaml", APP);
    write(dir.path(), "policies/t/tenant.yaml", TENANT);
    write(
        dir.path(),
        "policies/t/rule.test.yaml",
        "apiVersion: consentlint/v1\nkind: PolicyTest\nmetadata: {name: t}\ncases:\n  - name: c\n    documents: [tenant.yaml, fail.yaml]\n    expect: [{rule: CL-A002, file: fail.yaml, line: 9}]\n",
    );
    let (code, report) = json(dir.path(), &["policies"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["summary"]["files"], 1, "only the test file itself: {report:#}");
    assert!(report["notes"][0]["message"].as_str().unwrap().starts_with("2 files named by policy tests"));
    // Named explicitly, a fixture is checked like any file.
    let (code, _) = json(dir.path(), &["policies/t/fail.yaml", "policies/t/tenant.yaml"]);
    assert_eq!(code, 1);
    // The repository's own rule pack and fixtures check clean from the project root.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, report) = json(root, &["policies"]);
    assert_eq!((code, report["summary"]["errors"].as_u64()), (0, Some(0)), "{:#}", report["diagnostics"]);
}

#[test]
fn show_config_names_the_file_and_the_settings() {
    let dir = repo();
    write(
        dir.path(),
        ".consentlint.yaml",
        "include: [\"apps/**\"]\ncontext: [tenants]\nrules: {CL-A008: off}\nfailOn: warning\n",
    );
    let out = run(&dir.path().join("apps"), &["check", "--show-config"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let first = out.stdout.lines().next().unwrap();
    assert!(first.starts_with("configuration: /") && first.ends_with("/.consentlint.yaml"), "{}", out.stdout);
    assert!(out.stdout.contains("\npaths: .\ninclude: apps/**\nexclude: none\n"), "{}", out.stdout);
    assert!(out.stdout.contains("\nrules: CL-A008 off\nfailOn: warning\n"), "{}", out.stdout);
}

#[test]
fn outside_a_repository_only_the_working_directory_is_searched() {
    let outer = tempfile::tempdir().unwrap();
    write(outer.path(), ".consentlint.yaml", "failOn: never\n");
    write(outer.path(), "work/apps/notes.yaml", APP);
    let out = run(&outer.path().join("work"), &["check", "--show-config"]);
    assert!(out.stdout.starts_with("configuration: none"), "{}", out.stdout);
    let out = run(outer.path(), &["check", "--show-config"]);
    assert!(out.stdout.starts_with("configuration: .consentlint.yaml"), "{}", out.stdout);
}

#[test]
fn the_summary_line_counts_hidden_findings() {
    // The tenant has one finding of its own (CL-T001); the app's CL-A002 is hidden in turn by an
    // inline suppression and by the baseline (a JSON file in the directory, which the run reads as its own and does not check).
    let dir = repo();
    let last = |out: support::Run| out.stdout.lines().last().unwrap_or_default().to_owned();
    let app =
        APP.replace("  consent: user\n", "  consent: user # consentlint-ignore CL-A002: pilot until June\n");
    write(dir.path(), "apps/notes.yaml", &app);
    let out = run(dir.path(), &["check", "--format", "plain"]);
    assert_eq!(last(out), "1 error in 2 files (2 documents); 1 suppressed inline");

    write(dir.path(), "apps/notes.yaml", APP);
    let written = run(dir.path(), &["check", "--write-baseline", "baseline.json"]);
    assert_eq!(written.code, 0, "{}", written.stderr);
    let out = run(dir.path(), &["check", "--format", "plain", "--baseline", "baseline.json"]);
    // The baseline in the directory is the run's own file, not an input.
    assert_eq!(last(out), "no problems found in 2 files (2 documents); 2 hidden by the baseline");

    write(dir.path(), "apps/notes.yaml", &APP.replace("consent: user", "consent: admin"));
    let out = run(dir.path(), &["check", "--format", "plain", "--baseline", "baseline.json"]);
    assert_eq!(
        last(out),
        "no problems found in 2 files (2 documents); 1 hidden by the baseline, 1 stale baseline entry"
    );
}

#[test]
fn explain_and_rules_see_the_policies_the_configuration_adds() {
    let dir = repo();
    let custom = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/custom-policy/acme.yaml");
    write(dir.path(), "house/acme.yaml", &std::fs::read_to_string(custom).unwrap());
    write(dir.path(), ".consentlint.yaml", "policies: [house]\n");
    let explained = run(dir.path(), &["explain", "ACME-001"]);
    assert_eq!(explained.code, 0, "{}", explained.stderr);
    let listed = run(dir.path(), &["rules"]);
    assert!(listed.stdout.contains("ACME-001"), "{}", listed.stdout);
    let without = run(dir.path(), &["rules", "--no-config"]);
    assert!(!without.stdout.contains("ACME-001"), "{}", without.stdout);
}

#[test]
fn a_missing_baseline_named_by_the_configuration_points_at_its_entry() {
    let dir = repo();
    write(dir.path(), ".consentlint.yaml", "failOn: error\nbaseline: known-findings.json\n");
    let (code, report) = json(dir.path(), &[]);
    assert_eq!(code, 2, "{report:#}");
    let problem = &report["diagnostics"][0];
    assert_eq!(problem["message"], "the baseline `known-findings.json` does not exist");
    assert_eq!(
        (problem["file"].as_str(), problem["line"].as_u64(), problem["column"].as_u64()),
        (Some(".consentlint.yaml"), Some(2), Some(11))
    );
    // Writing the baseline is how it comes to exist.
    let written = run(dir.path(), &["check", "--write-baseline", "known-findings.json"]);
    assert_eq!(written.code, 0, "{}", written.stderr);
    let (code, _) = json(dir.path(), &[]);
    assert_eq!(code, 0);
}
