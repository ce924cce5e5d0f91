//! Hostile values: numbers beyond what an integer or a float holds are quoted as written, and
//! mapping keys are compared as YAML values (`1` and `"1"` differ, `~` and `null` are the same).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "test helpers fail loudly; tests index what they built"
)]

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// Runs `consentlint check --format json ARGS` in `dir` and returns the report.
fn check(dir: &Path, args: &[&str]) -> Value {
    let output = Command::cargo_bin("consentlint")
        .unwrap()
        .current_dir(dir)
        .args(["check", "--format", "json"])
        .args(args)
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked") && !stderr.contains("internal error"), "{stderr}");
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!("JSON output ({e}):\n{}\n{stderr}", String::from_utf8_lossy(&output.stdout))
    })
}

/// (code, message, line, column) of every diagnostic.
fn found(report: &Value) -> Vec<(String, String, u64, u64)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let text = |key: &str| d[key].as_str().unwrap_or_default().to_owned();
            (
                text("code"),
                text("message"),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn files(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// A tenant with the admin consent workflow on and `requestDurationInDays` (line 13, column 28) set
/// to `duration`.
fn tenant(duration: &str) -> String {
    let mut text = String::from(
        "apiVersion: consentlint/v1
kind: TenantConfig
metadata:
  name: contoso
  tenantId: 139edd04-fa42-4cdc-b5bd-9b9ac4812e84
spec:
  userConsent:
    enabled: false
  adminConsentWorkflow:
    enabled: true
    reviewers:
      - group: App Consent Reviewers
",
    );
    text.push_str("    requestDurationInDays: ");
    text.push_str(duration);
    text.push('\n');
    text
}

#[test]
fn schema_messages_quote_numbers_as_written() {
    let huge = "9".repeat(1_000_000);
    let dir = files(&[
        ("below.yaml", &tenant("-9223372036854775809")),
        ("huge.yaml", &tenant(&huge)),
        ("overflow.yaml", &tenant("1e999")),
    ]);

    let report = check(dir.path(), &["--no-builtin-policies", "."]);

    let shown = format!("`{}…`", &huge[..60]);
    assert_eq!(
        found(&report),
        [
            ("CL-S001".into(), "`-9223372036854775809` is below the minimum of 0".into(), 13, 28),
            ("CL-S001".into(), format!("expected an integer, found a number {shown}"), 13, 28),
            ("CL-S001".into(), "expected an integer, found a number `1e999`".into(), 13, 28),
        ]
    );
}

#[test]
fn rule_messages_quote_numbers_as_written() {
    // CL-T005 quotes `requestDurationInDays` (`{{value}}`); 0x5A is 90.
    let dir = files(&[("hex.yaml", &tenant("0x5A"))]);
    let report = check(dir.path(), &["--select", "CL-T005", "."]);
    let messages: Vec<String> = found(&report).into_iter().map(|(_, message, ..)| message).collect();
    assert_eq!(
        messages,
        ["`requestDurationInDays` is 0x5A; consent requests must expire within 1 to 30 days"]
    );
}

/// A diagnostic about keys: message, line, column, and its related place (label, line, column).
type KeyError = (String, u64, u64, Option<(String, u64, u64)>);

/// The diagnostics (all `CL-P001`) of a file holding `body` after a document header.
fn key_errors(body: &str) -> Vec<KeyError> {
    let text = format!("apiVersion: consentlint/v1\nkind: TenantConfig\n{body}");
    let dir = files(&[("keys.yaml", &text)]);
    let report = check(dir.path(), &["--no-builtin-policies", "keys.yaml"]);
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            assert_eq!(d["code"], "CL-P001", "{d:#}");
            let at = |d: &Value, key: &str| d[key].as_u64().unwrap();
            let related = d["related"]
                .as_array()
                .unwrap()
                .first()
                .map(|r| (r["message"].as_str().unwrap().to_owned(), at(r, "line"), at(r, "column")));
            (d["message"].as_str().unwrap().to_owned(), at(d, "line"), at(d, "column"), related)
        })
        .collect()
}

/// One error at 5:3 about the key at 4:3, whose label is `first`.
fn at_second_key(message: &str, first: &str) -> Vec<KeyError> {
    vec![(message.to_owned(), 5, 3, Some((first.to_owned(), 4, 3)))]
}

#[test]
fn keys_that_are_the_same_yaml_value_are_duplicates() {
    let dup = |message: &str| at_second_key(message, "first defined here");
    assert_eq!(key_errors("spec:\n  ~: a\n  null: b\n"), dup("duplicate key `null`, the same value as `~`"));
    assert_eq!(
        key_errors("spec:\n  0x10: a\n  16: b\n"),
        dup("duplicate key `16`, the same value as `0x10`")
    );
    assert_eq!(
        key_errors("spec:\n  true: a\n  True: b\n"),
        dup("duplicate key `True`, the same value as `true`")
    );
    assert_eq!(
        key_errors("spec:\n  -0.0: a\n  0e0: b\n"),
        dup("duplicate key `0e0`, the same value as `-0.0`")
    );
    assert_eq!(
        key_errors("spec:\n  .nan: a\n  .NaN: b\n"),
        dup("duplicate key `.NaN`, the same value as `.nan`")
    );
    assert_eq!(key_errors("spec:\n  &k 7: a\n  *k : b\n"), dup("duplicate key `7`"));
    // A string however it is written: the text of the key, as before.
    assert_eq!(key_errors("spec:\n  !!str 1: a\n  '1': b\n"), dup("duplicate key `1`"));
    assert_eq!(key_errors("spec:\n  name: a\n  \"name\": b\n"), dup("duplicate key `name`"));
}

#[test]
fn keys_that_differ_as_yaml_values_are_not_duplicates() {
    // `1` (an integer) and `"1"` (a string) are two keys in YAML but one in JSON, as which
    // consentlint reads documents: said as it is, not as a duplicate.
    assert_eq!(
        key_errors("spec:\n  1: a\n  \"1\": b\n"),
        at_second_key(
            "the key `\"1\"` has the same text as the key `1`",
            "an integer key with the same text"
        )
    );
    assert_eq!(
        key_errors("spec:\n  'true': a\n  true: b\n"),
        at_second_key(
            "the key `true` has the same text as the key `'true'`",
            "a string key with the same text"
        )
    );
    // Different values written differently: two keys, for the schema to judge.
    let text = "apiVersion: consentlint/v1\nkind: TenantConfig\nspec:\n  1: a\n  1.0: b\n  \"01\": c\n";
    let dir = files(&[("keys.yaml", text)]);
    let report = check(dir.path(), &["--no-builtin-policies", "keys.yaml"]);
    let messages: Vec<String> = found(&report).into_iter().map(|(_, message, ..)| message).collect();
    for key in ["1", "1.0", "01"] {
        assert!(messages.contains(&format!("unknown key `{key}`")), "{messages:?}");
    }
}

#[test]
fn long_mappings_compare_keys_the_same_way() {
    // From 16 keys on, keys are looked up in an index rather than one by one.
    let mut body = String::from("spec:\n");
    for index in 0..20 {
        writeln!(body, "  k{index}: {index}").unwrap();
    }
    body.push_str("  ~: a\n  1: b\n  null: c\n  \"1\": d\n  k3: e\n");
    let found = key_errors(&body);
    let summary: Vec<(&str, u64, Option<u64>)> = found
        .iter()
        .map(|(message, line, _, related)| (message.as_str(), *line, related.as_ref().map(|r| r.1)))
        .collect();
    assert_eq!(
        summary,
        [
            ("duplicate key `null`, the same value as `~`", 26, Some(24)),
            ("the key `\"1\"` has the same text as the key `1`", 27, Some(25)),
            ("duplicate key `k3`", 28, Some(7)),
        ]
    );
}

#[test]
fn lists_and_mappings_as_keys_are_refused_once_each() {
    let found = key_errors("spec:\n  ? [a, b]\n  : 1\n  ? {c: d}\n  : 2\n  &k [e]: 3\n  *k : 4\n");
    let messages: Vec<(&str, u64, u64)> = found.iter().map(|(m, l, c, _)| (m.as_str(), *l, *c)).collect();
    assert_eq!(
        messages,
        [
            ("a list cannot be a mapping key", 4, 5),
            ("a mapping cannot be a mapping key", 6, 5),
            ("a list cannot be a mapping key", 8, 3),
            ("a list cannot be a mapping key", 9, 3),
        ]
    );
}
