//! `--format gitlab`: a GitLab Code Quality report, the JSON array that the merge-request widget
//! and the pipeline's Code Quality tab read (`artifacts: reports: codequality:`).
//!
//! ```json
//! [
//!   {
//!     "type": "issue",
//!     "check_name": "CL-A004",
//!     "description": "CL-A004 unknown-permission: no delegated permission named `User.Raed` …",
//!     "categories": ["Security"],
//!     "severity": "major",
//!     "fingerprint": "5f0c…",
//!     "location": { "path": "apps/x.yaml", "lines": { "begin": 16, "end": 16 } }
//!   }
//! ]
//! ```
//!
//! The fields are those GitLab documents for the Code Quality report format
//! (<https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format>): `description`, `check_name`, `fingerprint` (unique
//! per finding; GitLab compares reports of the source and target branches by it), `severity` (one
//! of `info`, `minor`, `major`, `critical`, `blocker`), `location.path` (relative to the
//! repository root) and `location.lines.begin`; `type` and `categories` come from the Code Climate
//! specification the format derives from. One entry per reported finding, in report order;
//! suppressed findings are left out. Severities: error → `major`, warning → `minor`, info →
//! `info`, and `critical` for a finding about a permission whose catalog risk is critical.
//! The fingerprint is the hashed key of [`super::fingerprint`]. A finding about a whole file is on
//! line 1.
//!
//! The run's notes (what was not judged, and why) follow the findings as `info` issues with the
//! check name `consentlint/not-judged`, so that the merge-request widget shows a gate that skipped
//! something. A note is about the run, not a file: its path is the directory the command ran in,
//! from the repository root (`.` at the root), on line 1; its fingerprint is the hashed note.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use super::Platform;
use super::fingerprint;
use super::paths::in_repository;
use crate::diagnostic::{Diagnostic, Severity};
use crate::report::Report;

/// The check name of the run's notes.
const NOT_JUDGED: &str = "consentlint/not-judged";

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: &'a str,
    description: String,
    categories: [&'static str; 1],
    severity: &'static str,
    fingerprint: String,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

pub(super) fn render(report: &Report, platform: &Platform, out: &mut dyn Write) -> io::Result<()> {
    let mut issues: Vec<Issue<'_>> = report
        .diagnostics
        .iter()
        .zip(fingerprint::keys(report, &platform.prefix))
        .filter(|(d, _)| d.suppression.is_none())
        .map(|(d, key)| issue(report, d, &key, &platform.prefix))
        .collect();
    let here = platform.prefix.trim_end_matches('/');
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for note in report.unjudged_notes() {
        let count = seen.entry(note.message.as_str()).or_insert(0);
        *count += 1;
        let key = format!("{NOT_JUDGED}|{}|{count}", note.message);
        issues.push(Issue {
            kind: "issue",
            check_name: NOT_JUDGED,
            description: format!("not judged: {}", note.message),
            categories: ["Security"],
            severity: "info",
            fingerprint: fingerprint::hashed(&key),
            location: Location {
                path: if here.is_empty() { ".".to_owned() } else { here.to_owned() },
                lines: Lines { begin: 1, end: 1 },
            },
        });
    }
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}

fn issue<'a>(report: &Report, d: &'a Diagnostic, key: &str, prefix: &str) -> Issue<'a> {
    let name = report.rules.iter().find(|rule| rule.id == d.code).map(|rule| rule.name.as_str());
    let mut description = match name {
        Some(name) => format!("{} {name}: {}", d.code, d.message),
        None => format!("{}: {}", d.code, d.message),
    };
    if let Some(help) = &d.help {
        description.push_str(" (help: ");
        description.push_str(help);
        description.push(')');
    }
    let begin = d.start().map_or(1, |start| start.line);
    let end = d.end().map_or(begin, |end| end.line.max(begin));
    Issue {
        kind: "issue",
        check_name: &d.code,
        description,
        categories: ["Security"],
        severity: severity(d),
        fingerprint: fingerprint::hashed(key),
        location: Location {
            path: in_repository(prefix, d.source.name()).into_owned(),
            lines: Lines { begin, end },
        },
    }
}

fn severity(d: &Diagnostic) -> &'static str {
    if d.risk.as_deref() == Some("critical") {
        return "critical";
    }
    match d.severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}
