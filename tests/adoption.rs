//! Adopting consentlint in a repository: configuration discovery and validation, context documents
//! for pre-commit runs, rule severities, inline suppressions, the baseline across edits, `init`,
//! completions and the manual page.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "a test fails loudly when its setup fails; tests index what they built"
)]

use std::path::Path;

use serde_json::Value;
use tempfile::TempDir;

#[path = "support/files.rs"]
mod files;
#[path = "support/run.rs"]
mod support;
use files::write;
use support::run;

/// (code, file, line) of every reported diagnostic, and the summary.
fn findings(dir: &Path, args: &[&str]) -> (i32, Vec<(String, String, u64)>, Value) {
    let (code, report) = files::check_json(dir, args);
    let list = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    (code, list, report["summary"].clone())
}

const TENANT: &str = "apiVersion: consentlint/v1
kind: TenantConfig
metadata: {name: contoso, tenantId: 6f1c2e4a-0b7d-4c1e-9a55-3e2f7d8c9b10}
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

/// An app that breaks CL-A008 (no justification, line 12) and CL-A007 (high risk, line 12).
const APP: &str = "apiVersion: consentlint/v1
kind: AppManifest
metadata:
  name: archiver
  appId: 0d4b6f2e-7a1c-4e8b-9f3d-2c5a8e1b7f60
spec:
  displayName: Archiver
  publisher: {name: Contoso IT, origin: organization}
  consent: admin
  permissions:
    - name: User.Read
      type: delegated
      justification: Sign in.
    - {name: Mail.ReadWrite, type: application}
";

fn repo() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    write(dir.path(), "tenants/contoso.yaml", TENANT);
    write(dir.path(), "apps/archiver.yaml", APP);
    dir
}

#[test]
fn the_configuration_is_found_upwards_and_stops_at_the_repository_root() {
    let dir = repo();
    write(dir.path(), ".consentlint.yaml", "rules:\n  CL-A008: off\n");
    let (_, from_sub, _) = findings(&dir.path().join("apps"), &["archiver.yaml"]);
    assert!(from_sub.iter().all(|(code, _, _)| code != "CL-A008"), "{from_sub:?}");
    // A configuration above the repository root does not apply.
    let outer = tempfile::tempdir().unwrap();
    write(outer.path(), ".consentlint.yaml", "rules:\n  CL-A007: off\n");
    let inner = outer.path().join("repo");
    std::fs::create_dir_all(inner.join(".git")).unwrap();
    write(&inner, "apps/archiver.yaml", APP);
    let (_, found, _) = findings(&inner, &["apps"]);
    assert!(found.iter().any(|(code, _, _)| code == "CL-A007"), "{found:?}");
}

#[test]
fn an_invalid_configuration_is_reported_at_its_node_with_status_2() {
    let dir = repo();
    write(
        dir.path(),
        ".consentlint.yaml",
        "exclude: [vendor/**]\nfailOn: warnings\nrulez: {}\nrules:\n  CL-A08: off\n",
    );
    let run1 = run(dir.path(), &["check", "--format", "plain"]);
    assert_eq!(run1.code, 2, "{}", run1.stdout);
    assert!(run1.stdout.contains("error[CL-C007]: `warnings` is not one of"), "{}", run1.stdout);
    assert!(run1.stdout.contains("--> .consentlint.yaml:2:9"), "{}", run1.stdout);
    assert!(run1.stdout.contains("error[CL-C007]: unknown key `rulez`"), "{}", run1.stdout);
    assert!(run1.stdout.contains("help: did you mean `rules`?"), "{}", run1.stdout);
    write(dir.path(), ".consentlint.yaml", "rules:\n  CL-A08: off\n");
    let run2 = run(dir.path(), &["check", "--format", "plain"]);
    assert_eq!(run2.code, 2);
    assert!(run2.stdout.contains("error[CL-C007]: unknown rule `CL-A08`"), "{}", run2.stdout);
    assert!(run2.stdout.contains("did you mean `CL-A008`?"), "{}", run2.stdout);
    assert!(run2.stdout.contains("--> .consentlint.yaml:2:3"), "{}", run2.stdout);
}

#[test]
fn explicit_config_and_no_config_override_discovery() {
    let dir = repo();
    write(dir.path(), ".consentlint.yaml", "rules:\n  CL-A008: off\n");
    write(dir.path(), "strict.yaml", "rules:\n  CL-A007: error\n");
    let (_, default, _) = findings(dir.path(), &["apps"]);
    assert!(!default.iter().any(|(c, _, _)| c == "CL-A008"));
    let (code, strict, summary) = findings(dir.path(), &["apps", "--config", "strict.yaml"]);
    assert!(strict.iter().any(|(c, _, _)| c == "CL-A008"), "--config replaces the discovered file");
    assert_eq!(summary["errors"], 1, "CL-A007 raised to an error: {strict:?}");
    assert_eq!(code, 1);
    let (_, none, _) = findings(dir.path(), &["apps", "--no-config"]);
    assert!(none.iter().any(|(c, _, _)| c == "CL-A008"));
}

#[test]
fn fail_on_comes_from_the_configuration_unless_given() {
    let dir = repo();
    write(dir.path(), ".consentlint.yaml", "failOn: warning\n");
    assert_eq!(run(dir.path(), &["check", "apps", "--format", "plain"]).code, 1, "warnings fail the run");
    assert_eq!(run(dir.path(), &["check", "apps", "--format", "plain", "--fail-on", "error"]).code, 0);
}

#[test]
fn exclude_applies_to_named_files_and_include_to_walked_ones() {
    let dir = repo();
    write(dir.path(), "vendor/app.yaml", APP);
    write(
        dir.path(),
        ".consentlint.yaml",
        "exclude: [\"vendor/**\"]\ninclude: [\"apps/**\", \"tenants/**\"]\n",
    );
    write(dir.path(), "other/app.yaml", APP);
    let (_, walked, summary) = findings(dir.path(), &["."]);
    assert!(walked.iter().all(|(_, file, _)| file.starts_with("apps/")), "{walked:?}");
    assert_eq!(summary["files"], 2);
    let (_, named, summary) = findings(dir.path(), &["vendor/app.yaml", "other/app.yaml"]);
    assert!(named.iter().all(|(_, file, _)| file == "other/app.yaml"), "{named:?}");
    assert_eq!(summary["files"], 1);
}

#[test]
fn context_documents_judge_changed_files_without_being_reported() {
    let dir = repo();
    // The tenant is broken: reported only when it is checked itself.
    write(
        dir.path(),
        "tenants/contoso.yaml",
        &TENANT.replace("notifyReviewers: true", "notifyReviewers: false"),
    );
    let user_app = APP.replace("consent: admin", "consent: user");
    write(dir.path(), "apps/archiver.yaml", &user_app);
    let (_, without, _) = findings(dir.path(), &["apps/archiver.yaml"]);
    assert!(!without.iter().any(|(c, _, _)| c == "CL-A002"), "no tenant, no CL-A002: {without:?}");
    write(dir.path(), ".consentlint.yaml", "context: [tenants/]\n");
    let (_, with, summary) = findings(dir.path(), &["apps/archiver.yaml"]);
    assert!(with.iter().any(|(c, f, _)| c == "CL-A002" && f == "apps/archiver.yaml"), "{with:?}");
    assert!(
        with.iter().all(|(_, f, _)| f == "apps/archiver.yaml"),
        "context findings are not reported: {with:?}"
    );
    assert_eq!(summary["files"], 1);
}

#[test]
fn inline_suppressions_need_a_reason_and_must_be_used() {
    let dir = repo();
    let app = APP
        .replace(
            "    - {name: Mail.ReadWrite, type: application}",
            "    # consentlint-ignore CL-A007, CL-A008: archiving needs it; approved in SEC-42\n    - {name: Mail.ReadWrite, type: application}",
        )
        .replace("  consent: admin", "  consent: admin # consentlint-ignore CL-A003\n  # consentlint-ignore CL-A001: not reported here");
    write(dir.path(), "apps/archiver.yaml", &app);
    let (code, found, summary) = findings(dir.path(), &["apps/archiver.yaml", "tenants"]);
    let codes: Vec<(&str, u64)> = found.iter().map(|(c, _, l)| (c.as_str(), *l)).collect();
    assert_eq!(codes, [("CL-I001", 9), ("CL-I002", 10)], "{found:?}");
    assert_eq!(summary["suppressed"], 2);
    assert_eq!(code, 1, "a suppression without a reason is an error");
}

#[test]
fn a_baseline_hides_known_findings_across_edits_but_not_new_ones() {
    let dir = repo();
    let written = run(dir.path(), &["check", ".", "--write-baseline", ".consentlint-baseline.json"]);
    assert_eq!(written.code, 0, "{}", written.stderr);
    assert!(written.stderr.contains("wrote 2 baseline entries"), "{}", written.stderr);
    let text = std::fs::read_to_string(dir.path().join(".consentlint-baseline.json")).unwrap();
    assert!(text.contains("\"pointer\": \"/spec/permissions/[name=Mail.ReadWrite]/name\""), "{text}");
    assert!(!text.contains("\"line\""), "no line numbers in the baseline");

    let (code, found, summary) = findings(dir.path(), &[".", "--baseline", ".consentlint-baseline.json"]);
    assert!(found.is_empty(), "{found:?}");
    assert_eq!((code, summary["suppressed"].as_u64()), (0, Some(2)));

    // Lines inserted above the findings, even a new list element, do not bring them back.
    let shifted = APP.replace("spec:\n", "spec:\n  # a comment\n  # and another\n").replace(
        "  permissions:\n",
        "  permissions:\n    - {name: openid, type: delegated, justification: Sign in.}\n",
    );
    write(dir.path(), "apps/archiver.yaml", &shifted);
    let (code, found, _) = findings(dir.path(), &[".", "--baseline", ".consentlint-baseline.json"]);
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(code, 0);

    // A new finding fails the run; a fixed one is counted as stale.
    let changed = shifted.replace("      justification: Sign in.\n", "").replace(
        "Mail.ReadWrite, type: application}",
        "Mail.ReadWrite, type: application, justification: Archive.}",
    );
    write(dir.path(), "apps/archiver.yaml", &changed);
    let (code, found, summary) = findings(dir.path(), &[".", "--baseline", ".consentlint-baseline.json"]);
    assert_eq!(found, [("CL-A008".to_owned(), "apps/archiver.yaml".to_owned(), 14)], "{found:?}");
    assert_eq!(code, 0, "CL-A008 is a warning");
    assert_eq!(summary["staleBaseline"], 1);

    // The baseline works from another directory, and through the configuration.
    write(dir.path(), ".consentlint.yaml", "baseline: .consentlint-baseline.json\n");
    let (_, from_apps, _) = findings(&dir.path().join("apps"), &["."]);
    let codes: Vec<&str> = from_apps.iter().map(|(code, _, _)| code.as_str()).collect();
    // Run from `apps/`, the tenant is not loaded: the app is said to be judged without it.
    assert_eq!(codes, ["CL-S003", "CL-A008"], "{from_apps:?}");
}

#[test]
fn init_writes_a_valid_starter_and_never_overwrites() {
    let dir = repo();
    let first = run(dir.path(), &["init"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let text = std::fs::read_to_string(dir.path().join(".consentlint.yaml")).unwrap();
    assert!(text.contains("context:") && text.contains("failOn: error"));
    let (code, found, _) = findings(dir.path(), &["."]);
    assert_eq!(
        (code, found.len()),
        (0, 2),
        "the starter configuration loads; its findings are warnings: {found:?}"
    );
    std::fs::write(dir.path().join(".consentlint.yaml"), "# mine\n").unwrap();
    let second = run(dir.path(), &["init"]);
    assert_eq!(second.code, 2);
    assert!(second.stderr.contains("already exists"), "{}", second.stderr);
    assert_eq!(std::fs::read_to_string(dir.path().join(".consentlint.yaml")).unwrap(), "# mine\n");
}

#[test]
fn completions_and_the_manual_page_are_generated() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = run(dir.path(), &["completions", shell]);
        assert_eq!(run.code, 0, "{shell}");
        assert!(run.stdout.contains("write-baseline"), "{shell} completions know the flags");
    }
    let man = run(dir.path(), &["man"]);
    assert_eq!(man.code, 0);
    assert!(
        man.stdout.starts_with(".ie \\n(.g .ds Aq \\(aq") || man.stdout.contains(".TH consentlint"),
        "{}",
        &man.stdout[..200.min(man.stdout.len())]
    );
    assert_eq!(run(dir.path(), &["completions", "tcsh"]).code, 2);
}

#[test]
fn a_suppression_naming_an_unknown_rule_is_reported() {
    let dir = repo();
    let app = APP.replace(
        "    - {name: Mail.ReadWrite, type: application}",
        "    # consentlint-ignore CL-A07: typo in the id\n    - {name: Mail.ReadWrite, type: application}",
    );
    write(dir.path(), "apps/archiver.yaml", &app);
    let run = run(dir.path(), &["check", "apps/archiver.yaml", "--format", "plain", "--select", "CL-I"]);
    assert!(
        run.stdout.contains("warning[CL-I002]: the suppression names an unknown rule `CL-A07`"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("did you mean `CL-A007`?"), "{}", run.stdout);
}

#[test]
fn two_tenants_with_one_name_are_an_error_at_the_second() {
    let dir = repo();
    write(dir.path(), "tenants/contoso-copy.yaml", TENANT);
    let (code, found, _) = findings(dir.path(), &["tenants", "--select", "CL-S002"]);
    assert_eq!(code, 1);
    assert_eq!(
        found,
        [("CL-S002".to_owned(), "tenants/contoso.yaml".to_owned(), 3)],
        "the first in file order is kept"
    );
}

#[test]
fn stale_baseline_entries_count_only_what_the_run_examined() {
    let dir = repo();
    write(dir.path(), "apps/second.yaml", &APP.replace("archiver", "second").replace("0d4b6f2e", "1d4b6f2e"));
    assert_eq!(run(dir.path(), &["check", ".", "--write-baseline", "base.json"]).code, 0);
    // Fix one file; check only the other (as pre-commit would): nothing is stale.
    write(dir.path(), "apps/second.yaml", "# emptied\n");
    let (_, _, summary) = findings(dir.path(), &["apps/archiver.yaml", "--baseline", "base.json"]);
    assert_eq!(summary["staleBaseline"], 0);
    let (_, _, summary) = findings(dir.path(), &[".", "--baseline", "base.json", "--select", "CL-A007"]);
    assert_eq!(summary["staleBaseline"], 1, "only CL-A007 of the fixed file");
    let (_, _, summary) = findings(dir.path(), &[".", "--baseline", "base.json"]);
    assert_eq!(summary["staleBaseline"], 2);
}

#[test]
fn write_baseline_refreshes_a_baseline_but_never_overwrites_another_file() {
    let dir = repo();
    write(dir.path(), "notes.json", "{\"mine\": true}\n");
    let refused = run(dir.path(), &["check", "apps", "--write-baseline", "notes.json"]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("not a consentlint baseline"), "{}", refused.stderr);
    assert_eq!(std::fs::read_to_string(dir.path().join("notes.json")).unwrap(), "{\"mine\": true}\n");
    assert_eq!(run(dir.path(), &["check", "apps", "--write-baseline", "base.json"]).code, 0);
    assert_eq!(
        run(dir.path(), &["check", "apps", "--write-baseline", "base.json"]).code,
        0,
        "a baseline is refreshed"
    );
}
