//! Native exports are handled in linear time and bounded memory: doubling the apps beside the
//! service principals they request from, the files an import assembles a tenant from, the items of
//! one large collection or the number of native files must no more than roughly double the time,
//! and memory must grow by a small multiple of the input's size (see `tests/complexity.rs` for how
//! time is measured and why as a ratio).
//!
//! Memory is the peak resident size of a child process (`VmHWM` from `/proc/self/status`, read by
//! the child just before it exits): this test binary, run again on one ignored test,
//! `measure_in_a_child`, which checks the directory it is given and prints its peak. The
//! difference between the peaks at `2n` and at `n` is what the extra input costs, compared with
//! the extra input's size: a constant cost (the binary, the rules) cancels out.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::cast_precision_loss,
    reason = "test helpers fail loudly; tests index what they built; sizes are far below 2^52"
)]

#[cfg(target_os = "linux")]
#[path = "support/peak.rs"]
mod peak;

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use consentlint::options::Options;

/// Largest accepted `time(2n) / time(n)`: linear is 2, quadratic 4.
const MAX_RATIO: f64 = 3.2;

/// One measurement at a time.
static LOCK: Mutex<()> = Mutex::new(());

/// The environment variable that makes `measure_in_a_child` check a directory.
const CHILD: &str = "CONSENTLINT_MEASURE_DIR";

const GRAPH: &str = "00000003-0000-0000-c000-000000000000";

/// A GUID made from `n` (not random: runs are repeatable).
fn guid(kind: u32, n: usize) -> String {
    format!("{kind:08x}-0000-4000-8000-{n:012x}")
}

fn write_all(dir: &Path, files: &[(String, String)]) {
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// An EntraExporter-shaped tenant root `t/` with its authorization policy and organization.
fn tenant_root() -> Vec<(String, String)> {
    vec![
        (
            "t/Policies/AuthorizationPolicy/authorizationPolicy.json".into(),
            r#"{"id": "authorizationPolicy", "allowUserConsentForRiskyApps": false,
  "defaultUserRolePermissions": {"allowedToCreateApps": false,
  "permissionGrantPoliciesAssigned": ["ManagePermissionGrantsForSelf.microsoft-user-default-low"]}}"#
                .into(),
        ),
        (
            "t/Organization/Organization.json".into(),
            r#"{"id": "5f1c7a52-3a5e-4c5b-9a1e-6d3f0b8e2c41", "displayName": "Big", "verifiedDomains": []}"#
                .into(),
        ),
    ]
}

/// A Graph application requesting `permissions` (resource app id, permission id, `Scope`/`Role`).
fn application(n: usize, permissions: &[(&str, &str, &str)]) -> String {
    let mut access = String::new();
    for (at, (resource, id, kind)) in permissions.iter().enumerate() {
        let comma = if at == 0 { "" } else { ", " };
        write!(
            access,
            r#"{comma}{{"resourceAppId": "{resource}", "resourceAccess": [{{"id": "{id}", "type": "{kind}"}}]}}"#
        )
        .unwrap();
    }
    format!(
        r#"{{"id": "{}", "appId": "{}", "displayName": "App {n}", "signInAudience": "AzureADMyOrg",
  "requiredResourceAccess": [{access}]}}"#,
        guid(1, n),
        guid(2, n)
    )
}

/// Best of three times of `work` in a fresh directory holding `files`.
fn time(files: &[(String, String)], work: impl Fn(&Path)) -> Duration {
    let dir = tempfile::tempdir().unwrap();
    write_all(dir.path(), files);
    (0..3)
        .map(|_| {
            let started = Instant::now();
            work(dir.path());
            started.elapsed()
        })
        .min()
        .unwrap()
}

fn check(dir: &Path) -> consentlint::report::Report {
    let options = Options::new(vec![dir.to_path_buf()], dir.to_path_buf());
    consentlint::check::run(&options).unwrap()
}

/// Checks that `work` on `build(2n)` costs at most [`MAX_RATIO`] times `work` on `build(n)`, less
/// the cost of the export without what `build` adds, measured again (three rounds at most) before
/// a ratio over the limit fails, so that only a steady one does.
fn assert_linear(what: &str, n: usize, build: impl Fn(usize) -> Vec<(String, String)>, work: impl Fn(&Path)) {
    let _guard = LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut ratios = Vec::new();
    for _ in 0..3 {
        let fixed = time(&tenant_root(), &work);
        let small = time(&build(n), &work).saturating_sub(fixed).as_secs_f64();
        let large = time(&build(2 * n), &work).saturating_sub(fixed).as_secs_f64();
        let ratio = large / small.max(1e-6);
        eprintln!("{what}: n={n} {small:.3}s, 2n {large:.3}s, ratio {ratio:.2} (fixed {fixed:?})");
        if ratio < MAX_RATIO {
            return;
        }
        ratios.push(ratio);
    }
    panic!("{what}: doubling the input multiplied the time by {ratios:.2?} in three rounds");
}

/// `n` apps, each requesting an application permission of one of `n / 4` exported APIs: every
/// permission is named through the catalog extended with those APIs, found by application id.
fn apps_beside_service_principals(n: usize) -> Vec<(String, String)> {
    let mut files = tenant_root();
    let apis = (n / 4).max(1);
    for api in 0..apis {
        let id = guid(3, api);
        let principal = format!(
            r#"{{"id": "{}", "appId": "{}", "displayName": "API {api}", "servicePrincipalType": "Application",
  "appRoles": [{{"id": "{id}", "value": "Data.Read", "allowedMemberTypes": ["Application"]}}],
  "oauth2PermissionScopes": []}}"#,
            guid(4, api),
            guid(5, api)
        );
        files.push((format!("t/ServicePrincipals/{api}/{api}.json"), principal));
    }
    for app in 0..n {
        let api = app % apis;
        let text = application(app, &[(&guid(5, api), &guid(3, api), "Role")]);
        files.push((format!("t/Applications/{app}/{app}.json"), text));
    }
    files
}

#[test]
fn apps_beside_many_service_principals() {
    // Every permission is named through the exported APIs, found through the catalog's indexes
    // (64 apps of 16 APIs: past the few found by comparing names), and every app is judged.
    let dir = tempfile::tempdir().unwrap();
    write_all(dir.path(), &apps_beside_service_principals(64));
    let report = check(dir.path());
    assert!(
        !report.diagnostics.iter().any(|d| d.code == "CL-A004" || d.code == "CL-P001"),
        "{:?}",
        report.diagnostics
    );
    // Every app, and the tenant's two parts (its authorization policy and organization).
    assert_eq!(report.summary.documents, 64 + 2, "every app and the tenant are judged");
    assert_linear("apps and service principals", 1600, apps_beside_service_principals, |dir| {
        check(dir);
    });
}

/// How many diagnostics of `code` checking `files` gives.
fn codes(files: &[(String, String)], code: &str) -> usize {
    let dir = tempfile::tempdir().unwrap();
    write_all(dir.path(), files);
    check(dir.path()).diagnostics.iter().filter(|d| d.code == code).count()
}

/// The tenant root with `n` classifications of Microsoft Graph, one file each, as EntraExporter
/// writes them.
fn classification_files(n: usize) -> Vec<(String, String)> {
    let mut files = tenant_root();
    let principal = r#"{"id": "sp", "appId": "00000003-0000-0000-c000-000000000000", "displayName": "Microsoft Graph",
  "servicePrincipalType": "Application", "appRoles": [], "oauth2PermissionScopes": []}"#;
    files.push(("t/ServicePrincipals/sp/sp.json".into(), principal.into()));
    for i in 0..n {
        let text = format!(
            r#"{{"id": "c{i}", "permissionId": "{}", "permissionName": "Perm{i}.Read", "classification": "low"}}"#,
            guid(6, i)
        );
        files.push((
            format!("t/ServicePrincipals/sp/DelegatedPermissionClassifications/c{i}/c{i}.json"),
            text,
        ));
    }
    files
}

/// The tenant root with `n` permission grant policies, one file each.
fn grant_policy_files(n: usize) -> Vec<(String, String)> {
    let mut files = tenant_root();
    for i in 0..n {
        let text = format!(
            r#"{{"id": "policy-{i}", "displayName": "P{i}", "excludes": [],
  "includes": [{{"id": "{}", "permissionType": "delegated", "permissionClassification": "low",
  "permissions": ["all"], "resourceApplication": "any", "clientApplicationIds": ["all"],
  "clientApplicationTenantIds": ["all"], "clientApplicationPublisherIds": ["all"],
  "clientApplicationsFromVerifiedPublisherOnly": true}}]}}"#,
            guid(7, i)
        );
        files.push((format!("t/Policies/PermissionGrantPolicies/policy-{i}/policy-{i}.json"), text));
    }
    files
}

fn import(dir: &Path) {
    let options = Options::new(vec![dir.join("t")], dir.to_path_buf());
    let imported = consentlint::import::import(&options).unwrap();
    assert!(!imported.files.is_empty());
}

#[test]
fn import_of_many_classification_files() {
    // Each value's comment names the file it was read from: found by its path in an index of the
    // tenant's parts, not by a scan of them all (40,000 classifications took 12-18 s).
    assert_linear("import of classifications", 1500, classification_files, import);
}

#[test]
fn import_of_many_grant_policy_files() {
    assert_linear("import of grant policies", 600, grant_policy_files, import);
}

/// The tenant root with one app requesting `n` permission ids no catalog names.
fn invented_ids(n: usize) -> Vec<(String, String)> {
    let mut files = tenant_root();
    let ids: Vec<String> = (0..n).map(|i| guid(8, i)).collect();
    let permissions: Vec<(&str, &str, &str)> = ids.iter().map(|id| (GRAPH, id.as_str(), "Scope")).collect();
    files.push(("t/Applications/a/a.json".into(), application(0, &permissions)));
    files
}

#[test]
fn invented_permission_ids_in_one_app() {
    // An id is never a misspelt name: no "did you mean" search of the catalog per unknown id (15,000
    // of them took 47 s).
    assert_eq!(codes(&invented_ids(5), "CL-A004"), 5);
    assert_linear("invented permission ids", 3000, invented_ids, |dir| {
        check(dir);
    });
}

/// A Microsoft Graph `value` collection of `n` applications, in one file of its own.
fn collection(n: usize) -> Vec<(String, String)> {
    let apps: Vec<String> =
        (0..n).map(|i| application(i, &[(GRAPH, "e1fe6dd8-ba31-4d61-89e7-88639da4683d", "Scope")])).collect();
    let text = format!(
        "{{\"@odata.context\": \"https://graph.microsoft.com/v1.0/$metadata#applications\",\n\"value\": [\n{}\n]}}\n",
        apps.join(",\n")
    );
    vec![("apps.json".into(), text)]
}

/// `n` native app files in a tenant's export, each requesting `User.Read`: judged, with nothing to
/// report (findings are kept until the report is written, each costing about what its text does).
fn native_files(n: usize) -> Vec<(String, String)> {
    let mut files = tenant_root();
    files.extend((0..n).map(|i| {
        let text = application(i, &[(GRAPH, "e1fe6dd8-ba31-4d61-89e7-88639da4683d", "Scope")]);
        (format!("t/Applications/{}/{i}.json", i % 20), text)
    }));
    files
}

#[test]
fn one_large_collection_in_time() {
    assert_linear("one large collection", 2000, collection, |dir| {
        let report = check(dir);
        assert!(!report.diagnostics.iter().any(|d| d.code == "CL-P001"), "the collection parses");
    });
}

/// One ScubaGear export whose third-party list holds `n` service principals, each consented four
/// application permissions of Microsoft Graph: `4n` grants read from one file, and judged.
fn scuba_export(n: usize) -> Vec<(String, String)> {
    let roles = [
        ("df021288-bdef-4463-88db-98f22de89214", "User.Read.All"),
        ("7ab1d382-f21e-4acd-a863-ba3e13f7da61", "Directory.Read.All"),
        ("246dd0d5-5bd0-4def-940b-0421030a5b68", "Policy.Read.All"),
        ("9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30", "Application.Read.All"),
    ];
    let items: Vec<String> = (0..n)
        .map(|i| {
            let permissions: Vec<String> = roles
                .iter()
                .map(|(id, name)| {
                    format!(
                        "{{\"RoleId\": \"{id}\", \"RoleType\": \"Application\", \"RoleDisplayName\": \"{name}\", \
                         \"ApplicationDisplayName\": \"Microsoft Graph\", \"IsAdminConsented\": true, \"IsRisky\": true}}"
                    )
                })
                .collect();
            format!(
                "{{\"ObjectId\": \"{}\", \"AppId\": \"{}\", \"DisplayName\": \"Partner {i}\", \
                 \"AppOwnerOrganizationId\": \"2e1de604-3fac-4568-88f8-aeb6bd229634\", \"Permissions\": [{}]}}",
                guid(7, i),
                guid(8, i),
                permissions.join(", ")
            )
        })
        .collect();
    let text = format!(
        "{{\"baseline_version\": \"1\", \"module_version\": \"1.8.0\", \"report_uuid\": \"r\",\n\
         \"tenant_details\": [{{\"TenantId\": \"{}\", \"DisplayName\": \"Scale\"}}],\n\
         \"authorization_policies\": [{{\"Id\": \"authorizationPolicy\", \"PermissionGrantPolicyIdsAssignedToDefaultUserRole\": []}}],\n\
         \"risky_third_party_service_principals\": [\n{}\n]}}\n",
        guid(9, 0),
        items.join(",\n")
    );
    vec![("scuba/ProviderSettingsExport.json".into(), text)]
}

#[test]
fn a_scubagear_export_with_many_grants_in_time() {
    assert_linear("ScubaGear grants", 1000, scuba_export, |dir| {
        let report = check(dir);
        // User.Read.All, Directory.Read.All and Policy.Read.All are rated high: three per principal
        // (none in the export without the list, whose cost is measured apart).
        let found = report.diagnostics.iter().filter(|d| d.code == "CL-G002").count();
        assert!(found == 0 || found >= 3000, "{found} findings");
    });
}

/// The peak resident size, in bytes, of a child that checks a directory holding `files`.
#[cfg(target_os = "linux")]
fn peak_of_a_child(files: &[(String, String)]) -> u64 {
    let dir = tempfile::tempdir().unwrap();
    write_all(dir.path(), files);
    peak::of_a_child("measure_in_a_child", CHILD, dir.path())
}

/// Not a test: the entry point of the child that [`peak_of_a_child`] starts, which asserts.
#[cfg(target_os = "linux")]
#[test]
#[ignore = "run by peak_of_a_child, in a process of its own"]
fn measure_in_a_child() {
    // Run with `--include-ignored` outside a child: nothing to measure.
    let Ok(dir) = std::env::var(CHILD) else { return };
    check(Path::new(&dir));
    peak::print();
}

/// Bytes of memory that the input added between `n` and `2n`, per byte the input added.
#[cfg(target_os = "linux")]
fn memory_per_input_byte(build: impl Fn(usize) -> Vec<(String, String)>, n: usize) -> (f64, u64) {
    let size = |files: &[(String, String)]| files.iter().map(|(_, text)| text.len() as u64).sum::<u64>();
    let (small, large) = (build(n), build(2 * n));
    let (peak_small, peak_large) = (peak_of_a_child(&small), peak_of_a_child(&large));
    let added = size(&large) - size(&small);
    (peak_large.saturating_sub(peak_small) as f64 / added as f64, added)
}

#[cfg(target_os = "linux")]
#[test]
fn one_large_collection_in_bounded_memory() {
    let _guard = LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    // Before a document opening with `{` was parsed from it after `--- `, the parser kept every
    // token of it until its end: about 40 bytes per byte of JSON. Every app of the collection is
    // judged (about 18 bytes per byte: its parsed tree while each app is converted, then the apps
    // until the file is judged), linear in the input; a collection that was skipped took under 12.
    let (per_byte, added) = memory_per_input_byte(collection, 6000);
    eprintln!("one large collection: {per_byte:.1} bytes of memory per byte of input ({added} bytes added)");
    assert!(per_byte < 24.0, "{per_byte:.1} bytes of memory per byte of a large collection");
}

#[cfg(target_os = "linux")]
#[test]
fn many_native_files_in_bounded_memory() {
    let _guard = LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    // Files are read, judged and freed on their worker: what stays per file is its path and the
    // run's bookkeeping, well under a kilobyte, whatever the file holds.
    let n = 3000;
    let (per_byte, added) = memory_per_input_byte(native_files, n);
    let per_file = per_byte * added as f64 / n as f64;
    eprintln!("many native files: {per_file:.0} bytes of memory per added file");
    assert!(per_file < 1024.0, "{per_file:.0} bytes of memory per native file");
}

/// `n` tenant files of 1.2 MB each (past the size kept whole): a tenant at the top, then comments.
#[cfg(target_os = "linux")]
fn large_tenant_files(n: usize) -> Vec<(String, String)> {
    let comments = format!("# {}\n", "x".repeat(98)).repeat(12_000);
    (0..n)
        .map(|i| {
            let text = format!(
                "apiVersion: consentlint/v1\nkind: TenantConfig\nmetadata:\n  name: t{i}\n  tenantId: \
                 6f1c2e4a-0b7d-4c1e-9a55-{i:012x}\nspec:\n  userConsent:\n    enabled: false\n  \
                 usersCanRegisterApps: true\n{comments}"
            );
            (format!("tenants/t{i}.yaml"), text)
        })
        .collect()
}

#[cfg(target_os = "linux")]
#[test]
fn large_tenant_files_keep_only_what_can_be_quoted() {
    let _guard = LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    // Tenant files are kept for the whole run, but past a mebibyte only up to the last line anything
    // can quote: 24 tenant files of 10 MiB peaked at 321 MB, 110 MB after.
    let (per_byte, added) = memory_per_input_byte(large_tenant_files, 8);
    eprintln!("large tenant files: {per_byte:.2} bytes of memory per byte of input ({added} bytes added)");
    assert!(per_byte < 0.5, "{per_byte:.2} bytes of memory per byte of tenant files");
}
