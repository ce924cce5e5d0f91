//! `--format markdown`: a report for people reading GitHub, written to append to
//! `$GITHUB_STEP_SUMMARY` (the job summary) or to post as a pull-request comment.
//!
//! ```markdown
//! ## consentlint
//!
//! **4 errors, 4 warnings in 3 files (3 documents)**
//!
//! Suppressed: 1 inline, 2 by the baseline; stale baseline entries: 0
//!
//! ### error · CL-A004 unknown-permission (1)
//!
//! | Location | Message |
//! | --- | --- |
//! | [apps/x.yaml:16](apps/x.yaml#L16) | no delegated permission named `User.Raed` is … |
//! ```
//!
//! The totals, the suppression counts, the run's notes under "Not judged" (what was not judged,
//! and why: a gate that skipped rules must not look green), then one table per rule or code, the most severe first
//! (then by id), each finding in report order; suppressed findings are only counted. Locations are
//! relative to the repository root and link to the line: to the file on GitHub at the commit when
//! [`Platform::link_base`] is set (`$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$GITHUB_SHA/`, set
//! by `check` inside GitHub Actions), else as relative links. Table cells escape `|`, `<`, `>` and
//! `&`, line breaks become spaces, and terminal hazards are shown as `\u{…}` escapes.
//!
//! GitHub documents a limit of 1 MiB per step summary (larger summaries are not uploaded and an
//! error annotation is shown instead); the output stays below [`LIMIT`] bytes: when the next row
//! would pass it, the rest is left out and a closing note says how many findings are not listed.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::paths::in_repository;
use super::{Platform, neutralise};
use crate::diagnostic::{Diagnostic, Severity, SuppressionKind};
use crate::report::{Note, Report};

/// The most bytes written: GitHub's 1 MiB step-summary limit, less room for the closing note.
pub(crate) const LIMIT: usize = 1024 * 1024 - 4096;

pub(super) fn render(report: &Report, platform: &Platform, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(markdown(report, platform, LIMIT).as_bytes())
}

fn markdown(report: &Report, platform: &Platform, limit: usize) -> String {
    let mut text = format!("## consentlint\n\n**{}**\n\n", report.summary.sentence());
    let suppressed = |kind| {
        report.diagnostics.iter().filter(|d| d.suppression.as_ref().is_some_and(|s| s.kind == kind)).count()
    };
    let _ = writeln!(
        text,
        "Suppressed: {} inline, {} by the baseline; stale baseline entries: {}\n",
        suppressed(SuppressionKind::Inline),
        suppressed(SuppressionKind::Baseline),
        report.summary.stale_baseline
    );
    write_notes(&mut text, report, limit / 4);
    let mut groups: Vec<(&str, Severity, Vec<&Diagnostic>)> = Vec::new();
    for d in report.visible() {
        match groups.iter_mut().find(|(code, ..)| *code == d.code) {
            Some((_, worst, findings)) => {
                *worst = (*worst).max(d.severity);
                findings.push(d);
            }
            None => groups.push((&d.code, d.severity, vec![d])),
        }
    }
    groups.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let total: usize = groups.iter().map(|(.., findings)| findings.len()).sum();
    let mut listed = 0;
    'groups: for (code, worst, findings) in &groups {
        let name = report.rules.iter().find(|rule| rule.id == *code).map(|rule| rule.name.as_str());
        let mut table = format!(
            "### {} · {}{} ({})\n\n| Location | Message |\n| --- | --- |\n",
            worst.as_str(),
            cell(code),
            name.map(|name| format!(" {}", cell(name))).unwrap_or_default(),
            findings.len()
        );
        for d in findings {
            let row = row(d, platform);
            if text.len() + table.len() + row.len() + 1 > limit {
                if table.lines().count() > 4 {
                    text.push_str(&table);
                    text.push('\n');
                }
                break 'groups;
            }
            table.push_str(&row);
            listed += 1;
        }
        text.push_str(&table);
        text.push('\n');
    }
    if listed < total {
        let _ = writeln!(
            text,
            "_{} more findings are not listed, to keep this summary within GitHub's 1 MiB limit; \
             the `json` and `sarif` formats hold every finding._",
            total - listed
        );
    }
    text
}

/// The run's notes, before the findings so that the size limit never cuts them first: those that
/// say something was not judged under "Not judged", the others (why files were skipped) under
/// "Notes"; one list item each, within `budget` bytes, then how many more there are.
fn write_notes(text: &mut String, report: &Report, budget: usize) {
    let (unjudged, other): (Vec<&Note>, Vec<&Note>) = report.notes.iter().partition(|note| note.unjudged);
    write_note_list(text, "Not judged", &unjudged, budget);
    write_note_list(text, "Notes", &other, budget);
}

fn write_note_list(text: &mut String, title: &str, notes: &[&Note], budget: usize) {
    if notes.is_empty() {
        return;
    }
    let _ = writeln!(text, "### {title} ({})\n", notes.len());
    let start = text.len();
    for (listed, note) in notes.iter().enumerate() {
        let word = if note.severity == Severity::Warning { "**warning**: " } else { "" };
        let item = format!("- {word}{}\n", inline(&note.message, false));
        if text.len() - start + item.len() > budget {
            let _ =
                writeln!(text, "- _{} more notes; the `json` format holds every note_", notes.len() - listed);
            break;
        }
        text.push_str(&item);
    }
    text.push('\n');
}

/// One table row: the linked location and the message (with help).
fn row(d: &Diagnostic, platform: &Platform) -> String {
    let path = in_repository(&platform.prefix, d.source.name());
    let line = d.start().map(|start| start.line);
    let shown = match line {
        Some(line) => format!("{path}:{line}"),
        None => path.to_string(),
    };
    let target = format!(
        "{}{}{}",
        platform.link_base.as_deref().unwrap_or(""),
        link(&path),
        line.map(|line| format!("#L{line}")).unwrap_or_default()
    );
    let mut message = cell(&d.message);
    if let Some(help) = &d.help {
        let _ = write!(message, "<br>help: {}", cell(help));
    }
    format!("| [{}]({target}) | {message} |\n", cell(&shown))
}

/// Text for a table cell: no line breaks, no table or HTML syntax, no terminal hazards. Inside
/// code spans (between backticks, where messages quote user input) Markdown shows text as written,
/// so only `|` is escaped there, as GitHub's tables require; outside them `<`, `>` and `&` become
/// entities and `[`, `]` are escaped, so that text can open neither a tag nor a link.
pub(crate) fn cell(text: &str) -> String {
    inline(text, true)
}

/// Text for one line of Markdown, as [`cell`] makes it; `|` is escaped only in a table.
fn inline(text: &str, table: bool) -> String {
    let safe = neutralise(text);
    let mut escaped = String::with_capacity(safe.len());
    let mut in_code = false;
    for c in safe.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                escaped.push(c);
            }
            '|' if table => escaped.push_str("\\|"),
            '<' if !in_code => escaped.push_str("&lt;"),
            '>' if !in_code => escaped.push_str("&gt;"),
            '&' if !in_code => escaped.push_str("&amp;"),
            '[' if !in_code => escaped.push_str("\\["),
            ']' if !in_code => escaped.push_str("\\]"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// A path as a link target: spaces, parentheses and other characters that would end the link are
/// percent-encoded.
fn link(path: &str) -> String {
    let mut target = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            target.push(char::from(byte));
        } else {
            let _ = write!(target, "%{byte:02X}");
        }
    }
    target
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cannot_break_the_table() {
        assert_eq!(cell("a|b<c>&d\ne [x]"), "a\\|b&lt;c&gt;&amp;d\\ne \\[x\\]");
        assert_eq!(cell("see `<a|b> [x]` <y>"), "see `<a\\|b> [x]` &lt;y&gt;");
        assert_eq!(link("apps/a b(1).yaml"), "apps/a%20b%281%29.yaml");
    }

    #[test]
    fn notes_come_first_within_their_budget() {
        let mut report = Report::new(Vec::new(), 1, 1, false);
        report.notes = (0..100)
            .map(|i| crate::report::Note {
                severity: Severity::Info,
                message: format!("`rule-{i}` was not judged on app `a|b`"),
                unjudged: true,
            })
            .collect();
        let all = markdown(&report, &Platform::default(), LIMIT);
        assert!(all.contains("### Not judged (100)\n\n- `rule-0` was not judged on app `a|b`\n"), "{all}");
        assert_eq!(all.matches("\n- `rule-").count(), 100);
        let cut = markdown(&report, &Platform::default(), 4000);
        let listed = cut.matches("\n- `rule-").count();
        assert!(listed > 0 && listed < 100, "{listed}");
        assert!(
            cut.contains(&format!("- _{} more notes; the `json` format holds every note_\n", 100 - listed)),
            "{cut}"
        );
    }

    #[test]
    fn a_summary_over_the_limit_is_cut_with_a_note() {
        let source = std::sync::Arc::new(crate::source::SourceFile::new(
            std::path::PathBuf::from("a.yaml"),
            "a.yaml".to_owned(),
            "a: 1\n",
        ));
        let diagnostics = (0..50)
            .map(|i| {
                Diagnostic::new(
                    "CL-X001",
                    Severity::Error,
                    format!("finding {i}"),
                    &source,
                    crate::source::Span::new(0, 1),
                )
            })
            .collect();
        let report = Report::new(diagnostics, 1, 1, false);
        let full = markdown(&report, &Platform::default(), LIMIT);
        assert_eq!(full.matches("| [a.yaml:1](a.yaml#L1) |").count(), 50);
        assert!(!full.contains("not listed"));
        let cut = markdown(&report, &Platform::default(), 1000);
        assert!(cut.len() < 1000 + 200, "{}", cut.len());
        let listed = cut.matches("| [a.yaml:1](a.yaml#L1) |").count();
        assert!(listed > 0 && listed < 50, "{listed}");
        assert!(cut.ends_with(&format!(
            "_{} more findings are not listed, to keep this summary within GitHub's 1 MiB limit; the `json` \
             and `sarif` formats hold every finding._\n",
            50 - listed
        )));
    }
}
