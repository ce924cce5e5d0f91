//! Hostile files wherever consentlint opens or writes one: every file it reads (inputs, context,
//! baseline) goes through one checked open, native JSON that does not parse fails the run at its
//! place, and nothing is written through a link or left half written (`--write-baseline`, `import`).
//!
//! Every run has a time limit (`support::run`): a hang fails the test instead of blocking it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers fail loudly; tests index what they built"
)]

#[path = "support/run.rs"]
mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::run;
use tempfile::TempDir;

const TENANT: &str = "\
apiVersion: consentlint/v1
kind: TenantConfig
metadata:
  name: contoso
  tenantId: 6f1c2e4a-0b7d-4c1e-9a55-3e2f7d8c9b10
spec:
  userConsent:
    enabled: false
  usersCanRegisterApps: false
";

fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn report(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("JSON output ({e}):\n{stdout}"))
}

/// `(code, file, line, column, message)` of each diagnostic.
fn found(report: &Value) -> Vec<(String, String, u64, u64, String)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo").arg(path).status().expect("mkfifo runs");
    assert!(status.success());
}

/// A baseline is named by the configuration, which a pull request can change: a link to an endless
/// device or a FIFO is refused before it is opened, quickly, as any input is.
#[cfg(unix)]
#[test]
fn a_baseline_that_is_not_a_regular_file_is_refused_without_reading_it() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "tenant.yaml", TENANT);
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.json")).unwrap();
    mkfifo(&dir.path().join("fifo.json"));
    for baseline in ["zero.json", "fifo.json"] {
        write(dir.path(), ".consentlint.yaml", format!("baseline: {baseline}\n"));
        let started = Instant::now();
        let out = run(dir.path(), &["check", "--format", "json", "tenant.yaml"]);
        assert!(started.elapsed() < Duration::from_secs(10), "{baseline}: took {:?}", started.elapsed());
        assert_eq!(out.code, 2, "{baseline}: {}\n{}", out.stdout, out.stderr);
        let said = format!("{}{}", out.stdout, out.stderr);
        assert!(said.contains("cannot read the baseline: not a regular file"), "{baseline}: {said}");
    }
}

/// A context file (the tenants pre-commit runs judge apps against) that cannot be read is said, with
/// its path; the run does not pass as if the tenant had never been there.
#[cfg(unix)]
#[test]
fn a_fifo_among_the_context_paths_is_reported_not_dropped() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "tenants/contoso.yaml", TENANT);
    mkfifo(&dir.path().join("tenants/pipe.yaml"));
    write(dir.path(), ".consentlint.yaml", "context: [tenants/]\n");
    write(dir.path(), "apps/a.yaml", "x: 1\n");
    let out = run(dir.path(), &["check", "--format", "json", "apps/a.yaml"]);
    let report = report(&out.stdout);
    let problems: Vec<_> = found(&report).into_iter().filter(|d| d.0 == "CL-P003").collect();
    assert_eq!(problems.len(), 1, "{report:#}");
    assert_eq!((problems[0].1.as_str(), problems[0].4.as_str()), ("tenants/pipe.yaml", "not a regular file"));
    assert_eq!(out.code, 2, "an input that cannot be read fails the run as a named one does");
}

/// `--write-baseline` replaces an earlier baseline only: a link that leads nowhere would create
/// the file wherever it points.
#[cfg(unix)]
#[test]
fn write_baseline_never_creates_the_target_of_a_dangling_link() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "tenant.yaml", TENANT);
    let elsewhere = dir.path().join("elsewhere/planted.json");
    std::fs::create_dir_all(elsewhere.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.path().join("baseline.json")).unwrap();
    let out = run(dir.path(), &["check", "tenant.yaml", "--write-baseline", "baseline.json"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("symbolic link to nothing"), "{}", out.stderr);
    assert!(!elsewhere.exists(), "the link's target was created");
}

/// A JSON file that names what a native tenant object holds is never skipped for its syntax: a
/// duplicate key (parsers disagree on which value wins) or a lone surrogate escape fails the run at
/// its place, in an export directory as on its own.
#[test]
fn native_json_that_does_not_parse_is_a_located_error() {
    let dir = TempDir::new().unwrap();
    let policy = |extra: &str| {
        format!(
            "{{\n  \"id\": \"authorizationPolicy\",\n  \"allowUserConsentForRiskyApps\": true,{extra}\n  \
             \"defaultUserRolePermissions\": {{\"allowedToCreateApps\": false, \
             \"permissionGrantPoliciesAssigned\": []}}\n}}\n"
        )
    };
    let export = "t/Policies/AuthorizationPolicy/authorizationPolicy.json";
    write(
        dir.path(),
        "t/Organization/Organization.json",
        "{\"id\": \"1\", \"displayName\": \"T\", \"verifiedDomains\": []}",
    );
    let cases = [
        (
            "\n  \"allowUserConsentForRiskyApps\": false,",
            (4, 3),
            "duplicate key `allowUserConsentForRiskyApps`",
        ),
        ("\n  \"displayName\": \"\\ud800\",", (4, 18), "invalid JSON: while parsing a quoted scalar"),
    ];
    for (extra, at, said) in cases {
        write(dir.path(), export, policy(extra));
        for path in [export, "t"] {
            let out = run(dir.path(), &["check", "--format", "json", path]);
            assert_eq!(out.code, 1, "{path} {extra}: {}", out.stdout);
            let errors: Vec<_> =
                found(&report(&out.stdout)).into_iter().filter(|d| d.0 == "CL-P001").collect();
            assert_eq!(errors.len(), 1, "{path} {extra}: {}", out.stdout);
            let (_, file, line, column, message) = &errors[0];
            assert_eq!((file.as_str(), (*line, *column)), (export, at), "{message}");
            assert!(message.starts_with(said), "{message}");
        }
    }
}

/// A file that is not JSON but mentions the same names (a Bicep template) is not ours to parse.
#[test]
fn other_text_that_mentions_native_names_is_still_skipped() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "app.bicep",
        "resource app 'Microsoft.Graph/applications' = {\n  requiredResourceAccess: [\n",
    );
    let out = run(dir.path(), &["check", "--format", "json", "app.bicep"]);
    assert_eq!(found(&report(&out.stdout)), [], "{}", out.stdout);
    assert_eq!(out.code, 0);
}

/// `{name, resource}` items (a classification of another API) are named in CL-T010's messages by
/// their name and API, never as "a mapping".
#[test]
fn a_classification_of_another_api_is_named_in_words() {
    let dir = TempDir::new().unwrap();
    let tenant = TENANT.replace(
        "    enabled: false\n",
        "    enabled: true\n    policy: verified-publishers-low-impact\n    lowImpactPermissions:\n      \
         - name: AllSites.Fly\n        resource: Office 365 SharePoint Online\n",
    );
    write(dir.path(), "tenant.yaml", tenant);
    // A catalog describes the API (without one, its classifications are not judged, and said so).
    write(
        dir.path(),
        "sharepoint.yaml",
        "resource: Office 365 SharePoint Online\npermissions:\n  AllSites.Read:\n    delegated: {adminConsent: false}\n",
    );
    let out = run(
        dir.path(),
        &["check", "--format", "json", "--select", "CL-T010", "--catalog", "sharepoint.yaml", "tenant.yaml"],
    );
    let messages: Vec<String> = found(&report(&out.stdout)).into_iter().map(|d| d.4).collect();
    assert_eq!(
        messages,
        ["`AllSites.Fly` is classified low impact but is not a delegated permission of Office 365 \
          SharePoint Online in the permission catalog"],
        "{}",
        out.stdout
    );
}

/// A tenant file past a mebibyte keeps only the text findings can quote for the rest of the run:
/// its findings, and an app's finding that points into it, still show the line and underline it.
#[test]
fn a_large_tenant_file_still_shows_what_its_findings_point_at() {
    let dir = TempDir::new().unwrap();
    let tenant = TENANT.replace("usersCanRegisterApps: false", "usersCanRegisterApps: true");
    let comments = format!("# {}\n", "x".repeat(98)).repeat(12_000);
    write(dir.path(), "tenant.yaml", format!("{tenant}{comments}"));
    let out = run(dir.path(), &["check", "--format", "plain", "--select", "CL-T009", "tenant.yaml"]);
    let expected = "  |\n9 |   usersCanRegisterApps: true\n  |                         ^^^^ ";
    assert!(out.stdout.contains(expected), "{}", out.stdout);
}
