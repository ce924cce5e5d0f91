//! Line ends and encodings: a file gives the same positions, underlines and snippets whether its
//! lines end in LF, CRLF or a lone CR (all line breaks in YAML 1.2), and whether it is saved as
//! UTF-8, UTF-16 or UTF-32 with a byte-order mark; no raw CR from a file reaches the terminal.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "test helpers fail loudly, and index texts they wrote"
)]

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
    // A CR that only the value holds, from a YAML escape: messages escape it.
    let escaped = "apiVersion: consentlint/v1\nkind: \"Ten\\rant\"\n";
    let dir = files(&[("cr.yaml", text.as_bytes()), ("escaped.yaml", escaped.as_bytes())]);

    for format in ["plain", "human"] {
        let output = check(dir.path(), format, "cr.yaml");
        assert!(!output.contains(&b'\r'), "{format}:\n{}", String::from_utf8_lossy(&output));
        let output = self::text(output);
        assert!(output.contains("unknown kind `Tenant Confg`"), "{format}:\n{output}");
        // The value's first line is shown as a line of its own.
        assert!(output.lines().any(|line| line.ends_with("kind: \"Tenant")), "{format}:\n{output}");
        let output = check(dir.path(), format, "escaped.yaml");
        assert!(!output.contains(&b'\r'), "{format}:\n{}", String::from_utf8_lossy(&output));
        assert!(self::text(output).contains("unknown kind `Ten\\rant`"), "{format}");
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

/// `text` encoded with a byte-order mark: `utf-16le`, `utf-16be`, `utf-32le` or `utf-32be`.
fn encode(encoding: &str, text: &str) -> Vec<u8> {
    let text = format!("\u{feff}{text}");
    match encoding {
        "utf-16le" => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        "utf-16be" => text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        "utf-32le" => text.chars().flat_map(|c| u32::from(c).to_le_bytes()).collect(),
        "utf-32be" => text.chars().flat_map(|c| u32::from(c).to_be_bytes()).collect(),
        _ => panic!("unknown encoding {encoding}"),
    }
}

#[test]
fn utf16_and_utf32_with_a_byte_order_mark_read_like_utf8() {
    // Non-ASCII text before the error on its line: columns count characters of the decoded text.
    let lf = TENANT.replace("name: contoso", "name: contoso # Zürich").replace("nope", "\"東京-é\"");
    let crlf = lf.replace('\n', "\r\n");
    for (label, source) in [("LF", &lf), ("CRLF", &crlf)] {
        let dir = files(&[("utf8.yaml", source.as_bytes())]);
        let json = positions(&check(dir.path(), "json", "utf8.yaml"));
        assert_eq!(json, [("`東京-é` is not a valid GUID".to_owned(), 5, 13, 5, 19)], "{label}");
        let plain = text(check(dir.path(), "plain", "utf8.yaml"));
        let underlined = "5 |   tenantId: \"東京-é\"\n  |             ^^^^^^^^ not a valid GUID\n";
        assert!(plain.contains(underlined), "{plain}");
        let human = text(check(dir.path(), "human", "utf8.yaml"));
        for encoding in ["utf-16le", "utf-16be", "utf-32le", "utf-32be"] {
            let name = format!("{encoding}.yaml");
            std::fs::write(dir.path().join(&name), encode(encoding, source)).unwrap();
            assert_eq!(positions(&check(dir.path(), "json", &name)), json, "{label} {encoding}");
            let shown = text(check(dir.path(), "plain", &name));
            assert_eq!(shown, plain.replace("utf8.yaml", &name), "{label} {encoding}");
            let shown = text(check(dir.path(), "human", &name));
            assert_eq!(shown, human.replace("utf8.yaml", &name), "{label} {encoding}");
        }
    }
}

#[test]
fn invalid_utf16_is_located() {
    // An unpaired high surrogate where `nope` starts (5:13), and a file cut in the middle of a
    // code unit (its last line, 10, is empty).
    let mut surrogate = encode("utf-16le", &TENANT[..TENANT.find("nope").unwrap()]);
    surrogate.extend_from_slice(&0xd83d_u16.to_le_bytes());
    surrogate.extend_from_slice(&encode("utf-16le", &TENANT[TENANT.find("nope").unwrap()..])[2..]);
    let mut odd = encode("utf-16be", TENANT);
    odd.push(b'x');
    let dir = files(&[("surrogate.yaml", &surrogate), ("odd.yaml", &odd)]);

    for (name, encoding, at, label) in [
        ("surrogate.yaml", "UTF-16LE", (5, 13), "unpaired surrogate"),
        ("odd.yaml", "UTF-16BE", (10, 1), "incomplete character"),
    ] {
        let report: Value = serde_json::from_slice(&check(dir.path(), "json", name)).unwrap();
        let all = report["diagnostics"].as_array().unwrap();
        assert_eq!(all.len(), 1, "{report:#}");
        let d = &all[0];
        assert_eq!(d["code"], "CL-P001", "{d:#}");
        assert_eq!(d["message"], format!("the file is not valid {encoding}"), "{d:#}");
        assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(at.0), Some(at.1)), "{d:#}");
        let plain = text(check(dir.path(), "plain", name));
        assert!(plain.contains(&format!("^ {label}")), "{plain}");
    }
}

#[test]
fn a_utf16_tenant_is_the_context_of_its_apps() {
    // The examples' Contoso tenant decides how CL-A002 judges its apps: saved as UTF-16 (as Windows
    // PowerShell does) it must still be read as a tenant before the apps are judged.
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let dir = tempfile::tempdir().unwrap();
    for sub in ["tenants", "apps/contoso"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        for entry in std::fs::read_dir(examples.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, dir.path().join(sub).join(path.file_name().unwrap())).unwrap();
        }
    }
    let run = |dir: &Path| {
        let output = Command::cargo_bin("consentlint")
            .unwrap()
            .current_dir(dir)
            .args(["check", "--format", "json", "tenants", "apps"])
            .output()
            .unwrap();
        serde_json::from_slice::<Value>(&output.stdout).unwrap()
    };
    let utf8 = run(dir.path());
    assert!(utf8["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "CL-A002"), "{utf8:#}");

    let tenant = dir.path().join("tenants/contoso.yaml");
    let text = std::fs::read_to_string(&tenant).unwrap();
    std::fs::write(&tenant, encode("utf-16le", &text)).unwrap();

    assert_eq!(run(dir.path()), utf8);
}
