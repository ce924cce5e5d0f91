//! Anything that can be large is handled in linear time: for each dimension of the input (keys in
//! a mapping, items in a list, documents in a file, suppression comments, files in a directory,
//! findings, tenants judged control by control) doubling the input must no more than roughly double the work.
//!
//! Work is measured as the best of three timings of the same run in this process, at `n` and at
//! `2n`, and compared as a ratio: never as an absolute time, which depends on the machine. A
//! linear run gives about 2 (a little more for sorting); a quadratic one gives up to 4, as its
//! quadratic part comes to dominate. The constant cost of a run (loading the rules and schemas)
//! is measured once and taken off both timings, so it does not hide growth.
//!
//! Only the findings test renders the report (rendering is linear per diagnostic, and large in
//! a debug build); the others time the check alone, so that growth is not hidden under it. The
//! sizes keep the whole file within seconds in a debug build. A quadratic scan with a small
//! constant only dominates at larger sizes: with the old per-error scan of the mapping put back,
//! the unknown-keys test measured ratios of 5.3 (2,000 keys) and 3.0 (6,000 keys), so it catches
//! such a scan often, not always. `CONSENTLINT_COMPLEXITY_SCALE=4` multiplies every size for a
//! slower, sharper run.
//!
//! The tests hold one lock, so their timings do not disturb each other.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "test helpers fail loudly; tests index what they built"
)]

use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use consentlint::options::Options;
use consentlint::render::{self, Format, Style};
use consentlint::report::Report;

/// Largest accepted `time(2n) / time(n)`: linear is 2, quadratic 4.
const MAX_RATIO: f64 = 3.2;

/// Every output format.
const FORMATS: [Format; 6] =
    [Format::Human, Format::Plain, Format::Json, Format::Sarif, Format::Github, Format::Junit];

/// One measurement at a time.
static LOCK: Mutex<()> = Mutex::new(());

const TENANT: &str = "\
apiVersion: consentlint/v1
kind: TenantConfig
metadata:
  name: contoso
  tenantId: 139edd04-fa42-4cdc-b5bd-9b9ac4812e84
spec:
  userConsent:
    enabled: false
  usersCanRegisterApps: false
";

/// An app manifest whose permissions are written by `permissions`, one per index.
fn app(name: &str, app_id: &str, permissions: impl Iterator<Item = String>) -> String {
    let mut text = format!(
        "apiVersion: consentlint/v1\nkind: AppManifest\nmetadata:\n  name: {name}\n  appId: {app_id}\n  \
         tenant: contoso\nspec:\n  displayName: App\n  publisher:\n    name: Contoso IT\n    origin: \
         organization\n  signInAudience: single-tenant\n  consent: admin\n  permissions:\n"
    );
    for permission in permissions {
        text.push_str(&permission);
    }
    text
}

/// A permission without a justification: one `CL-A008` finding. The permission is in the
/// catalog: an unknown one would add a "did you mean" search of the catalog per finding, which is
/// linear too but slow in a debug build.
fn unjustified(_: usize) -> String {
    "    - name: User.Read\n      type: delegated\n".to_owned()
}

/// Writes `files` (name, text) into a new directory and returns the time to check it (and, with
/// `render_all`, to render the report in every format), best of three; under `profile` when given.
fn measure(files: &[(String, String)], render_all: bool, profile: Option<&str>) -> (Duration, Report) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let mut options = Options::new(vec![dir.path().to_path_buf()], dir.path().to_path_buf());
    options.profile = profile.map(str::to_owned);
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..3 {
        let started = Instant::now();
        let report = consentlint::check::run(&options).unwrap();
        let formats: &[Format] = if render_all { &FORMATS } else { &[] };
        for &format in formats {
            render::render(&report, format, Style::default(), &mut std::io::sink()).unwrap();
        }
        best = best.min(started.elapsed());
        last = Some(report);
    }
    (best, last.unwrap())
}

/// Checks that `build(2n)` costs at most [`MAX_RATIO`] times `build(n)`, less what an empty run
/// costs, and that `expected(n)` diagnostics of `code` are found at both sizes.
fn assert_linear(
    what: &str,
    base: usize,
    code: &str,
    expected: impl Fn(usize) -> usize,
    build: impl Fn(usize) -> Vec<(String, String)>,
) {
    let _guard = LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let scale = std::env::var("CONSENTLINT_COMPLEXITY_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let n = base * scale;
    let render_all = what == "findings";
    let profile = (what == "tenants").then_some("eidsca");
    // A machine busy with other work can slow one size and not the other: a ratio over the limit
    // is measured again (up to three rounds) before it fails, so that only a steady one does.
    let mut ratios = Vec::new();
    for _ in 0..3 {
        let (fixed, _) = measure(&[("tenant.yaml".into(), TENANT.into())], render_all, profile);
        let mut times = Vec::new();
        for size in [n, 2 * n] {
            let (time, report) = measure(&build(size), render_all, profile);
            let found = report.diagnostics.iter().filter(|d| d.code == code).count();
            assert_eq!(found, expected(size), "{what}: `{code}` diagnostics at size {size}");
            times.push(time.saturating_sub(fixed).as_secs_f64());
        }
        let ratio = times[1] / times[0].max(1e-6);
        eprintln!("{what}: n={n} {:.3}s, 2n {:.3}s, ratio {ratio:.2} (fixed {fixed:?})", times[0], times[1]);
        if ratio < MAX_RATIO {
            return;
        }
        ratios.push(ratio);
    }
    panic!("{what}: doubling the input multiplied the time by {ratios:.2?} in three rounds");
}

#[test]
fn unknown_keys_in_one_mapping() {
    assert_linear(
        "unknown keys",
        8_000,
        "CL-S001",
        |n| n,
        |n| {
            let mut text = TENANT.to_owned();
            for i in 0..n {
                let _ = writeln!(text, "  unknown{i}: {i}");
            }
            vec![("tenant.yaml".into(), text)]
        },
    );
}

#[test]
fn items_in_a_list() {
    assert_linear(
        "list items",
        8_000,
        "CL-A008",
        |n| n,
        |n| {
            let app = app("big", "1bab3bc8-9c56-4396-bab1-6f711e234231", (0..n).map(unjustified));
            vec![("tenant.yaml".into(), TENANT.into()), ("app.yaml".into(), app)]
        },
    );
}

#[test]
fn documents_in_a_file() {
    // Every app has the same id: a `CL-A009` finding for each but the first, settled across all
    // documents.
    assert_linear(
        "documents",
        800,
        "CL-A009",
        |n| n - 1,
        |n| {
            let mut text = TENANT.to_owned();
            for i in 0..n {
                text.push_str("---\n");
                text.push_str(&app(
                    &format!("app{i}"),
                    "1bab3bc8-9c56-4396-bab1-6f711e234231",
                    (0..1).map(unjustified),
                ));
            }
            vec![("all.yaml".into(), text)]
        },
    );
}

#[test]
fn suppression_comments() {
    // Each permission's finding is suppressed by a comment on its line: comments and scalars grow
    // together.
    assert_linear(
        "suppression comments",
        6_000,
        "CL-A008",
        |n| n,
        |n| {
            let permissions = (0..n).map(|i| {
            format!("    - name: User.Read # consentlint-ignore CL-A008: reviewed {i}\n      type: delegated\n")
        });
            let app = app("big", "1bab3bc8-9c56-4396-bab1-6f711e234231", permissions);
            vec![("tenant.yaml".into(), TENANT.into()), ("app.yaml".into(), app)]
        },
    );
}

#[test]
fn files_in_a_directory() {
    assert_linear(
        "files",
        500,
        "CL-A009",
        |n| n - 1,
        |n| {
            let mut files = vec![("tenant.yaml".to_owned(), TENANT.to_owned())];
            for i in 0..n {
                let text =
                    app(&format!("app{i}"), "1bab3bc8-9c56-4396-bab1-6f711e234231", (0..1).map(unjustified));
                files.push((format!("apps/{}/app{i}.yaml", i % 10), text));
            }
            files
        },
    );
}

#[test]
fn tenants_judged_control_by_control() {
    // Under a profile each tenant's controls are judged from its own findings: gathered once, not
    // searched for among every finding of the run per tenant (which took 7 s for 4,000 tenants).
    assert_linear(
        "tenants",
        400,
        "CL-T009",
        |n| n,
        |n| {
            (0..n)
                .map(|i| {
                    let text = TENANT
                        .replace("name: contoso", &format!("name: tenant{i}"))
                        .replace("usersCanRegisterApps: false", "usersCanRegisterApps: true");
                    (format!("tenants/t{i}.yaml"), text)
                })
                .collect()
        },
    );
}

#[test]
fn findings_rendered_in_every_format() {
    // Findings in many files, so that per-finding work over files (sorting, grouping, SARIF rules
    // and artifacts, JUnit suites) is exercised too.
    assert_linear(
        "findings",
        30,
        "CL-A008",
        |n| 50 * n,
        |n| {
            let mut files = vec![("tenant.yaml".to_owned(), TENANT.to_owned())];
            for i in 0..n {
                let id = format!("1bab3bc8-9c56-4396-bab1-{i:012}");
                files.push((format!("app{i}.yaml"), app(&format!("app{i}"), &id, (0..50).map(unjustified))));
            }
            files
        },
    );
}

#[test]
fn apps_of_a_collection_and_apis_no_catalog_describes() {
    // One exported collection of apps, each requesting permissions of an API no catalog describes:
    // every app is read, and the permissions not judged are said in one note per app, whatever
    // the number of APIs.
    assert_linear(
        "apps in a collection",
        1_500,
        "CL-A004",
        |_| 1,
        |n| {
            let mut apps = Vec::new();
            for i in 0..n {
                apps.push(format!(
                    r#"{{"appId": "{i:08x}-0000-4000-8000-000000000000", "displayName": "App {i}", "requiredResourceAccess": [{{"resourceAppId": "{i:08x}-1111-4000-8000-000000000000", "resourceAccess": [{{"id": "{i:08x}-2222-4000-8000-000000000000", "type": "Role"}}]}}]}}"#
                ));
            }
            // One Graph permission no catalog names: the one finding.
            apps.push(r#"{"appId": "ffffffff-0000-4000-8000-000000000000", "displayName": "Typo", "requiredResourceAccess": [{"resourceAppId": "00000003-0000-0000-c000-000000000000", "resourceAccess": [{"id": "00000000-1111-4222-8333-444444444444", "type": "Scope"}]}]}"#.to_owned());
            let text = format!("{{\"value\": [{}]}}", apps.join(",\n"));
            vec![("tenant.yaml".into(), TENANT.into()), ("apps.json".into(), text)]
        },
    );
}

#[test]
fn apis_no_catalog_describes_in_one_app() {
    assert_linear(
        "undescribed APIs",
        4_000,
        "CL-A004",
        |_| 1,
        |n| {
            let mut access: Vec<String> = (0..n)
                .map(|i| {
                    format!(
                        r#"{{"resourceAppId": "{i:08x}-1111-4000-8000-000000000000", "resourceAccess": [{{"id": "{i:08x}-2222-4000-8000-000000000000", "type": "Scope"}}]}}"#
                    )
                })
                .collect();
            access.push(r#"{"resourceAppId": "00000003-0000-0000-c000-000000000000", "resourceAccess": [{"id": "00000000-1111-4222-8333-444444444444", "type": "Scope"}]}"#.to_owned());
            let text = format!(
                r#"{{"appId": "ffffffff-0000-4000-8000-000000000000", "displayName": "Wide", "requiredResourceAccess": [{}]}}"#,
                access.join(",\n")
            );
            vec![("tenant.yaml".into(), TENANT.into()), ("app.json".into(), text)]
        },
    );
}
