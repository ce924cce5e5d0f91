use super::*;
use crate::catalog::Catalog;
use crate::yaml::{Limits, parse};

fn tree(text: &str) -> Node {
    parse(text, Limits::default()).documents.remove(0).root
}

const TENANT_ID: &str = "5f1c7a52-3a5e-4c5b-9a1e-6d3f0b8e2c41";

fn decide(tenant: &str, app: &str) -> Vec<Decision> {
    let bundled = bundled().unwrap();
    let catalog = Catalog::bundled().unwrap();
    let (tenant, app) = (tree(tenant), tree(app));
    let parties =
        Parties { app: &app, app_unknown: &[], tenant: &tenant, tenant_unknown: &[], catalog: &catalog };
    let assignment = bundled.assignment(&tenant, &[]);
    let Some(Value::Seq(permissions)) = app.pointer("/spec/permissions").map(|(n, _)| n.value.clone()) else {
        panic!("no permissions")
    };
    permissions
        .iter()
        .map(|p| {
            let request = parties.request(p).unwrap();
            Bundled::decide(&assignment, &request, Some(TENANT_ID))
        })
        .collect()
}

fn app(origin: &str, verified: bool, permissions: &str) -> String {
    format!(
        "metadata: {{name: a, appId: 11111111-2222-3333-4444-555555555555}}\nspec:\n  publisher: {{name: P, origin: {origin}, verified: {verified}}}\n  permissions: [{permissions}]\n"
    )
}

fn tenant(consent: &str) -> String {
    format!("metadata: {{name: t, tenantId: {TENANT_ID}}}\nspec:\n  userConsent: {consent}\n")
}

#[test]
fn the_bundled_facts_read() {
    let bundled = bundled().unwrap();
    for id in [
        "microsoft-user-default-legacy",
        "microsoft-user-default-low",
        "microsoft-user-default-recommended",
        "microsoft-user-default-allow-consent-apps",
    ] {
        assert!(bundled.is_builtin(id), "{id}");
    }
    assert_eq!(bundled.step_up.since, "2020-11-08");
    assert_eq!(bundled.approvers.roles.len(), 4);
}

#[test]
fn low_grants_classified_permissions_to_verified_or_own_apps_only() {
    let t = tenant(
        "{enabled: true, grantPolicies: [microsoft-user-default-low], lowImpactPermissions: [User.Read]}",
    );
    let d = decide(
        &t,
        &app("third-party", true, "{name: User.Read, type: delegated}, {name: Mail.Read, type: delegated}"),
    );
    assert_eq!(d[0], Decision::Granted("microsoft-user-default-low".into()));
    assert_eq!(
        d[1],
        Decision::Refused(vec![Refusal {
            policy: "microsoft-user-default-low".into(),
            blockers: vec![Blocker::Classification]
        }])
    );
    let d = decide(&t, &app("organization", false, "{name: User.Read, type: delegated}"));
    assert_eq!(d[0], Decision::Granted("microsoft-user-default-low".into()));
    let d = decide(&t, &app("third-party", false, "{name: User.Read, type: delegated}"));
    assert!(matches!(&d[0], Decision::Refused(r) if r[0].blockers.contains(&Blocker::Publisher)), "{d:?}");
}

#[test]
fn admin_only_permissions_are_never_users_to_grant() {
    let t = tenant("{enabled: true, policy: all-apps}");
    let d = decide(
        &t,
        &app(
            "third-party",
            false,
            "{name: User.Read.All, type: delegated}, {name: User.Read.All, type: application}, {name: Files.Read.All, type: delegated}",
        ),
    );
    assert_eq!(d[0], Decision::AdminOnly);
    assert_eq!(d[1], Decision::AdminOnly);
    assert_eq!(d[2], Decision::Granted("microsoft-user-default-legacy".into()));
}

#[test]
fn recommended_excludes_and_the_mail_client_policy_lets_mail_clients() {
    let t = tenant(
        "{enabled: true, grantPolicies: [microsoft-user-default-recommended, microsoft-user-default-allow-consent-apps]}",
    );
    let d = decide(
        &t,
        &app("third-party", true, "{name: Mail.Read, type: delegated}, {name: User.Read, type: delegated}"),
    );
    assert!(
        matches!(&d[0], Decision::Refused(r) if r.iter().any(|r| r.blockers == [Blocker::Excluded])),
        "{d:?}"
    );
    assert_eq!(d[1], Decision::Granted("microsoft-user-default-recommended".into()));
    let thunderbird = app("third-party", false, "{name: Mail.Read, type: delegated}")
        .replace("11111111-2222-3333-4444-555555555555", "9e5f94bc-e8a4-4e73-b8be-63364c29d753");
    assert_eq!(
        decide(&t, &thunderbird)[0],
        Decision::Granted("microsoft-user-default-allow-consent-apps".into())
    );
}

#[test]
fn a_policy_not_in_the_inputs_leaves_unknown_only_what_it_could_change() {
    let t = tenant(
        "{enabled: true, grantPolicies: [microsoft-user-default-low, custom-x], lowImpactPermissions: [User.Read]}",
    );
    let d = decide(
        &t,
        &app(
            "third-party",
            true,
            "{name: User.Read, type: delegated}, {name: Mail.Read, type: delegated}, {name: User.Read.All, type: delegated}",
        ),
    );
    assert_eq!(d[0], Decision::Granted("microsoft-user-default-low".into()));
    assert_eq!(d[1], Decision::Unknown { missing: vec![], policies: vec!["custom-x".into()] });
    assert_eq!(d[2], Decision::AdminOnly);
}

#[test]
fn custom_policies_are_evaluated_with_their_excludes_and_client_conditions() {
    let t = format!(
        "{}  permissionGrantPolicies:\n    - id: own-apps\n      includes:\n        - {{permissionType: delegated, clientApplicationTenantIds: [{TENANT_ID}]}}\n      excludes:\n        - {{permissionType: delegated, permissions: [Mail.Read]}}\n",
        tenant("{enabled: true, grantPolicies: [own-apps]}")
    );
    let ours = decide(
        &t,
        &app(
            "organization",
            false,
            "{name: Files.Read, type: delegated}, {name: Mail.Read, type: delegated}",
        ),
    );
    assert_eq!(ours[0], Decision::Granted("own-apps".into()));
    assert_eq!(
        ours[1],
        Decision::Refused(vec![Refusal { policy: "own-apps".into(), blockers: vec![Blocker::Excluded] }])
    );
    let theirs = decide(&t, &app("third-party", true, "{name: Files.Read, type: delegated}"));
    assert_eq!(
        theirs[0],
        Decision::Refused(vec![Refusal { policy: "own-apps".into(), blockers: vec![Blocker::Tenant] }])
    );
}
