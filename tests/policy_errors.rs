//! Mistakes in policy files: each fixture in `tests/fixtures/policy-errors/` is loaded as a
//! `--policy` file and its diagnostics are snapshotted in the `plain` format, so that every
//! authoring error shows its code, message, help and the exact node it points at.
#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "a test fails loudly when its setup fails; tests index what they built"
)]

use std::path::{Path, PathBuf};

use consentlint::error::Error;
use consentlint::policy::{PolicySet, Sources};
use consentlint::render::{self, Format, Style};
use consentlint::report::Report;

#[path = "support/snapshots.rs"]
mod snapshots;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/policy-errors")
}

fn errors(path: &Path) -> Report {
    let sources = Sources { builtin: false, dirs: Vec::new(), files: vec![path.to_path_buf()] };
    match PolicySet::from_sources(&sources, &fixtures()) {
        Ok(set) => panic!("{} loaded {} rules without an error", path.display(), set.rules.len()),
        Err(Error::Inputs(diagnostics)) => Report::new(diagnostics, 1, 1, true),
        Err(other) => panic!("{other}"),
    }
}

#[test]
fn every_policy_mistake_renders_as_snapshotted() {
    insta::glob!("fixtures/policy-errors/*.yaml", |path| {
        let report = errors(path);
        let code = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.get(..4))
            .expect("fixture named by code");
        assert!(
            report.diagnostics.iter().all(|d| d.code.to_lowercase().starts_with(&format!("cl-{code}"))),
            "{} must produce only CL-{} diagnostics",
            path.display(),
            code.to_uppercase()
        );
        let mut out = Vec::new();
        render::render(&report, Format::Plain, Style::default(), &mut out).expect("render");
        insta::assert_snapshot!(String::from_utf8(out).expect("UTF-8"));
    });
}

#[test]
fn no_snapshot_is_orphaned() {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(fixtures()).expect("fixture folder exists") {
        let name = entry.expect("readable entry").file_name().to_string_lossy().into_owned();
        if Path::new(&name).extension().is_some_and(|ext| ext == "yaml") {
            names.push(format!("every_policy_mistake_renders_as_snapshotted@{name}"));
        }
    }
    snapshots::assert_no_orphans("policy_errors", &["every_policy_mistake_renders_as_snapshotted"], names);
}

#[test]
fn a_misspelt_path_step_is_underlined_alone() {
    let report = errors(&fixtures().join("c002-unknown-path.yaml"));
    let [d] = report.diagnostics.as_slice() else { panic!("one diagnostic expected") };
    let text = d.source.text();
    let span = d.span.expect("a located diagnostic");
    assert_eq!(&text[span.start..span.end], "notifyReviewer");
    assert_eq!(d.help.as_deref(), Some("did you mean `notifyReviewers`?"));
}

#[test]
fn a_misspelt_placeholder_is_underlined_inside_the_message() {
    let report = errors(&fixtures().join("c002-unknown-placeholder.yaml"));
    let [d] = report.diagnostics.as_slice() else { panic!("one diagnostic expected") };
    let span = d.span.expect("a located diagnostic");
    assert_eq!(&d.source.text()[span.start..span.end], "nmae");
    let start = d.start().expect("a position");
    assert_eq!((start.line, start.column), (13, 33));
}

#[test]
fn a_negated_unique_is_underlined_at_its_key() {
    let report = errors(&fixtures().join("c005-unique-under-not.yaml"));
    let [d] = report.diagnostics.as_slice() else { panic!("one diagnostic expected") };
    let span = d.span.expect("a located diagnostic");
    assert_eq!(&d.source.text()[span.start..span.end], "unique");
    let start = d.start().expect("a position");
    assert_eq!((start.line, start.column), (15, 9));
    assert_eq!(d.message, "`unique` cannot be negated with `not`");
    assert!(d.help.as_deref().is_some_and(|h| h.contains("top-level `all`")), "{:?}", d.help);
}
