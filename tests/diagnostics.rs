#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "a test fails loudly when its setup fails; tests index what they built"
)]
//! One snapshot of the `plain` rendering per fixture in `tests/fixtures/diagnostics/`, so that every
//! kind of diagnostic the pipeline produces (YAML, kind and schema errors) is reviewed as users see
//! it: message, location, underline, help and link.

use std::path::{Path, PathBuf};

use consentlint::check;
use consentlint::options::Options;
use consentlint::render::{self, Format, Style};

#[path = "support/snapshots.rs"]
mod snapshots;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diagnostics")
}

/// Checks `path` and renders the report as `plain`, with paths relative to the fixture folder.
fn plain(path: &Path) -> String {
    let mut options = Options::new(vec![path.to_path_buf()], fixtures());
    options.policies.builtin = false;
    let report = check::run(&options).expect("the check runs");
    let mut out = Vec::new();
    render::render(&report, Format::Plain, Style::default(), &mut out).expect("rendering succeeds");
    String::from_utf8(out).expect("plain output is UTF-8")
}

#[test]
fn every_diagnostic_kind_renders_as_snapshotted() {
    insta::glob!("fixtures/diagnostics/*.yaml", |path| {
        let output = plain(path);
        assert!(!output.starts_with("no problems"), "fixture {} produced no diagnostic", path.display());
        insta::assert_snapshot!(output);
    });
}

#[test]
fn no_snapshot_is_orphaned() {
    let mut names = vec!["unreadable_input_renders_as_snapshotted".to_owned()];
    for entry in std::fs::read_dir(fixtures()).expect("fixture folder exists") {
        let name = entry.expect("readable entry").file_name().to_string_lossy().into_owned();
        if Path::new(&name).extension().is_some_and(|ext| ext == "yaml") {
            names.push(format!("every_diagnostic_kind_renders_as_snapshotted@{name}"));
        }
    }
    snapshots::assert_no_orphans(
        "diagnostics",
        &["every_diagnostic_kind_renders_as_snapshotted", "unreadable_input_renders_as_snapshotted"],
        names,
    );
}

/// FIFOs (and `mkfifo`) exist on Unix only; elsewhere the snapshot is kept but not taken.
#[cfg(unix)]
#[test]
fn unreadable_input_renders_as_snapshotted() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let fifo = dir.path().join("pipe.yaml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success(), "mkfifo failed");
    let mut options = Options::new(vec![fifo], dir.path().to_path_buf());
    options.policies.builtin = false;
    let report = check::run(&options).expect("the check runs");
    assert!(report.incomplete, "an unreadable input makes the run incomplete");
    let mut out = Vec::new();
    render::render(&report, Format::Plain, Style::default(), &mut out).expect("rendering succeeds");
    insta::assert_snapshot!(String::from_utf8(out).expect("plain output is UTF-8"));
}
