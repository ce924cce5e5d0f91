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
//!   Each rule's `properties` carry `tags` (`security` and the family), `precision` and
//!   `security-severity`, as GitHub code scanning reads them (see [`rank`]). GitHub takes an
//!   alert's score from its rule, never from the result, so results whose severity or score differ
//!   from their rule's defaults (a rule downgraded by the admin workflow or the configuration, a
//!   permission of critical risk) refer to a variant descriptor of their own, `CL-A002/warning` or
//!   `CL-A007/critical`, listed after the rules: each alert shows its own score, not the worst of
//!   its rule in the run.
//! - `results` holds the reported diagnostics in report order. Suppressed and baselined findings are
//!   left out by default, because GitHub ignores `suppressions` and would show them as open alerts;
//!   with `--sarif-include-suppressed` ([`Platform::include_suppressed`]) they are kept and carry
//!   `suppressions` (`inSource` for a `consentlint-ignore` comment, `external` for the baseline,
//!   status `accepted`, with the justification), for services that honour them. At most
//!   [`rank::MAX_RESULTS`] results (GitHub's limit per run) are written, the most severe first; a
//!   warning in `invocations[0].toolExecutionNotifications` says how many were left out.
//! - `invocations[0].toolExecutionNotifications` also carries the run's notes (what was not judged,
//!   and why), `note` or `warning` as the note is, before that warning.
//! - `automationDetails.id` is `--category` ([`Platform::category`]) followed by `/`: GitHub takes
//!   everything before the last `/` of the id as the analysis category, so that several analyses of
//!   one commit (tenants, apps) do not replace each other.
//! - `message.text` is the message; when there is help it follows as a second sentence,
//!   `<message>. Help: <help>`, because viewers short of space show the first sentence only and the
//!   help ("did you mean `User.Read`?") is worth seeing in an alert. `properties.help` repeats the
//!   help alone, and `properties.pointer` and `properties.document` give the JSON Pointer and the
//!   0-based document index.
//! - `locations[0]` is the primary span with its label as message; related spans are
//!   `relatedLocations`, numbered from 1 by `id`; the message links to each as `[label](id)`, the
//!   Markdown-like link GitHub renders as a link to the related location (SARIF §3.11.6, embedded
//!   links). File names are URI references relative to `%SRCROOT%`, the repository root (see
//!   [`super::paths`]), so that `cd sub && consentlint check .` still gives
//!   paths GitHub finds, percent-encoded; absolute names become `file:`
//!   URIs. `originalUriBaseIds` describes `%SRCROOT%` without an absolute URI, so that the log does
//!   not depend on the machine. Regions are 1-based with exclusive end columns that count Unicode
//!   code points (`columnKind: unicodeCodePoints`), the same numbers as the JSON format. There are no
//!   snippets or `artifacts`: consumers read the files.
//! - `partialFingerprints["consentlint/v1"]` is the readable key of [`super::fingerprint`]
//!   (`<ruleId>|<file>|<pointer>|<document>`, the file from the repository root), and
//!   `partialFingerprints.primaryLocationLineHash` is that key hashed. GitHub code scanning
//!   identifies alerts by `primaryLocationLineHash` alone; left out, `codeql-action/upload-sarif`
//!   computes it from the text of the 100 non-blank characters from the finding's line on, so that
//!   editing a nearby line closed the alert and opened a new one. The action keeps a hash already
//!   present (and logs that its own differs), so alerts now follow the finding's node.
//! - `invocations[0].executionSuccessful` is false when some input could not be read.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::{self, Write};

use super::Platform;
use super::paths::in_repository;
use crate::diagnostic::{Diagnostic, Severity, SuppressionKind};
use crate::report::{Report, RuleMeta};
use crate::source::Position;

mod model;
mod rank;

use model::{
    ArtifactLocation, AutomationDetails, BaseId, Configuration, Driver, Help, Invocation, Location, Log,
    Notification, OwnedText, PhysicalLocation, Properties, Region, Rule, RuleProperties, Run, SarifResult,
    SarifSuppression, Text, Tool,
};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The tool's home page.
const INFORMATION_URI: &str = "https://github.com/consentlint/consentlint";
/// The base every relative file name is resolved against.
const SRCROOT: &str = "%SRCROOT%";
/// The name of our partial fingerprint; the version changes if its recipe ever does.
const FINGERPRINT: &str = "consentlint/v1";
/// The partial fingerprint GitHub code scanning identifies alerts by.
const LINE_HASH: &str = "primaryLocationLineHash";

/// The diagnostics SARIF reports: all, or all but the suppressed ones.
fn reported(report: &Report, include_suppressed: bool) -> impl Iterator<Item = &Diagnostic> {
    report.diagnostics.iter().filter(move |d| include_suppressed || d.suppression.is_none())
}

/// How many results the SARIF log of `report` leaves out to stay within GitHub's limit.
#[must_use]
pub fn left_out(report: &Report, include_suppressed: bool) -> usize {
    reported(report, include_suppressed).count().saturating_sub(rank::MAX_RESULTS)
}

pub(super) fn render(report: &Report, platform: &Platform, out: &mut dyn Write) -> io::Result<()> {
    render_capped(report, platform, rank::MAX_RESULTS, out)
}

fn render_capped(report: &Report, platform: &Platform, limit: usize, out: &mut dyn Write) -> io::Result<()> {
    let tool_codes = crate::report::RuleMeta::of_codes();
    let mut rules: Vec<Rule<'_>> = report.rules.iter().map(rule).collect();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, meta) in report.rules.iter().enumerate() {
        index.entry(meta.id.as_str()).or_insert(i);
    }
    let mut variants: HashMap<(usize, Severity, u8), usize> = HashMap::new();
    let mut all = Vec::new();
    for (d, key) in report.diagnostics.iter().zip(super::fingerprint::keys(report, &platform.prefix)) {
        if d.suppression.is_some() && !platform.include_suppressed {
            continue;
        }
        let base = *index.entry(d.code.as_str()).or_insert_with(|| {
            rules.push(tool_codes.iter().find(|meta| meta.id == d.code).map_or_else(|| bare_rule(d), rule));
            rules.len() - 1
        });
        let score = rank::of(d);
        let rule_index = descriptor(&mut rules, &mut variants, base, d.severity, score);
        all.push((d, rule_index, score, key));
    }
    let scores: Vec<u8> = all.iter().map(|(_, _, score, _)| *score).collect();
    let kept = rank::keep(&scores, limit);
    let dropped = all.len() - kept.len();
    let mut chosen = kept.into_iter().peekable();
    let mut results = Vec::with_capacity(all.len() - dropped);
    for (i, (d, rule_index, _, key)) in all.into_iter().enumerate() {
        if chosen.next_if_eq(&i).is_some() {
            let id = rules.get(rule_index).map_or(Cow::Borrowed(d.code.as_str()), |r| r.id.clone());
            results.push(result(d, (id, rule_index), key, &platform.prefix));
        }
    }
    let mut notifications: Vec<Notification> = report
        .notes
        .iter()
        .map(|note| Notification {
            level: level(note.severity),
            message: OwnedText { text: note.message.clone() },
        })
        .collect();
    if dropped > 0 {
        notifications.push(Notification {
            level: "warning",
            message: OwnedText {
                text: format!(
                    "{dropped} of {} results were left out, the least severe first, to stay within \
                     GitHub code scanning's limit of {limit} results per run",
                    results.len() + dropped
                ),
            },
        });
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
            invocations: [Invocation {
                execution_successful: !report.incomplete,
                tool_execution_notifications: notifications,
            }],
            automation_details: platform.category.as_ref().map(|category| AutomationDetails {
                id: if category.ends_with('/') { category.clone() } else { format!("{category}/") },
            }),
            original_uri_base_ids: BTreeMap::from([(
                SRCROOT,
                BaseId {
                    description: Text {
                        text: "The repository root (the nearest directory above the working directory \
                               that holds `.git`, else the working directory); file names are relative to it.",
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

/// The index of the descriptor that results of rule `base` with `severity` and `score` refer to:
/// the rule's own when both are its defaults, else a variant `<id>/<what differs>` (`CL-A002/warning`,
/// `CL-A007/critical`) with that level and score, made once per run. GitHub reads `security-severity`
/// from the descriptor, so each alert shows its own score, not the worst of its rule.
fn descriptor(
    rules: &mut Vec<Rule<'_>>,
    variants: &mut HashMap<(usize, Severity, u8), usize>,
    base: usize,
    severity: Severity,
    score: u8,
) -> usize {
    let Some(rule) = rules.get(base) else { return base };
    let own_level = rule.default_configuration.level == level(severity);
    if own_level && rule.score == score {
        return base;
    }
    if let Some(found) = variants.get(&(base, severity, score)) {
        return *found;
    }
    let mut parts = Vec::new();
    if !own_level {
        parts.push(severity.as_str());
    }
    if score != rank::score(severity, None) {
        parts.push("critical");
    }
    let mut variant = rule.clone();
    variant.id = Cow::Owned(format!("{}/{}", rule.id, parts.join("-")));
    variant.default_configuration = Configuration { level: level(severity) };
    variant.properties.security_severity = rank::written(score);
    variant.score = score;
    rules.push(variant);
    variants.insert((base, severity, score), rules.len() - 1);
    rules.len() - 1
}

/// A rule's properties and score from its id and default severity.
fn ranked(id: &str, severity: Severity) -> (RuleProperties, u8) {
    let score = rank::score(severity, None);
    let properties = RuleProperties {
        tags: rank::tags(id),
        precision: rank::precision(id),
        security_severity: rank::written(score),
    };
    (properties, score)
}

fn rule(meta: &RuleMeta) -> Rule<'_> {
    let (properties, score) = ranked(&meta.id, meta.severity);
    Rule {
        id: Cow::Borrowed(&meta.id),
        name: Some(&meta.name),
        short_description: Some(Text { text: &meta.summary }),
        full_description: Some(Text { text: &meta.summary }),
        help: Some(Help { text: &meta.description, markdown: &meta.description }),
        help_uri: meta.url.as_deref(),
        default_configuration: Configuration { level: level(meta.severity) },
        properties,
        score,
    }
}

/// A rule for a code the report does not describe: what the diagnostic itself says.
fn bare_rule(d: &Diagnostic) -> Rule<'_> {
    let (properties, score) = ranked(&d.code, d.severity);
    Rule {
        id: Cow::Borrowed(&d.code),
        name: None,
        short_description: None,
        full_description: None,
        help: None,
        help_uri: d.url.as_deref(),
        default_configuration: Configuration { level: level(d.severity) },
        properties,
        score,
    }
}

/// One result; `rule` is the id and index of its descriptor.
fn result<'a>(
    d: &'a Diagnostic,
    (rule_id, rule_index): (Cow<'a, str>, usize),
    key: String,
    prefix: &str,
) -> SarifResult<'a> {
    let mut text = match &d.help {
        Some(help) => format!("{}. Help: {help}", d.message),
        None => d.message.clone(),
    };
    for (i, label) in d.related.iter().enumerate() {
        text.push_str(if i == 0 { ". See " } else { ", " });
        let _ = write!(text, "[{}]({})", link_text(&label.message), i + 1);
    }
    let related = d
        .related
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let (start, end) =
                (label.source.position(label.span.start), label.source.position(label.span.end));
            let mut place = location(
                &in_repository(prefix, label.source.name()),
                Some((start, end)),
                Some(&label.message),
            );
            place.id = Some(i + 1);
            place
        })
        .collect();
    SarifResult {
        rule_id,
        rule_index,
        level: level(d.severity),
        message: OwnedText { text },
        locations: [location(
            &in_repository(prefix, d.source.name()),
            d.start().zip(d.end()),
            d.label.as_deref(),
        )],
        related_locations: related,
        partial_fingerprints: BTreeMap::from([
            (LINE_HASH, super::fingerprint::hashed(&key)),
            (FINGERPRINT, key),
        ]),
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
            security_severity: rank::written(rank::of(d)),
        },
    }
}

/// A place in a file (the whole file when `range` is `None`), with a message.
fn location<'a>(file: &str, range: Option<(Position, Position)>, message: Option<&'a str>) -> Location<'a> {
    Location {
        id: None,
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

/// A related location's label as the text of an embedded link: `\`, `[` and `]` escaped with `\`
/// (SARIF §3.11.6).
fn link_text(label: &str) -> String {
    let mut text = String::with_capacity(label.len());
    for c in label.chars() {
        if matches!(c, '\\' | '[' | ']') {
            text.push('\\');
        }
        text.push(c);
    }
    text
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

    #[test]
    fn link_texts_escape_brackets() {
        assert_eq!(link_text("a [b] \\ c"), "a \\[b\\] \\\\ c");
    }

    #[test]
    fn the_cap_leaves_out_the_least_severe_and_says_so() {
        let source = std::sync::Arc::new(crate::source::SourceFile::new(
            std::path::PathBuf::from("a.yaml"),
            "a.yaml".to_owned(),
            "a: 1\n",
        ));
        let span = crate::source::Span::new(0, 1);
        let diagnostics = vec![
            Diagnostic::new("CL-X001", Severity::Info, "low", &source, span),
            Diagnostic::new("CL-X002", Severity::Error, "high", &source, crate::source::Span::new(1, 2)),
            Diagnostic::new("CL-X003", Severity::Warning, "medium", &source, crate::source::Span::new(2, 3)),
        ];
        let report = Report::new(diagnostics, 1, 1, false);
        let mut out = Vec::new();
        assert!(render_capped(&report, &Platform::default(), 2, &mut out).is_ok());
        let log: serde_json::Value = serde_json::from_slice(&out).unwrap_or_default();
        let run = &log["runs"][0];
        let ids: Vec<&str> =
            run["results"].as_array().into_iter().flatten().filter_map(|r| r["ruleId"].as_str()).collect();
        assert_eq!(ids, ["CL-X002", "CL-X003"]);
        let note = &run["invocations"][0]["toolExecutionNotifications"][0];
        assert_eq!(note["level"], "warning");
        assert_eq!(
            note["message"]["text"],
            "1 of 3 results were left out, the least severe first, to stay within GitHub code scanning's \
             limit of 2 results per run"
        );
    }
}
