//! Mistakes in policy files: each fixture in `tests/fixtures/policy-errors/` is loaded as a
//! `--policy` file and its diagnostics are snapshotted in the `plain` format, so that every
//! authoring error shows its code, message, help and the exact node it points at.
#![allow(clippy::expect_used, clippy::panic, reason = "a test fails loudly when its setup fails")]

use std::path::{Path, PathBuf};

use consentlint::policy::{PolicySet, Sources};
use consentlint::render::{self, Format, Style};
use consentlint::report::Report;
use consentlint::schema::Schemas;

#[path = "support/snapshots.rs"]
mod snapshots;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/policy-errors")
}

fn errors(path: &Path) -> Report {
    let schemas = Schemas::new().expect("bundled schemas compile");
    let sources = Sources { builtin: false, dirs: Vec::new(), files: vec![path.to_path_buf()] };
    match PolicySet::load(&sources, &schemas, &fixtures()) {
        Ok(set) => panic!("{} loaded {} rules without an error", path.display(), set.rules.len()),
        Err(diagnostics) => Report::new(diagnostics, 1, 1, true),
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
    assert_eq!(&text[d.span.start..d.span.end], "notifyReviewer");
    assert_eq!(d.help.as_deref(), Some("did you mean `notifyReviewers`?"));
}

#[test]
fn a_misspelt_placeholder_is_underlined_inside_the_message() {
    let report = errors(&fixtures().join("c002-unknown-placeholder.yaml"));
    let [d] = report.diagnostics.as_slice() else { panic!("one diagnostic expected") };
    assert_eq!(&d.source.text()[d.span.start..d.span.end], "nmae");
    assert_eq!((d.start().line, d.start().column), (13, 33));
}
