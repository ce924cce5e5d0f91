//! Property tests over hostile bytes: arbitrary bytes, YAML-shaped token soup and mutated real
//! fixtures (byte flips, insertions, truncations) go through the whole `check` pipeline and every
//! renderer. Whatever the input, nothing panics, every span lies on character boundaries, JSON and
//! SARIF parse, `JUnit` is well-formed XML and the text formats carry no control characters.
//!
//! The same assertions run in the fuzz targets (`fuzz/`, see docs/security.md), unbounded there.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "test helpers fail loudly; tests index what they built"
)]

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use consentlint::fuzzing::Checker;
use proptest::prelude::*;
use proptest::sample::Index;
use tempfile::TempDir;

#[path = "support/invariants.rs"]
mod invariants;

/// Cases per property: enough to shake out regressions in a few seconds of a debug build.
const CASES: u32 = 64;

/// Every YAML fixture of the project, as bytes.
static FIXTURES: LazyLock<Vec<(PathBuf, Vec<u8>)>> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for dir in ["tests/fixtures", "examples", "policies"] {
        collect(&root.join(dir), &mut found);
    }
    found.sort();
    assert!(found.len() > 50, "fixtures are found: {}", found.len());
    found
});

fn collect(dir: &Path, found: &mut Vec<(PathBuf, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, found);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "json") {
            let bytes = std::fs::read(&path).unwrap();
            found.push((path, bytes));
        }
    }
}

thread_local! {
    /// One checker per test thread, each with its own directory (the input file is rewritten
    /// for every case).
    static CHECKER: (TempDir, Checker) = {
        let dir = tempfile::tempdir().unwrap();
        let checker = Checker::new(dir.path()).unwrap();
        (dir, checker)
    };
}

/// Runs the pipeline on `bytes` and checks every rendering.
fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    CHECKER.with(|(_, checker)| {
        let report = checker.check(bytes).map_err(|e| TestCaseError::fail(format!("the run failed: {e}")))?;
        invariants::check(&report).map_err(TestCaseError::fail)
    })
}

/// One edit of a fixture.
#[derive(Clone, Debug)]
enum Mutation {
    /// Replace the byte at a position.
    Flip(Index, u8),
    /// Insert bytes at a position.
    Insert(Index, Vec<u8>),
    /// Cut the file at a position.
    Truncate(Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip(at, byte)),
        (
            any::<Index>(),
            prop_oneof![token().prop_map(String::into_bytes), prop::collection::vec(any::<u8>(), 1..8)]
        )
            .prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
        any::<Index>().prop_map(Mutation::Truncate),
    ]
}

fn apply(bytes: &mut Vec<u8>, mutation: &Mutation) {
    let at = |index: &Index, len: usize| if len == 0 { 0 } else { index.index(len + 1) };
    match mutation {
        Mutation::Flip(index, byte) => {
            if !bytes.is_empty() {
                let i = index.index(bytes.len());
                bytes[i] = *byte;
            }
        }
        Mutation::Insert(index, inserted) => {
            let i = at(index, bytes.len());
            bytes.splice(i..i, inserted.iter().copied());
        }
        Mutation::Truncate(index) => bytes.truncate(at(index, bytes.len())),
    }
}

/// Pieces of YAML and of consentlint documents, including the ones that reach limits and edge
/// cases: anchors, aliases, tags, flow collections, block scalars, document markers, comments
/// with suppressions, multi-byte and control characters.
fn token() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "apiVersion: consentlint/v1\n",
        "kind: TenantConfig\n",
        "kind: AppManifest\n",
        "kind: Policy\n",
        "metadata:\n  name: x\n",
        "spec:\n",
        "  permissions:\n",
        "  - name: Mail.Read\n",
        "    type: delegated\n",
        "---\n",
        "...\n",
        "&a ",
        "*a",
        "<<: *a\n",
        "!!str ",
        "!tag ",
        "{",
        "}",
        "[",
        "]",
        ", ",
        ": ",
        "- ",
        "? ",
        "|\n",
        ">-\n",
        "\"",
        "'",
        "\\",
        "# consentlint-ignore CL-A007: why\n",
        "# consentlint-ignore CL-S001\n",
        "#",
        "\n",
        "\r\n",
        "\r",
        "\t",
        "  ",
        "\u{feff}",
        "\u{1b}[31m",
        "\u{202e}",
        "\u{85}",
        "東京",
        "é",
        "\0",
        "true",
        "yes",
        "0x1F",
        "1e400",
        "-.inf",
        "~",
        "%YAML 1.2\n",
        "%TAG ! tag:x:\n",
    ])
    .prop_map(str::to_owned)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check(&bytes)?;
    }

    #[test]
    fn yaml_token_soup(tokens in prop::collection::vec(token(), 0..64)) {
        check(tokens.concat().as_bytes())?;
    }

    #[test]
    fn mutated_fixtures(fixture in any::<Index>(), mutations in prop::collection::vec(mutation(), 1..6)) {
        let (_, original) = fixture.get(&FIXTURES);
        let mut bytes = original.clone();
        for mutation in &mutations {
            apply(&mut bytes, mutation);
        }
        check(&bytes)?;
    }
}

/// Inputs that the fuzz targets found failing, minimised, kept so that they stay fixed.
#[test]
fn inputs_found_by_fuzzing() {
    let found: &[&[u8]] = &[
        // A tab inside an unknown key reached the human format raw, in the message.
        b"apiVersion: consentlint/v1\nkind: AppManifest\nmetadata:\n  name: x\nco\tsent: user\n",
    ];
    for bytes in found {
        check(bytes).unwrap_or_else(|e| panic!("{:?}: {e}", String::from_utf8_lossy(bytes)));
    }
}

#[test]
fn every_fixture_unmutated() {
    for (path, bytes) in FIXTURES.iter() {
        check(bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}
