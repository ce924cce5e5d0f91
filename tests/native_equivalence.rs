//! Every built-in tenant rule gives the same verdict on a tenant exported from Microsoft Graph as on
//! the same tenant written as `consentlint/v1`: a table of tenant states, each written both ways by
//! hand-rolled writers that share nothing with consentlint's converters.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::struct_excessive_bools,
    clippy::format_collect,
    clippy::indexing_slicing,
    reason = "test helpers fail loudly; a tenant state is a row of switches; the writers build small texts"
)]

#[path = "support/files.rs"]
mod files;
#[path = "support/run.rs"]
mod support;

use std::collections::BTreeSet;
use std::path::Path;

use files::write;
use serde_json::json;
use tempfile::TempDir;

/// One tenant state, fully stated.
struct State {
    /// The self-consent policy id assigned, or none (consent off).
    grant: Option<&'static str>,
    risky: bool,
    create_apps: bool,
    workflow: bool,
    notify: bool,
    reminders: bool,
    duration: u32,
    reviewers: usize,
    group_consent: bool,
    low: &'static [&'static str],
}

const BASE: State = State {
    grant: Some("microsoft-user-default-low"),
    risky: false,
    create_apps: false,
    workflow: true,
    notify: true,
    reminders: true,
    duration: 30,
    reviewers: 1,
    group_consent: false,
    low: &["User.Read", "openid"],
};

const GRAPH_PRINCIPAL: &str = "7d3e1c5a-2b4f-4e6d-8a9c-0b1d2e3f4a5b";

fn states() -> Vec<State> {
    vec![
        BASE,
        State { grant: None, workflow: false, ..BASE },
        State { grant: None, ..BASE },
        State { grant: Some("microsoft-user-default-legacy"), risky: true, ..BASE },
        State { grant: Some("microsoft-user-default-recommended"), create_apps: true, ..BASE },
        State { notify: false, reminders: false, duration: 90, reviewers: 0, ..BASE },
        State { duration: 0, group_consent: true, ..BASE },
        State { low: &["User.Read", "Mail.ReadWrite", "Directory.Read.All"], ..BASE },
    ]
}

fn native(dir: &Path, state: &State) {
    let assigned: Vec<String> =
        state.grant.iter().map(|id| format!("ManagePermissionGrantsForSelf.{id}")).collect();
    let authorization = json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/authorizationPolicy/$entity",
        "id": "authorizationPolicy",
        "allowUserConsentForRiskyApps": state.risky,
        "defaultUserRolePermissions": {"allowedToCreateApps": state.create_apps, "permissionGrantPoliciesAssigned": assigned},
    });
    let reviewers: Vec<_> = (0..state.reviewers)
        .map(|i| json!({"query": format!("/users/00000000-0000-0000-0000-00000000000{i}"), "queryType": "MicrosoftGraph", "queryRoot": null}))
        .collect();
    let requests = json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/adminConsentRequestPolicy/$entity",
        "isEnabled": state.workflow, "notifyReviewers": state.notify, "remindersEnabled": state.reminders,
        "requestDurationInDays": state.duration, "version": 0, "reviewers": reviewers,
    });
    let text = |b: bool| if b { "true" } else { "false" };
    let settings = json!({"value": [{"id": "s", "displayName": "Consent Policy Settings",
        "templateId": "dffd5d46-495d-40a9-8e21-954ff55e198a",
        "values": [{"name": "EnableGroupSpecificConsent", "value": text(state.group_consent)},
                   {"name": "EnableAdminConsentRequests", "value": text(state.workflow)}]}]});
    let principal = json!({"id": GRAPH_PRINCIPAL, "appId": "00000003-0000-0000-c000-000000000000",
        "displayName": "Microsoft Graph", "servicePrincipalType": "Application", "oauth2PermissionScopes": [], "appRoles": []});
    let classifications = json!({
        "@odata.context": format!("https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('{GRAPH_PRINCIPAL}')/delegatedPermissionClassifications"),
        "value": state.low.iter().enumerate().map(|(i, name)| json!({"id": i.to_string(), "permissionId": "x", "permissionName": name, "classification": "low"})).collect::<Vec<_>>(),
    });
    let organization = json!({"value": [{"id": "5f1c7a52-3a5e-4c5b-9a1e-6d3f0b8e2c41", "displayName": "Tailspin", "verifiedDomains": []}]});
    for (name, value) in [
        ("Policies/AuthorizationPolicy/authorizationPolicy.json", authorization),
        ("Policies/AdminConsentRequestPolicy/adminConsentRequestPolicy.json", requests),
        ("Directory/Settings/settings.json", settings),
        (&format!("ServicePrincipals/{GRAPH_PRINCIPAL}/{GRAPH_PRINCIPAL}.json") as &str, principal),
        (&format!("ServicePrincipals/{GRAPH_PRINCIPAL}/Classifications/low.json") as &str, classifications),
        ("Organization/Organization.json", organization),
    ] {
        write(dir, &format!("tailspin/{name}"), &serde_json::to_string_pretty(&value).unwrap());
    }
}

fn written(dir: &Path, state: &State) {
    let policy = match state.grant {
        None => String::new(),
        Some("microsoft-user-default-legacy") => "    policy: all-apps\n".into(),
        Some("microsoft-user-default-recommended") => "    policy: microsoft-managed\n".into(),
        Some(_) => "    policy: verified-publishers-low-impact\n".into(),
    };
    let reviewers: String = (0..state.reviewers)
        .map(|i| format!("      - query: /users/00000000-0000-0000-0000-00000000000{i}\n"))
        .collect();
    let reviewers = if reviewers.is_empty() {
        "    reviewers: []\n".to_owned()
    } else {
        format!("    reviewers:\n{reviewers}")
    };
    let low: Vec<String> = state.low.iter().map(|p| (*p).to_owned()).collect();
    let text = format!(
        "apiVersion: consentlint/v1\nkind: TenantConfig\nmetadata:\n  name: tailspin\n  tenantId: 5f1c7a52-3a5e-4c5b-9a1e-6d3f0b8e2c41\nspec:\n  userConsent:\n    enabled: {}\n{policy}    allowRiskyApps: {}\n    groupOwnerConsent: {}\n    lowImpactPermissions: [{}]\n  usersCanRegisterApps: {}\n  adminConsentWorkflow:\n    enabled: {}\n{reviewers}    notifyReviewers: {}\n    remindersEnabled: {}\n    requestDurationInDays: {}\n",
        state.grant.is_some(),
        state.risky,
        state.group_consent,
        low.join(", "),
        state.create_apps,
        state.workflow,
        state.notify,
        state.reminders,
        state.duration,
    );
    write(dir, "tailspin.yaml", &text);
}

/// The tenant rules' verdicts: `(code, pointer)` of every `CL-T` finding (the wording on a native
/// file names the export's keys), and the notes.
fn verdicts(dir: &Path, path: &str) -> (BTreeSet<(String, String)>, Vec<String>) {
    let (_, report) = files::check_json(dir, &["--no-config", path]);
    let found = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"].as_str().unwrap().starts_with("CL-T"))
        .map(|d| (d["code"].as_str().unwrap().to_owned(), d["pointer"].as_str().unwrap().to_owned()))
        .collect();
    let schema = report["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "CL-S001").count();
    assert_eq!(schema, 0, "{report:#}");
    let notes = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["message"].as_str().unwrap().to_owned())
        .collect();
    (found, notes)
}

#[test]
fn every_tenant_rule_judges_a_native_tenant_as_its_written_equivalent() {
    let mut fired = BTreeSet::new();
    for (index, state) in states().iter().enumerate() {
        let dir = TempDir::new().unwrap();
        native(dir.path(), state);
        written(dir.path(), state);
        let (from_graph, notes) = verdicts(dir.path(), "tailspin");
        let (from_yaml, _) = verdicts(dir.path(), "tailspin.yaml");
        assert_eq!(from_graph, from_yaml, "state {index}");
        assert!(notes.is_empty(), "state {index}: every fact is stated, so every rule is judged: {notes:#?}");
        fired.extend(from_graph.into_iter().map(|(code, _)| code));
    }
    let all: BTreeSet<String> = (1..=10).map(|n| format!("CL-T{n:03}")).collect();
    assert_eq!(fired, all, "the states make every tenant rule report at least once");
}
