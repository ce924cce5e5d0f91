//! What a run did not judge reaches every format a CI gate is read in (the job summary, GitLab
//! Code Quality, `JUnit`, SARIF, the Actions log), `--fail-on-unjudged` / `failOnUnjudged: true`
//! turn it into a failure, and a pre-commit hook given only files that are not consentlint's or
//! that the configuration excludes passes quietly.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails loudly when its setup fails; tests index what they built"
)]

#[path = "support/tenant.rs"]
mod tenant;
use std::path::Path;
use tenant::TENANT;

use serde_json::Value;
use tempfile::TempDir;

#[path = "support/files.rs"]
mod files;
#[path = "support/run.rs"]
mod support;
use files::write;
use support::run;

/// A clean app, but for a permission without justification when `unjustified` (a CL-A008 warning).
fn app(unjustified: bool) -> String {
    let justification = if unjustified { "" } else { ", justification: Attach files." };
    format!(
        "apiVersion: consentlint/v1
kind: AppManifest
metadata: {{name: notes, appId: 0d4b6f2e-7a1c-4e8b-9f3d-2c5a8e1b7f60}}
spec:
  displayName: Notes
  publisher: {{name: Contoso IT, origin: organization}}
  signInAudience: single-tenant
  consent: admin
  permissions:
    - {{name: Files.Read.All, type: delegated{justification}}}
"
    )
}

const EXCLUDED: &str =
    "`vendor/app.yaml` is excluded by the configuration's `exclude` patterns, so it was not checked";

/// A clean repository whose configuration excludes `vendor/`, which holds an app.
fn repo(config: &str) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    write(
        dir.path(),
        ".consentlint.yaml",
        &format!("context: [tenants/]\nexclude: [\"vendor/**\"]\n{config}"),
    );
    write(dir.path(), "tenants/contoso.yaml", TENANT);
    write(dir.path(), "apps/notes.yaml", &app(false));
    write(dir.path(), "vendor/app.yaml", &app(true));
    write(dir.path(), "docs/mkdocs.yaml", "site_name: Consent\nnav: [index.md]\n");
    dir
}

fn output(dir: &Path, format: &str) -> (i32, String) {
    let out = run(dir, &["check", "apps", "vendor/app.yaml", "--format", format]);
    (out.code, out.stdout)
}

#[test]
fn every_ci_format_carries_the_notes() {
    let dir = repo("");
    let (code, markdown) = output(dir.path(), "markdown");
    assert_eq!(code, 0, "a note alone does not fail the default gate");
    assert!(markdown.contains(&format!("### Not judged (1)\n\n- {EXCLUDED}\n")), "{markdown}");

    let (_, gitlab) = output(dir.path(), "gitlab");
    let gitlab: Value = serde_json::from_str(&gitlab).unwrap();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/gitlab-codequality.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert!(jsonschema::validator_for(&schema).unwrap().is_valid(&gitlab), "{gitlab}");
    let issues = gitlab.as_array().unwrap();
    assert_eq!(issues.len(), 1, "{gitlab}");
    assert_eq!(issues[0]["check_name"], "consentlint/not-judged");
    assert_eq!(issues[0]["severity"], "info");
    assert_eq!(issues[0]["description"], format!("not judged: {EXCLUDED}"));
    assert_eq!(issues[0]["location"]["path"], ".");

    let (_, junit) = output(dir.path(), "junit");
    let doc = roxmltree::Document::parse(&junit).unwrap();
    let skipped: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("skipped")).collect();
    assert_eq!(skipped.len(), 1, "{junit}");
    assert_eq!(skipped[0].attribute("message"), Some(EXCLUDED));
    let suite = skipped[0].parent().and_then(|case| case.parent()).unwrap();
    assert_eq!(suite.attribute("name"), Some("consentlint: not judged"));
    assert_eq!(suite.attribute("skipped"), Some("1"));
    let root = doc.root_element();
    assert_eq!(root.attribute("tests"), Some("2"), "the passing case and the skipped one");

    let (_, sarif) = output(dir.path(), "sarif");
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let oasis: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-schema-2.1.0.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let oasis = jsonschema::options().with_draft(jsonschema::Draft::Draft4).build(&oasis).unwrap();
    assert!(oasis.is_valid(&sarif), "the log with notifications is valid SARIF");
    let notes = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert_eq!(notes[0]["level"], "note");
    assert_eq!(notes[0]["message"]["text"], EXCLUDED);

    // The JSON format's notes keep their shape.
    let (_, json) = files::check_json(dir.path(), &["apps", "vendor/app.yaml"]);
    assert_eq!(json["notes"], serde_json::json!([{"severity": "info", "message": EXCLUDED}]));

    let (_, github) = output(dir.path(), "github");
    assert!(github.contains(&format!("note: {EXCLUDED}\n")), "{github}");
    assert!(github.contains(&format!("::notice title=consentlint%3A not judged::{EXCLUDED}\n")), "{github}");
}

#[test]
fn fail_on_unjudged_fails_a_run_that_did_not_judge_everything() {
    let dir = repo("");
    let strict = run(dir.path(), &["check", "apps", "vendor/app.yaml", "--fail-on-unjudged"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    assert!(strict.stderr.contains("error: the run did not judge everything"), "{}", strict.stderr);
    // Everything judged: the flag changes nothing.
    let judged = run(dir.path(), &["check", "apps", "--fail-on-unjudged"]);
    assert_eq!(judged.code, 0, "{}{}", judged.stdout, judged.stderr);
    // Files that are not consentlint's are nothing to judge, also with `--show-skipped`.
    let other = run(dir.path(), &["check", "apps", "docs", "--fail-on-unjudged", "--show-skipped"]);
    assert_eq!(other.code, 0, "{}{}", other.stdout, other.stderr);
    assert!(other.stdout.contains("`docs/mkdocs.yaml` was skipped"), "{}", other.stdout);
    // The configuration says the same.
    let configured = repo("failOnUnjudged: true\n");
    assert_eq!(run(configured.path(), &["check", "apps", "vendor/app.yaml"]).code, 1);
    assert_eq!(run(configured.path(), &["check", "apps"]).code, 0);
    let shown = run(configured.path(), &["check", "--show-config"]);
    assert!(shown.stdout.contains("\nfailOnUnjudged: true\n"), "{}", shown.stdout);
    // And its schema checks the value.
    let wrong = repo("failOnUnjudged: sometimes\n");
    let out = run(wrong.path(), &["check", "apps"]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
}

#[test]
fn a_hook_given_only_files_it_does_not_judge_passes_quietly() {
    let dir = repo("failOn: warning\n");
    let files = ["vendor/app.yaml", "docs/mkdocs.yaml"];
    // Outside a hook this is a run over the wrong paths: it says so, and the strict gate fails.
    let mut plain = vec!["check"];
    plain.extend(files);
    let out = run(dir.path(), &plain);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("warning: "), "{}", out.stdout);
    // A hook receives whatever changed: nothing to judge passes, with the summary line alone.
    let mut hook = vec!["check", "--pre-commit"];
    hook.extend(files);
    let out = run(dir.path(), &hook);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "no problems found in 1 file (0 documents; 1 file was skipped)\n");
    assert_eq!(out.stderr, "");
    // Also when the configuration fails on anything not judged.
    let strict = repo("failOn: warning\nfailOnUnjudged: true\n");
    assert_eq!(run(strict.path(), &hook).code, 0);
    // A real warning still fails the hook.
    write(dir.path(), "apps/notes.yaml", &app(true));
    let mut warned = vec!["check", "--pre-commit", "apps/notes.yaml"];
    warned.extend(files);
    let out = run(dir.path(), &warned);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("CL-A008"), "{}", out.stdout);
}

/// Why a file was skipped (`--show-skipped`) is information, not something left unjudged: the CI
/// formats list it apart from the "not judged" notes, and policy-test fixtures, which `consentlint
/// test` judges, do not fail `--fail-on-unjudged`.
#[test]
fn skipped_files_and_policy_fixtures_are_not_reported_as_unjudged() {
    let dir = repo("");
    let args = |format| ["check", "apps", "docs", "--show-skipped", "--format", format];
    let gitlab = run(dir.path(), &args("gitlab"));
    assert!(!gitlab.stdout.contains("mkdocs"), "a skipped file as a Code Quality issue: {}", gitlab.stdout);
    let junit = run(dir.path(), &args("junit"));
    assert!(!junit.stdout.contains("mkdocs"), "a skipped file as a skipped test: {}", junit.stdout);
    let markdown = run(dir.path(), &args("markdown"));
    assert!(!markdown.stdout.contains("### Not judged"), "{}", markdown.stdout);
    assert!(
        markdown.stdout.contains("### Notes (1)") && markdown.stdout.contains("mkdocs"),
        "{}",
        markdown.stdout
    );

    // A policy test and its fixture under the checked path.
    write(
        dir.path(),
        "apps/tests/notes.test.yaml",
        "apiVersion: consentlint/v1\nkind: PolicyTest\nmetadata: {name: notes}\ncases:\n  - name: clean\n    \
         documents: [clean.yaml]\n    expect: []\n",
    );
    write(dir.path(), "apps/tests/clean.yaml", &app(false).replace("name: notes", "name: clean"));
    let strict = run(dir.path(), &["check", "apps", "--fail-on-unjudged", "--format", "json"]);
    let report: Value = serde_json::from_str(&strict.stdout).unwrap();
    let notes = report["notes"].to_string();
    assert!(notes.contains("named by policy tests"), "{notes}");
    assert_eq!(strict.code, 0, "{}{}", strict.stdout, strict.stderr);
}
