//! Profiles, control by control: tenant states (written as `consentlint/v1` and as native Graph
//! exports) against the verdict each baseline's published logic gives, with the control ids, and
//! snapshots of the controls view. Where a profile is deliberately stricter than the baseline's
//! tool, the expected verdict is the stricter one and the case names the entry of
//! `docs/profiles.md` that says so.
#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "a test fails loudly when its setup fails; tests index what they built"
)]

use std::path::Path;

use consentlint::check;
use consentlint::options::Options;
use consentlint::render::{self, Format, Style};
use consentlint::report::{Report, Status};

use Status::{Fail, NotApplicable as Na, NotJudgeable as Nj, Pass};

/// A tenant state as our own document: `spec` is the YAML under `spec:`, indented by four.
fn ours(spec: &str) -> Vec<(&'static str, String)> {
    let text = format!(
        "apiVersion: consentlint/v1\nkind: TenantConfig\nmetadata:\n  name: contoso\n  tenantId: \
         6f1c2e4a-0b7d-4c1e-9a55-3e2f7d8c9b10\nspec:\n{spec}"
    );
    vec![("tenant.yaml", text)]
}

/// A tenant state as an EntraExporter-shaped export: the authorization policy's assigned policy
/// and risky-app value, whether users create apps, the request policy, and the directory setting
/// (`None`: not exported).
struct Native {
    grant: &'static str,
    risky: &'static str,
    create_apps: bool,
    workflow: (bool, bool, bool, u32, bool),
    settings: Option<(&'static str, &'static str, &'static str)>,
}

/// The state as [`native`] writes it, without the organization file: not an EntraExporter root
/// that can be told complete.
fn partial(state: &Native) -> Vec<(&'static str, String)> {
    native(state).into_iter().filter(|(path, _)| !path.starts_with("export/Organization/")).collect()
}

fn native(state: &Native) -> Vec<(&'static str, String)> {
    let authorization = format!(
        r#"{{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/authorizationPolicy/$entity",
"id": "authorizationPolicy", "allowUserConsentForRiskyApps": {},
"defaultUserRolePermissions": {{"allowedToCreateApps": {}, "permissionGrantPoliciesAssigned": [{}]}}}}"#,
        state.risky,
        state.create_apps,
        if state.grant.is_empty() {
            String::new()
        } else {
            format!("\"ManagePermissionGrantsForSelf.{}\"", state.grant)
        }
    );
    let (enabled, notify, remind, days, reviewer) = state.workflow;
    let reviewers = if reviewer {
        r#"{"query": "/users/8b2f4a1e-7c3d-4e5f-9a0b-1c2d3e4f5a6b", "queryType": "MicrosoftGraph", "queryRoot": null}"#
    } else {
        ""
    };
    let request = format!(
        r#"{{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/adminConsentRequestPolicy/$entity",
"isEnabled": {enabled}, "notifyReviewers": {notify}, "remindersEnabled": {remind},
"requestDurationInDays": {days}, "version": 2, "reviewers": [{reviewers}]}}"#
    );
    let organization = r#"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#organization/$entity",
"id": "5f1c7a52-3a5e-4c5b-9a1e-6d3f0b8e2c41", "displayName": "Contoso", "tenantType": "AAD",
"verifiedDomains": [{"name": "contoso.onmicrosoft.com", "isDefault": true, "isInitial": true}]}"#;
    let mut files = vec![
        ("export/Policies/AuthorizationPolicy/authorizationPolicy.json", authorization),
        ("export/Policies/AdminConsentRequestPolicy/adminConsentRequestPolicy.json", request),
        ("export/Organization/Organization.json", organization.to_owned()),
    ];
    if let Some((group, risky, requests)) = state.settings {
        let settings = format!(
            r#"{{"id": "b1d4c8e2-5f6a-4b7c-8d9e-0f1a2b3c4d5e", "displayName": "Consent Policy Settings",
"templateId": "dffd5d46-495d-40a9-8e21-954ff55e198a", "values": [
{{"name": "EnableGroupSpecificConsent", "value": "{group}"}},
{{"name": "BlockUserConsentForRiskyApps", "value": "{risky}"}},
{{"name": "EnableAdminConsentRequests", "value": "{requests}"}}]}}"#
        );
        files.push(("export/Directory/Settings/Consent Policy Settings.json", settings));
    }
    files
}

/// Checks the files with a profile chosen, as `--profile` does.
fn run(files: &[(&str, String)], profile: &str) -> (Report, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("directories");
        std::fs::write(&path, text).expect("the file is written");
    }
    let mut options = Options::new(vec![dir.path().to_path_buf()], dir.path().to_path_buf());
    options.profile = Some(profile.to_owned());
    (check::run(&options).expect("the check runs"), dir)
}

fn verdicts(report: &Report) -> Vec<(String, Status)> {
    let controls = report.controls.as_ref().expect("the profile has controls");
    controls.controls.iter().map(|c| (c.id.clone(), c.status)).collect()
}

/// Asserts every control's verdict under `profile`, in the profile's order.
fn expect(case: &str, files: &[(&str, String)], profile: &str, expected: &[(&str, Status)]) {
    let (report, _dir) = run(files, profile);
    let found = verdicts(&report);
    let wanted: Vec<(String, Status)> = expected.iter().map(|(id, s)| ((*id).to_owned(), *s)).collect();
    assert_eq!(found, wanted, "{case} under `{profile}`");
}

const HARDENED: &str = "  userConsent:
    enabled: false
    allowRiskyApps: false
    groupOwnerConsent: false
  usersCanRegisterApps: false
  adminConsentWorkflow:
    enabled: true
    reviewers: [{group: App Consent Reviewers}]
    notifyReviewers: true
    remindersEnabled: true
    requestDurationInDays: 30
  consentPolicySettings:
    enableGroupSpecificConsent: false
    blockUserConsentForRiskyApps: true
    enableAdminConsentRequests: true
";

/// User consent under the low-impact policy, sign-in permissions classified, workflow off,
/// `allowRiskyApps` not stated.
const LOW_WORKFLOW_OFF: &str = "  userConsent:
    enabled: true
    policy: verified-publishers-low-impact
    groupOwnerConsent: false
    lowImpactPermissions: [User.Read, openid, profile]
  usersCanRegisterApps: false
  adminConsentWorkflow:
    enabled: false
  consentPolicySettings:
    enableGroupSpecificConsent: false
    blockUserConsentForRiskyApps: true
    enableAdminConsentRequests: false
";

/// Microsoft-managed consent, a configured workflow, app registration and group owner consent
/// left to Entra ID's defaults, no directory setting.
const MANAGED: &str = "  userConsent:
    enabled: true
    policy: microsoft-managed
    allowRiskyApps: false
  adminConsentWorkflow:
    enabled: true
    reviewers: [{user: alice@contoso.com}]
    notifyReviewers: true
    remindersEnabled: true
    requestDurationInDays: 14
";

/// Low-impact consent with `Files.Read` (on ScubaGear's risky list, rated low) classified low.
const FILES_READ_LOW: &str = "  userConsent:
    enabled: true
    policy: verified-publishers-low-impact
    allowRiskyApps: false
    groupOwnerConsent: false
    lowImpactPermissions: [User.Read, Files.Read]
  usersCanRegisterApps: false
  adminConsentWorkflow:
    enabled: true
    reviewers: [{role: Cloud Application Administrator}]
    notifyReviewers: true
    remindersEnabled: true
    requestDurationInDays: 30
  consentPolicySettings:
    enableGroupSpecificConsent: false
    blockUserConsentForRiskyApps: true
    enableAdminConsentRequests: true
";

#[test]
fn scuba_agrees_with_the_scubagear_baseline() {
    // MS.AAD.5.5v1 to 5.7v1: a tenant file without `appManagement` states Entra ID's default (no
    // restriction), which fails; an export without the default policy is not judgeable.
    let scuba = |f: &[(&str, String)], case, e: [Status; 3]| {
        let app = if f.iter().any(|(path, _)| {
            std::path::Path::new(path).extension().is_some_and(|e| e.eq_ignore_ascii_case("yaml"))
        }) {
            Fail
        } else {
            Nj
        };
        let ids =
            ["MS.AAD.5.1v1", "MS.AAD.5.2v1", "MS.AAD.5.3v1", "MS.AAD.5.5v1", "MS.AAD.5.6v1", "MS.AAD.5.7v1"];
        let statuses = [e[0], e[1], e[2], app, app, app];
        let expected: Vec<(&str, Status)> = ids.into_iter().zip(statuses).collect();
        expect(case, f, "scuba", &expected);
    };
    // 5.2: consent off passes; nothing classified, so CL-T010 does not apply.
    scuba(&ours(HARDENED), "hardened", [Pass, Pass, Pass]);
    // 5.3 is required whether user consent is on or off; ScubaGear reads EnableAdminConsentRequests.
    scuba(&ours(LOW_WORKFLOW_OFF), "low-impact consent, workflow off", [Pass, Pass, Fail]);
    // 5.1: absent allowedToCreateApps is Entra ID's default, true; 5.2: the Microsoft-managed
    // policy fails; 5.3: no directory setting states EnableAdminConsentRequests.
    scuba(&ours(MANAGED), "microsoft-managed", [Fail, Fail, Fail]);
    // 5.2: any permission of ScubaGear's risky list classified low fails.
    scuba(&ours(FILES_READ_LOW), "Files.Read classified low", [Pass, Fail, Pass]);
    let full = Native {
        grant: "microsoft-user-default-low",
        risky: "null",
        create_apps: false,
        workflow: (true, true, true, 30, true),
        settings: Some(("False", "true", "true")),
    };
    // A native export states no classification: 5.2 cannot be judged, never passed.
    scuba(&native(&full), "native export", [Pass, Nj, Pass]);
    let no_settings = Native { settings: None, ..full };
    // An EntraExporter root (its organization file beside the authorization policy) holds every
    // directory setting: none is the consent setting, so 5.3 fails as ScubaGear's Rego fails it.
    scuba(&native(&no_settings), "native export without the directory setting", [Pass, Nj, Fail]);
    // Without the organization file the export may have left the setting out: not judgeable.
    scuba(&partial(&no_settings), "partial export without the directory setting", [Pass, Nj, Nj]);
    let legacy = Native { grant: "microsoft-user-default-legacy", create_apps: true, ..no_settings };
    // Stricter than ScubaGear's Rego, which passes the legacy policy (docs/profiles.md).
    scuba(&native(&legacy), "native legacy consent", [Fail, Fail, Fail]);
}

#[test]
fn cis_agrees_with_the_cis_benchmark() {
    let cis = |f: &[(&str, String)], case, e: [Status; 3]| {
        expect(case, f, "cis", &[("CIS 5.1.2.2", e[0]), ("CIS 5.1.5.1", e[1]), ("CIS 5.1.5.2", e[2])]);
    };
    cis(&ours(HARDENED), "hardened", [Pass, Pass, Pass]);
    // 5.1.5.1: the low-impact policy is user consent, which CIS does not allow.
    cis(&ours(LOW_WORKFLOW_OFF), "low-impact consent, workflow off", [Pass, Fail, Fail]);
    // Stricter than the audit procedure, which names only -legacy and -low (docs/profiles.md).
    cis(&ours(MANAGED), "microsoft-managed", [Fail, Fail, Pass]);
    let off = Native {
        grant: "",
        risky: "false",
        create_apps: false,
        workflow: (true, false, false, 0, false),
        settings: None,
    };
    cis(&native(&off), "native export, consent off", [Pass, Pass, Pass]);
}

#[test]
fn eidsca_agrees_with_maester() {
    let ids = [
        "EIDSCA.AP08",
        "EIDSCA.AP09",
        "EIDSCA.AP10",
        "EIDSCA.CP01",
        "EIDSCA.CP03",
        "EIDSCA.CP04",
        "EIDSCA.CR01",
        "EIDSCA.CR02",
        "EIDSCA.CR03",
        "EIDSCA.CR04",
    ];
    let eidsca = |f: &[(&str, String)], case, e: [Status; 10]| {
        let expected: Vec<(&str, Status)> = ids.into_iter().zip(e).collect();
        expect(case, f, "eidsca", &expected);
    };
    // AP08 passes only `-low`; Maester skips it while user consent is off.
    eidsca(&ours(HARDENED), "hardened", [Na, Pass, Pass, Pass, Pass, Pass, Pass, Pass, Pass, Pass]);
    // AP09 fails a value not set; Maester skips CR02-CR04 while the workflow is off.
    eidsca(
        &ours(LOW_WORKFLOW_OFF),
        "low-impact consent, workflow off",
        [Pass, Fail, Pass, Pass, Pass, Fail, Fail, Na, Na, Na],
    );
    // No directory setting: Maester skips CP01 and fails CP03 and CP04, which it does not skip.
    eidsca(&ours(MANAGED), "microsoft-managed", [Fail, Pass, Fail, Na, Fail, Fail, Pass, Pass, Pass, Pass]);
    let unset = HARDENED.replace("requestDurationInDays: 30", "requestDurationInDays: 0");
    // CR04: Maester passes 0 (it tests ≤ 30); consentlint fails it on purpose (docs/profiles.md).
    eidsca(&ours(&unset), "duration 0", [Na, Pass, Pass, Pass, Pass, Pass, Pass, Pass, Pass, Fail]);
    let full = Native {
        grant: "microsoft-user-default-low",
        risky: "null",
        create_apps: false,
        workflow: (true, true, true, 30, true),
        settings: Some(("False", "true", "true")),
    };
    // allowUserConsentForRiskyApps null is not false for AP09.
    eidsca(&native(&full), "native export", [Pass, Fail, Pass, Pass, Pass, Pass, Pass, Pass, Pass, Pass]);
    // Only a consent policy of the tenant's own is assigned: Maester skips AP08.
    let custom = Native { grant: "contoso-verified-only", risky: "false", ..full };
    eidsca(
        &native(&custom),
        "native export, own consent policy",
        [Na, Pass, Pass, Pass, Pass, Pass, Pass, Pass, Pass, Pass],
    );
    let no_settings = Native { settings: None, risky: "false", ..full };
    // A complete export without the setting: Maester skips CP01 and fails CP03 and CP04.
    eidsca(
        &native(&no_settings),
        "native export without the directory setting",
        [Pass, Pass, Pass, Na, Fail, Fail, Pass, Pass, Pass, Pass],
    );
    eidsca(
        &partial(&no_settings),
        "partial export without the directory setting",
        [Pass, Pass, Pass, Nj, Nj, Nj, Pass, Pass, Pass, Pass],
    );
}

#[test]
fn the_default_profile_reports_a_contradicting_directory_setting() {
    let state = Native {
        grant: "",
        risky: "false",
        create_apps: false,
        workflow: (false, true, true, 30, true),
        settings: Some(("False", "true", "true")),
    };
    let (report, _dir) = run(&native(&state), "consentlint");
    assert!(report.diagnostics.iter().any(|d| d.code == "CL-T012"), "{:?}", report.diagnostics);
    let found = verdicts(&report);
    assert!(found.contains(&("MS.AAD.5.3v1".to_owned(), Fail)), "{found:?}");
    // CL-T010 reads a classification the export does not hold.
    assert!(found.contains(&("MS.AAD.5.2v1".to_owned(), Nj)), "{found:?}");
}

#[test]
fn a_control_whose_rules_apply_to_nothing_is_not_applicable() {
    // A tenant only: no rule of a control over apps would apply; here a custom profile's control
    // over CL-T010 on a tenant that classifies nothing.
    let profile = "apiVersion: consentlint/v1\nkind: Profile\nmetadata:\n  name: classify\nrules:\n  CL-T010: {}\n\
                   controls:\n  - id: X-1\n    rules: [CL-T010]\n";
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::create_dir(dir.path().join("policies")).expect("a directory");
    std::fs::write(dir.path().join("policies/profile.yaml"), profile).expect("written");
    std::fs::write(dir.path().join("tenant.yaml"), &ours(HARDENED)[0].1).expect("written");
    let mut options = Options::new(vec![dir.path().join("tenant.yaml")], dir.path().to_path_buf());
    options.policies.dirs.push(dir.path().join("policies"));
    options.profile = Some("classify".to_owned());
    let report = check::run(&options).expect("the check runs");
    assert_eq!(verdicts(&report), [("X-1".to_owned(), Na)]);
    // A rule the run turns off leaves its control not judgeable, never passed.
    options.selection.ignore = vec!["CL-T010".to_owned()];
    let report = check::run(&options).expect("the check runs");
    assert_eq!(verdicts(&report), [("X-1".to_owned(), Nj)]);
}

fn rendered(report: &Report, format: Format) -> String {
    let mut out = Vec::new();
    render::render(report, format, Style::default(), &mut out).expect("render");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn the_controls_view_is_snapshotted() {
    for profile in ["scuba", "cis", "eidsca", "consentlint"] {
        let (report, _dir) = run(&ours(MANAGED), profile);
        insta::assert_snapshot!(format!("controls-{profile}"), rendered(&report, Format::Controls));
    }
    let (report, _dir) = run(&ours(LOW_WORKFLOW_OFF), "scuba");
    let json: serde_json::Value = serde_json::from_str(&rendered(&report, Format::Json)).expect("JSON");
    insta::assert_snapshot!(
        "controls-scuba-json",
        serde_json::to_string_pretty(&json["controls"]).expect("JSON")
    );
    // The text formats show the block before the summary line when a profile is chosen.
    // 5.5v1 to 5.7v1 fail: the tenant file states no app management policy.
    assert!(rendered(&report, Format::Plain).contains("controls (scuba): 2 pass, 4 fail\n"));
}

#[test]
fn the_controls_are_written_as_csv_on_standard_output_and_to_a_file() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for (name, text) in
        ours(MANAGED).iter().chain(&[("other.yaml", ours(HARDENED)[0].1.replace("contoso", "fabrikam"))])
    {
        std::fs::write(dir.path().join(name), text).expect("written");
    }
    let args = ["check", "--no-config", "--profile", "scuba", "--format", "controls-csv"];
    let (code, out, err) =
        cli(dir.path(), &[&args[..], &["--output-format", "controls-csv:controls.csv", "."]].concat());
    assert_eq!(code, 1, "{err}");
    insta::assert_snapshot!("controls-scuba-csv", out);
    let file = std::fs::read_to_string(dir.path().join("controls.csv")).expect("the file is written");
    assert_eq!(file, out, "the file holds what standard output does");
    // One header and one row per control of each tenant, each a CRLF-ended record of six fields.
    assert_eq!(out.matches("\r\n").count(), 1 + 2 * 6);
    assert!(out.lines().nth(1).is_some_and(|row| row.starts_with("\"contoso\",\"MS.AAD.5.1v1\",")), "{out}");
}

#[test]
fn without_a_chosen_profile_the_outputs_are_unchanged() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let options = Options::new(vec![dir.clone()], dir);
    let report = check::run(&options).expect("the check runs");
    assert!(!rendered(&report, Format::Plain).contains("controls"));
    assert!(!rendered(&report, Format::Json).contains("\"controls\""));
    // `--format controls` reads the default profile's controls all the same.
    assert!(rendered(&report, Format::Controls).starts_with("controls of profile `consentlint`"));
}

/// Runs the binary in `dir`: exit status, standard output, standard error.
fn cli(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_consentlint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).expect("UTF-8");
    (out.status.code().unwrap_or(-1), text(out.stdout), text(out.stderr))
}

#[test]
fn profiles_lists_and_explain_shows_each_profiles_treatment() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, out, _) = cli(root, &["profiles", "--no-config"]);
    assert_eq!(code, 0);
    let names: Vec<&str> = out.lines().filter_map(|l| l.split_whitespace().next()).collect();
    assert_eq!(names, ["cis", "consentlint", "eidsca", "scuba"]);
    assert!(out.contains("(default)"), "{out}");
    let (code, out, _) = cli(root, &["explain", "CL-T006", "--no-config"]);
    assert_eq!(code, 0);
    assert!(
        out.contains(
            "| `cis` | yes | error | `acceptedPolicies: []`, `consentOff: \"pass\"`, `onePolicyOnly: false` | `CIS 5.1.5.1` |"
        ),
        "{out}"
    );
    assert!(out.contains("| `eidsca` | yes | error | `acceptedPolicies: [\"verified-publishers-low-impact\"]`, `consentOff: \"not-applicable\"`, `onePolicyOnly: true` | `EIDSCA.AP08` |"), "{out}");
    let (_, out, _) = cli(root, &["explain", "CL-T011", "--no-config"]);
    assert!(out.contains("| `consentlint` | no | | | |"), "{out}");
}

#[test]
fn profiles_details_shows_all_of_scubagear_section_5() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, out, _) = cli(root, &["profiles", "--no-config", "--details", "scuba"]);
    assert_eq!(code, 0);
    let controls: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("  MS.AAD."))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(controls, ["5.1v1", "5.2v1", "5.3v1", "5.5v1", "5.6v1", "5.7v1"], "{out}");
    assert!(out.contains("rules: CL-T011; stricter: CL-T001, CL-T002, CL-T003"), "{out}");
    let (code, out, _) = cli(root, &["profiles", "--no-config", "--details", "scuba", "--format", "json"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(json["controls"].as_array().map(Vec::len), Some(6), "{json:#}");
    assert_eq!(json["controls"][4]["rules"], serde_json::json!(["CL-T016"]));
    let (code, _, err) = cli(root, &["profiles", "--no-config", "--details", "scubba"]);
    assert_eq!(code, 2);
    assert_eq!(err, "error: no profile is named `scubba`\n  help: did you mean `scuba`?\n");
}

#[test]
fn profile_mistakes_are_reported_at_their_place_with_did_you_mean() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let profile = "apiVersion: consentlint/v1
kind: Profile
metadata:
  name: acme
extends: scubaa
rules:
  CL-T0066: {}
  CL-T006:
    parameters:
      acceptedPolicy: []
      consentOff: false
controls:
  - id: ACME-1
    rules: [CL-T009]
  - id: ACME-1
    rules: [CL-T006]
";
    let (code, out, err) = check_acme(dir.path(), profile);
    let err = out + &err;
    assert_eq!(code, 2, "{err}");
    for (message, place) in [
        ("error[CL-C002]: profile `scubaa` is not loaded", "policies/acme.yaml:5:10"),
        ("error[CL-C002]: rule `CL-T0066` is not loaded", "policies/acme.yaml:7:3"),
        ("error[CL-C002]: rule `CL-T006` has no parameter `acceptedPolicy`", "policies/acme.yaml:10:7"),
        (
            "error[CL-C005]: parameter `consentOff` of `CL-T006` is a string, and this value is a boolean",
            "policies/acme.yaml:11:19",
        ),
        (
            "error[CL-C005]: control `ACME-1` names rule `CL-T009`, which the profile does not run",
            "policies/acme.yaml:14:13",
        ),
        ("error[CL-C004]: control `ACME-1` is listed twice in profile `acme`", "policies/acme.yaml:16:13"),
    ] {
        let at = err.find(message).unwrap_or_else(|| panic!("missing {message}\n{err}"));
        let next = err[at..].lines().nth(1).unwrap_or_default();
        assert!(next.ends_with(place), "{message} is not at {place}: {next}");
    }
    for help in ["did you mean `scuba`?", "did you mean `CL-T006`?", "did you mean `acceptedPolicies`?"] {
        assert!(err.contains(help), "missing {help}\n{err}");
    }
    // An unknown `--profile` is a usage error with "did you mean".
    let (code, _, err) = cli(dir.path(), &["check", "--no-config", "--profile", "eidsac", "tenant.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown profile `eidsac`") && err.contains("did you mean `eidsca`?"), "{err}");
    // `profile:` in the configuration is checked at its value.
    std::fs::write(dir.path().join(".consentlint.yaml"), "profile: cis5\n").expect("written");
    let (code, out, err) = cli(dir.path(), &["check", "--format", "plain", "tenant.yaml"]);
    let err = out + &err;
    assert_eq!(code, 2);
    assert!(err.contains(".consentlint.yaml:1:10") && err.contains("unknown profile `cis5`"), "{err}");
}

#[test]
fn rules_of_your_own_run_under_the_default_profile_and_a_note_says_when_a_profile_leaves_them_out() {
    let policy = "apiVersion: consentlint/v1
kind: Policy
metadata:
  name: acme
rules:
  - id: ACME-001
    name: registration-declared
    severity: warning
    target: TenantConfig
    summary: App registration is declared
    description: The tenant file states whether users may register apps.
    assert:
      path: spec.usersCanRegisterApps
      exists: true
    message: registration is not declared
";
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::create_dir(dir.path().join("policies")).expect("a directory");
    std::fs::write(dir.path().join("policies/acme.yaml"), policy).expect("written");
    std::fs::write(dir.path().join("tenant.yaml"), &ours(MANAGED)[0].1).expect("written");
    let mut options = Options::new(vec![dir.path().join("tenant.yaml")], dir.path().to_path_buf());
    options.policies.dirs.push(dir.path().join("policies"));
    let report = check::run(&options).expect("the check runs");
    assert!(report.diagnostics.iter().any(|d| d.code == "ACME-001"));
    assert!(report.notes.iter().all(|n| !n.message.contains("ACME-001")));
    options.profile = Some("scuba".to_owned());
    let report = check::run(&options).expect("the check runs");
    assert!(report.diagnostics.iter().all(|d| d.code != "ACME-001"));
    let note = report.notes.iter().find(|n| n.message.contains("`ACME-001`")).expect("a note");
    assert!(note.message.contains("profile `scuba` does not list them"), "{}", note.message);
}

#[test]
fn a_profile_that_breaks_its_schema_is_reported_at_the_key_with_did_you_mean() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::create_dir(dir.path().join("policies")).expect("a directory");
    let profile = "apiVersion: consentlint/v1\nkind: Profile\nmetadata:\n  name: mine\nextend: scuba\nrules:\n  \
                   CL-T001: {severty: error}\n  CL-T002: of\n";
    std::fs::write(dir.path().join("policies/p.yaml"), profile).expect("written");
    std::fs::write(dir.path().join("tenant.yaml"), &ours(HARDENED)[0].1).expect("written");
    let (code, out, err) = cli(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--policy",
            "policies",
            "--profile",
            "mine",
            "--format",
            "plain",
            "tenant.yaml",
        ],
    );
    let text = out + &err;
    assert_eq!(code, 2, "{text}");
    for expected in [
        "error[CL-C001]: unknown key `extend`\n --> policies/p.yaml:5:1",
        "did you mean `extends`?",
        "error[CL-C001]: unknown key `severty`\n --> policies/p.yaml:7:13",
        "did you mean `severity`?",
        "error[CL-C001]: expected `off`, found a string `of`\n --> policies/p.yaml:8:12",
    ] {
        assert!(text.contains(expected), "missing {expected}\n{text}");
    }
}

#[test]
fn an_app_rule_whose_tenant_is_not_in_the_run_leaves_its_control_not_judgeable() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::create_dir(dir.path().join("policies")).expect("a directory");
    let profile = "apiVersion: consentlint/v1\nkind: Profile\nmetadata:\n  name: apps\nrules:\n  CL-A002: {}\n\
                   controls:\n  - id: APP-1\n    rules: [CL-A002]\n";
    std::fs::write(dir.path().join("policies/p.yaml"), profile).expect("written");
    let app = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/apps/contoso/meeting-notes.yaml");
    std::fs::copy(app, dir.path().join("app.yaml")).expect("copied");
    let mut options = Options::new(vec![dir.path().join("app.yaml")], dir.path().to_path_buf());
    options.policies.dirs.push(dir.path().join("policies"));
    options.profile = Some("apps".to_owned());
    let report = check::run(&options).expect("the check runs");
    assert_eq!(verdicts(&report), [("APP-1".to_owned(), Nj)]);
}

#[test]
fn the_default_profile_fails_a_workflow_the_directory_setting_contradicts() {
    // The request policy is enabled and complete, but the directory setting ScubaGear reads says
    // users cannot request consent: MS.AAD.5.3v1 fails through CL-T012 rather than passing.
    let state = Native {
        grant: "",
        risky: "false",
        create_apps: false,
        workflow: (true, true, true, 30, true),
        settings: Some(("False", "true", "false")),
    };
    let (report, _dir) = run(&native(&state), "consentlint");
    let found = verdicts(&report);
    assert!(found.contains(&("MS.AAD.5.3v1".to_owned(), Fail)), "{found:?}");
    assert!(
        found.contains(&("EIDSCA.CR01".to_owned(), Pass)),
        "Maester's CR01 reads the policy only: {found:?}"
    );
}

#[test]
fn a_profile_that_turns_off_a_rule_of_its_base_keeps_the_control_not_judgeable() {
    let profile = "apiVersion: consentlint/v1\nkind: Profile\nmetadata:\n  name: mine\nextends: scuba\nrules:\n  CL-T010: off\n";
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::create_dir(dir.path().join("policies")).expect("a directory");
    std::fs::write(dir.path().join("policies/profile.yaml"), profile).expect("written");
    std::fs::write(dir.path().join("tenant.yaml"), &ours(HARDENED)[0].1).expect("written");
    let mut options = Options::new(vec![dir.path().join("tenant.yaml")], dir.path().to_path_buf());
    options.policies.dirs.push(dir.path().join("policies"));
    options.profile = Some("mine".to_owned());
    let report = check::run(&options).expect("the check runs");
    let found = verdicts(&report);
    assert!(found.contains(&("MS.AAD.5.2v1".to_owned(), Nj)), "never dropped, never passed: {found:?}");
}

#[test]
fn over_several_tenants_each_tenant_has_its_own_controls() {
    let (code, stdout, _) = cli(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["check", "examples/", "--profile", "scuba", "--format", "json"],
    );
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let tenants = report["controls"]["tenants"].as_array().expect("a tenant list");
    let names: Vec<&str> = tenants.iter().map(|t| t["tenant"].as_str().expect("a name")).collect();
    assert_eq!(names, ["adatum-corporation", "contoso", "fabrikam", "northwind-traders"]);
    let status = |tenant: &serde_json::Value, id: &str| {
        tenant["controls"].as_array().expect("controls").iter().find(|c| c["id"] == id).expect("the control")
            ["status"]
            .clone()
    };
    // Contoso lets only admins register apps; Fabrikam does not: the run's verdict is the worst.
    assert_eq!(status(&tenants[1], "MS.AAD.5.1v1"), "pass");
    assert_eq!(status(&tenants[2], "MS.AAD.5.1v1"), "fail");
    let overall = report["controls"]["controls"].as_array().expect("controls");
    assert_eq!(overall.iter().find(|c| c["id"] == "MS.AAD.5.1v1").expect("the control")["status"], "fail");
    // Each tenant's findings are its own.
    let findings = tenants[1]["controls"]
        .as_array()
        .expect("controls")
        .iter()
        .flat_map(|c| c["findings"].as_array().cloned().unwrap_or_default());
    assert!(findings.into_iter().all(|f| f["file"].as_str().is_some_and(|file| file.contains("contoso"))));
}

#[test]
fn a_value_the_profile_makes_irrelevant_does_not_make_a_control_not_judgeable() {
    // CL-T001 requires the workflow whether consent is on or off under `cis`
    // (`onlyWhenConsentOff: false`), so an export holding only the request policy judges it.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let policy = dir.path().join("t/Policies/AdminConsentRequestPolicy");
    std::fs::create_dir_all(&policy).expect("directories");
    std::fs::write(
        policy.join("a.json"),
        r#"{"isEnabled": true, "notifyReviewers": true, "remindersEnabled": true, "requestDurationInDays": 30, "reviewers": [{"query": "/users/1"}]}"#,
    )
    .expect("written");
    let (_, stdout, _) =
        cli(dir.path(), &["check", "--no-config", "--profile", "cis", "--format", "json", "t"]);
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let status = |id: &str| {
        report["controls"]["controls"]
            .as_array()
            .expect("controls")
            .iter()
            .find(|c| c["id"] == id)
            .expect("the control")["status"]
            .clone()
    };
    assert_eq!(status("CIS 5.1.5.2"), "pass");
    assert_eq!(status("CIS 5.1.5.1"), "not-judgeable", "user consent is not stated");
}

#[test]
fn a_parameter_value_the_rule_does_not_offer_is_reported_with_did_you_mean() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let profile = "apiVersion: consentlint/v1\nkind: Profile\nmetadata:\n  name: acme\nrules:\n  CL-T006:\n    parameters:\n      acceptedPolicies: [verified-publisher-low-impact]\n";
    let (code, out, err) = check_acme(dir.path(), profile);
    let all = out + &err;
    assert_eq!(code, 2, "{all}");
    assert!(
        all.contains("error[CL-C002]: `verified-publisher-low-impact` is not a value of parameter `acceptedPolicies` of `CL-T006`"),
        "{all}"
    );
    assert!(
        all.contains("policies/acme.yaml:8:26")
            && all.contains("did you mean `verified-publishers-low-impact`?"),
        "{all}"
    );
}

/// Checks a hardened tenant in `dir` with the profile `acme`, written as `profile` in `policies/`:
/// the exit code, standard output and standard error.
fn check_acme(dir: &Path, profile: &str) -> (i32, String, String) {
    std::fs::create_dir(dir.join("policies")).expect("a directory");
    std::fs::write(dir.join("policies/acme.yaml"), profile).expect("written");
    std::fs::write(dir.join("tenant.yaml"), &ours(HARDENED)[0].1).expect("written");
    let args = [
        "check",
        "--no-config",
        "--policy",
        "policies",
        "--profile",
        "acme",
        "--format",
        "plain",
        "tenant.yaml",
    ];
    cli(dir, &args)
}
