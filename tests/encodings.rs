//! Line ends and encodings: a file gives the same positions, underlines and snippets whether its
//! lines end in LF, CRLF or a lone CR (all line breaks in YAML 1.2), and whether it is saved as
//! UTF-8, UTF-16 or UTF-32 with a byte-order mark; no raw CR from a file reaches the terminal.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test helpers fail loudly")]

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// A tenant whose `tenantId` (line 5, columns 13 to 16) is not a GUID.
const TENANT: &str = "\
apiVersion: consentlint/v1
kind: TenantConfig
metadata:
  name: contoso
  tenantId: nope
spec:
  userConsent:
    enabled: false
  usersCanRegisterApps: false
";

/// Runs `consentlint check --no-builtin-policies --format FORMAT NAME` in `dir` and returns what
/// it printed, as bytes: no colour, a fixed width.
fn check(dir: &Path, format: &str, name: &str) -> Vec<u8> {
    let output = Command::cargo_bin("consentlint")
        .unwrap()
        .current_dir(dir)
        .args(["check", "--no-builtin-policies", "--format", format, name])
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked") && !stderr.contains("internal error"), "{stderr}");
    output.stdout
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap()
}

/// (message, line, column, end line, end column) of every diagnostic of a JSON report.
fn positions(json: &[u8]) -> Vec<(String, u64, u64, u64, u64)> {
    let report: Value = serde_json::from_slice(json).unwrap();
    let number = |d: &Value, key: &str| d[key].as_u64().unwrap_or(0);
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let message = d["message"].as_str().unwrap().to_owned();
            (message, number(d, "line"), number(d, "column"), number(d, "endLine"), number(d, "endColumn"))
        })
        .collect()
}

/// Writes `files` (name, bytes) into a new directory.
fn files(files: &[(&str, &[u8])]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    dir
}

/// `text` with its line breaks replaced, in turn, by each of `breaks`.
fn with_breaks(text: &str, breaks: &[&str]) -> String {
    let mut out = String::new();
    for (line, brk) in text.split_inclusive('\n').zip(breaks.iter().cycle()) {
        out.push_str(line.trim_end_matches('\n'));
        out.push_str(brk);
    }
    out
}

#[test]
fn a_lone_cr_ends_a_line_in_every_format() {
    let cr = with_breaks(TENANT, &["\r"]);
    let mixed = with_breaks(TENANT, &["\r", "\r\n", "\n"]);
    let dir = files(&[
        ("lf.yaml", TENANT.as_bytes()),
        ("cr.yaml", cr.as_bytes()),
        ("mixed.yaml", mixed.as_bytes()),
    ]);

    let lf_json = positions(&check(dir.path(), "json", "lf.yaml"));
    assert_eq!(lf_json, [("`nope` is not a valid GUID".to_owned(), 5, 13, 5, 17)]);
    let lf_plain = text(check(dir.path(), "plain", "lf.yaml"));
    assert!(lf_plain.contains("--> lf.yaml:5:13\n"), "{lf_plain}");
    assert!(lf_plain.contains("5 |   tenantId: nope\n  |             ^^^^ not a valid GUID\n"), "{lf_plain}");
    let lf_human = text(check(dir.path(), "human", "lf.yaml"));
    assert!(lf_human.contains("[lf.yaml:5:13]"), "{lf_human}");

    for name in ["cr.yaml", "mixed.yaml"] {
        assert_eq!(positions(&check(dir.path(), "json", name)), lf_json, "{name}");
        let plain = text(check(dir.path(), "plain", name));
        assert_eq!(plain, lf_plain.replace("lf.yaml", name), "{name}");
        let human = text(check(dir.path(), "human", name));
        assert_eq!(human, lf_human.replace("lf.yaml", name), "{name}");
    }
}

#[test]
fn a_tab_error_after_a_lone_cr_points_at_the_tab() {
    let text = "apiVersion: consentlint/v1\rkind: TenantConfig\rmetadata:\r\tname: contoso\r";
    let dir = files(&[("tabs.yaml", text.as_bytes())]);

    let found = positions(&check(dir.path(), "json", "tabs.yaml"));

    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].1, found[0].2), (4, 1), "{found:?}");
}

#[test]
fn no_raw_cr_from_a_file_reaches_the_terminal() {
    // Lone CRs between lines, a CRLF, and a lone CR inside a quoted scalar (a line break there too,
    // folded into a space), where the value's span crosses it.
    let text = "apiVersion: consentlint/v1\rkind: \"Tenant\r  Confg\"\r\nmetadata: {}\r";
    let dir = files(&[("cr.yaml", text.as_bytes())]);

    for format in ["plain", "human"] {
        let output = check(dir.path(), format, "cr.yaml");
        assert!(!output.contains(&b'\r'), "{format}:\n{}", String::from_utf8_lossy(&output));
        let output = self::text(output);
        assert!(output.contains("unknown kind `Tenant Confg`"), "{format}:\n{output}");
        // The value's first line is shown as a line of its own.
        assert!(output.lines().any(|line| line.ends_with("kind: \"Tenant")), "{format}:\n{output}");
    }
}

#[test]
fn human_output_does_not_count_a_byte_order_mark_as_a_column() {
    let dir = files(&[("bom.yaml", "\u{feff}kind: TenantConfg\napiVersion: consentlint/v1\n".as_bytes())]);

    let json = positions(&check(dir.path(), "json", "bom.yaml"));
    let plain = text(check(dir.path(), "plain", "bom.yaml"));
    let human = text(check(dir.path(), "human", "bom.yaml"));

    assert_eq!(json, [("unknown kind `TenantConfg`".to_owned(), 1, 7, 1, 18)]);
    assert!(plain.contains("--> bom.yaml:1:7\n"), "{plain}");
    assert!(human.contains("[bom.yaml:1:7]"), "{human}");
}
