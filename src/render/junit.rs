//! `--format junit`: `JUnit` XML, as read by GitLab, Jenkins (the `junit` step and the xUnit
//! plugin) and the GitHub test-report actions.
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <testsuites name="consentlint" tests="2" failures="1" errors="0">
//!   <testsuite name="apps/x.yaml" tests="1" failures="1" errors="0">
//!     <testcase name="CL-A004 /spec/permissions/[name=User.Raed]" classname="apps/x_yaml">
//!       <failure message="no delegated permission named `User.Raed` is …" type="CL-A004">error[CL-A004]: …
//!   --> apps/x.yaml:16:13
//!   = help: did you mean `User.Read`?
//!   = docs: https://…</failure>
//!     </testcase>
//!   </testsuite>
//!   <testsuite name="consentlint: not judged" tests="1" failures="0" errors="0" skipped="1">
//!     <testcase name="`CL-T006` was not judged on …" classname="consentlint">
//!       <skipped message="`CL-T006` was not judged on …"/>
//!     </testcase>
//!   </testsuite>
//! </testsuites>
//! ```
//!
//! One test suite per file with reported findings, in report order, and one test case per finding;
//! suppressed findings are left out. A test case is named by its code and the finding's stable
//! pointer (list elements by name), not by its line, so that its name survives edits above it; GitLab
//! keeps only the first of test cases with the same name, so a repeated name gets ` (2)`, ` (3)`, …
//! within its file. `classname` is the file's path from the repository root with `.` replaced by
//! `_`: Jenkins splits a classname at its last `.` into package and class, which would make
//! `apps/x` a package and `yaml` a class. Errors and warnings are `<failure>`s, because both are
//! meant to be fixed and CI test reports show failures only; an info is a passing test case whose
//! text is in `<system-out>`. The text mirrors the `plain` format's header, location, help and link
//! lines. A clean run gives one passing test case in a suite named `consentlint`, so the report is
//! never empty. The run's notes (what was not judged, and why) close the report as `<skipped>` test
//! cases of a suite `consentlint: not judged`, each with its reason.
//!
//! The document is valid against `junit-10.xsd`, the schema the Jenkins xUnit plugin validates
//! `JUnit` reports with (the constraints relied on are written out in
//! `tests/schemas/junit-10.xsd`), and reads in GitLab's parser, which takes the same elements.
//! Where the two differ, the default serves both: GitLab reads a `file` attribute on a test case,
//! which `junit-10.xsd` does not allow (the xUnit plugin rejects the whole report), so there is
//! none, and the path from the repository root is in `classname` (and the failure text) instead;
//! `skipped` counts appear on test suites only, where the schema allows them.
//!
//! Text is escaped for XML; characters XML 1.0 forbids (controls other than tab, LF and CR,
//! U+FFFE, U+FFFF) and other terminal hazards are shown as `\u{…}` escapes rather than dropped, so
//! that user data can neither break the document nor vanish silently.

use std::fmt::Write as _;
use std::io::{self, Write};

use std::collections::HashMap;

use super::paths::in_repository;
use super::{Platform, is_hazard, push_escape};
use crate::diagnostic::{Diagnostic, Severity};
use crate::report::Report;

const INDENT: &str = "  ";
/// The name of the suite of the run's notes.
const NOT_JUDGED: &str = "consentlint: not judged";

pub(super) fn render(report: &Report, platform: &Platform, out: &mut dyn Write) -> io::Result<()> {
    let visible: Vec<&Diagnostic> = report.visible().collect();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"consentlint\" tests=\"{}\" failures=\"{}\" errors=\"0\">",
        visible.len().max(1) + report.unjudged_notes().count(),
        failures(&visible)
    );
    if visible.is_empty() {
        let _ =
            writeln!(xml, "{INDENT}<testsuite name=\"consentlint\" tests=\"1\" failures=\"0\" errors=\"0\">");
        let _ = writeln!(xml, "{INDENT}{INDENT}<testcase name=\"consentlint\" classname=\"consentlint\"/>");
        let _ = writeln!(xml, "{INDENT}</testsuite>");
    }
    for suite in visible.chunk_by(|a, b| a.source.name() == b.source.name()) {
        let Some(first) = suite.first() else { continue };
        let file = escape(first.source.name(), true);
        let _ = writeln!(
            xml,
            "{INDENT}<testsuite name=\"{file}\" tests=\"{}\" failures=\"{}\" errors=\"0\">",
            suite.len(),
            failures(suite)
        );
        let class = escape(&in_repository(&platform.prefix, first.source.name()), true).replace('.', "_");
        let mut seen: HashMap<String, usize> = HashMap::new();
        for d in suite {
            let mut name = match d.node_key() {
                "" => d.code.clone(),
                key => format!("{} {key}", d.code),
            };
            let count = seen.entry(name.clone()).or_insert(0);
            *count += 1;
            if *count > 1 {
                let _ = write!(name, " ({count})");
            }
            let names = Names { name: escape(&name, true), class: &class };
            test_case(&mut xml, d, &names);
        }
        let _ = writeln!(xml, "{INDENT}</testsuite>");
    }
    not_judged(&mut xml, report);
    xml.push_str("</testsuites>\n");
    out.write_all(xml.as_bytes())
}

fn failures(diagnostics: &[&Diagnostic]) -> usize {
    diagnostics.iter().filter(|d| d.severity >= Severity::Warning).count()
}

/// A test case's attributes, escaped.
struct Names<'a> {
    name: String,
    class: &'a str,
}

/// The run's notes as skipped test cases of a suite of their own, named by the note (a repeated
/// one gets ` (2)`, …) with the note as the reason.
fn not_judged(xml: &mut String, report: &Report) {
    let count = report.unjudged_notes().count();
    if count == 0 {
        return;
    }
    let _ = writeln!(
        xml,
        "{INDENT}<testsuite name=\"{NOT_JUDGED}\" tests=\"{count}\" failures=\"0\" errors=\"0\" skipped=\"{count}\">"
    );
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for note in report.unjudged_notes() {
        let times = seen.entry(note.message.as_str()).or_insert(0);
        *times += 1;
        let mut name = note.message.clone();
        if *times > 1 {
            let _ = write!(name, " ({times})");
        }
        let reason = escape(&note.message, true);
        let _ = writeln!(
            xml,
            "{INDENT}{INDENT}<testcase name=\"{}\" classname=\"consentlint\">\n{INDENT}{INDENT}{INDENT}<skipped message=\"{reason}\"/>\n{INDENT}{INDENT}</testcase>",
            escape(&name, true)
        );
    }
    let _ = writeln!(xml, "{INDENT}</testsuite>");
}

/// One finding as a test case.
fn test_case(xml: &mut String, d: &Diagnostic, names: &Names<'_>) {
    let at = d.start().map(|start| format!(":{}:{}", start.line, start.column)).unwrap_or_default();
    let _ = writeln!(xml, "{INDENT}{INDENT}<testcase name=\"{}\" classname=\"{}\">", names.name, names.class);
    let mut text =
        format!("{}[{}]: {}\n{INDENT}--> {}{at}", d.severity.as_str(), d.code, d.message, d.source.name());
    if let Some(help) = &d.help {
        let _ = write!(text, "\n{INDENT}= help: {help}");
    }
    if let Some(url) = &d.url {
        let _ = write!(text, "\n{INDENT}= docs: {url}");
    }
    let text = escape(&text, false);
    let _ = if d.severity >= Severity::Warning {
        writeln!(
            xml,
            "{INDENT}{INDENT}{INDENT}<failure message=\"{}\" type=\"{}\">{text}</failure>",
            escape(&d.message, true),
            escape(&d.code, true)
        )
    } else {
        writeln!(xml, "{INDENT}{INDENT}{INDENT}<system-out>{text}</system-out>")
    };
    let _ = writeln!(xml, "{INDENT}{INDENT}</testcase>");
}

/// Escapes `text` for XML content, or for an attribute value, where quotes are escaped too and tab
/// and line breaks become character references so that parsers do not normalise them to spaces.
fn escape(text: &str, attribute: bool) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' if attribute => escaped.push_str("&quot;"),
            '\'' if attribute => escaped.push_str("&apos;"),
            '\r' => escaped.push_str("&#13;"),
            '\n' if attribute => escaped.push_str("&#10;"),
            '\t' if attribute => escaped.push_str("&#9;"),
            c if is_hazard(c) || matches!(c, '\u{fffe}' | '\u{ffff}') => push_escape(&mut escaped, c),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_forbidden_characters() {
        assert_eq!(escape("a<b>&\"c'", false), "a&lt;b&gt;&amp;\"c'");
        assert_eq!(escape("a<b>&\"c'", true), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(escape("]]>\u{0}\u{1b}\u{ffff}", false), "]]&gt;\\u{0}\\u{1b}\\u{ffff}");
        assert_eq!(escape("a\nb\tc\rd", true), "a&#10;b&#9;c&#13;d");
        assert_eq!(escape("a\nb\tc", false), "a\nb\tc");
    }
}
