//! Property tests of `unique`: for generated sets of app manifests whose `appId` comes from a small
//! alphabet (in random case, since strings compare without regard to case), the findings are exactly
//! the occurrences after the first in output order (file name, then position), whatever the order
//! the files are named in and the number of threads; conjoined with another test, a document fails
//! when that test fails or its value is repeated, and is one finding either way.
#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "a test fails loudly when its setup fails; tests index what they built"
)]

use std::collections::HashMap;
use std::path::PathBuf;

use consentlint::check;
use consentlint::options::Options;
use consentlint::policy::Sources;
use proptest::prelude::*;

/// The values `appId` takes, before their case is varied.
const APP_IDS: [&str; 3] = [
    "9660c545-45c9-4200-adf7-a4478d9faf89",
    "f2153e78-112f-47b8-8322-cc2da52e20b3",
    "0d4b6f2e-7a1c-4e8b-9f3d-2c5a8e1b7f60",
];
const FILES: usize = 3;
/// Lines of one document, the `---` after it included.
const DOC_LINES: usize = 11;
/// Where the values are in a document, counted from its first line (0).
const APP_ID_LINE: usize = 4;
const AUDIENCE_LINE: usize = 8;

/// One generated manifest: its file, the index of its `appId`, the case of each character (a bit
/// mask), and whether it is single-tenant (what the conjoined test asks).
type Doc = (usize, usize, u64, bool);

fn manifest(name: usize, app_id: &str, single: bool) -> String {
    let audience = if single { "single-tenant" } else { "multi-tenant" };
    format!(
        "apiVersion: consentlint/v1\nkind: AppManifest\nmetadata:\n  name: app-{name}\n  appId: {app_id}\nspec:\n  \
         displayName: App {name}\n  publisher: {{name: Acme, origin: organization}}\n  signInAudience: {audience}\n  \
         permissions: []\n---\n"
    )
}

fn vary_case(text: &str, mask: u64) -> String {
    text.chars()
        .enumerate()
        .map(|(i, c)| if mask >> (i % 64) & 1 == 1 { c.to_ascii_uppercase() } else { c })
        .collect()
}

/// What a run reports for rule `T-1`: file, line and message, in output order.
type Findings = Vec<(String, usize, String)>;

/// A one-rule policy whose rule ends with `tail` (its `when` and `assert`).
fn policy(tail: &str) -> String {
    format!(
        "apiVersion: consentlint/v1\nkind: Policy\nmetadata: {{name: p}}\nrules:\n  - id: T-1\n    name: t\n    \
         severity: error\n    target: AppManifest\n    summary: s\n    description: d\n    {tail}\n    \
         message: \"{{{{value}}}} / {{{{first}}}}\"\n"
    )
}

/// Writes the documents into files `f0.yaml`… and runs the check with the rule ending in `tail` on
/// `threads` threads, naming the files rotated by `rotate`.
fn run(docs: &[Doc], tail: &str, threads: usize, rotate: usize) -> Findings {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut texts = vec![String::new(); FILES];
    for (name, (file, value, mask, single)) in docs.iter().enumerate() {
        let app_id = vary_case(APP_IDS[*value], *mask);
        texts[*file].push_str(&manifest(name, &app_id, *single));
    }
    let mut paths: Vec<PathBuf> = Vec::new();
    for (file, text) in texts.iter().enumerate().filter(|(_, text)| !text.is_empty()) {
        let path = dir.path().join(format!("f{file}.yaml"));
        std::fs::write(&path, text).expect("write documents");
        paths.push(path);
    }
    let len = paths.len();
    paths.rotate_left(rotate % len.max(1));
    let policy_path = dir.path().join("policy.yaml");
    std::fs::write(&policy_path, policy(tail)).expect("write policy");
    let mut options = Options::new(paths, dir.path().to_path_buf());
    options.threads = Some(threads);
    options.policies = Sources { builtin: false, dirs: Vec::new(), files: vec![policy_path] };
    let report = check::run(&options).expect("the check runs");
    let found: Findings = report
        .diagnostics
        .iter()
        .map(|d| (d.source.name().to_owned(), d.start().expect("a position").line, d.message.clone()))
        .collect();
    assert!(!report.incomplete && report.diagnostics.iter().all(|d| d.code == "T-1"), "{found:?}");
    found
}

/// The findings the semantics promise. Occurrences are in output order: file name, then position.
/// With `conjoined`, a multi-tenant document fails too, at its audience; a repeated value's
/// finding names the first occurrence.
fn expected(docs: &[Doc], conjoined: bool) -> Findings {
    let mut occurrences = Vec::new();
    for file in 0..FILES {
        let in_file = docs.iter().filter(|doc| doc.0 == file);
        for (position, (_, value, mask, single)) in in_file.enumerate() {
            let line = 1 + position * DOC_LINES;
            occurrences.push((format!("f{file}.yaml"), line, vary_case(APP_IDS[*value], *mask), *single));
        }
    }
    let mut first: HashMap<String, String> = HashMap::new();
    let mut findings = Vec::new();
    for (file, line, app_id, single) in occurrences {
        let key = app_id.to_lowercase();
        let earlier = first.get(&key).cloned();
        if earlier.is_none() {
            first.insert(key, format!("{file}:{}", line + APP_ID_LINE));
        }
        let named = earlier.clone().unwrap_or_else(|| "another document".to_owned());
        if conjoined && !single {
            findings.push((file, line + AUDIENCE_LINE, format!("multi-tenant / {named}")));
        } else if let Some(earlier) = earlier {
            findings.push((file, line + APP_ID_LINE, format!("{app_id} / {earlier}")));
        }
    }
    findings
}

const UNIQUE: &str = "{path: metadata.appId, unique: true}";
const SINGLE: &str = "{path: spec.signInAudience, equals: single-tenant}";

fn assert(condition: &str) -> String {
    format!("assert: {condition}")
}

fn docs() -> impl Strategy<Value = Vec<Doc>> {
    proptest::collection::vec((0..FILES, 0..APP_IDS.len(), any::<u64>(), any::<bool>()), 1..9)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn unique_alone_reports_every_occurrence_after_the_first(docs in docs(), rotate in 0usize..3) {
        let want = expected(&docs, false);
        prop_assert_eq!(run(&docs, &assert(UNIQUE), 1, rotate), want.clone());
        prop_assert_eq!(run(&docs, &assert(UNIQUE), 3, rotate + 1), want);
    }

    #[test]
    fn unique_in_a_conjunction_fails_with_the_other_test_or_when_repeated(
        docs in docs(),
        rotate in 0usize..3,
    ) {
        let want = expected(&docs, true);
        // The other test's failure is where the finding points, whichever is written first.
        let single_first = assert(&format!("{{all: [{SINGLE}, {UNIQUE}]}}"));
        let unique_first = assert(&format!("{{all: [{UNIQUE}, {{all: [{SINGLE}]}}]}}"));
        prop_assert_eq!(run(&docs, &single_first, 1, rotate), want.clone());
        prop_assert_eq!(run(&docs, &unique_first, 3, rotate + 2), want);
    }
}

#[test]
fn the_expectation_names_the_first_occurrence() {
    // A check of the model itself: the second manifest repeats the first's id in another case.
    let docs = [(0, 0, 0, true), (0, 0, u64::MAX, true), (1, 1, 0, false)];
    assert_eq!(
        expected(&docs, true),
        vec![
            ("f0.yaml".to_owned(), 16, "9660C545-45C9-4200-ADF7-A4478D9FAF89 / f0.yaml:5".to_owned()),
            ("f1.yaml".to_owned(), 9, "multi-tenant / another document".to_owned()),
        ]
    );
    assert_eq!(run(&docs, &assert(&format!("{{all: [{SINGLE}, {UNIQUE}]}}")), 2, 0), expected(&docs, true));
}

#[test]
fn documents_the_rule_does_not_apply_to_are_not_compared() {
    // The first manifest is multi-tenant, so `when` leaves it out: the second is the original.
    let docs = [(0, 0, 0, false), (0, 0, 0, true), (1, 0, u64::MAX, true)];
    let tail = format!("when: {SINGLE}\n    {}", assert(UNIQUE));
    assert_eq!(
        run(&docs, &tail, 1, 0),
        vec![("f1.yaml".to_owned(), 5, "9660C545-45C9-4200-ADF7-A4478D9FAF89 / f0.yaml:16".to_owned())]
    );
}
