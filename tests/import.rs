//! `consentlint import`: native exports written as `consentlint/v1` YAML with a comment naming where
//! each value was read; checking the import gives the same findings as checking the native files.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers fail loudly"
)]

#[path = "support/run.rs"]
mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;
use support::run;
use tempfile::TempDir;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The findings of `consentlint check --no-config`/with the import's own configuration as
/// `(code, pointer)` (a native file's wording names the export's keys, the import's its own), and
/// the notes without the name of the format they end with.
fn judged(dir: &Path, args: &[&str]) -> (Vec<(String, String)>, Vec<String>) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = run(dir, &all);
    assert!(out.code == 0 || out.code == 1, "{}\n{}", out.stdout, out.stderr);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let mut found: Vec<(String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (d["code"].as_str().unwrap().to_owned(), d["pointer"].as_str().unwrap_or_default().to_owned())
        })
        .collect();
    found.sort();
    let notes = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let message = n["message"].as_str().unwrap();
            message.split(", which the ").next().unwrap().to_owned()
        })
        .collect();
    (found, notes)
}

/// What a check says of tenants alone: their findings and the notes about them.
fn tenant_only((found, notes): (Vec<(String, String)>, Vec<String>)) -> (Vec<(String, String)>, Vec<String>) {
    let found = found.into_iter().filter(|(code, _)| code.starts_with("CL-T")).collect();
    let notes = notes.into_iter().filter(|note| note.contains(" on tenant ")).collect();
    (found, notes)
}

/// Imports `paths` (relative to `from`) into a fresh directory, returning it.
fn import(from: &Path, paths: &[&str]) -> TempDir {
    let out = TempDir::new().unwrap();
    let target = out.path().join("repo");
    let mut args = vec!["import", "--no-config", "--output", target.to_str().unwrap()];
    args.extend_from_slice(paths);
    let done = run(from, &args);
    assert!(done.code == 0 || done.code == 1, "{}", done.stderr);
    out
}

#[test]
fn the_example_export_round_trips_with_the_same_findings() {
    let native = judged(root(), &["--no-config", "examples/entra-export/northwind"]);
    let imported = import(root(), &["examples/entra-export/northwind"]);
    let repo = imported.path().join("repo");
    let files: BTreeSet<String> =
        walk(&repo).iter().map(|p| p.strip_prefix(&repo).unwrap().display().to_string()).collect();
    assert_eq!(
        files,
        BTreeSet::from(
            [
                ".consentlint.yaml",
                "apps/northwind-traders/intranet-search.yaml",
                "apps/northwind-traders/records-archiver.yaml",
                "apps/northwind-traders/timesheets.yaml",
                "catalogs/office-365-sharepoint-online.json",
                "tenants/northwind-traders.yaml",
            ]
            .map(str::to_owned)
        )
    );
    assert_eq!(judged(&repo, &[]), native, "checking the import judges what checking the export judges");
    let tenant = std::fs::read_to_string(repo.join("tenants/northwind-traders.yaml")).unwrap();
    assert!(
        tenant.contains(
            "    remindersEnabled: false  # examples/entra-export/northwind/Policies/AdminConsentRequestPolicy/adminConsentRequestPolicy.json:5:25 /remindersEnabled\n"
        ),
        "each value names its file, line, column and pointer:\n{tenant}"
    );
    assert!(tenant.contains("    lowImpactPermissions:\n      - User.Read  # "), "{tenant}");
    assert!(tenant.contains("      - name: AllSites.Read  # "), "another API's classification: {tenant}");
    assert!(tenant.contains("  notStated:\n    - spec.permissionGrantPolicies"), "{tenant}");
}

#[test]
fn every_real_world_tenant_and_app_round_trips_alone() {
    let corpus = root().join("tests/fixtures/realworld");
    let mut compared = 0;
    for file in walk(&corpus).into_iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
        let dir = TempDir::new().unwrap();
        let name = file.file_name().unwrap();
        std::fs::copy(&file, dir.path().join(name)).unwrap();
        let native = judged(dir.path(), &["--no-config", name.to_str().unwrap()]);
        let imported = import(dir.path(), &[name.to_str().unwrap()]);
        let repo = imported.path().join("repo");
        if !repo.exists() {
            continue; // nothing native in it: skipped by check too
        }
        // An export's grants are imported as the desired state of the apps that hold them, which
        // the app rules judge; what round trips is the tenant (the grants stay on the export).
        let holds_grants = native.0.iter().any(|(code, _)| code.starts_with("CL-G"));
        let (imported, native) = if holds_grants {
            (tenant_only(judged(&repo, &[])), tenant_only(native))
        } else {
            (judged(&repo, &[]), native)
        };
        assert_eq!(imported, native, "{}", file.display());
        compared += 1;
    }
    assert!(compared >= 30, "most of the corpus is native: {compared}");
}

#[test]
fn an_import_replaces_no_file() {
    let imported = import(root(), &["examples/entra-export/northwind"]);
    let target = imported.path().join("repo");
    let tenant = target.join("tenants/northwind-traders.yaml");
    std::fs::write(&tenant, "# mine\n").unwrap();
    let again = run(
        root(),
        &["import", "--no-config", "--output", target.to_str().unwrap(), "examples/entra-export/northwind"],
    );
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(std::fs::read_to_string(&tenant).unwrap(), "# mine\n");
}

/// Every file under `dir`, sorted.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() { stack.push(path) } else { found.push(path) }
        }
    }
    found.sort();
    found
}

#[test]
fn not_stated_excuses_only_the_values_it_names() {
    let dir = TempDir::new().unwrap();
    let app = "apiVersion: consentlint/v1\nkind: AppManifest\nmetadata:\n  name: notes\n  appId: 3f6b2c1d-8e9a-4b7c-a1d2-5e6f7a8b9c0d\n  notStated: [spec.consent]\nspec:\n  displayName: Notes\n  publisher: {name: Contoso, origin: organization}\n";
    std::fs::write(dir.path().join("notes.yaml"), app).unwrap();
    let out = run(dir.path(), &["check", "--no-config", "--format", "json", "notes.yaml"]);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let messages: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "CL-S001")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages, ["missing required key `permissions`"], "{report:#}");
}

#[test]
fn files_that_give_nothing_to_import_are_counted_and_shown_with_why() {
    let dir = TempDir::new().unwrap();
    let export = root().join("examples/entra-export/northwind/Applications");
    let app = walk(&export).into_iter().find(|p| p.extension().is_some_and(|e| e == "json")).unwrap();
    std::fs::copy(&app, dir.path().join("app.json")).unwrap();
    std::fs::write(dir.path().join("package.json"), "{\"name\": \"web\", \"version\": \"1.0.0\"}\n").unwrap();
    std::fs::write(dir.path().join("empty.yaml"), "").unwrap();
    std::fs::copy(root().join("examples/tenants/contoso.yaml"), dir.path().join("contoso.yaml")).unwrap();
    let quiet = run(dir.path(), &["import", "--no-config", "--output", "out", "."]);
    assert_eq!(quiet.code, 0, "{}", quiet.stderr);
    assert!(
        quiet.stderr.contains(
            "wrote 0 tenants and 1 app to `out` from 4 files read, 3 skipped (`--show-skipped` says why)"
        ),
        "{}",
        quiet.stderr
    );
    assert!(!quiet.stderr.contains("note:"), "{}", quiet.stderr);

    let shown = run(
        dir.path(),
        &[
            "import",
            "--no-config",
            "--output",
            "again",
            "--show-skipped",
            "app.json",
            "package.json",
            "empty.yaml",
            "contoso.yaml",
        ],
    );
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    let notes: Vec<&str> = shown.stderr.lines().filter(|l| l.starts_with("note:")).collect();
    assert_eq!(
        notes,
        [
            "note: `contoso.yaml` was skipped: it holds `consentlint/v1` documents already: there is nothing to import",
            "note: `empty.yaml` was skipped: it is empty",
            "note: `package.json` was skipped: its content is none of the formats consentlint reads",
        ],
        "{}",
        shown.stderr
    );
    assert!(shown.stderr.contains("from 4 files read, 3 skipped\n"), "{}", shown.stderr);
}

#[test]
fn an_import_of_an_import_writes_nothing_again() {
    let imported = import(root(), &["examples/entra-export/northwind"]);
    let first = imported.path().join("repo");
    let again =
        run(imported.path(), &["import", "--no-config", "--output", "second", "repo/tenants", "repo/apps"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stderr.contains("wrote 0 tenants and 0 apps"), "{}", again.stderr);
    assert!(!imported.path().join("second/apps").exists());
    assert!(walk(&first.join("apps")).len() > 1);
    // The whole import, its catalogs included: each says what it is (its configuration configures
    // the run and is not walked as an input).
    let whole =
        run(imported.path(), &["import", "--no-config", "--output", "third", "--show-skipped", "repo"]);
    assert_eq!(whole.code, 0, "{}", whole.stderr);
    for note in [
        "note: `repo/catalogs/office-365-sharepoint-online.json` was skipped: it looks like a permission catalog: catalogs are read from `--catalog` and `catalog:` in the configuration, not checked as documents",
        "note: `repo/tenants/northwind-traders.yaml` was skipped: it holds `consentlint/v1` documents already: there is nothing to import",
    ] {
        assert!(whole.stderr.lines().any(|line| line == note), "{note}\n{}", whole.stderr);
    }
}

/// A copy of the example export in `dir`, with the tenant and the app `Timesheets` renamed `name`.
fn export_named(dir: &Path, name: &str) {
    let from = root().join("examples/entra-export/northwind");
    for file in walk(&from) {
        let to = dir.join("export").join(file.strip_prefix(&from).unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        // The default app management policy is saved in UTF-16, as Windows PowerShell writes it,
        // and names neither.
        let Ok(text) = std::fs::read_to_string(&file) else {
            std::fs::copy(&file, to).unwrap();
            continue;
        };
        let text = text
            .replace("\"Northwind Traders\"", &format!("\"{name}\""))
            .replace("\"Timesheets\"", &format!("\"{name}\""));
        std::fs::write(to, text).unwrap();
    }
}

/// Names of 250 characters (the longest a tenant or app name may be is 253) make file names that
/// file systems refuse: they are shortened, with a hash of the whole name so that two long names
/// stay apart, and the import is complete.
#[test]
fn long_names_are_shortened_and_the_import_completes() {
    let dir = TempDir::new().unwrap();
    let name = "n".repeat(250);
    export_named(dir.path(), &name);
    let out = run(dir.path(), &["import", "--no-config", "--output", "repo", "export"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let repo = dir.path().join("repo");
    // A new output directory is written under a hidden name beside it, then renamed: none is left.
    let mut beside: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    beside.sort();
    assert_eq!(beside, ["export", "repo"]);
    let files = walk(&repo);
    assert!(files.iter().all(|f| f.file_name().unwrap().len() <= 255), "{files:?}");
    assert!(
        files
            .iter()
            .flat_map(|f| f.strip_prefix(&repo).unwrap().components())
            .all(|c| c.as_os_str().len() <= 210),
        "{files:?}"
    );
    let tenants: Vec<&PathBuf> = files.iter().filter(|f| f.starts_with(repo.join("tenants"))).collect();
    assert_eq!(tenants.len(), 1, "{files:?}");
    let text = std::fs::read_to_string(tenants[0]).unwrap();
    assert!(text.contains(&format!("  name: {name}")), "the full name stays in the document:\n{text}");
    // Checking the import gives what checking the export gives.
    let native = judged(dir.path(), &["--no-config", "export"]);
    assert_eq!(judged(&repo, &[]), native);
}

/// Nothing is written when the import cannot be written whole: a file in the way of a later file
/// leaves no earlier one behind, so the same import runs again once the way is clear.
#[test]
fn an_import_that_cannot_be_written_whole_writes_nothing() {
    let dir = TempDir::new().unwrap();
    let target = dir.path().join("repo");
    // `apps` is a file where the import needs a directory; `tenants/` comes first.
    std::fs::create_dir_all(&target).unwrap();
    std::fs::write(target.join("apps"), "mine\n").unwrap();
    let args =
        ["import", "--no-config", "--output", target.to_str().unwrap(), "examples/entra-export/northwind"];
    let out = run(root(), &args);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("is not a directory"), "{}", out.stderr);
    assert_eq!(walk(&target), [target.join("apps")], "nothing else was written");
    std::fs::remove_file(target.join("apps")).unwrap();
    let again = run(root(), &args);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(target.join("tenants/northwind-traders.yaml").is_file());
}

/// A link inside the output directory is never followed: it could send the files anywhere.
#[cfg(unix)]
#[test]
fn an_import_never_writes_through_a_link_in_its_output_directory() {
    let dir = TempDir::new().unwrap();
    let target = dir.path().join("repo");
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(&target).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, target.join("tenants")).unwrap();
    let out = run(
        root(),
        &["import", "--no-config", "--output", target.to_str().unwrap(), "examples/entra-export/northwind"],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("is a symbolic link"), "{}", out.stderr);
    assert_eq!(walk(&elsewhere), Vec::<PathBuf>::new(), "written through the link");
}

/// A write that fails part of the way (here, a path longer than Linux allows, reached by the apps
/// after the tenant was written) takes back every file and directory the import created.
#[cfg(target_os = "linux")]
#[test]
fn a_write_that_fails_part_of_the_way_takes_back_what_was_written() {
    let dir = TempDir::new().unwrap();
    // The longest path Linux opens is 4,095 bytes: `tenants/northwind-traders.yaml` (30) fits
    // under the output directory, `apps/northwind-traders/<app>.yaml` (39 and more) does not.
    let length = 4095 - 1 - "tenants/northwind-traders.yaml".len();
    let mut target = dir.path().to_path_buf();
    while target.as_os_str().len() < length {
        let room = length - target.as_os_str().len() - 1;
        target.push("d".repeat(room.min(200)));
    }
    assert_eq!(target.as_os_str().len(), length);
    std::fs::create_dir_all(&target).unwrap();
    let out = run(
        root(),
        &["import", "--no-config", "--output", target.to_str().unwrap(), "examples/entra-export/northwind"],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    // Failed while writing, after the checks beforehand passed.
    assert!(out.stderr.contains("error: cannot write `"), "{}", out.stderr);
    assert!(out.stderr.contains("file name too long, so nothing was written"), "{}", out.stderr);
    assert_eq!(std::fs::read_dir(&target).unwrap().count(), 0, "left behind: {:?}", walk(&target));
}
