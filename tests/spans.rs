//! Spans are exact: line and column (in characters) and the underline itself, after multi-byte
//! text, with CRLF line ends, inside flow mappings and in later documents of a file.
#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "a test fails loudly when its setup fails; tests index what they built"
)]

use std::path::Path;

use consentlint::check;
use consentlint::options::Options;
use consentlint::render::{self, Format, Style};
use consentlint::report::Report;

const TENANT_HEAD: &str = "apiVersion: consentlint/v1\nkind: TenantConfig\n";

fn check_text(text: &str) -> (Report, String) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("input.yaml");
    std::fs::write(&path, text).expect("write input");
    let mut options = Options::new(vec![path], dir.path().to_path_buf());
    options.policies.builtin = false;
    let report = check::run(&options).expect("the check runs");
    let mut out = Vec::new();
    render::render(&report, Format::Plain, Style::default(), &mut out).expect("render");
    (report, String::from_utf8(out).expect("UTF-8"))
}

/// (line, column, end line, end column) of every diagnostic.
fn positions(report: &Report) -> Vec<(usize, usize, usize, usize)> {
    report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.start().expect("a position").line,
                d.start().expect("a position").column,
                d.end().expect("a position").line,
                d.end().expect("a position").column,
            )
        })
        .collect()
}

/// The underline rows printed under source line `line`, in every diagnostic that shows it.
fn underlines_of(output: &str, line: usize) -> Vec<String> {
    let rows: Vec<&str> = output.lines().collect();
    let shown = format!("{line} | ");
    let mut found = Vec::new();
    for (index, _) in rows.iter().enumerate().filter(|(_, row)| row.starts_with(&shown)) {
        let under = rows[index + 1..].iter().take_while(|row| row.contains('^') || row.contains('-'));
        found.extend(under.map(|row| (*row).to_owned()));
    }
    assert!(!found.is_empty(), "line {line} is not underlined in:\n{output}");
    found
}

#[test]
fn wide_and_multibyte_characters_before_the_error() {
    let text = format!(
        "{TENANT_HEAD}metadata: {{name: \"東京-é\", tenantId: nope}}\nspec: {{userConsent: {{enabled: false}}}}\n"
    );
    let (report, output) = check_text(&text);
    let guid = report.diagnostics.iter().find(|d| d.message.contains("GUID")).expect("GUID error");
    // `metadata: {name: "東京-é", tenantId: ` is 35 characters.
    assert_eq!((guid.start().expect("a position").line, guid.start().expect("a position").column), (3, 36));
    assert_eq!((guid.end().expect("a position").line, guid.end().expect("a position").column), (3, 40));
    // 東 and 京 are two columns wide each, so the carets start two columns further right.
    assert_eq!(
        underlines_of(&output, 3),
        [
            format!("  | {}^^^^^^^^ not in the expected form", " ".repeat(17)),
            format!("  | {}^^^^ not a valid GUID", " ".repeat(37)),
        ]
    );
    let name = report.diagnostics.iter().find(|d| d.message.contains("expected form")).expect("name error");
    assert_eq!((name.start().expect("a position").column, name.end().expect("a position").column), (18, 24));
}

#[test]
fn crlf_line_ends_give_the_same_positions_as_lf() {
    let lf = format!(
        "# Zürich\n{TENANT_HEAD}metadata:\n  name: contoso\n  tenantId: 6f1c2e4a-0b7d-4c1e-9a55-3e2f7d8c9b10\nspec:\n  userConsent:\n    enabled: maybe\n    colour: blue\n"
    );
    let crlf = lf.replace('\n', "\r\n");
    let (lf_report, lf_output) = check_text(&lf);
    let (crlf_report, crlf_output) = check_text(&crlf);
    assert_eq!(positions(&lf_report), vec![(9, 14, 9, 19), (10, 5, 10, 11)]);
    assert_eq!(positions(&crlf_report), positions(&lf_report));
    assert_eq!(crlf_output, lf_output, "the CR is never shown");
    assert_eq!(underlines_of(&crlf_output, 10), ["   |     ^^^^^^ unknown key"]);
}

#[test]
fn errors_in_the_third_document_point_into_it() {
    let good = format!(
        "{TENANT_HEAD}metadata: {{name: a, tenantId: 6f1c2e4a-0b7d-4c1e-9a55-3e2f7d8c9b10}}\nspec: {{userConsent: {{enabled: false}}}}\n"
    );
    let bad = good.replace("enabled: false", "enabled: false, policy: none").replace("name: a", "name: c");
    let second = good.replace("name: a", "name: b");
    let text = format!("{good}---\n{second}---\n{bad}");
    let (report, output) = check_text(&text);
    assert_eq!(report.diagnostics.len(), 1, "{output}");
    for d in &report.diagnostics {
        assert_eq!(d.document, Some(2));
        assert_eq!(d.start().expect("a position").line, 14);
    }
    let policy = report.diagnostics.iter().find(|d| d.message.contains("`none`")).expect("enum error");
    assert_eq!(policy.pointer.as_deref(), Some("/spec/userConsent/policy"));
    assert_eq!(
        (policy.start().expect("a position").column, policy.end().expect("a position").column),
        (46, 50)
    );
}

#[test]
fn missing_keys_point_at_the_key_that_holds_the_mapping() {
    let text =
        format!("{TENANT_HEAD}metadata:\n  name: contoso\nspec:\n  userConsent:\n    enabled: false\n");
    let (report, output) = check_text(&text);
    assert_eq!(positions(&report), vec![(3, 1, 3, 9)], "{output}");
    assert!(output.contains("missing required key `tenantId`"));
    assert_eq!(underlines_of(&output, 3), ["  | ^^^^^^^^ `tenantId` is missing here"]);
}

#[test]
fn unknown_keys_in_flow_mappings_point_at_the_key() {
    let text = format!(
        "{TENANT_HEAD}metadata: {{name: contoso, tenantId: 6f1c2e4a-0b7d-4c1e-9a55-3e2f7d8c9b10}}\nspec: {{userConsent: {{enabled: false, alowRiskyApps: false}}}}\n"
    );
    let (report, output) = check_text(&text);
    assert_eq!(positions(&report), vec![(4, 38, 4, 51)], "{output}");
    assert!(output.contains("help: did you mean `allowRiskyApps`?"));
}

#[test]
fn json_columns_count_characters_not_bytes() {
    let text = format!(
        "{TENANT_HEAD}metadata: {{name: \"ÄÖÜ\", tenantId: 6f1c2e4a-0b7d-4c1e-9a55-3e2f7d8c9b10}}\nspec: {{userConsent: {{enabled: false}}}}\n"
    );
    let (report, _) = check_text(&text);
    let mut out = Vec::new();
    render::render(&report, Format::Json, Style::default(), &mut out).expect("render");
    let json: serde_json::Value = serde_json::from_slice(&out).expect("valid JSON");
    let d = &json["diagnostics"][0];
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64(), d["endColumn"].as_u64()),
        (Some(3), Some(18), Some(23))
    );
    assert!(Path::new(d["file"].as_str().expect("file")).is_relative());
}
