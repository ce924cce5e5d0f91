//! `consentlint simulate`: snapshots of every format for every outcome and every reason of the
//! consent model (the fixtures in `tests/fixtures/simulate/`), the outcome an identity
//! administrator would predict for every example app in each example tenant, and the exit statuses
//! for invalid inputs and usage errors.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "a test fails loudly when its setup fails; tests index what they built"
)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

#[path = "support/snapshots.rs"]
mod snapshots;

/// Each case: a name, the tenant and the apps. Together they meet every outcome, every reason and
/// every kind of change.
const CASES: &[(&str, &str, &[&str])] = &[
    (
        "consent-off-with-workflow",
        "tenants/northwind.yaml",
        &[
            "apps/sign-in-only.yaml",
            "apps/profile-reader.yaml",
            "apps/nightly-export.yaml",
            "apps/daemon.yaml",
        ],
    ),
    ("consent-off-without-workflow", "tenants/adatum.yaml", &["apps/profile-reader.yaml"]),
    ("all-apps-without-reviewers", "tenants/tailwind.yaml", &["apps/"]),
    (
        "verified-publishers-low-impact",
        "tenants/woodgrove.yaml",
        &[
            "apps/profile-reader.yaml",
            "apps/unverified-profile.yaml",
            "apps/mail-reader.yaml",
            "apps/mail-sender.yaml",
        ],
    ),
    (
        "microsoft-managed",
        "tenants/litware.yaml",
        &["apps/calendar-sync.yaml", "apps/profile-reader.yaml", "apps/file-search.yaml"],
    ),
    ("native-tenant", "tenants/contoso-graph", &["apps/profile-reader.yaml", "apps/unverified-profile.yaml"]),
    (
        "custom-policy",
        "tenants/fourthcoffee.yaml",
        &[
            "apps/profile-reader.yaml",
            "apps/unverified-profile.yaml",
            "apps/inbox-helper.yaml",
            "apps/team-helper.yaml",
        ],
    ),
];

const FORMATS: [&str; 3] = ["human", "markdown", "json"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `consentlint ARGS` in `dir` without colour at a fixed width: exit status, stdout, stderr.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::cargo_bin("consentlint")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (output.status.code().expect("exit status"), String::from_utf8(output.stdout).unwrap(), stderr)
}

fn simulate(dir: &Path, tenant: &str, apps: &[&str], format: &str) -> (i32, String, String) {
    let mut args = vec!["simulate", "--tenant", tenant, "--format", format];
    args.extend_from_slice(apps);
    run(dir, &args)
}

fn fixtures() -> PathBuf {
    root().join("tests/fixtures/simulate")
}

#[test]
fn every_case_renders_as_snapshotted_in_every_format() {
    for (case, tenant, apps) in CASES {
        for format in FORMATS {
            let (code, stdout, stderr) = simulate(&fixtures(), tenant, apps, format);
            assert_eq!(code, 0, "{case} {format}: {stderr}");
            if format == "json" {
                serde_json::from_str::<Value>(&stdout).expect("valid JSON");
            }
            insta::assert_snapshot!(format!("{case}-{format}"), stdout);
        }
    }
}

/// The JSON of every case.
fn outputs() -> Vec<Value> {
    CASES
        .iter()
        .map(|(_, tenant, apps)| {
            serde_json::from_str(&simulate(&fixtures(), tenant, apps, "json").1).unwrap()
        })
        .collect()
}

/// The reason ids of the consent model: the `name` of each of its rules.
fn model_reasons() -> BTreeSet<String> {
    let model = std::fs::read_to_string(root().join("data/simulate/consent-model.yaml")).unwrap();
    let rules = model.lines().filter_map(|line| line.strip_prefix("    name: ")).map(str::to_owned);
    rules.chain(consentlint::simulate::POLICY_REASONS.iter().map(|r| (*r).to_owned())).collect()
}

#[test]
fn the_cases_meet_every_outcome_reason_and_change() {
    let (mut outcomes, mut reasons, mut actions, mut sides) =
        (BTreeSet::new(), BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    let mut trade_offs = 0;
    let mut without_change = 0;
    for output in outputs() {
        for app in output["apps"].as_array().unwrap() {
            outcomes.insert(app["outcome"].as_str().unwrap().to_owned());
            let permission_reasons =
                app["permissions"].as_array().unwrap().iter().flat_map(|p| p["reasons"].as_array().unwrap());
            for reason in permission_reasons
                .chain(app["appReasons"].as_array().unwrap())
                .chain(app["recourse"].as_array().unwrap())
            {
                reasons.insert(reason["id"].as_str().unwrap().to_owned());
            }
            let changes = app["changes"].as_array().unwrap();
            if changes.is_empty()
                && ["approval-required", "blocked"].contains(&app["outcome"].as_str().unwrap())
            {
                without_change += 1;
            }
            for change in changes {
                sides.insert(change["on"].as_str().unwrap().to_owned());
                trade_offs += change["tradeOffs"].as_array().unwrap().len();
                for step in change["steps"].as_array().unwrap() {
                    actions.insert(step["action"].as_str().unwrap().to_owned());
                }
            }
        }
    }
    let all = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect::<BTreeSet<String>>();
    assert_eq!(outcomes, all(&["approval-required", "blocked", "consent-prompt", "undetermined"]));
    assert_eq!(reasons, model_reasons());
    assert_eq!(
        actions,
        all(&[
            "classify-low-impact",
            "correct-name",
            "remove-permission",
            "request-delegated",
            "request-narrower",
            "user-consent-policy",
            "verify-publisher",
        ])
    );
    assert_eq!(sides, all(&["app", "tenant", "tenant and app"]));
    assert!(trade_offs > 0, "some change has a trade-off");
    assert!(without_change > 0, "some app has no change that helps");
}

/// The example tenants: two written as `TenantConfig`, one assembled from a Microsoft Graph export.
const TENANTS: [(&str, &str); 3] = [
    ("contoso", "examples/tenants/contoso.yaml"),
    ("fabrikam", "examples/tenants/fabrikam.yaml"),
    ("northwind-traders", "examples/entra-export/northwind"),
];

/// Every example app: the manifests of `examples/apps/` and the app registrations of the export.
const EXAMPLE_APPS: [&str; 2] = ["examples/apps/", "examples/entra-export/northwind"];

/// What an identity administrator predicts from the product documentation for each example app in
/// each example tenant. Contoso has user consent off and a workflow with reviewers: every app needs
/// approval. Fabrikam lets users consent to any app (the legacy policy, `microsoft-user-default-legacy`:
/// every delegated permission that needs no admin consent, whatever data it reaches; Learn, "Configure
/// how users consent to applications") and allows consent to risky apps, but its workflow names no
/// reviewer: an app is a consent prompt when every permission is a delegated one its API lets users
/// grant, and blocked otherwise, or when its service principal requires assignment (Learn, same page:
/// such an app's permissions are consented by an administrator). Northwind lets users consent to apps
/// from verified publishers (or its own) for permissions classified low impact
/// (`microsoft-user-default-low`), and its workflow has a reviewer: what needs an administrator anyway,
/// comes from an unverified publisher, is not classified low, or requires assignment needs approval;
/// an app of its own organisation asking only for low-impact permissions is a consent prompt.
const EXPECTED: &[(&str, [&str; 3])] = &[
    ("directory-sync", ["approval-required", "blocked", "approval-required"]),
    ("expense-tracker", ["approval-required", "consent-prompt", "approval-required"]),
    ("graph-command-line-tools", ["approval-required", "blocked", "approval-required"]),
    ("hr-portal", ["approval-required", "consent-prompt", "approval-required"]),
    ("meeting-notes", ["approval-required", "consent-prompt", "approval-required"]),
    ("partner-portal", ["approval-required", "consent-prompt", "approval-required"]),
    ("payroll-export", ["approval-required", "blocked", "approval-required"]),
    ("mailbox-archiver", ["approval-required", "blocked", "approval-required"]),
    ("campaign-planner", ["approval-required", "consent-prompt", "consent-prompt"]),
    ("campaign-analytics", ["approval-required", "consent-prompt", "approval-required"]),
    ("supplier-portal", ["approval-required", "consent-prompt", "approval-required"]),
    ("user-directory-lookup", ["approval-required", "blocked", "approval-required"]),
    ("timesheets", ["approval-required", "consent-prompt", "consent-prompt"]),
    ("intranet-search", ["approval-required", "blocked", "approval-required"]),
    ("records-archiver", ["approval-required", "blocked", "approval-required"]),
];

#[test]
fn every_example_app_gets_the_predicted_outcome_in_each_example_tenant() {
    for (column, (tenant, path)) in TENANTS.iter().enumerate() {
        let (code, stdout, stderr) = simulate(&root(), path, &EXAMPLE_APPS, "json");
        // `reporting-connector` fails its schema, so the run exits 1 and lists it as `check` does.
        assert_eq!(code, 1, "{stderr}");
        let output: Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(output["tenant"], *tenant);
        let codes: Vec<&str> =
            output["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
        assert_eq!(codes, ["CL-S001"]);
        let mut seen = Vec::new();
        for app in output["apps"].as_array().unwrap() {
            let name = app["app"].as_str().unwrap();
            let expected = EXPECTED.iter().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("{name}"));
            assert_eq!(app["outcome"], expected.1[column], "{name} in {tenant}: {}", app["reason"]);
            assert!(!app["reason"].as_str().unwrap().is_empty());
            seen.push(name);
        }
        assert_eq!(seen.len(), EXPECTED.len());
    }
}

#[test]
fn the_examples_render_as_snapshotted() {
    for (tenant, path) in TENANTS {
        let (_, stdout, _) = simulate(&root(), path, &EXAMPLE_APPS, "human");
        insta::assert_snapshot!(format!("examples-{tenant}-human"), stdout);
    }
}

#[test]
fn invalid_inputs_get_the_diagnostics_of_check() {
    let app = "examples/apps/fabrikam/reporting-connector.yaml";
    let (code, stdout, _) = simulate(&root(), "examples/tenants/fabrikam.yaml", &[app], "json");
    assert_eq!(code, 1);
    let simulated: Value = serde_json::from_str(&stdout).unwrap();
    let (check_code, checked, _) = run(
        &root(),
        &["check", "--format", "json", "examples/tenants/fabrikam.yaml", app, "--select", "CL-S"],
    );
    assert_eq!(check_code, 1);
    let checked: Value = serde_json::from_str(&checked).unwrap();
    assert_eq!(simulated["diagnostics"], checked["diagnostics"]);
    assert_eq!(simulated["apps"], Value::Array(Vec::new()));

    for format in ["human", "json"] {
        let (code, stdout, _) =
            simulate(&fixtures(), "invalid/tenant.yaml", &["apps/profile-reader.yaml"], format);
        assert_eq!(code, 1);
        insta::assert_snapshot!(format!("invalid-tenant-{format}"), stdout);
        let (code, stdout, _) = simulate(
            &root(),
            "examples/tenants/fabrikam.yaml",
            &[app, "examples/apps/fabrikam/supplier-portal.yaml"],
            format,
        );
        assert_eq!(code, 1);
        insta::assert_snapshot!(format!("invalid-app-{format}"), stdout);
    }
}

#[test]
fn usage_errors_exit_2() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--tenant", "apps/profile-reader.yaml", "apps/"],
            "error: `apps/profile-reader.yaml` holds no tenant",
        ),
        (&["--tenant", "tenants/", "apps/"], "error: `tenants` holds 7 tenants"),
        (
            &["--tenant", "tenants/northwind.yaml", "tenants/adatum.yaml"],
            "error: no app manifest in `tenants/adatum.yaml`",
        ),
        (
            &["--tenant", "tenants/northwind.yaml", "apps/nowhere.yaml"],
            "error: path not found: `apps/nowhere.yaml`",
        ),
        (&["--tenant", "tenants/northwind.yaml"], "required arguments were not provided"),
        (&["apps/"], "--tenant <TENANT>"),
    ];
    for (args, expected) in cases {
        let mut all = vec!["simulate"];
        all.extend_from_slice(args);
        let (code, stdout, stderr) = run(&fixtures(), &all);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?}: {stdout}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn a_broken_policy_stops_the_run_as_check_does() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("broken.yaml"),
        "apiVersion: consentlint/v1\nkind: Policy\nmetadata: {name: broken}\nrules: []\n",
    )
    .unwrap();
    let policy = dir.path().to_str().unwrap();
    let (code, stdout, _) = run(
        &fixtures(),
        &[
            "simulate",
            "--tenant",
            "tenants/northwind.yaml",
            "apps/typo.yaml",
            "--policy",
            policy,
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 2);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["diagnostics"][0]["code"], "CL-C001");
}

#[test]
fn no_snapshot_is_orphaned() {
    let mut names: Vec<String> =
        CASES.iter().flat_map(|(case, ..)| FORMATS.map(|format| format!("{case}-{format}"))).collect();
    names.extend(TENANTS.map(|(tenant, _)| format!("examples-{tenant}-human")));
    for format in ["human", "json"] {
        names.push(format!("invalid-tenant-{format}"));
        names.push(format!("invalid-app-{format}"));
    }
    snapshots::assert_no_orphans(
        "simulate",
        &[
            "every_case_renders_as_snapshotted_in_every_format",
            "the_examples_render_as_snapshotted",
            "invalid_inputs_get_the_diagnostics_of_check",
        ],
        names,
    );
}

#[test]
fn the_documentation_lists_every_reason_and_quotes_real_runs() {
    let doc = std::fs::read_to_string(root().join("docs/simulate.md")).unwrap();
    for reason in model_reasons() {
        assert!(doc.contains(&format!("| `{reason}` |")), "docs/simulate.md does not list `{reason}`");
    }
    let lines: Vec<&str> = doc.lines().collect();
    let mut quoted = 0;
    for (index, line) in lines.iter().enumerate() {
        let Some(command) = line.strip_prefix("$ consentlint ") else { continue };
        assert_eq!(lines[index - 1], "```text", "a quoted run starts a text block");
        let expected: Vec<&str> = lines[index + 1..].iter().take_while(|l| **l != "```").copied().collect();
        let args: Vec<&str> = command.split_whitespace().collect();
        let (_, stdout, _) = run(&root(), &args);
        assert_eq!(
            stdout.lines().collect::<Vec<_>>(),
            expected,
            "docs/simulate.md: `consentlint {command}` is stale"
        );
        quoted += 1;
    }
    assert!(quoted >= 2, "docs/simulate.md quotes runs of the examples");
}

/// The app of [`simulating_grows_linearly_with_the_permissions`]: `n` permissions, each needing a
/// change of its own (a narrower permission, a delegated one, or none at all).
fn many(n: usize) -> String {
    let mut text = "apiVersion: consentlint/v1\nkind: AppManifest\nmetadata: {name: many, appId: 1bab3bc8-9c56-4396-bab1-6f711e234231}\nspec:\n  displayName: Many\n  publisher: {name: P, origin: organization}\n  permissions:\n".to_owned();
    for i in 0..n {
        let (name, kind) =
            [("Mail.Read", "application"), ("Files.Read.All", "delegated"), ("User.Read", "delegated")]
                [i % 3];
        let _ = writeln!(text, "    - {{name: {name}, type: {kind}, justification: x}}");
    }
    text
}

#[test]
fn simulating_grows_linearly_with_the_permissions() {
    // As in tests/complexity.rs: the best of three runs at n and 2n, compared as a ratio (linear is
    // 2, quadratic 4), measured again before a ratio over the limit fails.
    const N: usize = 150;
    let dir = tempfile::tempdir().unwrap();
    let tenant = std::fs::read_to_string(fixtures().join("tenants/tailwind.yaml")).unwrap();
    std::fs::write(dir.path().join("tenant.yaml"), tenant).unwrap();
    let time = |n: usize| {
        let app = dir.path().join(format!("app{n}.yaml"));
        std::fs::write(&app, many(n)).unwrap();
        let options = consentlint::options::Options::new(vec![app], dir.path().to_path_buf());
        let mut best = std::time::Duration::MAX;
        for _ in 0..3 {
            let started = std::time::Instant::now();
            let simulation = consentlint::simulate::run(&options, &dir.path().join("tenant.yaml")).unwrap();
            best = best.min(started.elapsed());
            let app = &simulation.apps[0];
            assert_eq!(app.outcome, consentlint::simulate::Outcome::Blocked);
            assert_eq!(app.changes.len(), 1, "one change to the app");
        }
        best.as_secs_f64()
    };
    assert_linear("the permissions", N, time);
}

/// Fails unless doubling `n` at most about doubles `time(n)`, less the cost of a run with one
/// (loading the rules, the model and the schemas), which would hide growth: linear is 2, quadratic 4,
/// measured again before a ratio over the limit fails.
fn assert_linear(what: &str, n: usize, time: impl Fn(usize) -> f64) {
    let mut ratios = Vec::new();
    for _ in 0..3 {
        let fixed = time(1);
        let ratio = (time(2 * n) - fixed) / (time(n) - fixed).max(1e-6);
        eprintln!("{what}: ratio {ratio:.2}");
        if ratio < 3.2 {
            return;
        }
        ratios.push(ratio);
    }
    panic!("doubling {what} multiplied the time by {ratios:.2?} in three rounds");
}

#[test]
fn a_profile_prices_the_changes_by_its_own_rules() {
    let args = |profile: Option<&'static str>| {
        let mut args = vec![
            "simulate",
            "--tenant",
            "examples/tenants/contoso.yaml",
            "examples/apps/contoso/meeting-notes.yaml",
        ];
        if let Some(profile) = profile {
            args.extend(["--profile", profile]);
        }
        args
    };
    let (code, default, _) = run(&root(), &args(None));
    assert_eq!(code, 0);
    let (code, cis, _) = run(&root(), &args(Some("cis")));
    assert_eq!(code, 0);
    let legacy = "then error[CL-T006]: user consent is on under the `all-apps` policy, which this profile does not accept";
    assert!(cis.contains(legacy), "CIS 5.1.5.1 admits no user consent at all:\n{cis}");
    assert!(default.contains("`verified-publishers-low-impact` policy"), "{default}");
    assert!(
        !cis.contains("with the `verified-publishers-low-impact` policy"),
        "CIS fails it too, so it is no smallest change:\n{cis}"
    );
    let (code, _, stderr) = run(&root(), &args(Some("nope")));
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown profile `nope`"), "{stderr}");
}

/// A tenant whose users consent under `n` policies of its own, each with two condition sets that
/// the app's permissions do not match, all of them assigned and exported.
fn many_policies(n: usize) -> String {
    let mut text = "apiVersion: consentlint/v1\nkind: TenantConfig\nmetadata: {name: many, tenantId: 4b0792e0-b206-412a-bef0-506ef3516438}\nspec:\n  userConsent:\n    enabled: true\n    grantPolicies:\n".to_owned();
    for i in 0..n {
        let _ = writeln!(text, "      - policy-{i}");
    }
    text.push_str("  adminConsentWorkflow: {enabled: true, reviewers: [{role: Global Administrator}]}\n  permissionGrantPolicies:\n");
    for i in 0..n {
        let _ = writeln!(
            text,
            "    - id: policy-{i}\n      includes:\n        - {{permissionType: delegated, clientApplicationIds: [00000000-0000-4000-8000-{i:012}]}}\n        - {{permissionType: delegated, permissionClassification: low}}\n      excludes:\n        - {{permissionType: delegated, permissions: [Mail.Read]}}"
        );
    }
    text
}

#[test]
fn evaluating_policies_grows_linearly_with_their_number() {
    // The best of three runs at n and 2n assigned and exported policies.
    const N: usize = 1000;
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("app.yaml");
    std::fs::write(&app, std::fs::read_to_string(fixtures().join("apps/profile-reader.yaml")).unwrap())
        .unwrap();
    let time = |n: usize| {
        let tenant = dir.path().join(format!("tenant{n}.yaml"));
        std::fs::write(&tenant, many_policies(n)).unwrap();
        let options = consentlint::options::Options::new(vec![app.clone()], dir.path().to_path_buf());
        let mut best = std::time::Duration::MAX;
        for _ in 0..3 {
            let started = std::time::Instant::now();
            let simulation = consentlint::simulate::run(&options, &tenant).unwrap();
            best = best.min(started.elapsed());
            assert_eq!(simulation.apps[0].outcome, consentlint::simulate::Outcome::ApprovalRequired);
        }
        best.as_secs_f64()
    };
    assert_linear("the policies", N, time);
}
