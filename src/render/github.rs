//! `--format github`: GitHub Actions workflow commands, which the runner turns into annotations on
//! the run and on the pull request's changed files.
//!
//! ```text
//! ::error file=apps/x.yaml,line=16,col=13,endLine=16,endColumn=22,title=CL-A004 unknown-permission::`User.Raed` is not among the delegated permissions of `Microsoft Graph` in the permission catalog%0Ahelp: did you mean `User.Read`?
//! 4 errors, 4 warnings in 3 files (3 documents)
//! ```
//!
//! One command per reported finding, errors first, then warnings, then infos, each in report order:
//! `::error` for errors, `::warning` for warnings, `::notice` for infos; suppressed findings are
//! left out. `file=` is the path from the repository root (see [`super::paths`]), which is what
//! the runner resolves it against, wherever the step ran. GitHub Actions shows at most 10 error,
//! 10 warning and 10 notice annotations per step and 50 per job, and drops the rest silently (the
//! limits as the Actions toolkit documents them, `actions/toolkit` `docs/problem-matchers.md`,
//! "Limitations"), so no more are written: the first 10 errors, the first 10 warnings and the first
//! 10 infos (9 when a notice follows). When that leaves findings out, a closing `::notice::` says
//! how many and points to the job summary (`--format markdown` appended to
//! `$GITHUB_STEP_SUMMARY`). When something was not judged, a notice titled `consentlint: not
//! judged` gives the first such note and how many more there are (the room for infos shrinks by
//! one for it); every note follows as a plain `note: …` line in the log, then the summary line. The title is the code and the rule's name; the message is followed by `help: …` on a second line. Columns are those of the other
//! formats (1-based, characters, `endColumn` exclusive); a finding that spans several lines gives
//! no columns, as GitHub accepts columns only within one line. Values are escaped as the Actions
//! toolkit does (`%`, CR and LF in the message; also `:` and `,` in properties), and other control
//! and bidirectional-override characters are shown as `\u{…}` escapes, so that a file's text can
//! neither end a command early nor start another one. The summary follows as a plain line.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::paths::in_repository;
use super::{Platform, is_hazard, neutralise, push_escape};
use crate::diagnostic::{Diagnostic, Severity};
use crate::report::Report;

/// How many annotations of each kind GitHub shows per step.
const SHOWN_PER_KIND: usize = 10;

pub(super) fn render(report: &Report, platform: &Platform, out: &mut dyn Write) -> io::Result<()> {
    let count = |severity| report.visible().filter(|d| d.severity == severity).count();
    let total = report.visible().count();
    let unjudged: Vec<&str> =
        report.notes.iter().filter(|note| note.unjudged).map(|note| note.message.as_str()).collect();
    // Notices of our own are among the notices GitHub shows: one for what was not judged, and one
    // for the findings left out when there are more than GitHub shows.
    let reserved = usize::from(!unjudged.is_empty());
    let over = count(Severity::Error) > SHOWN_PER_KIND
        || count(Severity::Warning) > SHOWN_PER_KIND
        || count(Severity::Info) > SHOWN_PER_KIND - reserved;
    let mut shown = 0;
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        let room = match severity {
            Severity::Info => SHOWN_PER_KIND - reserved - usize::from(over),
            _ => SHOWN_PER_KIND,
        };
        for d in report.visible().filter(|d| d.severity == severity).take(room) {
            writeln!(out, "{}", command(report, d, &platform.prefix))?;
            shown += 1;
        }
    }
    if shown < total {
        writeln!(out, "{}", overflow(total - shown))?;
    }
    if let Some(first) = unjudged.first() {
        let more = match unjudged.len() {
            1 => String::new(),
            n => format!(" (and {} more not judged; the job summary lists them)", n - 1),
        };
        writeln!(out, "::notice title={}::{}{more}", property("consentlint: not judged"), data(first))?;
    }
    for note in &report.notes {
        writeln!(out, "{}", neutralise(&format!("note: {}", note.message)))?;
    }
    writeln!(out, "{}", report.summary.sentence())
}

/// The notice that says how many findings were not written as annotations.
fn overflow(hidden: usize) -> String {
    let findings = if hidden == 1 { "finding is" } else { "findings are" };
    format!(
        "::notice title=consentlint::{hidden} more {findings} not shown as annotations, because GitHub shows \
         {SHOWN_PER_KIND} errors, {SHOWN_PER_KIND} warnings and {SHOWN_PER_KIND} notices per step; the job \
         summary (`--format markdown`) lists every finding"
    )
}

/// The workflow command of one diagnostic.
fn command(report: &Report, d: &Diagnostic, prefix: &str) -> String {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut line = format!("::{kind} file={}", property(&in_repository(prefix, d.source.name())));
    match d.start().zip(d.end()) {
        Some((start, end)) if start.line == end.line => {
            let _ = write!(
                line,
                ",line={},col={},endLine={},endColumn={}",
                start.line, start.column, end.line, end.column
            );
        }
        Some((start, end)) => {
            let _ = write!(line, ",line={},endLine={}", start.line, end.line);
        }
        None => {}
    }
    let title = match report.rules.iter().find(|rule| rule.id == d.code) {
        Some(rule) => format!("{} {}", d.code, rule.name),
        None => d.code.clone(),
    };
    let _ = write!(line, ",title={}::{}", property(&title), data(&d.message));
    if let Some(help) = &d.help {
        let _ = write!(line, "%0Ahelp: {}", data(help));
    }
    line
}

/// A command's message, escaped as `@actions/core` does, with terminal hazards made visible.
fn data(text: &str) -> String {
    escape(text, false)
}

/// A command's property value: like [`data`], and `:` and `,` too.
fn property(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, property: bool) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => escaped.push_str("%25"),
            '\r' => escaped.push_str("%0D"),
            '\n' => escaped.push_str("%0A"),
            ':' if property => escaped.push_str("%3A"),
            ',' if property => escaped.push_str("%2C"),
            c if is_hazard(c) => push_escape(&mut escaped, c),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_toolkit_does() {
        assert_eq!(data("50%: a, b\r\nc"), "50%25: a, b%0D%0Ac");
        assert_eq!(property("a,b:c%\n"), "a%2Cb%3Ac%25%0A");
        assert_eq!(data("x\u{1b}[31m\u{202e}"), "x\\u{1b}[31m\\u{202e}");
        assert_eq!(data("Zürich\ttab"), "Zürich\ttab");
    }
}
