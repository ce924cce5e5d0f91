#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "a test fails loudly when its setup fails"
)]
//! What each CI platform is given: GitHub code scanning (SARIF), GitHub Actions annotations,
//! GitLab Code Quality and `JUnit` test names, checked against the limits and shapes the platforms
//! document.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use assert_cmd::Command;
use consentlint::diagnostic::{Diagnostic, Severity};
use consentlint::render::{self, Format, Platform, Style};
use consentlint::report::Report;
use consentlint::source::{SourceFile, Span};
use serde_json::Value;

const TENANT: &str = "apiVersion: consentlint/v1
kind: TenantConsentConfig
metadata:
  name: contoso
spec:
  userConsent:
    policy: disabled
";

/// An app that requests a critical-risk application permission without justification.
const CRITICAL_APP: &str = "apiVersion: consentlint/v1
kind: AppManifest
metadata:
  name: provisioner
  appId: 7c9e6679-7425-40de-944b-e07fc1f90ae7
spec:
  displayName: Provisioner
  publisher: {name: Contoso IT, origin: organization}
  signInAudience: single-tenant
  consent: admin
  permissions:
    - name: Application.ReadWrite.All
      type: application
";

/// A repository (a `.git` directory) whose files are under `sub/`.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    std::fs::create_dir_all(dir.path().join("sub/apps")).unwrap();
    std::fs::write(dir.path().join("sub/tenant.yaml"), TENANT).unwrap();
    std::fs::write(dir.path().join("sub/apps/provisioner.yaml"), CRITICAL_APP).unwrap();
    dir
}

fn run(dir: &Path, args: &[&str]) -> (String, String) {
    let output = Command::cargo_bin("consentlint")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .env_remove("GITHUB_SHA")
        .output()
        .unwrap();
    assert!(output.status.code().is_some_and(|c| c < 2), "{}", String::from_utf8_lossy(&output.stderr));
    (String::from_utf8(output.stdout).unwrap(), String::from_utf8(output.stderr).unwrap())
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("the output is JSON")
}

fn rendered(report: &Report, format: Format, platform: &Platform) -> String {
    let mut out = Vec::new();
    render::render_for(report, format, Style::default(), platform, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn sarif_paths_are_relative_to_the_repository_root() {
    let repo = repository();
    let (sarif, _) = run(&repo.path().join("sub"), &["check", ".", "--format", "sarif"]);
    let log = json(&sarif);
    let uris: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap())
        .collect();
    assert!(!uris.is_empty());
    assert!(uris.iter().all(|uri| uri.starts_with("sub/")), "{uris:?}");
    assert!(uris.contains(&"sub/apps/provisioner.yaml"), "{uris:?}");
    // Fingerprints do not depend on where the command ran.
    let fingerprints = |log: &Value| -> Vec<String> {
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["partialFingerprints"]["consentlint/v1"].as_str().unwrap().to_owned())
            .collect()
    };
    let (from_root, _) = run(repo.path(), &["check", "sub", "--format", "sarif"]);
    assert_eq!(fingerprints(&json(&from_root)), fingerprints(&log));
    assert!(fingerprints(&log).iter().all(|key| key.contains("|sub/")), "{:?}", fingerprints(&log));
    // GitLab and JUnit say the same.
    let (gitlab, _) = run(&repo.path().join("sub"), &["check", ".", "--format", "gitlab"]);
    let gitlab = json(&gitlab);
    let paths: Vec<&str> =
        gitlab.as_array().unwrap().iter().map(|issue| issue["location"]["path"].as_str().unwrap()).collect();
    assert!(paths.contains(&"sub/apps/provisioner.yaml"), "{paths:?}");
    // So do GitHub annotations, which the runner resolves against the repository root.
    let (github, _) = run(&repo.path().join("sub/apps"), &["check", "..", "--format", "github"]);
    let files: Vec<&str> =
        github.lines().filter_map(|l| l.split(" file=").nth(1)?.split(',').next()).collect();
    assert!(!files.is_empty() && files.iter().all(|f| f.starts_with("sub/")), "{github}");
    assert!(files.contains(&"sub/apps/provisioner.yaml"), "{files:?}");
    let (junit, _) = run(&repo.path().join("sub/apps"), &["check", "..", "--format", "junit"]);
    assert!(junit.contains("classname=\"sub/apps/provisioner_yaml\""), "{junit}");
}

#[test]
fn a_critical_risk_permission_shows_as_critical_in_code_scanning() {
    let repo = repository();
    let (sarif, _) = run(repo.path(), &["check", ".", "--format", "sarif", "--category", "consent"]);
    let log = json(&sarif);
    let sarif_run = &log["runs"][0];
    assert_eq!(sarif_run["automationDetails"]["id"], "consent/");
    let result = sarif_run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"].as_str().is_some_and(|id| id.starts_with("CL-A007")))
        .expect("CL-A007 reports the critical permission");
    assert_eq!(result["properties"]["security-severity"], "9.5");
    let rules = sarif_run["tool"]["driver"]["rules"].as_array().unwrap();
    let rule = &rules[usize::try_from(result["ruleIndex"].as_u64().unwrap()).unwrap()];
    assert_eq!(rule["id"], "CL-A007/critical", "a descriptor of its own for the critical finding");
    assert_eq!(rule["properties"]["security-severity"], "9.5", "GitHub reads the rule's score");
    assert_eq!(rule["properties"]["tags"], serde_json::json!(["security", "app"]));
    assert_eq!(rule["properties"]["precision"], "high");
    let tenant_rule =
        rules.iter().find(|r| r["id"].as_str().is_some_and(|id| id.starts_with("CL-T"))).unwrap();
    assert_eq!(tenant_rule["properties"]["tags"][1], "tenant");
    let tool = rules.iter().find(|r| r["id"] == "CL-S001").unwrap();
    assert_eq!(tool["properties"]["tags"], serde_json::json!(["security", "tool"]));
    assert_eq!(tool["properties"]["precision"], "very-high");
    assert_eq!(tool["properties"]["security-severity"], "7.5");
    // GitLab rates it critical too.
    let (gitlab, _) = run(repo.path(), &["check", ".", "--format", "gitlab"]);
    let issue =
        json(&gitlab).as_array().unwrap().iter().find(|i| i["check_name"] == "CL-A007").cloned().unwrap();
    assert_eq!(issue["severity"], "critical");
}

/// `count` diagnostics of `severity` in one file, each at its own key.
fn many(source: &Arc<SourceFile>, severity: Severity, code: &str, count: usize) -> Vec<Diagnostic> {
    (0..count)
        .map(|i| {
            Diagnostic::new(code, severity, format!("finding {i}"), source, Span::new(i % 8, i % 8 + 1))
                .at(0, format!("/spec/{code}/{i}"))
        })
        .collect()
}

fn source() -> Arc<SourceFile> {
    Arc::new(SourceFile::new(PathBuf::from("a.yaml"), "a.yaml".into(), "key: value\n"))
}

#[test]
fn sarif_keeps_at_most_25000_results_the_most_severe_first() {
    let source = source();
    let mut diagnostics = many(&source, Severity::Info, "CL-X003", 5);
    diagnostics.extend(many(&source, Severity::Error, "CL-X001", 24_995));
    diagnostics.extend(many(&source, Severity::Warning, "CL-X002", 10));
    let report = Report::new(diagnostics, 1, 1, false);
    assert_eq!(render::sarif_left_out(&report, false), 10);
    let log = json(&rendered(&report, Format::Sarif, &Platform::default()));
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 25_000);
    assert!(results.iter().all(|r| r["ruleId"] != "CL-X003"), "the infos are left out");
    assert_eq!(results.iter().filter(|r| r["ruleId"] == "CL-X002").count(), 5);
    let note = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "warning");
    assert!(note["message"]["text"].as_str().unwrap().starts_with("10 of 25010 results were left out"));
}

#[test]
fn related_locations_have_ids_the_message_links_to() {
    let source = source();
    let diagnostic = Diagnostic::new("CL-X001", Severity::Error, "duplicate", &source, Span::new(0, 3))
        .with_related(Span::new(5, 10), "the [other] one")
        .with_related(Span::new(0, 3), "first");
    let report = Report::new(vec![diagnostic], 1, 1, false);
    let log = json(&rendered(&report, Format::Sarif, &Platform::default()));
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["message"]["text"], "duplicate. See [the \\[other\\] one](1), [first](2)");
    assert_eq!(result["relatedLocations"][0]["id"], 1);
    assert_eq!(result["relatedLocations"][1]["id"], 2);
}

#[test]
fn github_annotations_put_errors_first_and_say_what_github_hides() {
    let source = source();
    let mut diagnostics = many(&source, Severity::Info, "CL-X003", 2);
    diagnostics.extend(many(&source, Severity::Warning, "CL-X002", 11));
    diagnostics.extend(many(&source, Severity::Error, "CL-X001", 13));
    let report = Report::new(diagnostics, 1, 1, false);
    let output = rendered(&report, Format::Github, &Platform::default());
    let kinds: Vec<&str> = output.lines().filter_map(|l| l.split(' ').next()).collect();
    // GitHub shows 10 of each kind per step; no more are written.
    assert_eq!(kinds[..10], ["::error"; 10]);
    assert_eq!(kinds[10..20], ["::warning"; 10]);
    assert_eq!(kinds[20..22], ["::notice"; 2]);
    let notice = output.lines().nth(22).unwrap();
    assert!(
        notice.starts_with("::notice title=consentlint::4 more findings are not shown as annotations"),
        "{notice}"
    );
    assert!(notice.contains("job summary"), "{notice}");
    assert_eq!(output.lines().count(), 24, "the summary line closes the output:\n{output}");
    // 30,000 findings still give 30 annotations: 10 errors, 10 warnings, 9 infos and the notice.
    let mut flood = many(&source, Severity::Error, "CL-X001", 10_000);
    flood.extend(many(&source, Severity::Warning, "CL-X002", 10_000));
    flood.extend(many(&source, Severity::Info, "CL-X003", 10_000));
    let flood = rendered(&Report::new(flood, 1, 1, false), Format::Github, &Platform::default());
    let commands: Vec<&str> = flood.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(commands.len(), 30);
    assert_eq!(commands.iter().filter(|l| l.starts_with("::notice")).count(), 10);
    assert!(
        commands[29].starts_with("::notice title=consentlint::29971 more findings are not shown"),
        "{}",
        commands[29]
    );
    // With something not judged, its notice is one of the ten: 8 infos, the two notices.
    let mut noted = Report::new(many(&source, Severity::Info, "CL-X003", 10), 1, 1, false);
    noted.notes.push(consentlint::report::Note {
        severity: Severity::Info,
        message: "`CL-X003` was not judged on 1 app".into(),
        unjudged: true,
    });
    let noted = rendered(&noted, Format::Github, &Platform::default());
    let notices: Vec<&str> = noted.lines().filter(|l| l.starts_with("::notice")).collect();
    assert_eq!(notices.len(), 10, "{noted}");
    assert!(notices[8].starts_with("::notice title=consentlint::2 more findings are not shown"), "{noted}");
    assert_eq!(notices[9], "::notice title=consentlint%3A not judged::`CL-X003` was not judged on 1 app");
    // Within the limits, no notice of our own.
    let few = Report::new(many(&source, Severity::Error, "CL-X001", 10), 1, 1, false);
    assert!(!rendered(&few, Format::Github, &Platform::default()).contains("title=consentlint"));
}

#[test]
fn gitlab_code_quality_matches_the_documented_shape() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/gitlab-codequality.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let repo = repository();
    let (gitlab, _) = run(repo.path(), &["check", ".", "--format", "gitlab"]);
    let report = json(&gitlab);
    let errors: Vec<String> =
        validator.iter_errors(&report).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let issues = report.as_array().unwrap();
    assert!(issues.len() >= 2);
    let mut fingerprints: Vec<&str> = issues.iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
    assert!(fingerprints.iter().all(|f| f.len() == 32));
    fingerprints.sort_unstable();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), issues.len(), "fingerprints are unique");
    // The validator is not vacuous.
    let mut broken = report.clone();
    broken[0]["severity"] = "error".into();
    assert!(!validator.is_valid(&broken));
    // Fingerprints survive lines added above the finding.
    std::fs::write(repo.path().join("sub/apps/provisioner.yaml"), format!("# a comment\n\n{CRITICAL_APP}"))
        .unwrap();
    let (moved, _) = run(repo.path(), &["check", ".", "--format", "gitlab"]);
    let moved = json(&moved);
    let mut again: Vec<&str> =
        moved.as_array().unwrap().iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
    again.sort_unstable();
    assert_eq!(again, fingerprints);
}

#[test]
fn junit_names_are_unique_per_file_and_free_of_line_numbers() {
    let source = source();
    let twice = [
        Diagnostic::new("CL-X001", Severity::Error, "one", &source, Span::new(0, 3)).at(0, "/spec/x"),
        Diagnostic::new("CL-X001", Severity::Error, "two", &source, Span::new(5, 10)).at(0, "/spec/x"),
    ];
    let report = Report::new(twice.to_vec(), 1, 1, false);
    let xml = rendered(&report, Format::Junit, &Platform::default());
    assert!(xml.contains("<testcase name=\"CL-X001 /spec/x\" classname=\"a_yaml\">"), "{xml}");
    assert!(xml.contains("name=\"CL-X001 /spec/x (2)\""), "{xml}");
}

#[test]
fn the_command_line_warns_when_sarif_leaves_results_out() {
    // 12,600 unknown, unjustified permissions: two findings each, 25,200 in all (about 8 seconds in
    // a debug build, nearly all of it the check itself).
    let repo = repository();
    let mut app =
        CRITICAL_APP.replace("    - name: Application.ReadWrite.All\n      type: application\n", "");
    for i in 0..12_600 {
        let _ = writeln!(app, "    - {{name: X{i}.Read, type: delegated}}");
    }
    std::fs::write(repo.path().join("sub/apps/provisioner.yaml"), app).unwrap();
    let (sarif, stderr) = run(repo.path(), &["check", ".", "--format", "sarif"]);
    let log = json(&sarif);
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 25_000);
    let note = log["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
        .as_str()
        .unwrap();
    let dropped: usize = note.split(' ').next().unwrap().parse().unwrap();
    assert!(dropped > 0, "{note}");
    assert!(
        stderr.contains(&format!("warning: {dropped} results were left out of the SARIF log")),
        "{stderr}"
    );
}

#[test]
fn sarif_with_a_category_related_locations_and_critical_risk_validates_against_the_oasis_schema() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::options().with_draft(jsonschema::Draft::Draft4).build(&schema).unwrap();
    let source = source();
    let mut diagnostics = many(&source, Severity::Warning, "CL-X002", 3);
    diagnostics.push(
        Diagnostic::new("CL-X001", Severity::Error, "duplicate", &source, Span::new(0, 3))
            .with_related(Span::new(5, 10), "the other one"),
    );
    let mut report = Report::new(diagnostics, 1, 1, false);
    report.diagnostics[0].risk = Some("critical".into());
    let platform = Platform { category: Some("tenants".into()), ..Platform::default() };
    let log = json(&rendered(&report, Format::Sarif, &platform));
    assert_eq!(log["runs"][0]["automationDetails"]["id"], "tenants/");
    let errors: Vec<String> =
        validator.iter_errors(&log).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let repo = repository();
    let (critical, _) = run(repo.path(), &["check", ".", "--format", "sarif", "--category", "apps/"]);
    let critical = json(&critical);
    assert_eq!(critical["runs"][0]["automationDetails"]["id"], "apps/", "a category ending in `/` is kept");
    assert!(validator.is_valid(&critical));
}
