//! The policy commands end to end: a custom policy directory with `check`, `test`, `explain` and
//! `rules`; `--select` and `--ignore`; exit statuses for failing tests and broken policies.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "a test fails loudly when its setup fails; tests index what they built"
)]

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn custom() -> PathBuf {
    root().join("tests/fixtures/custom-policy")
}

#[path = "support/run.rs"]
mod support;
use support::run;

#[test]
fn a_custom_policy_directory_runs_next_to_the_pack() {
    let run = run(&custom(), &["check", "--policy", ".", "fail.yaml", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let codes: Vec<&str> =
        report["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"ACME-001"), "{codes:?}");
    let acme = report["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "ACME-001").unwrap();
    assert_eq!((acme["line"].as_u64(), acme["column"].as_u64()), (Some(9), Some(19)));
    assert_eq!(acme["message"], "in-house app `hr-portal` has sign-in audience `multi-tenant`");
    assert_eq!(acme["pointer"], "/spec/signInAudience");
}

#[test]
fn no_builtin_policies_leaves_only_the_custom_rules() {
    let run = run(
        &custom(),
        &["check", "--no-builtin-policies", "--policy", ".", "pass.yaml", "fail.yaml", "--format", "plain"],
    );
    assert_eq!(run.code, 1);
    assert!(run.stdout.ends_with("1 error in 2 files (2 documents)\n"), "{}", run.stdout);
}

#[test]
fn custom_policy_tests_pass_and_a_wrong_expectation_fails() {
    let good = run(&custom(), &["test", "."]);
    assert_eq!(good.code, 0, "{}", good.stdout);
    assert!(good.stdout.ends_with("2 passed, 0 failed\n"), "{}", good.stdout);

    let dir = tempfile::tempdir().unwrap();
    for file in ["acme.yaml", "pass.yaml", "fail.yaml"] {
        std::fs::copy(custom().join(file), dir.path().join(file)).unwrap();
    }
    let test =
        std::fs::read_to_string(custom().join("acme.test.yaml")).unwrap().replace("line: 9", "line: 8");
    std::fs::write(dir.path().join("acme.test.yaml"), test).unwrap();
    let bad = run(dir.path(), &["test"]);
    assert_eq!(bad.code, 1, "{}", bad.stdout);
    assert!(bad.stdout.contains("FAIL acme.test.yaml: multi-tenant fails"), "{}", bad.stdout);
    assert!(bad.stdout.contains("  expected, not found: ACME-001 at fail.yaml:8"), "{}", bad.stdout);
    assert!(
        bad.stdout.contains("  found, not expected: ACME-001 at fail.yaml:9: in-house app"),
        "{}",
        bad.stdout
    );
    assert!(bad.stdout.ends_with("1 passed, 1 failed\n"), "{}", bad.stdout);
}

#[test]
fn a_broken_policy_stops_the_run_with_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let policy = std::fs::read_to_string(custom().join("acme.yaml"))
        .unwrap()
        .replace("equals: single-tenant", "equal: single-tenant");
    std::fs::write(dir.path().join("acme.yaml"), policy).unwrap();
    std::fs::copy(custom().join("pass.yaml"), dir.path().join("pass.yaml")).unwrap();
    let run = run(dir.path(), &["check", "--policy", ".", "pass.yaml", "--format", "plain"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stdout.contains("error[CL-C001]: unknown key `equal`"), "{}", run.stdout);
    assert!(run.stdout.contains("--> acme.yaml:23:7"), "{}", run.stdout);
    assert!(run.stdout.contains("= help: did you mean `equals`?"), "{}", run.stdout);
}

#[test]
fn explain_prints_the_rule_and_suggests_on_a_typo() {
    let run1 = run(root(), &["explain", "CL-T005"]);
    assert_eq!(run1.code, 0);
    assert!(run1.stdout.starts_with("# CL-T005: consent-request-expiry\n"), "{}", run1.stdout);
    assert!(run1.stdout.contains("EIDSCA.CR04"), "{}", run1.stdout);
    let custom_rule = run(&custom(), &["explain", "ACME-001", "--policy", "."]);
    assert_eq!(custom_rule.code, 0);
    assert!(custom_rule.stdout.contains("Acme identity standard"));
    let typo = run(root(), &["explain", "CL-T05"]);
    assert_eq!(typo.code, 2);
    assert!(typo.stderr.contains("unknown rule `CL-T05`"), "{}", typo.stderr);
    assert!(typo.stderr.contains("did you mean `CL-T005`?"), "{}", typo.stderr);
    let code = run(root(), &["explain", "cl-s001"]);
    assert_eq!(code.code, 0);
    assert!(code.stdout.starts_with("# CL-S001: schema-violation\n"), "{}", code.stdout);
    // The whole documentation of the code, not a summary.
    assert!(code.stdout.contains("a missing required key at the key that holds the incomplete mapping"));
}

#[test]
fn rules_lists_every_rule_as_a_table_and_as_json() {
    let table = run(root(), &["rules"]);
    assert_eq!(table.code, 0);
    assert_eq!(table.stdout.lines().count(), 34, "a header and thirty-three rules");
    assert!(table.stdout.lines().nth(1).unwrap().starts_with("CL-A001  error     AppManifest "));
    let json = run(root(), &["rules", "--format", "json"]);
    let rules: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(rules.as_array().unwrap().len(), 33);
    assert_eq!(rules[0]["id"], "CL-A001");
    assert!(rules[0]["url"].as_str().unwrap().ends_with("docs/rules.md#cl-a001"));
}

#[test]
fn select_and_ignore_filter_by_code_and_prefix() {
    let codes = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["check", "examples/", "--format", "json"];
        all.extend_from_slice(args);
        let run = run(root(), &all);
        let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_owned())
            .collect()
    };
    let only_tenant = codes(&["--select", "CL-T"]);
    assert!(
        !only_tenant.is_empty() && only_tenant.iter().all(|c| c.starts_with("CL-T") || c == "CL-S001"),
        "{only_tenant:?}"
    );
    let two = codes(&["--select", "CL-T005,CL-T006"]);
    assert_eq!(
        two,
        ["CL-S001", "CL-T006", "CL-T006", "CL-T005"],
        "schema errors are never hidden by --select; sorted by file and position (Adatum's export, then Fabrikam)"
    );
    let schema_ignored = codes(&["--select", "CL-T005", "--ignore", "CL-S001"]);
    assert_eq!(schema_ignored, ["CL-T005"], "only an explicit --ignore hides a schema error");
    let ignored = codes(&["--ignore", "CL-A", "--ignore", "CL-S001"]);
    assert!(ignored.iter().all(|c| !c.starts_with("CL-A") && c != "CL-S001"), "{ignored:?}");
    assert!(ignored.iter().any(|c| c.starts_with("CL-T")));
}

#[test]
fn an_unknown_rule_in_select_is_a_usage_error() {
    let run = run(root(), &["check", "examples/", "--select", "CL-T0055"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: unknown rule or code `CL-T0055`"), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `CL-T005`?"), "{}", run.stderr);
}

const APP: &str = "apiVersion: consentlint/v1
kind: AppManifest
metadata:
  name: reports
  appId: 5e2f7d8c-9b10-4c1e-9a55-6f1c2e4a0b7d
  TENANT
spec:
  displayName: Reports
  publisher: {name: Contoso IT, origin: organization}
  consent: admin
  permissions:
    - {name: Reports.Read.All, type: application, justification: Usage reports., resource: RESOURCE}
";

fn tenant(name: &str) -> String {
    format!(
        "apiVersion: consentlint/v1\nkind: TenantConfig\nmetadata: {{name: {name}, tenantId: 6f1c2e4a-0b7d-4c1e-9a55-3e2f7d8c9b10}}\nspec:\n  userConsent: {{enabled: false}}\n"
    )
}

fn json_codes(dir: &Path, args: &[&str]) -> Vec<(String, u64, String)> {
    let run = run(dir, args);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn apps_naming_an_unknown_tenant_or_none_of_several_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("contoso.yaml"), tenant("contoso")).unwrap();
    std::fs::write(
        dir.path().join("app.yaml"),
        APP.replace("TENANT", "tenant: contso").replace("RESOURCE", "Microsoft Graph"),
    )
    .unwrap();
    let found = json_codes(dir.path(), &["check", ".", "--format", "json", "--select", "CL-S002"]);
    assert_eq!(
        found,
        [("CL-S002".to_owned(), 6, "tenant `contso` is not among the documents checked".to_owned())]
    );

    std::fs::write(dir.path().join("fabrikam.yaml"), tenant("fabrikam")).unwrap();
    std::fs::write(
        dir.path().join("app.yaml"),
        APP.replace("  TENANT\n", "").replace("RESOURCE", "Microsoft Graph"),
    )
    .unwrap();
    let found = json_codes(dir.path(), &["check", ".", "--format", "json", "--select", "CL-S002"]);
    assert_eq!(
        found,
        [(
            "CL-S002".to_owned(),
            3,
            "the app does not say which of several tenants consents to it".to_owned()
        )]
    );
}

#[test]
fn a_user_catalog_describes_another_api() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("contoso.yaml"), tenant("contoso")).unwrap();
    std::fs::write(
        dir.path().join("app.yaml"),
        APP.replace("  TENANT\n", "")
            .replace("Reports.Read.All", "Ledger.Read")
            .replace("RESOURCE", "Contoso Ledger API"),
    )
    .unwrap();
    // Without a catalog of the API, its permissions are not judged, and the run says so.
    let args = ["check", "app.yaml", "contoso.yaml", "--format", "json", "--select", "CL-A004"];
    let unknown = json_codes(dir.path(), &args);
    assert!(unknown.is_empty(), "{unknown:?}");
    let without = run(dir.path(), &args);
    assert!(
        without.stdout.contains("not judged on the permissions of `Contoso Ledger API`"),
        "{}",
        without.stdout
    );
    std::fs::write(
        dir.path().join("ledger.yaml"),
        "resource: Contoso Ledger API\npermissions:\n  Ledger.Read:\n    application: {adminConsent: true, privilege: 2, risk: low}\n",
    )
    .unwrap();
    let known = json_codes(
        dir.path(),
        &[
            "check",
            "app.yaml",
            "contoso.yaml",
            "--catalog",
            "ledger.yaml",
            "--format",
            "json",
            "--select",
            "CL-A004",
        ],
    );
    assert!(known.is_empty(), "{known:?}");
    std::fs::write(dir.path().join("broken.yaml"), "resource: [oops]\n").unwrap();
    let broken = run(dir.path(), &["check", "app.yaml", "--catalog", "broken.yaml", "--format", "plain"]);
    assert_eq!(broken.code, 2);
    assert!(
        broken.stdout.contains("error[CL-C006]: expected a string, found a list\n --> broken.yaml:1:11\n"),
        "{}",
        broken.stdout
    );
}

#[test]
fn one_app_under_two_tenants_is_not_a_duplicate_but_twice_under_one_is() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("contoso.yaml"), tenant("contoso")).unwrap();
    std::fs::write(dir.path().join("fabrikam.yaml"), tenant("fabrikam").replace("6f1c2e4a", "7f1c2e4a"))
        .unwrap();
    let app = |tenant: &str| {
        APP.replace("TENANT", &format!("tenant: {tenant}")).replace("RESOURCE", "Microsoft Graph")
    };
    std::fs::write(dir.path().join("a-contoso.yaml"), app("contoso")).unwrap();
    std::fs::write(dir.path().join("b-fabrikam.yaml"), app("fabrikam")).unwrap();
    assert!(json_codes(dir.path(), &["check", ".", "--format", "json", "--select", "CL-A009"]).is_empty());
    std::fs::write(dir.path().join("c-contoso.yaml"), app("contoso")).unwrap();
    let found = json_codes(dir.path(), &["check", ".", "--format", "json", "--select", "CL-A009"]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].2.contains("a-contoso.yaml:5"), "{found:?}");
}

#[test]
fn an_app_whose_tenant_fails_its_schema_is_told_so() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("contoso.yaml"),
        tenant("contoso").replace("enabled: false", "enabled: maybe"),
    )
    .unwrap();
    std::fs::write(dir.path().join("fabrikam.yaml"), tenant("fabrikam")).unwrap();
    std::fs::write(
        dir.path().join("app.yaml"),
        APP.replace("TENANT", "tenant: contoso").replace("RESOURCE", "Microsoft Graph"),
    )
    .unwrap();
    let found = json_codes(dir.path(), &["check", ".", "--format", "json", "--select", "CL-S002"]);
    assert!(
        found.iter().any(|(code, line, message)| code == "CL-S002"
            && *line == 6
            && message == "tenant `contoso` does not pass its schema, so this app is not judged against it"),
        "{found:?}"
    );
}

/// A rule that reads a value the inputs do not state is not judged, unless its `when`, reading only
/// stated values, holds in none of its scopes: then it does not apply.
#[test]
fn a_when_on_stated_values_decides_before_an_unstated_value_makes_a_rule_not_judged() {
    let dir = tempfile::tempdir().unwrap();
    let rule = |id: &str, extra: &str| {
        format!(
            "  - id: {id}\n    name: rule-{}\n    severity: error\n    target: TenantConfig\n    summary: s\n    \
             description: d\n{extra}    assert: {{path: $document.spec.adminConsentWorkflow.enabled, equals: true}}\n    \
             message: m\n",
            id.to_ascii_lowercase()
        )
    };
    let policy = [
        "apiVersion: consentlint/v1\nkind: Policy\nmetadata: {name: acme}\nrules:\n".to_owned(),
        // The `when` reads the element and holds for none of them: not applicable.
        rule("ACME-001", "    for-each: spec.userConsent.lowImpactPermissions\n    when: {path: ., equals: Mail.Read}\n"),
        // It holds for `openid`: not judged.
        rule("ACME-002", "    for-each: spec.userConsent.lowImpactPermissions\n    when: {path: ., equals: openid}\n"),
        // A `when` whose stated part fails is decided whatever the unstated value: not applicable.
        rule(
            "ACME-003",
            "    when:\n      all:\n        - {path: spec.userConsent.enabled, equals: false}\n        - {path: \
             spec.adminConsentWorkflow.enabled, equals: true}\n",
        ),
        // A `when` on the document alone that does not hold: not applicable.
        rule("ACME-004", "    when: {path: spec.userConsent.enabled, equals: false}\n"),
        // Without a `when`: not judged.
        rule("ACME-005", ""),
        // A list the tenant does not hold has no element the `when` could hold for: not applicable.
        rule("ACME-006", "    for-each: spec.userConsent.grantPolicies\n    when: {path: ., equals: x}\n"),
    ]
    .concat();
    std::fs::create_dir_all(dir.path().join("policies")).unwrap();
    std::fs::write(dir.path().join("policies/acme.yaml"), policy).unwrap();
    let tenant = "apiVersion: consentlint/v1\nkind: TenantConfig\nmetadata:\n  name: contoso\n  tenantId: \
                  6f1c2e4a-0b7d-4c1e-9a55-3e2f7d8c9b10\n  notStated: [spec.adminConsentWorkflow]\nspec:\n  \
                  userConsent:\n    enabled: true\n    policy: verified-publishers-low-impact\n    \
                  lowImpactPermissions: [User.Read, openid]\n";
    std::fs::write(dir.path().join("tenant.yaml"), tenant).unwrap();
    let out = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--no-builtin-policies",
            "--policy",
            "policies",
            "tenant.yaml",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let notes: Vec<&str> =
        report["notes"].as_array().unwrap().iter().map(|n| n["message"].as_str().unwrap()).collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].starts_with("`ACME-002`, `ACME-005` were not judged on tenant `contoso`"), "{notes:?}");
}
