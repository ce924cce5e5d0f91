//! Orphaned snapshots fail the suite, in a plain `cargo test` (what `cargo insta test
//! --unreferenced reject` does with cargo-insta, which CI does not install).
//!
//! A snapshot family is the set of `tests/snapshots/<family>__*.snap` files that the test file
//! `tests/<family>.rs` writes. Each family has a test that calls [`assert_no_orphans`] with the
//! names its tests produce, derived from the same fixtures and rule folders the snapshot tests
//! walk, and with the test functions that take the snapshots.

use std::collections::BTreeSet;
use std::path::Path;

/// Fails when `tests/snapshots` holds a snapshot of `family` that is not in `names`, or a snapshot
/// of a family that has no test file; and when one of `tests` (the functions of
/// `tests/<family>.rs` that take the snapshots) is gone or takes no snapshot, so that a deleted
/// test cannot leave its name behind in a caller's list.
pub fn assert_no_orphans(family: &str, tests: &[&str], names: impl IntoIterator<Item = String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source_path = root.join("tests").join(format!("{family}.rs"));
    let source = std::fs::read_to_string(&source_path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", source_path.display()));
    for test in tests {
        let body = source.split(&format!("fn {test}(")).nth(1).and_then(|rest| rest.split("\n}\n").next());
        assert!(
            body.is_some_and(|body| body.contains("assert_snapshot!")),
            "`{test}` is not a test of tests/{family}.rs that takes a snapshot"
        );
    }

    let folder = root.join("tests/snapshots");
    let mut files: Vec<String> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", folder.display()))
        .map(|entry| entry.unwrap_or_else(|e| panic!("cannot list {}: {e}", folder.display())))
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| Path::new(name).extension().is_some_and(|ext| ext == "snap"))
        .collect();
    files.sort();
    let strays: Vec<&String> = files
        .iter()
        .filter(|file| {
            file.split_once("__").is_none_or(|(owner, _)| !root.join(format!("tests/{owner}.rs")).is_file())
        })
        .collect();
    assert!(strays.is_empty(), "snapshots that belong to no test file in tests/; delete them: {strays:?}");

    let prefix = format!("{family}__");
    let names: BTreeSet<String> = names.into_iter().collect();
    let orphans: Vec<&String> = files
        .iter()
        .filter(|file| {
            file.strip_prefix(&prefix)
                .and_then(|rest| rest.strip_suffix(".snap"))
                .is_some_and(|name| !names.contains(name))
        })
        .collect();
    assert!(
        orphans.is_empty(),
        "orphaned snapshots: no test of tests/{family}.rs produces them any more; delete them: {orphans:?}"
    );
}
