//! Permission catalogs: a catalog for another API gives its facts from its data alone, the built-in
//! rules judge that API's permissions by them, a user catalog may state every fact, and mistakes in
//! a catalog file are reported at their place.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "a test fails loudly when its setup fails; tests index what they built"
)]

use std::path::{Path, PathBuf};

#[path = "support/run.rs"]
mod support;
use support::run;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalog")
}

#[test]
fn the_built_in_rules_judge_sharepoint_permissions_from_the_catalog_alone() {
    let findings = |args: &[&str]| -> Vec<(String, u64, String)> {
        let mut all =
            vec!["check", "sharepoint-app.yaml", "--select", "CL-A001,CL-A004,CL-A005", "--format", "json"];
        all.extend_from_slice(args);
        let run = run(&fixtures(), &all);
        assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
        let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let text =
                    format!("{} {}", d["message"].as_str().unwrap(), d["help"].as_str().unwrap_or_default());
                (d["code"].as_str().unwrap().to_owned(), d["line"].as_u64().unwrap(), text)
            })
            .collect()
    };

    // Without the catalog, no SharePoint permission is judged by the rules that read the catalog
    // (a note names the API); an application permission needs an administrator whatever the
    // catalog says (CL-A005).
    let without = findings(&[]);
    let codes: Vec<(&str, u64)> = without.iter().map(|(code, line, _)| (code.as_str(), *line)).collect();
    assert_eq!(codes, [("CL-A005", 18)]);

    // With it: user consent passes only for the permission the catalog says is own data only,
    // whatever the names look like, and the typo is reported with a suggestion.
    let with = findings(&["--catalog", "sharepoint.yaml"]);
    let codes: Vec<(&str, u64)> = with.iter().map(|(code, line, _)| (code.as_str(), *line)).collect();
    // The application permission on line 18 is CL-A005's: one mistake, one finding.
    assert_eq!(codes, [("CL-A001", 16), ("CL-A001", 17), ("CL-A005", 18), ("CL-A004", 19)], "{with:?}");
    assert!(
        with[0].2.starts_with("`site-notes` expects user consent for `AllSites.Read` (delegated)"),
        "{with:?}"
    );
    assert!(with[3].2.ends_with("did you mean `MyFiles.Read`?"), "{with:?}");
}

/// A rule that reads only a permission's risk judges the permissions of an API no catalog describes
/// that CISA ScubaGear's `RiskyAppPermissions.json` rates (by the name ScubaGear gives the API):
/// `Sites.FullControl.All` critical, `Sites.Read.All` high, `AllSites.Read` medium. The API's other
/// permissions (`Sites.Selected`) stay not judged, and the rules that read other facts judge none.
#[test]
fn a_permission_scubagear_rates_is_judged_on_its_risk_without_a_catalog_of_its_api() {
    let run = run(&fixtures(), &["check", "sharepoint-risk-only.yaml", "--no-config", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let found: Vec<(&str, u64, &str)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["line"].as_u64().unwrap(), d["severity"].as_str().unwrap()))
        .filter(|(code, ..)| code.starts_with("CL-A"))
        .collect();
    assert_eq!(found, [("CL-A007", 16, "warning"), ("CL-A007", 17, "warning")], "{}", run.stdout);
    let notes: Vec<&str> =
        report["notes"].as_array().unwrap().iter().map(|n| n["message"].as_str().unwrap()).collect();
    // CL-A007 on `Sites.Selected`, which ScubaGear does not rate; CL-A001 and CL-A004 on all four.
    assert!(
        notes.iter().any(|n| n.starts_with(
            "`CL-A001`, `CL-A004`, `CL-A007` were not judged on the permissions of `Office 365 SharePoint Online`"
        )),
        "{notes:?}"
    );
}

#[test]
fn a_user_catalog_may_state_own_data_only_and_is_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let app = std::fs::read_to_string(fixtures().join("sharepoint-app.yaml"))
        .unwrap()
        .replace("resource: SharePoint", "resource: Microsoft Graph")
        .replace("MyFiles.Read", "Mail.Read");
    let start = app.find("    - {name: AllSites.Read").unwrap();
    let end = app.find("---").unwrap();
    std::fs::write(dir.path().join("app.yaml"), format!("{}{}", &app[..start], &app[end..])).unwrap();
    let catalog = fixtures().join("graph-own-data-off.yaml");
    let check = |extra: &[&str]| {
        let mut args = vec!["check", "app.yaml", "--select", "CL-A001", "--format", "plain"];
        args.extend_from_slice(extra);
        run(dir.path(), &args)
    };

    // The bundled facts: `Mail.Read` delegated reaches only the user's own mailbox.
    assert_eq!(check(&[]).code, 0, "{}", check(&[]).stdout);
    // A catalog for the same API (named in another case) replaces that permission's facts.
    let honoured = check(&["--catalog", catalog.to_str().unwrap()]);
    assert_eq!(honoured.code, 1, "{}{}", honoured.stdout, honoured.stderr);
    assert!(
        honoured.stdout.starts_with(
            "error[CL-A001]: `site-notes` expects user consent for `Mail.Read` (delegated), which reaches beyond the signed-in user's own data\n  --> app.yaml:15:14\n"
        ),
        "{}",
        honoured.stdout
    );
}

/// The plain output of `check` with a broken catalog, which must stop the run with status 2.
fn broken(catalog: &str) -> String {
    let run = run(&fixtures(), &["check", "sharepoint-app.yaml", "--catalog", catalog, "--format", "plain"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    run.stdout
}

#[test]
fn catalog_mistakes_are_reported_at_their_nodes() {
    let out = broken("misspelt.yaml");
    for expected in [
        "error[CL-C006]: `hgih` is not one of `low`, `medium`, `high` or `critical`
 --> misspelt.yaml:4:63
  |
4 |     delegated: {adminConsent: false, ownDataOnly: true, risk: hgih}
  |                                                               ^^^^ not allowed
  |
  = help: did you mean `high`?
",
        "error[CL-C006]: missing required key `adminConsent`
 --> misspelt.yaml:6:5
  |
6 |     delegated: {ownDataOnly: true, adminConsnet: false}
  |     ^^^^^^^^^ `adminConsent` is missing here
",
        "error[CL-C006]: unknown key `adminConsnet`
 --> misspelt.yaml:6:36
  |
6 |     delegated: {ownDataOnly: true, adminConsnet: false}
  |                                    ^^^^^^^^^^^^ unknown key
  |
  = help: did you mean `adminConsent`?
",
        "error[CL-C006]: expected `true`, found a boolean `false`
 --> misspelt.yaml:7:33
  |
7 |     application: {adminConsent: false}
  |                                 ^^^^^ must be `true`
",
    ] {
        assert!(out.contains(expected), "expected:\n{expected}\nin:\n{out}");
    }
    assert!(
        out.ends_with("4 problems in consentlint's own inputs (configuration, policies, catalogs, baseline); no file was checked\n"),
        "{out}"
    );
}

#[test]
fn a_duplicate_key_in_a_catalog_is_reported_at_the_duplicate() {
    let out = broken("duplicate.yaml");
    let expected = "error[CL-C006]: duplicate key `Ledger.Read`
 --> duplicate.yaml:5:3
  |
3 |   Ledger.Read:
  |   ----------- first defined here
5 |   Ledger.Read:
  |   ^^^^^^^^^^^ defined again here
";
    assert!(out.starts_with(expected), "{out}");
}

#[test]
fn a_syntax_error_in_a_catalog_is_reported_where_the_parser_stopped() {
    let out = broken("syntax.yaml");
    assert!(out.starts_with("error[CL-C006]: "), "{out}");
    assert!(out.contains(" --> syntax.yaml:4:1\n"), "{out}");
    assert!(!out.contains("empty"), "{out}");
}

#[test]
fn an_empty_catalog_is_reported_about_the_file() {
    let out = broken("empty.yaml");
    assert!(out.starts_with("error[CL-C006]: the catalog file is empty\n --> empty.yaml\n"), "{out}");
}
