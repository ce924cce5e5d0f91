//! `--format sarif`: a SARIF 2.1.0 log with one run, for code-scanning services (GitHub code
//! scanning, Azure DevOps, the VS Code SARIF viewer).
//!
//! What goes where:
//! - `tool.driver.rules` lists every entry of [`Report::rules`] (the rules that ran and the tool's own
//!   codes), in report order: `shortDescription` and `fullDescription` are the one-line summary, `help`
//!   (text and Markdown) the rule's Markdown documentation, `helpUri` its link, and
//!   `defaultConfiguration.level` its severity (`error`, `warning`, `note` for info). A diagnostic
//!   whose code is not listed (a tool code in a report whose setup failed, an internal error) gets a
//!   rule appended after them, so that every `ruleIndex` resolves.
//! - `results` holds **every** diagnostic in report order, suppressed ones included: these carry
//!   `suppressions` (`inSource` for a `consentlint-ignore` comment, `external` for the baseline,
//!   status `accepted`, with the justification), as SARIF expects, so that services can show them as
//!   dismissed instead of forgetting them.
//! - `message.text` is the message; when there is help it follows as a second sentence,
//!   `<message>. Help: <help>`, because viewers short of space show the first sentence only and the
//!   help ("did you mean `User.Read`?") is worth seeing in an alert. `properties.help` repeats the
//!   help alone, and `properties.pointer` and `properties.document` give the JSON Pointer and the
//!   0-based document index.
//! - `locations[0]` is the primary span with its label as message; related spans are
//!   `relatedLocations`. File names are URI references relative to `%SRCROOT%` (the directory paths
//!   are shown relative to: the working directory), percent-encoded; absolute names become `file:`
//!   URIs. `originalUriBaseIds` describes `%SRCROOT%` without an absolute URI, so that the log does
//!   not depend on the machine. Regions are 1-based with exclusive end columns that count Unicode
//!   code points (`columnKind: unicodeCodePoints`), the same numbers as the JSON format. There are no
//!   snippets or `artifacts`: consumers read the files.
//! - `partialFingerprints["consentlint/v1"]` is `<ruleId>|<file>|<pointer>|<document>`, where the
//!   pointer names list elements by their `name` where they have one (empty when
//!   absent), readable rather than hashed and free of line numbers, so that a finding keeps its
//!   identity when lines are added above it. The second and later results with the same key get
//!   `|2`, `|3`, … in report order.
//! - `invocations[0].executionSuccessful` is false when some input could not be read.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity, SuppressionKind};
use crate::report::{Report, RuleMeta};
use crate::source::Position;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The tool's home page.
const INFORMATION_URI: &str = "https://github.com/consentlint/consentlint";
/// The base every relative file name is resolved against.
const SRCROOT: &str = "%SRCROOT%";
/// The name of our partial fingerprint; the version changes if its recipe ever does.
const FINGERPRINT: &str = "consentlint/v1";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    invocations: [Invocation; 1],
    original_uri_base_ids: BTreeMap<&'static str, BaseId>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    short_description: Option<Text<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_description: Option<Text<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<Help<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<&'a str>,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct OwnedText {
    text: String,
}

#[derive(Serialize)]
struct Help<'a> {
    text: &'a str,
    markdown: &'a str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
}

#[derive(Serialize)]
struct BaseId {
    description: Text<'static>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: OwnedText,
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<SarifSuppression<'a>>,
    properties: Properties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct SarifSuppression<'a> {
    kind: &'static str,
    status: &'static str,
    justification: &'a str,
}

#[derive(Serialize)]
struct Properties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pointer: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    document: Option<usize>,
}

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let tool_codes = crate::report::RuleMeta::of_codes();
    let mut rules: Vec<Rule<'_>> = report.rules.iter().map(rule).collect();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, meta) in report.rules.iter().enumerate() {
        index.entry(meta.id.as_str()).or_insert(i);
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut results = Vec::with_capacity(report.diagnostics.len());
    for d in &report.diagnostics {
        let rule_index = *index.entry(d.code.as_str()).or_insert_with(|| {
            rules.push(tool_codes.iter().find(|meta| meta.id == d.code).map_or_else(|| bare_rule(d), rule));
            rules.len() - 1
        });
        let mut key = fingerprint(d);
        let count = seen.entry(key.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            let _ = write!(key, "|{count}");
        }
        results.push(result(d, rule_index, key));
    }
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "consentlint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules,
                },
            },
            invocations: [Invocation { execution_successful: !report.incomplete }],
            original_uri_base_ids: BTreeMap::from([(
                SRCROOT,
                BaseId {
                    description: Text {
                        text: "The directory consentlint ran in; file names are relative to it.",
                    },
                },
            )]),
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule(meta: &RuleMeta) -> Rule<'_> {
    Rule {
        id: &meta.id,
        name: Some(&meta.name),
        short_description: Some(Text { text: &meta.summary }),
        full_description: Some(Text { text: &meta.summary }),
        help: Some(Help { text: &meta.description, markdown: &meta.description }),
        help_uri: meta.url.as_deref(),
        default_configuration: Configuration { level: level(meta.severity) },
    }
}

/// A rule for a code the report does not describe: what the diagnostic itself says.
fn bare_rule(d: &Diagnostic) -> Rule<'_> {
    Rule {
        id: &d.code,
        name: None,
        short_description: None,
        full_description: None,
        help: None,
        help_uri: d.url.as_deref(),
        default_configuration: Configuration { level: level(d.severity) },
    }
}

/// The identity of a finding that survives edits elsewhere in its file.
fn fingerprint(d: &Diagnostic) -> String {
    format!(
        "{}|{}|{}|{}",
        d.code,
        d.source.name(),
        d.node_key(),
        d.document.map(|n| n.to_string()).unwrap_or_default()
    )
}

fn result(d: &Diagnostic, rule_index: usize, fingerprint: String) -> SarifResult<'_> {
    let text = match &d.help {
        Some(help) => format!("{}. Help: {help}", d.message),
        None => d.message.clone(),
    };
    let related = d
        .related
        .iter()
        .map(|label| {
            let (start, end) =
                (label.source.position(label.span.start), label.source.position(label.span.end));
            location(label.source.name(), Some((start, end)), Some(&label.message))
        })
        .collect();
    SarifResult {
        rule_id: &d.code,
        rule_index,
        level: level(d.severity),
        message: OwnedText { text },
        locations: [location(d.source.name(), d.start().zip(d.end()), d.label.as_deref())],
        related_locations: related,
        partial_fingerprints: BTreeMap::from([(FINGERPRINT, fingerprint)]),
        suppressions: d
            .suppression
            .iter()
            .map(|s| SarifSuppression {
                kind: match s.kind {
                    SuppressionKind::Inline => "inSource",
                    SuppressionKind::Baseline => "external",
                },
                status: "accepted",
                justification: &s.justification,
            })
            .collect(),
        properties: Properties {
            help: d.help.as_deref(),
            pointer: d.pointer.as_deref(),
            document: d.document,
        },
    }
}

/// A place in a file (the whole file when `range` is `None`), with a message.
fn location<'a>(file: &str, range: Option<(Position, Position)>, message: Option<&'a str>) -> Location<'a> {
    Location {
        physical_location: PhysicalLocation {
            artifact_location: artifact_location(file),
            region: range.map(|(start, end)| Region {
                start_line: start.line,
                start_column: start.column,
                end_line: end.line,
                end_column: end.column,
            }),
        },
        message: message.map(|text| Text { text }),
    }
}

/// A file name as shown (relative, `/` separators) as a SARIF artifact location: a percent-encoded
/// URI reference relative to `%SRCROOT%`, or a `file:` URI for an absolute name.
fn artifact_location(name: &str) -> ArtifactLocation {
    if let Some(rest) = name.strip_prefix('/') {
        return ArtifactLocation { uri: format!("file:///{}", encode(rest)), uri_base_id: None };
    }
    if let [drive, b':', b'/', ..] = name.as_bytes()
        && drive.is_ascii_alphabetic()
    {
        let (drive, path) = (char::from(*drive), name.get(2..).unwrap_or_default());
        return ArtifactLocation { uri: format!("file:///{drive}:{}", encode(path)), uri_base_id: None };
    }
    ArtifactLocation { uri: encode(name), uri_base_id: Some(SRCROOT) }
}

/// Percent-encodes every byte but unreserved characters and `/` (RFC 3986), so that spaces,
/// non-ASCII letters, `%`, `#`, `?` and a `:` that would look like a scheme stay part of the path.
fn encode(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            uri.push(char::from(byte));
        } else {
            let _ = write!(uri, "%{byte:02X}");
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_become_uri_references() {
        let relative = artifact_location("apps/sales reports#1 ü:x%.yaml");
        assert_eq!(relative.uri, "apps/sales%20reports%231%20%C3%BC%3Ax%25.yaml");
        assert_eq!(relative.uri_base_id, Some(SRCROOT));
        let absolute = artifact_location("/srv/repo/a b.yaml");
        assert_eq!(absolute.uri, "file:///srv/repo/a%20b.yaml");
        assert_eq!(absolute.uri_base_id, None);
        assert_eq!(artifact_location("C:/repo/a.yaml").uri, "file:///C:/repo/a.yaml");
        assert_eq!(artifact_location("../shared/a.yaml").uri, "../shared/a.yaml");
    }
}
