//! Property tests of the policy operators and combinators: for generated values and thresholds,
//! a rule finds a problem exactly when Rust's own comparison says the assertion fails.
#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "a test fails loudly when its setup fails; tests index what they built"
)]

use consentlint::check;
use consentlint::options::Options;
use consentlint::policy::Sources;
use proptest::prelude::*;

const TENANT: &str = "apiVersion: consentlint/v1
kind: TenantConfig
metadata: {name: contoso, tenantId: 6f1c2e4a-0b7d-4c1e-9a55-3e2f7d8c9b10}
spec:
  userConsent:
    enabled: false
    lowImpactPermissions: [LOW]
  adminConsentWorkflow:
    enabled: true
    requestDurationInDays: DAYS
";

/// Whether a one-rule policy with `assert` finds a problem in a tenant with `days` and `low`.
fn fails(assert: &str, days: u32, low: &[&str]) -> bool {
    let dir = tempfile::tempdir().expect("temporary directory");
    let policy = format!(
        "apiVersion: consentlint/v1\nkind: Policy\nmetadata: {{name: p}}\nrules:\n  - id: T-1\n    name: t\n    severity: error\n    target: TenantConfig\n    summary: s\n    description: d\n    assert: {assert}\n    message: m\n"
    );
    std::fs::write(dir.path().join("policy.yaml"), policy).expect("write policy");
    let tenant = TENANT.replace("DAYS", &days.to_string()).replace("LOW", &low.join(", "));
    std::fs::write(dir.path().join("tenant.yaml"), tenant).expect("write tenant");
    let mut options = Options::new(vec![dir.path().join("tenant.yaml")], dir.path().to_path_buf());
    options.policies =
        Sources { builtin: false, dirs: Vec::new(), files: vec![dir.path().join("policy.yaml")] };
    let report = check::run(&options).expect("the check runs");
    assert!(!report.incomplete, "{:?}", report.diagnostics.iter().map(|d| &d.message).collect::<Vec<_>>());
    report.diagnostics.iter().any(|d| d.code == "T-1")
}

const DAYS: &str = "path: spec.adminConsentWorkflow.requestDurationInDays";

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn numeric_comparisons_match_rust(days in 0u32..400, limit in 0u32..400) {
        prop_assert_eq!(fails(&format!("{{{DAYS}, less-or-equal: {limit}}}"), days, &["a"]), days > limit);
        prop_assert_eq!(fails(&format!("{{{DAYS}, less-than: {limit}}}"), days, &["a"]), days >= limit);
        prop_assert_eq!(fails(&format!("{{{DAYS}, greater-than: {limit}}}"), days, &["a"]), days <= limit);
        prop_assert_eq!(fails(&format!("{{{DAYS}, greater-or-equal: {limit}}}"), days, &["a"]), days < limit);
    }

    #[test]
    fn equals_and_not_equals_are_complements(days in 0u32..40, other in 0u32..40) {
        let equals = fails(&format!("{{{DAYS}, equals: {other}}}"), days, &["a"]);
        let not_equals = fails(&format!("{{{DAYS}, not-equals: {other}}}"), days, &["a"]);
        prop_assert_eq!(equals, days != other);
        prop_assert_eq!(not_equals, !equals);
    }

    #[test]
    fn in_and_not_in_follow_membership(days in 0u32..10, options in proptest::collection::vec(0u32..10, 1..4)) {
        let list = options.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
        prop_assert_eq!(fails(&format!("{{{DAYS}, in: [{list}]}}"), days, &["a"]), !options.contains(&days));
        prop_assert_eq!(fails(&format!("{{{DAYS}, not-in: [{list}]}}"), days, &["a"]), options.contains(&days));
    }

    #[test]
    fn item_counts_and_contains_follow_the_list(len in 1usize..6, limit in 0usize..7, probe in 0usize..8) {
        let items: Vec<String> = (0..len).map(|i| format!("P{i}")).collect();
        let low: Vec<&str> = items.iter().map(String::as_str).collect();
        let path = "path: spec.userConsent.lowImpactPermissions";
        prop_assert_eq!(fails(&format!("{{{path}, min-items: {limit}}}"), 1, &low), len < limit);
        prop_assert_eq!(fails(&format!("{{{path}, max-items: {limit}}}"), 1, &low), len > limit);
        prop_assert_eq!(fails(&format!("{{{path}, contains: P{probe}}}"), 1, &low), probe >= len);
    }

    #[test]
    fn combinators_follow_boolean_logic(days in 0u32..60, a in 0u32..60, b in 0u32..60) {
        let le_a = format!("{{{DAYS}, less-or-equal: {a}}}");
        let ge_b = format!("{{{DAYS}, greater-or-equal: {b}}}");
        let (p, q) = (days <= a, days >= b);
        prop_assert_eq!(fails(&format!("{{all: [{le_a}, {ge_b}]}}"), days, &["x"]), !(p && q));
        prop_assert_eq!(fails(&format!("{{any: [{le_a}, {ge_b}]}}"), days, &["x"]), !(p || q));
        prop_assert_eq!(fails(&format!("{{not: {le_a}}}"), days, &["x"]), p);
        // De Morgan: not(all[a, b]) behaves as any[not a, not b].
        prop_assert_eq!(
            fails(&format!("{{not: {{all: [{le_a}, {ge_b}]}}}}"), days, &["x"]),
            fails(&format!("{{any: [{{not: {le_a}}}, {{not: {ge_b}}}]}}"), days, &["x"]),
        );
    }
}

#[test]
fn absent_values_fail_unless_a_default_is_given() {
    let path = "path: spec.usersCanRegisterApps";
    assert!(fails(&format!("{{{path}, equals: false}}"), 1, &["a"]), "absent fails a test");
    assert!(!fails(&format!("{{{path}, default: false, equals: false}}"), 1, &["a"]), "the default applies");
    assert!(!fails(&format!("{{{path}, absent: true}}"), 1, &["a"]));
    assert!(fails(&format!("{{{path}, exists: true}}"), 1, &["a"]));
}

#[test]
fn matches_uses_linear_time_regular_expressions() {
    assert!(!fails("{path: metadata.name, matches: '^con'}", 1, &["a"]));
    assert!(fails("{path: metadata.name, matches: '^fab'}", 1, &["a"]));
    // A pattern that backtracking engines take exponential time on; `regex` answers at once.
    assert!(fails("{path: metadata.name, matches: '^(a+)+$'}", 1, &["a"]));
}

/// How many permissions of an app with `names` a one-rule app policy with `assert` (under
/// `for-each: spec.permissions`) finds, in a tenant whose low-impact list is `low`.
fn app_findings(assert: &str, names: &[String], low: &[String]) -> usize {
    let tenant = TENANT.replace("DAYS", "30").replace("LOW", &low.join(", "));
    app_findings_in(assert, names, ("tenant.yaml", &tenant))
}

/// As [`app_findings`], in the tenant `(file name, text)`.
fn app_findings_in(assert: &str, names: &[String], (file, tenant): (&str, &str)) -> usize {
    let dir = tempfile::tempdir().expect("temporary directory");
    let policy = format!(
        "apiVersion: consentlint/v1\nkind: Policy\nmetadata: {{name: p}}\nrules:\n  - id: T-1\n    name: t\n    severity: error\n    target: AppManifest\n    summary: s\n    description: d\n    for-each: spec.permissions\n    assert: {assert}\n    message: m\n"
    );
    std::fs::write(dir.path().join("policy.yaml"), policy).expect("write policy");
    let permissions: String =
        names.iter().map(|n| format!("    - {{name: {n}, type: delegated}}")).collect::<Vec<_>>().join("\n");
    let app = format!(
        "apiVersion: consentlint/v1\nkind: AppManifest\nmetadata: {{name: a, appId: 1b7f3c2d-4e5f-4a6b-8c9d-0e1f2a3b4c5d}}\nspec:\n  displayName: A\n  publisher: {{name: P, origin: organization}}\n  permissions:\n{permissions}\n"
    );
    std::fs::write(dir.path().join(file), tenant).expect("write tenant");
    std::fs::write(dir.path().join("app.yaml"), app).expect("write app");
    let mut options = Options::new(vec![dir.path().to_path_buf()], dir.path().to_path_buf());
    options.policies =
        Sources { builtin: false, dirs: Vec::new(), files: vec![dir.path().join("policy.yaml")] };
    let report = check::run(&options).expect("the check runs");
    assert!(!report.incomplete, "{:?}", report.diagnostics.iter().map(|d| &d.message).collect::<Vec<_>>());
    report.diagnostics.iter().filter(|d| d.code == "T-1").count()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn in_a_list_at_a_path_follows_membership(
        names in proptest::collection::vec(0u8..6, 1..5),
        low in proptest::collection::btree_set(0u8..6, 1..5),
    ) {
        let names: Vec<String> = names.iter().map(|n| format!("P{n}")).collect();
        let low: Vec<String> = low.iter().map(|n| format!("P{n}")).collect();
        let outside = names.iter().filter(|n| !low.contains(n)).count();
        let list = "{path: $tenant.spec.userConsent.lowImpactPermissions}";
        prop_assert_eq!(app_findings(&format!("{{path: name, in: {list}}}"), &names, &low), outside);
        prop_assert_eq!(app_findings(&format!("{{path: name, not-in: {list}}}"), &names, &low), names.len() - outside);
    }
}

#[test]
fn a_list_a_native_tenant_does_not_state_is_not_compared_with() {
    // A Graph `authorizationPolicy` holds no low-impact classification: a rule comparing with it
    // is not run, rather than taking the missing list for an empty one.
    let policy = r##"{"id": "authorizationPolicy", "@odata.type": "#microsoft.graph.authorizationPolicy",
        "defaultUserRolePermissions": {"permissionGrantPoliciesAssigned": ["ManagePermissionGrantsForSelf.microsoft-user-default-low"]}}"##;
    let names = vec!["P0".to_owned()];
    let list = "{path: $tenant.spec.userConsent.lowImpactPermissions}";
    assert_eq!(app_findings_in(&format!("{{path: name, in: {list}}}"), &names, ("policy.json", policy)), 0);
    let low = vec!["P1".to_owned()];
    assert_eq!(app_findings(&format!("{{path: name, in: {list}}}"), &names, &low), 1);
}
