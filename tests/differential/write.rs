//! Each state written twice: as a `consentlint/v1` `TenantConfig`, and as EntraExporter lays a
//! tenant out (one export root per tenant, its organization file beside the authorization policy,
//! so that the export is complete).

use std::path::Path;

use super::state::{
    App, CUSTOM, EXPORTED, LEGACY, LOW, PERMISSIONS, RECOMMENDED, Restriction, SHAREPOINT, SHAREPOINT_APP,
    SHAREPOINT_NAME, Scope, Setting, State,
};

/// The `SharePoint` catalog the written tenants are checked with (the export holds the service
/// principal instead).
pub const SHAREPOINT_CATALOG: &str = "resource: Office 365 SharePoint Online
appId: 00000003-0000-0ff1-ce00-000000000000
permissions:
  AllSites.Read:
    delegated: {adminConsent: false, id: 4e0d77b0-96ba-4398-af14-3baa780278f4}
";

/// The state as a `consentlint/v1` `TenantConfig` named `name`.
pub fn ours(name: &str, i: usize, s: &State) -> String {
    let policy =
        [(LEGACY, "all-apps"), (RECOMMENDED, "microsoft-managed"), (LOW, "verified-publishers-low-impact")]
            .into_iter()
            .find(|(id, _)| s.grants.contains(id));
    // A policy of the tenant's own not in the inputs leaves the policy in force unstated, unless the
    // legacy policy, which allows everything, is assigned too.
    let unstated = s.grants.contains(&CUSTOM);
    let consent = match policy {
        _ if s.grants.is_empty() => "    enabled: false\n".to_owned(),
        Some((_, p)) if !unstated => {
            format!("    enabled: true\n    policy: {p}\n    grantPolicies: {:?}\n", s.grants)
        }
        _ => format!("    enabled: true\n    grantPolicies: {:?}\n", s.grants),
    };
    let not_stated = if unstated { "  notStated: [spec.userConsent.policy]\n" } else { "" };
    let risky = s.risky.map_or(String::new(), |r| format!("    allowRiskyApps: {r}\n"));
    let classified = s.classified.map_or(String::new(), |list| {
        let items: Vec<String> = list
            .iter()
            .map(|p| {
                if *p == SHAREPOINT.0 {
                    format!("{{name: {p}, resource: {SHAREPOINT_NAME}}}")
                } else {
                    (*p).to_owned()
                }
            })
            .collect();
        format!("    lowImpactPermissions: [{}]\n", items.join(", "))
    });
    let create = s.create_apps.map_or(String::new(), |c| format!("  usersCanRegisterApps: {c}\n"));
    let reviewers = if s.reviewer { "[{user: alice@contoso.com}]" } else { "[]" };
    let settings = s.settings.map_or(String::new(), |values| {
        let keys =
            ["enableGroupSpecificConsent", "blockUserConsentForRiskyApps", "enableAdminConsentRequests"];
        let lines: String = keys
            .iter()
            .zip(values)
            .filter_map(|(key, value)| {
                let written = match value {
                    Setting::Absent => return None,
                    Setting::Empty => "null",
                    Setting::True => "true",
                    Setting::False => "false",
                };
                Some(format!("    {key}: {written}\n"))
            })
            .collect();
        format!("  consentPolicySettings:\n{lines}")
    });
    let exported = if s.grants.contains(&EXPORTED) {
        format!(
            "  permissionGrantPolicies:\n    - id: {EXPORTED}\n      includes:\n        - {{permissionType: delegated, \
             permissionClassification: low, clientApplicationsFromVerifiedPublisherOnly: true}}\n"
        )
    } else {
        String::new()
    };
    format!(
        "apiVersion: consentlint/v1\nkind: TenantConfig\nmetadata:\n  name: {name}\n  tenantId: \
         6f1c2e4a-0b7d-4c1e-9a55-{i:012}\n{not_stated}spec:\n  userConsent:\n{consent}{risky}{classified}\
         {create}  adminConsentWorkflow:\n    enabled: {}\n    notifyReviewers: {}\n    remindersEnabled: {}\n    \
         requestDurationInDays: {}\n    reviewers: {reviewers}\n{settings}{exported}{}",
        s.enabled,
        s.notify,
        s.remind,
        s.days,
        app_ours(&s.app)
    )
}

/// `spec.appManagement`, or nothing where the tenant file leaves it out.
fn app_ours(app: &App) -> String {
    let Some(policy) = app.policy.filter(|_| app.stated) else { return String::new() };
    let restriction = |key: &str, r: Option<Restriction>, lifetime: bool| {
        r.map_or(String::new(), |r| {
            let state = if r.enabled { "enabled" } else { "disabled" };
            let days = if lifetime { format!(", maxLifetimeDays: {}", r.days) } else { String::new() };
            let dated = if r.dated { ", appliesToAppsCreatedAfter: \"2023-11-14T22:13:20Z\"" } else { "" };
            format!("      {key}: {{state: {state}{days}{dated}}}\n")
        })
    };
    let scope = |s: &Scope| {
        restriction("passwordAddition", s.addition, false)
            + &restriction("passwordLifetime", s.lifetime, true)
            + &restriction("certificateLifetime", s.certificate, true)
    };
    let exempt = [
        ("passwordAddition", app.exempt.addition),
        ("passwordLifetime", app.exempt.lifetime),
        ("certificateLifetime", app.exempt.certificate),
    ];
    let exemptions = exempt.iter().filter(|(_, on)| *on).fold(String::new(), |mut out, (key, _)| {
        out.push_str("      ");
        out.push_str(key);
        out.push_str(": [Legacy Payroll]\n");
        out
    });
    let exemptions =
        if exemptions.is_empty() { String::new() } else { format!("    exemptions:\n{exemptions}") };
    format!(
        "  appManagement:\n    enabled: {}\n    applications:\n{}    servicePrincipals:\n{}{exemptions}",
        policy.enabled,
        or_empty(&scope(&policy.apps)),
        or_empty(&scope(&policy.principals)),
    )
}

/// A mapping's lines, or `{}` on the key's line when it has none.
fn or_empty(lines: &str) -> String {
    if lines.is_empty() { "      {}\n".to_owned() } else { lines.to_owned() }
}

/// The state as EntraExporter writes it, under `root`; the directory setting's values alternate
/// between `True` and `true` spellings, as exports hold both.
pub fn native(root: &Path, name: &str, i: usize, s: &State) {
    let write = |path: &str, text: String| {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("directories");
        std::fs::write(path, text).expect("the file is written");
    };
    write(
        "Organization/Organization.json",
        format!(
            r#"[{{"id": "6f1c2e4a-0b7d-4c1e-9a55-{i:012}", "displayName": "{name}", "verifiedDomains": []}}]"#
        ),
    );
    let grants: Vec<String> =
        s.grants.iter().map(|g| format!("\"ManagePermissionGrantsForSelf.{g}\"")).collect();
    let risky = s.risky.map_or("null".to_owned(), |r| r.to_string());
    let create = s.create_apps.map_or(String::new(), |c| format!("\"allowedToCreateApps\": {c}, "));
    write(
        "Policies/AuthorizationPolicy/authorizationPolicy.json",
        format!(
            r#"{{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/authorizationPolicy/$entity",
"id": "authorizationPolicy", "allowUserConsentForRiskyApps": {risky}, "defaultUserRolePermissions":
{{{create}"permissionGrantPoliciesAssigned": [{}]}}}}"#,
            grants.join(", ")
        ),
    );
    let reviewer =
        r#"{"query": "/users/8b2f4a1e-7c3d-4e5f-9a0b-1c2d3e4f5a6b", "queryType": "MicrosoftGraph"}"#;
    let reviewers = if s.reviewer { reviewer } else { "" };
    write(
        "Policies/AdminConsentRequestPolicy/adminConsentRequestPolicy.json",
        format!(
            r#"{{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/adminConsentRequestPolicy/$entity",
"isEnabled": {}, "notifyReviewers": {}, "remindersEnabled": {}, "requestDurationInDays": {}, "version": 2, "reviewers": [{reviewers}]}}"#,
            s.enabled, s.notify, s.remind, s.days
        ),
    );
    if let Some(values) = s.settings {
        let spell = |b: bool| [["false", "true"], ["False", "True"]][i % 2][usize::from(b)];
        let names =
            ["EnableGroupSpecificConsent", "BlockUserConsentForRiskyApps", "EnableAdminConsentRequests"];
        let values: Vec<String> = names
            .iter()
            .zip(values)
            .filter_map(|(n, v)| {
                let value = match v {
                    Setting::Absent => return None,
                    Setting::Empty => "",
                    Setting::True => spell(true),
                    Setting::False => spell(false),
                };
                Some(format!(r#"{{"name": "{n}", "value": "{value}"}}"#))
            })
            .collect();
        write(
            "GroupSettings/b1d4c8e2-5f6a-4b7c-8d9e-0f1a2b3c4d5e/b1d4c8e2-5f6a-4b7c-8d9e-0f1a2b3c4d5e.json",
            format!(
                r#"{{"id": "b1d4c8e2-5f6a-4b7c-8d9e-0f1a2b3c4d5e", "displayName": "Consent Policy Settings",
"templateId": "dffd5d46-495d-40a9-8e21-954ff55e198a", "values": [{}]}}"#,
                values.join(", ")
            ),
        );
    }
    if s.grants.contains(&EXPORTED) {
        write(
            &format!("Policies/PermissionGrantPolicies/{EXPORTED}.json"),
            format!(
                r#"{{"id": "{EXPORTED}", "displayName": "Low impact, verified publishers", "includes": [{{"id": "a",
"permissionType": "delegated", "permissionClassification": "low", "clientApplicationsFromVerifiedPublisherOnly": true,
"resourceApplication": "any", "permissions": ["all"], "clientApplicationIds": ["all"], "clientApplicationTenantIds": ["all"],
"clientApplicationPublisherIds": ["all"]}}], "excludes": []}}"#
            ),
        );
    }
    if let Some(list) = s.classified {
        classifications(&write, list);
    }
    app_native(&write, &s.app);
}

/// The classifications of Microsoft Graph and `SharePoint`, each under its exported service principal.
fn classifications(write: &impl Fn(&str, String), list: &[&str]) {
    let apis = [
        (
            "7d3e1c5a-2b4f-4e6d-8a9c-0b1d2e3f4a5b",
            "00000003-0000-0000-c000-000000000000",
            "Microsoft Graph",
            "",
        ),
        (
            "e2a3f1b0-6c5d-4e8f-9a7b-3c2d1e0f9a8b",
            SHAREPOINT_APP,
            SHAREPOINT_NAME,
            r#"{"id": "4e0d77b0-96ba-4398-af14-3baa780278f4", "value": "AllSites.Read", "type": "User", "isEnabled": true}"#,
        ),
    ];
    for (sp, app_id, api, scopes) in apis {
        let sharepoint = api == SHAREPOINT_NAME;
        let mine: Vec<&&str> = list.iter().filter(|p| (**p == SHAREPOINT.0) == sharepoint).collect();
        if sharepoint && mine.is_empty() {
            continue;
        }
        write(
            &format!("ServicePrincipals/{sp}/{sp}.json"),
            format!(
                r#"{{"id": "{sp}", "appId": "{app_id}", "displayName": "{api}",
"servicePrincipalType": "Application", "oauth2PermissionScopes": [{scopes}]}}"#
            ),
        );
        let items: Vec<String> = mine
            .iter()
            .map(|name| {
                let id = PERMISSIONS.iter().chain([&SHAREPOINT]).find(|(n, _)| n == *name).expect("a test permission").1;
                format!(r#"{{"id": "{id}", "permissionId": "{id}", "permissionName": "{name}", "classification": "low"}}"#)
            })
            .collect();
        write(
            &format!("ServicePrincipals/{sp}/DelegatedPermissionClassifications/classifications.json"),
            format!(
                r#"{{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('{sp}')/delegatedPermissionClassifications",
"value": [{}]}}"#,
                items.join(", ")
            ),
        );
    }
}

/// The default app management policy at EntraExporter's path, and a policy of the tenant's own
/// applied to an app registration where one exempts it.
fn app_native(write: &impl Fn(&str, String), app: &App) {
    let Some(policy) = app.policy else { return };
    let restriction = |kind: &str, r: Option<Restriction>, lifetime: bool| {
        r.map(|r| {
            let state = if r.enabled { "enabled" } else { "disabled" };
            let days = if lifetime { format!("\"P{}D\"", r.days) } else { "null".to_owned() };
            let date = if r.dated { "/Date(1700000000000)/" } else { "0001-01-01T00:00:00Z" };
            format!(
                r#"{{"restrictionType": "{kind}", "state": "{state}", "maxLifetime": {days}, "restrictForAppsCreatedAfterDateTime": "{date}"}}"#
            )
        })
    };
    let scope = |s: &Scope| {
        let passwords: Vec<String> = [
            restriction("passwordAddition", s.addition, false),
            restriction("passwordLifetime", s.lifetime, true),
        ]
        .into_iter()
        .flatten()
        .collect();
        let keys: Vec<String> =
            restriction("asymmetricKeyLifetime", s.certificate, true).into_iter().collect();
        format!(
            r#"{{"passwordCredentials": [{}], "keyCredentials": [{}]}}"#,
            passwords.join(", "),
            keys.join(", ")
        )
    };
    let zero = "00000000-0000-0000-0000-000000000000";
    write(
        &format!("Policies/DefaultAppManagementPolicy/{zero}/{zero}.json"),
        format!(
            r#"{{"@odata.context": "https://graph.microsoft.com/beta/$metadata#policies/defaultAppManagementPolicy/$entity",
"id": "{zero}", "displayName": "Default app management tenant policy", "isEnabled": {},
"applicationRestrictions": {}, "servicePrincipalRestrictions": {}}}"#,
            policy.enabled,
            scope(&policy.apps),
            scope(&policy.principals)
        ),
    );
    let exempt = [
        ("passwordAddition", "passwordCredentials", app.exempt.addition),
        ("passwordLifetime", "passwordCredentials", app.exempt.lifetime),
        ("asymmetricKeyLifetime", "keyCredentials", app.exempt.certificate),
    ];
    let off: Vec<(&str, &str)> =
        exempt.iter().filter(|(.., on)| *on).map(|(kind, list, _)| (*kind, *list)).collect();
    if off.is_empty() {
        return;
    }
    let items = |list: &str| {
        let found: Vec<String> = off
            .iter()
            .filter(|(_, l)| *l == list)
            .map(|(kind, _)| {
                format!(r#"{{"restrictionType": "{kind}", "state": "disabled", "maxLifetime": null}}"#)
            })
            .collect();
        found.join(", ")
    };
    let (app_id, policy_id) =
        ("3f6b2c1d-8e9a-4b7c-a1d2-5e6f7a8b9c0d", "a1b2c3d4-0000-4000-8000-000000000001");
    write(
        &format!("Applications/{app_id}/AppManagementPolicies/{policy_id}/{policy_id}.json"),
        format!(
            r#"{{"id": "{policy_id}", "displayName": "Legacy secrets", "isEnabled": true,
"restrictions": {{"passwordCredentials": [{}], "keyCredentials": [{}]}}}}"#,
            items("passwordCredentials"),
            items("keyCredentials")
        ),
    );
}
