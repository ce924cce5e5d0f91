//! What Entra ID does when a user consents, as Microsoft's documentation states it: each test is one
//! behaviour a Learn page (or the Graph reference) describes, with the page cited, run through
//! `consentlint simulate` on a small tenant and app written for it. The expected outcome is the
//! page's, not consentlint's.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a test fails loudly and indexes what it built"
)]

use std::fmt::Write as _;

use assert_cmd::Command;
use serde_json::Value;

const TENANT_ID: &str = "6d1e2f3a-4b5c-4d6e-8f70-1a2b3c4d5e6f";

fn tenant(user_consent: &str, extra: &str) -> String {
    format!(
        "apiVersion: consentlint/v1\nkind: TenantConfig\nmetadata: {{name: t, tenantId: {TENANT_ID}}}\nspec:\n  userConsent: {user_consent}\n  usersCanRegisterApps: false\n  adminConsentWorkflow:\n    enabled: true\n    reviewers: [{{role: Cloud Application Administrator}}]\n    notifyReviewers: true\n    remindersEnabled: true\n    requestDurationInDays: 30\n{extra}"
    )
}

fn app(publisher: &str, extra: &str, permissions: &[(&str, &str)]) -> String {
    let mut text = format!(
        "apiVersion: consentlint/v1\nkind: AppManifest\nmetadata: {{name: app, appId: 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d}}\nspec:\n  displayName: App\n  publisher: {publisher}\n  consent: user\n{extra}  permissions:\n"
    );
    for (name, kind) in permissions {
        let _ = writeln!(text, "    - {{name: {name}, type: {kind}, justification: x}}");
    }
    text
}

/// The simulation of `app` in `tenant`: the app's JSON.
fn simulate(tenant: &str, app: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tenant.yaml"), tenant).unwrap();
    std::fs::write(dir.path().join("app.yaml"), app).unwrap();
    let output = Command::cargo_bin("consentlint")
        .unwrap()
        .current_dir(dir.path())
        .args(["simulate", "--no-config", "--tenant", "tenant.yaml", "app.yaml", "--format", "json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    let json: Value = serde_json::from_str(&stdout).unwrap();
    json["apps"][0].clone()
}

fn grantable(app: &Value) -> Vec<(String, String)> {
    app["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap().to_owned(), p["grantableBy"].as_str().unwrap().to_owned()))
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect()
}

const VERIFIED: &str =
    "{name: Contoso Tools, origin: third-party, verified: true, verifiedPublisherId: \"1234567\"}";
const UNVERIFIED: &str = "{name: Unknown Ltd, origin: third-party, verified: false}";
const OWN: &str = "{name: Us, origin: organization}";

#[test]
fn legacy_policy_lets_users_grant_what_needs_no_admin_consent_whatever_data_it_reaches() {
    // Learn, "Configure how users consent to applications": "By default, all users are allowed to
    // consent to applications for permissions that don't require administrator consent"; a user can
    // let an app access their mailbox, but cannot consent to unfettered access to all files.
    // `Files.Read.All` (delegated) does not require admin consent (Graph permissions reference): its
    // reach is what the signed-in user can access. `User.Read.All` (delegated) requires admin consent.
    let t = tenant("{enabled: true, policy: all-apps, allowRiskyApps: true}", "");
    let a = simulate(
        &t,
        &app(
            VERIFIED,
            "",
            &[("Mail.Read", "delegated"), ("Files.Read.All", "delegated"), ("User.Read.All", "delegated")],
        ),
    );
    assert_eq!(
        grantable(&a),
        pairs(&[("Mail.Read", "user"), ("Files.Read.All", "user"), ("User.Read.All", "admin")])
    );
    assert_eq!(a["outcome"], "approval-required");
}

#[test]
fn low_policy_needs_a_low_classification_and_a_verified_or_own_app() {
    // Learn, "Configure permission classifications": users may consent to permissions classified
    // low for apps from verified publishers or registered in the tenant ("Allow user consent for
    // apps from verified publishers, for selected permissions"); the page's own example classifies
    // `User.ReadBasic.All` low. Graph, "Get permissionGrantPolicy": microsoft-user-default-low has
    // one include for apps of the tenant, one for verified publishers.
    let t = tenant(
        "{enabled: true, policy: verified-publishers-low-impact, lowImpactPermissions: [User.Read, User.ReadBasic.All]}",
        "",
    );
    let verified = simulate(&t, &app(VERIFIED, "", &[("User.ReadBasic.All", "delegated")]));
    assert_eq!(verified["outcome"], "consent-prompt");
    let own = simulate(&t, &app(OWN, "", &[("User.ReadBasic.All", "delegated")]));
    assert_eq!(own["outcome"], "consent-prompt");
    let unverified = simulate(&t, &app(UNVERIFIED, "", &[("User.Read", "delegated")]));
    assert_eq!(grantable(&unverified), pairs(&[("User.Read", "admin")]));
    let unclassified = simulate(&t, &app(VERIFIED, "", &[("Files.Read", "delegated")]));
    assert_eq!(grantable(&unclassified), pairs(&[("Files.Read", "admin")]));
}

#[test]
fn the_microsoft_managed_policy_keeps_files_and_mail_for_administrators() {
    // Learn, "Manage app consent policies", "Microsoft recommended user consent policy": users may
    // consent to permissions that need no admin consent except files and sites, mail, calendars,
    // chat and the others it lists.
    let t = tenant("{enabled: true, policy: microsoft-managed}", "");
    let a = simulate(
        &t,
        &app(
            VERIFIED,
            "",
            &[("User.Read", "delegated"), ("Files.Read.All", "delegated"), ("Mail.Read", "delegated")],
        ),
    );
    assert_eq!(
        grantable(&a),
        pairs(&[("User.Read", "user"), ("Files.Read.All", "admin"), ("Mail.Read", "admin")])
    );
}

#[test]
fn user_consent_off_leaves_every_permission_to_an_administrator() {
    // Learn, "Configure how users consent to applications": "Do not allow user consent: users can't
    // grant permissions to applications"; with the admin consent workflow they can request approval.
    let t = tenant("{enabled: false}", "");
    let a = simulate(&t, &app(VERIFIED, "", &[("User.Read", "delegated")]));
    assert_eq!(a["outcome"], "approval-required");
}

#[test]
fn application_permissions_always_need_an_administrator() {
    // Learn, "User and admin consent overview": application permissions always require admin consent.
    let t = tenant("{enabled: true, policy: all-apps, allowRiskyApps: true}", "");
    let a = simulate(&t, &app(VERIFIED, "", &[("User.Read.All", "application")]));
    assert_eq!(grantable(&a), pairs(&[("User.Read.All", "admin")]));
}

#[test]
fn an_app_that_requires_assignment_is_consented_by_an_administrator() {
    // Learn, "Configure how users consent to applications": "Applications that require users to be
    // assigned to the application must have their permissions consented by an administrator, even if
    // the user consent policies for your directory would otherwise allow a user to consent".
    let t = tenant("{enabled: true, policy: all-apps, allowRiskyApps: true}", "");
    let a = simulate(&t, &app(OWN, "  assignmentRequired: true\n", &[("User.Read", "delegated")]));
    assert_eq!(a["outcome"], "approval-required");
    assert_eq!(a["appReasons"][0]["id"], "assignment-required");
}

#[test]
fn risk_based_step_up_refuses_new_unverified_multitenant_apps_beyond_basic_profile() {
    // Learn, "Publisher verification overview": since 8 November 2020 users can't consent to most
    // newly registered multitenant apps without a verified publisher that request permissions beyond
    // basic sign-in and read user profile; `allowUserConsentForRiskyApps` (Graph authorizationPolicy)
    // lets them.
    let t = tenant("{enabled: true, policy: all-apps, allowRiskyApps: false}", "");
    let registered = |date: &str| format!("  signInAudience: multi-tenant\n  createdDateTime: {date}\n");
    let new = simulate(&t, &app(UNVERIFIED, &registered("2021-03-01"), &[("Files.Read", "delegated")]));
    assert_eq!(new["outcome"], "approval-required");
    assert_eq!(new["appReasons"][0]["id"], "risk-based-step-up");
    let old = simulate(&t, &app(UNVERIFIED, &registered("2019-06-01"), &[("Files.Read", "delegated")]));
    assert_eq!(old["outcome"], "consent-prompt");
    let basic = simulate(
        &t,
        &app(UNVERIFIED, &registered("2021-03-01"), &[("openid", "delegated"), ("User.Read", "delegated")]),
    );
    assert_eq!(basic["outcome"], "consent-prompt");
    let allowed = tenant("{enabled: true, policy: all-apps, allowRiskyApps: true}", "");
    let risky =
        simulate(&allowed, &app(UNVERIFIED, &registered("2021-03-01"), &[("Files.Read", "delegated")]));
    assert_eq!(risky["outcome"], "consent-prompt");
    let unknown =
        simulate(&t, &app(UNVERIFIED, "  signInAudience: multi-tenant\n", &[("Files.Read", "delegated")]));
    assert_eq!(unknown["outcome"], "undetermined", "the registration date decides, and no input states it");
}

#[test]
fn a_custom_policy_is_evaluated_by_its_conditions_includes_and_excludes() {
    // Graph, permissionGrantConditionSet and permissionGrantPolicy: a permission grant event is in
    // the policy when it matches an `includes` condition set and no `excludes` set; a condition set
    // matches when all its conditions are met (`clientApplicationTenantIds`, `permissions`, …).
    let policies = format!(
        "  permissionGrantPolicies:\n    - id: ours\n      includes:\n        - {{permissionType: delegated, clientApplicationTenantIds: [{TENANT_ID}]}}\n      excludes:\n        - {{permissionType: delegated, permissions: [Mail.Read]}}\n"
    );
    let t = tenant("{enabled: true, grantPolicies: [ours]}", &policies);
    let own = simulate(&t, &app(OWN, "", &[("Files.Read", "delegated"), ("Mail.Read", "delegated")]));
    assert_eq!(grantable(&own), pairs(&[("Files.Read", "user"), ("Mail.Read", "admin")]));
    let verified = simulate(&t, &app(VERIFIED, "", &[("Files.Read", "delegated")]));
    assert_eq!(grantable(&verified), pairs(&[("Files.Read", "admin")]));
}

#[test]
fn of_several_assigned_policies_one_that_grants_is_enough_and_a_missing_one_is_named() {
    // Learn, "Manage app consent policies": users may consent when any of the app consent policies
    // assigned to them (ManagePermissionGrantsForSelf.{id}) allows it.
    let t = tenant(
        "{enabled: true, grantPolicies: [microsoft-user-default-low, not-exported], lowImpactPermissions: [User.Read]}",
        "",
    );
    let a = simulate(&t, &app(VERIFIED, "", &[("User.Read", "delegated"), ("Files.Read", "delegated")]));
    assert_eq!(grantable(&a), pairs(&[("User.Read", "user"), ("Files.Read", "unknown")]));
    let undecided = a["permissions"][1]["undecided"].to_string();
    assert!(undecided.contains("not-exported"), "{undecided}");
}

#[test]
fn reviewers_can_approve_only_what_their_role_may_grant() {
    // Learn, "Grant tenant-wide admin consent to an application": a Cloud Application Administrator
    // may grant any permission except Microsoft Graph application permissions, which need a
    // Privileged Role Administrator (or a Global Administrator).
    let t = tenant("{enabled: false}", "");
    let delegated = simulate(&t, &app(VERIFIED, "", &[("User.Read", "delegated")]));
    assert_eq!(delegated["reviewers"][0]["canApprove"], true);
    let roles = simulate(&t, &app(VERIFIED, "", &[("User.Read.All", "application")]));
    assert_eq!(roles["reviewers"][0]["canApprove"], false);
}

#[test]
fn the_catalog_follows_the_service_principal_for_calendars_read_basic() {
    // Microsoft Graph permissions reference: Calendars.ReadBasic (delegated) does not require admin
    // consent; the Graph service principal types the scope `User`.
    let t = tenant("{enabled: true, policy: all-apps, allowRiskyApps: true}", "");
    let a = simulate(&t, &app(VERIFIED, "", &[("Calendars.ReadBasic", "delegated")]));
    assert_eq!(grantable(&a), pairs(&[("Calendars.ReadBasic", "user")]));
}

#[test]
fn team_owners_grant_team_scoped_permissions_where_group_owner_consent_is_allowed() {
    // Learn, "Configure group owner consent to apps accessing group data": with group owner consent
    // allowed, group and team owners may authorise apps to access the data of the groups they own;
    // Teams, "Resource-specific consent": `ChannelMessage.Read.Group` is granted by the team's owner
    // for that team. With it not allowed, only an administrator may grant it.
    let rsc = [("User.Read", "delegated"), ("ChannelMessage.Read.Group", "application")];
    let allowed =
        tenant("{enabled: true, policy: all-apps, allowRiskyApps: true, groupOwnerConsent: true}", "");
    let a = simulate(&allowed, &app(VERIFIED, "", &rsc));
    assert_eq!(a["outcome"], "approval-required", "a user cannot grant an application permission");
    assert_eq!(a["groupOwner"]["outcome"], "consent-prompt");
    let refused =
        tenant("{enabled: true, policy: all-apps, allowRiskyApps: true, groupOwnerConsent: false}", "");
    assert_eq!(simulate(&refused, &app(VERIFIED, "", &rsc))["groupOwner"]["outcome"], "approval-required");
    let unstated = tenant("{enabled: true, policy: all-apps, allowRiskyApps: true}", "");
    assert_eq!(simulate(&unstated, &app(VERIFIED, "", &rsc))["groupOwner"]["outcome"], "undetermined");
    let plain = simulate(&allowed, &app(VERIFIED, "", &[("User.Read", "delegated")]));
    assert!(plain["groupOwner"].is_null(), "no resource-specific permission: no owner's answer");
}

#[test]
fn without_the_admin_consent_workflow_a_user_has_no_recourse() {
    // Learn, "Configure the admin consent workflow": with the workflow on, a user who cannot consent
    // can request approval, sent to the designated reviewers; without it, the user is shown an error
    // and cannot ask. A workflow with no reviewer reaches no one.
    let workflow = "  adminConsentWorkflow:\n    enabled: true\n    reviewers: [{role: Cloud Application Administrator}]\n";
    let with = tenant("{enabled: false}", "");
    assert!(with.contains(workflow));
    let asked = app(VERIFIED, "", &[("User.Read", "delegated")]);
    assert_eq!(simulate(&with, &asked)["outcome"], "approval-required");
    let off = with.replace(workflow, "  adminConsentWorkflow:\n    enabled: false\n    reviewers: [{role: Cloud Application Administrator}]\n");
    assert_eq!(simulate(&off, &asked)["outcome"], "blocked");
    let nobody = with.replace(workflow, "  adminConsentWorkflow:\n    enabled: true\n    reviewers: []\n");
    assert_eq!(simulate(&nobody, &asked)["outcome"], "blocked");
}

#[test]
fn the_mail_client_policy_lets_users_give_mail_to_the_mail_clients_it_names() {
    // Learn, "Manage app consent policies": the mail client policy
    // (microsoft-user-default-allow-consent-apps), assigned beside the recommended policy, lets end
    // users consent to mail permissions for specific mail clients, Thunderbird
    // (9e5f94bc-e8a4-4e73-b8be-63364c29d753) among them; other apps still need an administrator.
    let t = tenant(
        "{enabled: true, grantPolicies: [microsoft-user-default-recommended, microsoft-user-default-allow-consent-apps]}",
        "",
    );
    let other = app(VERIFIED, "", &[("Mail.Read", "delegated")]);
    assert_eq!(grantable(&simulate(&t, &other)), pairs(&[("Mail.Read", "admin")]));
    let thunderbird =
        other.replace("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "9e5f94bc-e8a4-4e73-b8be-63364c29d753");
    assert_eq!(grantable(&simulate(&t, &thunderbird)), pairs(&[("Mail.Read", "user")]));
}
