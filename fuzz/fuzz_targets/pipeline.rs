//! Bytes as one input file → the whole `check` pipeline → every renderer. Fails when a run
//! panics or errors, a span is off a character boundary, JSON or SARIF does not parse, `JUnit` is
//! not well-formed XML, or a text format carries a control character.
#![no_main]

use std::sync::LazyLock;

use consentlint::fuzzing::Checker;
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/invariants.rs"]
mod invariants;

static CHECKER: LazyLock<(tempfile::TempDir, Checker)> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let checker = Checker::new(dir.path()).expect("the built-in rules load");
    (dir, checker)
});

fuzz_target!(|data: &[u8]| {
    let (_, checker) = &*CHECKER;
    let report = checker.check(data).unwrap_or_else(|e| panic!("the run failed: {e}"));
    if let Err(problem) = invariants::check(&report) {
        panic!("{problem}");
    }
});
