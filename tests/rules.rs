//! The built-in consent policy pack: its policy tests pass, every rule has passing and failing
//! fixtures, ids and severities are stable, each rule's findings are snapshotted, the rule
//! reference is current, and the examples produce exactly the documented findings.
#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "a test fails loudly when its setup fails; tests index what they built"
)]

use std::path::{Path, PathBuf};

use consentlint::check;
use consentlint::options::{Options, Selection};
use consentlint::policy::{PolicySet, Sources};
use consentlint::render::{self, Format, Style};
use consentlint::testing;
use saphyr::{LoadableYamlNode, Yaml};

#[path = "support/snapshots.rs"]
mod snapshots;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn builtin() -> PolicySet {
    PolicySet::from_sources(&Sources { builtin: true, ..Sources::default() }, root()).expect("the pack loads")
}

fn rule_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("policies"))
        .expect("policies/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("rule.yaml").is_file())
        .collect();
    dirs.sort();
    dirs
}

/// The cases of a rule's `rule.test.yaml`: (fixture files, expected rule ids).
fn cases(dir: &Path) -> Vec<(Vec<PathBuf>, Vec<String>)> {
    let text = std::fs::read_to_string(dir.join("rule.test.yaml")).expect("rule.test.yaml");
    let documents = Yaml::load_from_str(&text).expect("rule.test.yaml is YAML");
    let document = documents.first().expect("a test document");
    let cases = document.as_mapping_get("cases").and_then(Yaml::as_vec).expect("cases");
    let strings = |node: Option<&Yaml>, key: Option<&str>| -> Vec<String> {
        node.and_then(Yaml::as_vec)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|item| match key {
                        Some(key) => item.as_mapping_get(key).and_then(Yaml::as_str),
                        None => item.as_str(),
                    })
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    cases
        .iter()
        .map(|case| {
            let files =
                strings(case.as_mapping_get("documents"), None).into_iter().map(|f| dir.join(f)).collect();
            (files, strings(case.as_mapping_get("expect"), Some("rule")))
        })
        .collect()
}

#[test]
fn builtin_policy_tests_pass() {
    let files = testing::find(&[root().join("policies")]);
    assert_eq!(files.len(), rule_dirs().len(), "one test file per rule");
    let report = testing::run(&files, root()).expect("the policy tests run");
    assert!(
        report.problems.is_empty(),
        "{:#?}",
        report.problems.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    let failed: Vec<String> = report
        .cases
        .iter()
        .filter(|c| !c.passed())
        .map(|c| format!("{}: {} missing {:?} unexpected {:?}", c.file, c.name, c.missing, c.unexpected))
        .collect();
    assert!(failed.is_empty(), "{failed:#?}");
    assert!(report.cases.len() >= 2 * rule_dirs().len());
}

#[test]
fn every_rule_has_passing_and_failing_fixtures() {
    for dir in rule_dirs() {
        let id = dir
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.get(..7))
            .expect("folder named by id")
            .to_owned();
        let cases = cases(&dir);
        assert!(cases.iter().any(|(_, expect)| expect.is_empty()), "{id} has no passing case");
        assert!(cases.iter().any(|(_, expect)| expect.contains(&id)), "{id} has no failing case");
    }
}

#[test]
fn the_pack_has_the_designed_ids_names_and_severities() {
    let expected = [
        ("CL-A001", "user-consent-own-data-only", "error"),
        ("CL-A002", "user-consent-blocked", "error"),
        ("CL-A003", "consent-path-declared", "error"),
        ("CL-A004", "unknown-permission", "error"),
        ("CL-A005", "application-permission-needs-admin", "error"),
        ("CL-A006", "unverified-publisher-user-consent", "error"),
        ("CL-A007", "high-risk-permission", "warning"),
        ("CL-A008", "permission-justified", "warning"),
        ("CL-A009", "duplicate-app-id", "error"),
        ("CL-A010", "external-publisher-identified", "warning"),
        ("CL-G001", "tenant-wide-high-risk-grant", "warning"),
        ("CL-G002", "risky-application-permission", "warning"),
        ("CL-G003", "user-consent-out-of-policy", "warning"),
        ("CL-G004", "grant-drift", "error"),
        ("CL-G005", "grant-wider-than-registration", "warning"),
        ("CL-G006", "illicit-consent-shape", "error"),
        ("CL-T001", "admin-consent-workflow-when-consent-off", "error"),
        ("CL-T002", "consent-workflow-has-reviewers", "error"),
        ("CL-T003", "consent-workflow-notifies-reviewers", "warning"),
        ("CL-T004", "consent-workflow-reminders", "warning"),
        ("CL-T005", "consent-request-expiry", "warning"),
        ("CL-T006", "user-consent-restricted", "error"),
        ("CL-T007", "no-user-consent-for-risky-apps", "error"),
        ("CL-T008", "group-owner-consent-off", "warning"),
        ("CL-T009", "only-admins-register-apps", "warning"),
        ("CL-T010", "low-impact-classification-minimal", "warning"),
        ("CL-T011", "admin-consent-requests-setting-on", "error"),
        ("CL-T012", "consent-request-settings-agree", "warning"),
        ("CL-T013", "risky-app-consent-blocked-setting", "error"),
        ("CL-T014", "group-specific-consent-setting-off", "warning"),
        ("CL-T015", "password-addition-blocked", "warning"),
        ("CL-T016", "password-lifetime-restricted", "warning"),
        ("CL-T017", "certificate-lifetime-restricted", "warning"),
    ];
    let pack = builtin();
    let actual: Vec<(&str, &str, &str)> =
        pack.rules.iter().map(|r| (r.id.as_str(), r.name.as_str(), r.severity.as_str())).collect();
    assert_eq!(actual, expected);
    for rule in &pack.rules {
        let family = match rule.id.get(..4) {
            Some("CL-T") => "TenantConfig",
            Some("CL-G") => "Grant",
            _ => "AppManifest",
        };
        assert_eq!(rule.target.as_str(), family, "{}", rule.id);
        assert!(!rule.references.is_empty(), "{} cites nothing", rule.id);
    }
}

#[test]
fn each_rule_renders_its_failing_fixtures_as_snapshotted() {
    for dir in rule_dirs() {
        let id = dir.file_name().and_then(|n| n.to_str()).and_then(|n| n.get(..7)).expect("id").to_owned();
        let mut paths: Vec<PathBuf> = cases(&dir)
            .into_iter()
            .filter(|(_, expect)| expect.contains(&id))
            .flat_map(|(files, _)| files)
            .collect();
        paths.sort();
        paths.dedup();
        let mut options = Options::new(paths, dir.clone());
        options.policies = Sources { builtin: true, ..Sources::default() };
        options.selection = Selection { select: vec![id.clone()], ignore: Vec::new() };
        // The default profile, or else the first built-in profile that runs the rule.
        let report = [None, Some("eidsca"), Some("scuba"), Some("cis")]
            .into_iter()
            .map(|profile| {
                options.profile = profile.map(str::to_owned);
                check::run(&options).expect("the check runs")
            })
            .find(|report| report.diagnostics.iter().any(|d| d.code == id));
        let Some(report) = report else { panic!("{id} found nothing on its failing fixtures") };
        let mut out = Vec::new();
        render::render(&report, Format::Plain, Style::default(), &mut out).expect("render");
        insta::assert_snapshot!(id.clone(), String::from_utf8(out).expect("UTF-8"));
    }
}

#[test]
fn no_snapshot_is_orphaned() {
    let mut names: Vec<String> = rule_dirs()
        .iter()
        .map(|dir| dir.file_name().and_then(|n| n.to_str()).and_then(|n| n.get(..7)).expect("id").to_owned())
        .collect();
    names.push("the_examples_produce_the_documented_findings".to_owned());
    snapshots::assert_no_orphans(
        "rules",
        &[
            "each_rule_renders_its_failing_fixtures_as_snapshotted",
            "the_examples_produce_the_documented_findings",
        ],
        names,
    );
}

#[test]
fn the_rule_reference_is_current() {
    let generated = consentlint::docs::rules_markdown(&builtin().rules);
    let committed = std::fs::read_to_string(root().join("docs/rules.md")).unwrap_or_default();
    assert!(
        generated == committed,
        "docs/rules.md is out of date: run `cargo run -- rules --format markdown > docs/rules.md`"
    );
}

#[test]
fn the_examples_produce_the_documented_findings() {
    let mut options = Options::new(vec![root().join("examples")], root().to_path_buf());
    options.policies = Sources { builtin: true, ..Sources::default() };
    let report = check::run(&options).expect("the check runs");
    let mut out = Vec::new();
    render::render(&report, Format::Plain, Style::default(), &mut out).expect("render");
    insta::assert_snapshot!(String::from_utf8(out).expect("UTF-8"));
}
