//! Profiles against their baselines over a generated product of tenant states: for `scuba`, `cis`
//! and `eidsca`, every control's verdict equals what the baseline's own tool decides on the same
//! state (the oracles below, each a plain reading of the tool's published code), except where
//! `docs/profiles.md` lists a deliberately stricter stance ([`stance`], one branch per row).
//!
//! The product: the assigned self-consent policies (6 values, one a policy of the tenant's own) ×
//! the low-impact classification (6) × the "Consent Policy Settings" directory setting (9) ×
//! `isEnabled` (2) × a reviewer (2), 1,296 states. `allowUserConsentForRiskyApps` (3 values), `allowedToCreateApps` (2) and
//! `notifyReviewers` × `remindersEnabled` × `requestDurationInDays` (12) are read by no control
//! together with those dimensions, so they cycle along the product at their own strides instead of
//! multiplying it (each of the 12 still meets both values of `isEnabled`). Every state is checked
//! twice, as a `consentlint/v1` `TenantConfig` and as an EntraExporter-shaped export (one export root
//! per tenant): one run per profile and form, six runs of 1,296 tenants, about 11 s in all in a
//! debug build on 2 cores.
//!
//! A baseline that skips a check is `NotApplicable` here; a value the inputs leave out (a native
//! export without the directory setting or the classifications) is `NotJudgeable`, never a pass.
//! Any other disagreement fails the test, and so does a row of that table that no state sets apart.
#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "a test fails loudly when its setup fails; tests index what they built"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use consentlint::check;
use consentlint::options::Options;
use consentlint::report::Status::{self, Fail, NotApplicable as Na, NotJudgeable as Nj, Pass};

const LEGACY: &str = "microsoft-user-default-legacy";
const LOW: &str = "microsoft-user-default-low";
const RECOMMENDED: &str = "microsoft-user-default-recommended";
/// A consent policy of the tenant's own, whose conditions the inputs do not hold.
const CUSTOM: &str = "contoso-verified-only";
const GRANTS: [&[&str]; 6] = [&[], &[LEGACY], &[LOW], &[RECOMMENDED], &[LEGACY, LOW], &[CUSTOM]];

/// Delegated Microsoft Graph permissions by name and id: `Files.Read` is on ScubaGear's
/// `RiskyAppPermissions.json`, `AccessReview.Read.All` needs admin consent, `Made.Up` is no
/// permission at all.
const PERMISSIONS: [(&str, &str); 4] = [
    ("User.Read", "e1fe6dd8-ba31-4d61-89e7-88639da4683d"),
    ("Files.Read", "10465720-29dd-4523-a11a-6a75c743c9d9"),
    ("AccessReview.Read.All", "ebfcd32b-babb-40f4-a14b-42706e83bd28"),
    ("Made.Up", "0badc0de-0000-4000-8000-000000000000"),
];
const CLASSIFIED: [Option<&[&str]>; 6] = [
    None,
    Some(&[]),
    Some(&["User.Read"]),
    Some(&["User.Read", "Files.Read"]),
    Some(&["User.Read", "AccessReview.Read.All"]),
    Some(&["User.Read", "Made.Up"]),
];
const SCUBA_RISKY: [&str; 1] = ["Files.Read"];

/// One tenant state, as Microsoft Graph holds it.
#[derive(Clone, Copy, Debug)]
#[expect(clippy::struct_excessive_bools, reason = "a tenant state is mostly switches")]
struct State {
    /// The `ManagePermissionGrantsForSelf.*` policies assigned, without the prefix.
    grants: &'static [&'static str],
    /// The permissions classified low; `None`: no classification is stated (a written tenant) or
    /// exported (a native one).
    classified: Option<&'static [&'static str]>,
    /// `allowUserConsentForRiskyApps`; `None` is Graph's `null`.
    risky: Option<bool>,
    create_apps: bool,
    enabled: bool,
    notify: bool,
    remind: bool,
    days: u32,
    reviewer: bool,
    /// `EnableGroupSpecificConsent`, `BlockUserConsentForRiskyApps`, `EnableAdminConsentRequests`;
    /// `None`: no such setting (a written tenant) or not exported (a native one).
    settings: Option<[bool; 3]>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    Ours,
    Native,
}

/// The product, as a mixed-radix count: `i / 216` is the grants, `(i / 36) % 6` the
/// classification, `(i / 4) % 9` the setting (none, then the eight combinations), `(i / 2) % 2`
/// `isEnabled` and `i % 2` the reviewer; the cycled values take their own strides of `i`.
fn states() -> Vec<State> {
    let settings = |n: usize| (n > 0).then(|| [(n - 1) & 4 != 0, (n - 1) & 2 != 0, (n - 1) & 1 != 0]);
    let state = |i: usize| State {
        grants: GRANTS[i / 216],
        classified: CLASSIFIED[(i / 36) % 6],
        risky: [None, Some(true), Some(false)][i % 3],
        create_apps: (i / 3).is_multiple_of(2),
        enabled: (i / 2).is_multiple_of(2),
        notify: (i / 4).is_multiple_of(2),
        remind: (i / 8).is_multiple_of(2),
        days: [0, 30, 31][(i / 16) % 3],
        reviewer: i.is_multiple_of(2),
        settings: settings((i / 4) % 9),
    };
    (0..GRANTS.len() * 216).map(state).collect()
}

fn verdict(passes: bool) -> Status {
    if passes { Pass } else { Fail }
}

/// The directory setting as the tool would read it: `Err(Nj)` when the export leaves it out.
fn setting(s: &State, form: Form) -> Result<Option<[bool; 3]>, Status> {
    if form == Form::Native && s.settings.is_none() { Err(Nj) } else { Ok(s.settings) }
}

/// CISA ScubaGear (cisagov/ScubaGear), `PowerShell/ScubaGear/Rego/AADConfig.rego`, MS.AAD.5.1v1 to
/// 5.3v1, with the risky classifications as `Modules/Providers/ProviderHelpers/AADRiskyPermissionsHelper.psm1`
/// collects them: classified `low` and on the delegated list of `RiskyAppPermissions.json`, by id.
fn scubagear(control: &str, s: &State, form: Form) -> Status {
    match control {
        // Fails a policy whose `AllowedToCreateApps` is true.
        "MS.AAD.5.1v1" => verdict(!s.create_apps),
        // Fails `-recommended` assigned; else, with `-low` assigned, any risky permission classified
        // low; ids compared as written, so `-legacy` passes.
        "MS.AAD.5.2v1" if s.grants.contains(&RECOMMENDED) => Fail,
        "MS.AAD.5.2v1" if !s.grants.contains(&LOW) => Pass,
        "MS.AAD.5.2v1" => match s.classified {
            None if form == Form::Native => Nj,
            list => verdict(!list.unwrap_or_default().iter().any(|p| SCUBA_RISKY.contains(p))),
        },
        // Passes when some setting holds `EnableAdminConsentRequests` "true" and none "false".
        "MS.AAD.5.3v1" => setting(s, form).map_or_else(|nj| nj, |v| verdict(v.is_some_and(|v| v[2]))),
        _ => panic!("ScubaGear has no control {control} here"),
    }
}

/// Maester's EIDSCA tests (maester365/maester) as it runs them now: the `Test-MtCheckEidsca*`
/// functions (the `[MaesterTest]` ones, which hold the skips) over
/// `powershell/internal/eidsca/Test-MtEidsca*.ps1`. A skipped test is `NotApplicable`.
fn maester_eidsca(control: &str, s: &State, form: Form) -> Status {
    let value = |i: usize| setting(s, form).map(|v| v.map(|v| v[i]));
    match control {
        // Skipped without a `ManagePermissionGrantsForSelf.microsoft-*` entry; else the entries
        // (case-sensitively `ManagePermissionGrantsForSelf*`) joined into one string must be `-low`.
        "EIDSCA.AP08" if !s.grants.iter().any(|g| g.starts_with("microsoft-")) => Na,
        "EIDSCA.AP08" => verdict(s.grants == [LOW]),
        // `allowUserConsentForRiskyApps` as a string equals 'false': `null` fails.
        "EIDSCA.AP09" => verdict(s.risky == Some(false)),
        "EIDSCA.AP10" => verdict(!s.create_apps),
        // Skipped when no setting holds `EnableGroupSpecificConsent`; values compared without case.
        "EIDSCA.CP01" => value(0).map_or_else(|nj| nj, |v| v.map_or(Na, |v| verdict(!v))),
        // Not skipped: a missing value is not 'true'.
        "EIDSCA.CP03" => value(1).map_or_else(|nj| nj, |v| verdict(v == Some(true))),
        "EIDSCA.CP04" => value(2).map_or_else(|nj| nj, |v| verdict(v == Some(true))),
        "EIDSCA.CR01" => verdict(s.enabled),
        // Skipped while the workflow is off; CR04 tests `[int]requestDurationInDays -le 30`.
        "EIDSCA.CR02" | "EIDSCA.CR03" | "EIDSCA.CR04" if !s.enabled => Na,
        "EIDSCA.CR02" => verdict(s.notify),
        "EIDSCA.CR03" => verdict(s.remind),
        "EIDSCA.CR04" => verdict(s.days <= 30),
        _ => panic!("EIDSCA has no control {control} here"),
    }
}

/// Maester's CIS tests (maester365/maester, `powershell/public/cis/`):
/// `Test-MtCisThirdPartyApplicationsDisallowed` (5.1.2.2), `Test-MtCisEnsureUserConsentToAppsDisallowed`
/// (5.1.5.1: neither `-low` nor `-legacy` assigned) and `Test-MtCisAdminConsentWorkflowEnabled` (5.1.5.2).
fn maester_cis(control: &str, s: &State) -> Status {
    match control {
        "CIS 5.1.2.2" => verdict(!s.create_apps),
        "CIS 5.1.5.1" => verdict(!s.grants.contains(&LOW) && !s.grants.contains(&LEGACY)),
        "CIS 5.1.5.2" => verdict(s.enabled),
        _ => panic!("CIS has no control {control} here"),
    }
}

/// Each profile's controls, in its order.
const CONTROLS: [(&str, &str); 3] = [
    ("scuba", "MS.AAD.5.1v1, MS.AAD.5.2v1, MS.AAD.5.3v1"),
    ("cis", "CIS 5.1.2.2, CIS 5.1.5.1, CIS 5.1.5.2"),
    (
        "eidsca",
        concat!(
            "EIDSCA.AP08, EIDSCA.AP09, EIDSCA.AP10, EIDSCA.CP01, EIDSCA.CP03, EIDSCA.CP04, ",
            "EIDSCA.CR01, EIDSCA.CR02, EIDSCA.CR03, EIDSCA.CR04"
        ),
    ),
];

fn baseline(profile: &str, control: &str, s: &State, form: Form) -> Status {
    match profile {
        "scuba" => scubagear(control, s, form),
        "eidsca" => maester_eidsca(control, s, form),
        _ => maester_cis(control, s),
    }
}

/// The rows of `docs/profiles.md`, "Where a profile is deliberately stricter than the baseline's
/// own tool", one label each.
const ROWS: [&str; 6] = [
    "scuba 5.2v1: the legacy policy fails",
    "scuba 5.3v1: isEnabled and a reviewer",
    "eidsca CR04: 0 days fails",
    "cis 5.1.5.1: -recommended or a consent policy of the tenant's own fails",
    "scuba 5.2v1: an admin-consent or unknown permission classified low fails",
    "scuba 5.2v1: a consent policy of the tenant's own, its conditions not given, is not judgeable",
];

/// The row of that table that applies to `control` on `s`, with consentlint's verdict there (a
/// failure, or not judgeable); the row fires when the baseline's tool says otherwise.
fn stance(profile: &str, control: &str, s: &State) -> Option<(&'static str, Status)> {
    let classifies = |names: &[&str]| s.classified.unwrap_or_default().iter().any(|p| names.contains(p));
    let row = match (profile, control) {
        ("scuba", "MS.AAD.5.2v1") if s.grants.contains(&LEGACY) => 0,
        ("scuba", "MS.AAD.5.3v1") if !s.enabled || !s.reviewer => 1,
        ("eidsca", "EIDSCA.CR04") if s.enabled && s.days == 0 => 2,
        ("cis", "CIS 5.1.5.1") if s.grants.contains(&RECOMMENDED) || s.grants == [CUSTOM] => 3,
        ("scuba", "MS.AAD.5.2v1")
            if s.grants.contains(&LOW) && classifies(&["AccessReview.Read.All", "Made.Up"]) =>
        {
            4
        }
        ("scuba", "MS.AAD.5.2v1") if s.grants == [CUSTOM] => {
            return Some((ROWS[5], Nj));
        }
        _ => return None,
    };
    Some((ROWS[row], Fail))
}

/// The state as a `consentlint/v1` `TenantConfig` named `name`.
fn ours(name: &str, i: usize, s: &State) -> String {
    let policy =
        [(LEGACY, "all-apps"), (RECOMMENDED, "microsoft-managed"), (LOW, "verified-publishers-low-impact")]
            .into_iter()
            .find(|(id, _)| s.grants.contains(id));
    let consent = match policy {
        Some((_, p)) => format!("    enabled: true\n    policy: {p}\n    grantPolicies: {:?}\n", s.grants),
        None if s.grants.is_empty() => "    enabled: false\n".to_owned(),
        // Only a policy of the tenant's own: its conditions, so the policy in force, are not stated.
        None => format!("    enabled: true\n    grantPolicies: {:?}\n", s.grants),
    };
    let not_stated = if policy.is_none() && !s.grants.is_empty() {
        "  notStated: [spec.userConsent.policy]\n"
    } else {
        ""
    };
    let risky = s.risky.map_or(String::new(), |r| format!("    allowRiskyApps: {r}\n"));
    let classified = s.classified.map_or(String::new(), |l| format!("    lowImpactPermissions: {l:?}\n"));
    let reviewers = if s.reviewer { "[{user: alice@contoso.com}]" } else { "[]" };
    let settings = s.settings.map_or(String::new(), |[group, block, requests]| {
        format!(
            "  consentPolicySettings:\n    enableGroupSpecificConsent: {group}\n    \
             blockUserConsentForRiskyApps: {block}\n    enableAdminConsentRequests: {requests}\n"
        )
    });
    format!(
        "apiVersion: consentlint/v1\nkind: TenantConfig\nmetadata:\n  name: {name}\n  tenantId: \
         6f1c2e4a-0b7d-4c1e-9a55-{i:012}\n{not_stated}spec:\n  userConsent:\n{consent}{risky}{classified}  \
         usersCanRegisterApps: {}\n  adminConsentWorkflow:\n    enabled: {}\n    notifyReviewers: {}\n    \
         remindersEnabled: {}\n    requestDurationInDays: {}\n    reviewers: {reviewers}\n{settings}",
        s.create_apps, s.enabled, s.notify, s.remind, s.days
    )
}

/// The state as EntraExporter writes it, under `root`; the directory setting's values alternate
/// between `True` and `true` spellings, as exports hold both.
fn native(root: &Path, i: usize, s: &State) {
    let write = |path: &str, text: String| {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("directories");
        std::fs::write(path, text).expect("the file is written");
    };
    let grants: Vec<String> =
        s.grants.iter().map(|g| format!("\"ManagePermissionGrantsForSelf.{g}\"")).collect();
    let risky = s.risky.map_or("null".to_owned(), |r| r.to_string());
    write(
        "Policies/AuthorizationPolicy/authorizationPolicy.json",
        format!(
            r#"{{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/authorizationPolicy/$entity",
"id": "authorizationPolicy", "allowUserConsentForRiskyApps": {risky}, "defaultUserRolePermissions":
{{"allowedToCreateApps": {}, "permissionGrantPoliciesAssigned": [{}]}}}}"#,
            s.create_apps,
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
            .map(|(n, v)| format!(r#"{{"name": "{n}", "value": "{}"}}"#, spell(v)))
            .collect();
        write(
            "Directory/Settings/Consent Policy Settings.json",
            format!(
                r#"{{"id": "b1d4c8e2-5f6a-4b7c-8d9e-0f1a2b3c4d5e", "displayName": "Consent Policy Settings",
"templateId": "dffd5d46-495d-40a9-8e21-954ff55e198a", "values": [{}]}}"#,
                values.join(", ")
            ),
        );
    }
    if let Some(list) = s.classified {
        let sp = "7d3e1c5a-2b4f-4e6d-8a9c-0b1d2e3f4a5b";
        write(
            &format!("ServicePrincipals/{sp}/{sp}.json"),
            format!(
                r#"{{"id": "{sp}", "appId": "00000003-0000-0000-c000-000000000000", "displayName": "Microsoft Graph",
"servicePrincipalType": "Application", "oauth2PermissionScopes": []}}"#
            ),
        );
        let items: Vec<String> = list
            .iter()
            .map(|name| {
                let id = PERMISSIONS.iter().find(|(n, _)| n == name).expect("a known test permission").1;
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

/// Each tenant's controls under `profile`, by tenant name, from one run over `dir`.
fn judge(dir: &Path, profile: &str) -> BTreeMap<String, Vec<(String, Status)>> {
    let mut options = Options::new(vec![dir.to_path_buf()], dir.to_path_buf());
    options.profile = Some(profile.to_owned());
    let report = check::run(&options).expect("the check runs");
    let odd = report.diagnostics.iter().find(|d| !d.code.starts_with("CL-T"));
    assert!(odd.is_none(), "every document is read and valid: {odd:?}");
    let controls = report.controls.expect("the profile has controls");
    let tenants = controls.tenants.into_iter();
    tenants.map(|t| (t.tenant, t.controls.into_iter().map(|c| (c.id, c.status)).collect())).collect()
}

#[test]
fn every_profile_agrees_with_its_baseline_over_the_generated_states() {
    let started = std::time::Instant::now();
    let states = states();
    let dir = tempfile::tempdir().expect("a temporary directory");
    for (i, s) in states.iter().enumerate() {
        std::fs::create_dir_all(dir.path().join("ours")).expect("a directory");
        std::fs::write(dir.path().join(format!("ours/o{i:04}.yaml")), ours(&format!("o{i:04}"), i, s))
            .expect("written");
        native(&dir.path().join(format!("native/n{i:04}")), i, s);
    }
    let mut mismatches = Vec::new();
    let mut fired = BTreeSet::new();
    let mut seen: BTreeMap<String, BTreeSet<Status>> = BTreeMap::new();
    for (profile, controls) in CONTROLS {
        for (form, sub) in [(Form::Ours, "ours"), (Form::Native, "native")] {
            let tenants = judge(&dir.path().join(sub), profile);
            assert_eq!(tenants.len(), states.len(), "every state is judged as a tenant of its own");
            for (i, s) in states.iter().enumerate() {
                let name = format!("{}{i:04}", &sub[..1]);
                let verdicts = &tenants[&name];
                let ids: Vec<&str> = verdicts.iter().map(|(id, _)| id.as_str()).collect();
                assert_eq!(ids.join(", "), controls, "the controls of `{profile}`");
                for (control, found) in verdicts {
                    let control = control.as_str();
                    seen.entry(control.to_owned()).or_default().insert(*found);
                    let base = baseline(profile, control, s, form);
                    let row = stance(profile, control, s).filter(|(_, ours)| base != *ours);
                    let expected = row.map_or(base, |(_, ours)| ours);
                    if *found == expected {
                        fired.extend(row.map(|(label, _)| label));
                        continue;
                    }
                    mismatches.push(format!(
                        "`{profile}`, {control}, {form:?} tenant {name} {s:?}: consentlint {found:?}, \
                         the baseline's tool {base:?}, expected {expected:?}"
                    ));
                }
            }
        }
    }
    let shown: Vec<&String> = mismatches.iter().take(20).collect();
    assert!(mismatches.is_empty(), "{} disagreements, the first {shown:#?}", mismatches.len());
    for (control, verdicts) in &seen {
        assert!(verdicts.contains(&Pass) && verdicts.contains(&Fail), "{control} is only {verdicts:?}");
    }
    assert_eq!(fired, ROWS.into_iter().collect(), "every documented stance sets consentlint apart somewhere");
    eprintln!("{} states, 6 runs of {} tenants each: {:.1?}", states.len(), states.len(), started.elapsed());
}
