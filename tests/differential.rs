//! Profiles against their baselines over a generated product of tenant states: for `scuba`, `cis`
//! and `eidsca`, every control's verdict equals what the baseline's own tool decides on the same
//! state (the oracles of `differential/oracles.rs`, each transcribed from the tool's code with its
//! file and line), except where `docs/profiles.md` lists a deliberately different stance
//! ([`stance`], one branch per row); the `scuba` profile is compared with Maester's CISA checks of
//! the same controls too.
//!
//! The product (`differential/state.rs`): the assigned self-consent policies (8 values: none, the
//! built-in ones, a policy of the tenant's own that the inputs do not hold, alone and beside `-low`,
//! and one they hold beside `-low`) × the low-impact classification (7, one holding `AllSites.Read` of
//! `SharePoint`) × the "Consent Policy Settings" (13: none, the eight boolean combinations, and
//! single values left out or empty) × `isEnabled` (2) × a reviewer (2), 2,912 states.
//! `allowUserConsentForRiskyApps` (3 values), `allowedToCreateApps` (true, false, left out),
//! `notifyReviewers` × `remindersEnabled` × `requestDurationInDays` (12) and the app management
//! policy (10 states of the default policy and its exemptions) are read by no control together
//! with those dimensions, so they cycle along the product at their own strides. Every state is
//! checked twice, as a `consentlint/v1` `TenantConfig` and as an EntraExporter export (one export
//! root per tenant, complete: its organization file beside the authorization policy, and
//! `completeExports: true` for the exemptions): one run per profile and form.
//!
//! Any other disagreement fails the test, and so does a row of the stance table that no state sets
//! apart, or a control that is only ever passed or only ever failed.
#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "a test fails loudly when its setup fails; tests index what they built"
)]

#[path = "differential/oracles.rs"]
mod oracles;
#[path = "differential/state.rs"]
mod state;
#[path = "differential/write.rs"]
mod write;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use consentlint::check;
use consentlint::options::Options;
use consentlint::report::Status::{self, Fail, NotJudgeable as Nj, Pass};
use state::{CUSTOM, Form, LEGACY, LOW, RECOMMENDED, Setting, State};

/// Each profile's controls, in its order.
const CONTROLS: [(&str, &str); 3] = [
    ("scuba", "MS.AAD.5.1v1, MS.AAD.5.2v1, MS.AAD.5.3v1, MS.AAD.5.5v1, MS.AAD.5.6v1, MS.AAD.5.7v1"),
    ("cis", "CIS 5.1.2.2, CIS 5.1.5.1, CIS 5.1.5.2"),
    (
        "eidsca",
        concat!(
            "EIDSCA.AP08, EIDSCA.AP09, EIDSCA.AP10, EIDSCA.CP01, EIDSCA.CP03, EIDSCA.CP04, ",
            "EIDSCA.CR01, EIDSCA.CR02, EIDSCA.CR03, EIDSCA.CR04"
        ),
    ),
];

/// The baseline tools compared: the profile's own, and Maester's CISA checks for `scuba`.
fn baselines(profile: &str) -> &'static [&'static str] {
    match profile {
        "scuba" => &["scubagear", "maester-cisa"],
        "eidsca" => &["maester-eidsca"],
        _ => &["maester-cis"],
    }
}

/// The tool's verdict; `None` where it has no check for the control.
fn baseline(tool: &str, control: &str, s: &State, form: Form) -> Option<Status> {
    match tool {
        "scubagear" => Some(oracles::scubagear(control, s, form)),
        "maester-cisa" => oracles::maester_cisa(control, s),
        "maester-eidsca" => Some(oracles::maester_eidsca(control, s)),
        _ => Some(oracles::maester_cis(control, s)),
    }
}

/// The rows of `docs/profiles.md`, "Where a profile is deliberately stricter than the baseline's own
/// tool" and "The `scuba` profile and Maester's CISA checks", one
/// label each.
const ROWS: [&str; 12] = [
    "scuba 5.2v1: the legacy policy fails",
    "scuba 5.3v1: isEnabled, notifyReviewers and a reviewer",
    "eidsca CR04: 0 days fails",
    "cis 5.1.5.1: -recommended or a consent policy of the tenant's own fails",
    "scuba 5.2v1: an admin-consent or unknown permission classified low fails",
    "scuba 5.2v1: a consent policy of the tenant's own, its conditions not given, is not judgeable",
    "scuba 5.1v1: an absent allowedToCreateApps fails (Entra ID's default)",
    "scuba 5.5v1-5.7v1: a default app management policy that is off fails",
    "scuba 5.5v1: a kind of object without the password-addition block fails",
    "maester-cisa 5.2: user consent under the low-impact policy is judged by the classification",
    "maester-cisa 5.2: a consent policy of the tenant's own, its conditions not given, is not judgeable",
    "maester-cisa 5.3: EnableAdminConsentRequests is read too",
];

/// Whether the classification holds one of `names`.
fn classifies(s: &State, names: &[&str]) -> bool {
    s.classified.unwrap_or_default().iter().any(|p| names.contains(p))
}

/// What consentlint decides for MS.AAD.5.2v1 where ScubaGear's Rego is not followed, and which row
/// says so: CL-T010 fails a low classification of a risky, admin-consent or unknown permission
/// while `-low` is assigned, whatever else is; else a policy of the tenant's own that the inputs do
/// not hold leaves the control not judgeable.
fn consent_stance(s: &State) -> Option<(usize, Status)> {
    let low = s.grants.contains(&LOW);
    if s.grants.contains(&LEGACY) {
        return Some((0, Fail));
    }
    if low && classifies(s, &["AccessReview.Read.All", "Made.Up"]) {
        return Some((4, Fail));
    }
    let risky = low && classifies(s, &state::SCUBA_RISKY);
    (s.grants.contains(&CUSTOM) && !risky).then_some((5, Nj))
}

/// The row of that table that applies to `control` of `tool` on `s`, with consentlint's verdict
/// there; the row fires when the tool says otherwise.
fn stance(tool: &str, control: &str, s: &State, form: Form) -> Option<(&'static str, Status)> {
    let app = s.app.policy.unwrap_or_default();
    let row = match (tool, control) {
        ("scubagear", "MS.AAD.5.2v1") => return consent_stance(s).map(|(row, status)| (ROWS[row], status)),
        ("scubagear", "MS.AAD.5.3v1") if !s.enabled || !s.reviewer || !s.notify => (1, Fail),
        ("maester-eidsca", "EIDSCA.CR04") if s.enabled && s.days == 0 => (2, Fail),
        ("maester-cis", "CIS 5.1.5.1") if s.grants.contains(&RECOMMENDED) || s.grants == [CUSTOM] => {
            (3, Fail)
        }
        ("scubagear", "MS.AAD.5.1v1") if s.create_apps.is_none() => (6, Fail),
        ("scubagear", "MS.AAD.5.5v1" | "MS.AAD.5.6v1" | "MS.AAD.5.7v1") if !app.enabled => (7, Fail),
        ("scubagear", "MS.AAD.5.5v1") if app.apps.addition.is_none() || app.principals.addition.is_none() => {
            (8, Fail)
        }
        // Maester fails any self-consent policy; the profile allows the low-impact one with a clean
        // classification, as ScubaGear's text does (its verdict then is the one compared with
        // ScubaGear above: a pass, or not judgeable where the inputs do not state what it reads).
        ("maester-cisa", "MS.AAD.5.2v1") if !s.grants.is_empty() => match consent_stance(s) {
            Some((5, status)) => (10, status),
            Some((_, status)) => (9, status),
            None => (9, oracles::scubagear(control, s, form)),
        },
        // Maester reads the request policy alone; the profile reads the directory value too, as
        // ScubaGear does, beside the stricter checks of the request policy Maester makes.
        ("maester-cisa", "MS.AAD.5.3v1") if s.settings.unwrap_or_default()[2] != Setting::True => (11, Fail),
        _ => return None,
    };
    Some((ROWS[row.0], row.1))
}

/// Each tenant's controls under `profile`, by tenant name, from one run over `dir`.
fn judge(dir: &Path, profile: &str, form: Form, catalog: &Path) -> BTreeMap<String, Vec<(String, Status)>> {
    let mut options = Options::new(vec![dir.to_path_buf()], dir.to_path_buf());
    options.profile = Some(profile.to_owned());
    match form {
        Form::Ours => options.catalogs = vec![catalog.to_path_buf()],
        Form::Native => options.complete_exports = true,
    }
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
    let states = state::states();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let catalog = dir.path().join("sharepoint.catalog.yaml");
    std::fs::write(&catalog, write::SHAREPOINT_CATALOG).expect("written");
    for (i, s) in states.iter().enumerate() {
        std::fs::create_dir_all(dir.path().join("ours")).expect("a directory");
        let name = format!("o{i:04}");
        std::fs::write(dir.path().join(format!("ours/{name}.yaml")), write::ours(&name, i, s))
            .expect("written");
        let name = format!("n{i:04}");
        write::native(&dir.path().join(format!("native/{name}")), &name, i, s);
    }
    let mut mismatches = Vec::new();
    let mut fired = BTreeSet::new();
    let mut seen: BTreeMap<String, BTreeSet<Status>> = BTreeMap::new();
    for (profile, controls) in CONTROLS {
        for (form, sub) in [(Form::Ours, "ours"), (Form::Native, "native")] {
            let tenants = judge(&dir.path().join(sub), profile, form, &catalog);
            assert_eq!(tenants.len(), states.len(), "every state is judged as a tenant of its own");
            for (i, s) in states.iter().enumerate() {
                let name = format!("{}{i:04}", &sub[..1]);
                let verdicts = &tenants[&name];
                let ids: Vec<&str> = verdicts.iter().map(|(id, _)| id.as_str()).collect();
                assert_eq!(ids.join(", "), controls, "the controls of `{profile}`");
                for (control, found) in verdicts {
                    let control = control.as_str();
                    seen.entry(control.to_owned()).or_default().insert(*found);
                    for tool in baselines(profile) {
                        let Some(base) = baseline(tool, control, s, form) else { continue };
                        let row = stance(tool, control, s, form).filter(|(_, ours)| base != *ours);
                        let expected = row.map_or(base, |(_, ours)| ours);
                        if *found == expected {
                            fired.extend(row.map(|(label, _)| label));
                            continue;
                        }
                        mismatches.push(format!(
                            "`{profile}`, {control}, {form:?} tenant {name} {s:?}: consentlint {found:?}, \
                             {tool} {base:?}, expected {expected:?}"
                        ));
                    }
                }
            }
        }
    }
    let shown: Vec<&String> = mismatches.iter().take(12).collect();
    assert!(mismatches.is_empty(), "{} disagreements, the first {shown:#?}", mismatches.len());
    for (control, verdicts) in &seen {
        assert!(verdicts.contains(&Pass) && verdicts.contains(&Fail), "{control} is only {verdicts:?}");
    }
    assert_eq!(fired, ROWS.into_iter().collect(), "every documented stance sets consentlint apart somewhere");
    eprintln!("{} states, 6 runs of {} tenants each: {:.1?}", states.len(), states.len(), started.elapsed());
}
