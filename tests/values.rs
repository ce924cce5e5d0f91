//! Hostile values: numbers beyond what an integer or a float holds are quoted as written, and
//! mapping keys are compared as YAML values (`1` and `"1"` differ, `~` and `null` are the same).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test helpers fail loudly")]

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
