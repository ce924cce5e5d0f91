//! Grants at scale: an EntraExporter-shaped export of `n` grant files beside `n / 10` service
//! principals (the shape of a large tenant's backup, scaled down) is judged in time proportional to
//! its size (doubling it at most 2.2 times the time), and with memory that grows by a small, bounded
//! amount per grant file (the peak resident size of a child process, as `tests/complexity_native.rs`
//! measures it). How that time compares with a parse-only walk of the same tree (at most twice) is a
//! performance target, measured by `scripts/bench.py --grants 200000` with the release build and
//! recorded in `docs/performance.md`, not here.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::cast_precision_loss,
    reason = "test helpers fail loudly; indexes are taken modulo the length; sizes are far below 2^52"
)]

#[cfg(target_os = "linux")]
#[path = "support/peak.rs"]
mod peak;

use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use consentlint::options::Options;

/// One measurement at a time.
static LOCK: Mutex<()> = Mutex::new(());

/// The environment variable that makes `measure_in_a_child` check a directory.
const CHILD: &str = "CONSENTLINT_MEASURE_DIR";

/// A GUID made from `n`.
fn guid(kind: u32, n: usize) -> String {
    format!("{kind:08x}-0000-4000-8000-{n:012x}")
}

/// Delegated permissions of Microsoft Graph a tenant grants every day (no risk rating, or low).
const BENIGN: [&str; 5] = ["User.Read", "openid", "profile", "email", "Calendars.Read"];

/// Delegated permissions rated high or that read mail and files: one grant in twenty holds one.
const RISKY: [&str; 3] = ["Mail.ReadWrite", "Files.Read.All", "Mail.Read"];

/// Application permissions of Microsoft Graph (app role ids): `Calendars.Read` (medium),
/// `User.Read.All` (high), `RoleManagement.ReadWrite.Directory` (critical), `Mail.Read` (high).
const ROLES: [&str; 4] = [
    "798ee544-9d2d-430c-a058-570e29e34338",
    "df021288-bdef-4463-88db-98f22de89214",
    "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8",
    "810c84a8-4a9e-49e6-bf7d-12d183f40d01",
];

/// The export: its organization, Microsoft Graph, `n / 10` clients and `n` grant files (one in ten
/// an application permission assignment, written also under the API's `AppRoleAssignedTo/`).
fn export(n: usize) -> Vec<(String, String)> {
    let tenant = guid(1, 0);
    let graph = guid(2, 0);
    let clients = (n / 10).max(1);
    let mut files = vec![
        (
            "t/Organization/Organization.json".to_owned(),
            format!(r#"{{"id": "{tenant}", "displayName": "Big", "verifiedDomains": []}}"#),
        ),
        (
            format!("t/ServicePrincipals/{graph}/{graph}.json"),
            format!(
                r#"{{"id": "{graph}", "appId": "00000003-0000-0000-c000-000000000000", "displayName": "Microsoft Graph", "servicePrincipalType": "Application", "appRoles": [], "oauth2PermissionScopes": []}}"#
            ),
        ),
    ];
    for c in 0..clients {
        let id = guid(3, c);
        let owner = if c % 3 == 0 { tenant.clone() } else { guid(4, c) };
        files.push((
            format!("t/ServicePrincipals/{id}/{id}.json"),
            format!(
                r#"{{"id": "{id}", "appId": "{}", "displayName": "Client {c}", "servicePrincipalType": "Application", "appOwnerOrganizationId": "{owner}", "verifiedPublisher": {{"verifiedPublisherId": null}}, "appRoles": [], "oauth2PermissionScopes": []}}"#,
                guid(5, c)
            ),
        ));
    }
    for g in 0..n {
        let client = guid(3, g % clients);
        let id = format!("g{g:09}AbAbAbAbAbAbAbAbAbAbAbAbAbAbAbAb");
        if g % 10 == 9 {
            // One assignment per client, as in most tenants' backups; its role cycles through the risks.
            let client = guid(3, (g / 10) % clients);
            let role = if g % 40 == 9 { ROLES[(g / 40) % ROLES.len()] } else { ROLES[0] };
            let text = format!(
                r#"{{"id": "{id}", "appRoleId": "{role}", "principalId": "{client}", "principalType": "ServicePrincipal", "resourceDisplayName": "Microsoft Graph", "resourceId": "{graph}"}}"#
            );
            files.push((
                format!("t/ServicePrincipals/{client}/AppRoleAssignments/{id}/{id}.json"),
                text.clone(),
            ));
            files.push((format!("t/ServicePrincipals/{graph}/AppRoleAssignedTo/{id}/{id}.json"), text));
        } else {
            let extra =
                if g % 20 == 0 { RISKY[(g / 20) % RISKY.len()] } else { BENIGN[(g / 5) % BENIGN.len()] };
            let first = BENIGN[g % BENIGN.len()];
            let scope = if first == extra {
                format!("{first} offline_access")
            } else {
                format!("{first} {extra} offline_access")
            };
            // One tenant-wide grant per client (its first), users' own grants for the rest.
            let (consent, principal) = if g < clients {
                ("AllPrincipals", "null".to_owned())
            } else {
                ("Principal", format!("\"{}\"", guid(6, g)))
            };
            files.push((
                format!("t/ServicePrincipals/{client}/Oauth2PermissionGrants/{id}/{id}.json"),
                format!(
                    r#"{{"clientId": "{client}", "consentType": "{consent}", "id": "{id}", "principalId": {principal}, "resourceId": "{graph}", "scope": "{scope}"}}"#
                ),
            ));
        }
    }
    files
}

fn write_all(dir: &Path, files: &[(String, String)]) {
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

fn check(dir: &Path) -> consentlint::report::Report {
    let options = Options::new(vec![dir.to_path_buf()], dir.to_path_buf());
    consentlint::check::run(&options).unwrap()
}

/// The fastest of three runs of `check` on `files`, and the report of the last.
fn time(files: &[(String, String)]) -> (Duration, consentlint::report::Report) {
    let dir = tempfile::tempdir().unwrap();
    write_all(dir.path(), files);
    let mut best = Duration::MAX;
    let mut report = None;
    for _ in 0..3 {
        let start = Instant::now();
        report = Some(check(dir.path()));
        best = best.min(start.elapsed());
    }
    (best, report.unwrap())
}

#[test]
fn grants_are_judged_in_linear_time() {
    let _guard = LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let n = 2000;
    let mut rounds = Vec::new();
    for _ in 0..3 {
        let (small, report) = time(&export(n));
        // What was judged: every grant rule ran, and the findings are the grants'.
        let codes: std::collections::BTreeSet<&str> =
            report.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert!(
            codes.contains("CL-G001") && codes.contains("CL-G002") && codes.contains("CL-G006"),
            "{codes:?}"
        );
        assert!(!codes.contains("CL-S007"), "EntraExporter's second copies are one grant each: {codes:?}");
        let (large, _) = time(&export(2 * n));
        let doubling = large.as_secs_f64() / small.as_secs_f64().max(1e-6);
        eprintln!("grants: n={n} {small:?}, 2n {large:?} (x{doubling:.2})");
        if doubling <= 2.2 {
            return;
        }
        rounds.push(doubling);
    }
    panic!("grants: doubling the export multiplied the time by {rounds:.2?} in three rounds");
}

/// The peak resident size, in bytes, of a child that checks a directory holding `files`.
#[cfg(target_os = "linux")]
fn peak_of_a_child(files: &[(String, String)]) -> u64 {
    let dir = tempfile::tempdir().unwrap();
    write_all(dir.path(), files);
    peak::of_a_child("measure_in_a_child", CHILD, dir.path())
}

/// Not a test: the entry point of the child that [`peak_of_a_child`] starts.
#[cfg(target_os = "linux")]
#[test]
#[ignore = "run by peak_of_a_child, in a process of its own"]
fn measure_in_a_child() {
    let Ok(dir) = std::env::var(CHILD) else { return };
    check(Path::new(&dir));
    peak::print();
}

#[cfg(target_os = "linux")]
#[test]
fn grants_in_bounded_memory() {
    let _guard = LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    // What stays per grant file after it is judged: its duplicate record (an id and two hashes), the
    // findings it gave, and the run's bookkeeping. 300 MB for 200,000 grant files is 1,500 bytes
    // each, with the service principals, the binary and the rules besides.
    let n = 3000;
    let (small, large) = (export(n), export(2 * n));
    let files = (large.len() - small.len()) as f64;
    let added = peak_of_a_child(&large).saturating_sub(peak_of_a_child(&small)) as f64;
    let per_file = added / files;
    eprintln!("grants: {per_file:.0} bytes of memory per added file");
    assert!(per_file < 1500.0, "{per_file:.0} bytes of memory per grant file");
}
