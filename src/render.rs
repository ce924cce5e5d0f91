//! Renders a [`Report`] in one of the output formats, one module per format.

mod controls;
mod controls_csv;
mod fingerprint;
mod github;
mod gitlab;
pub(crate) mod html;
mod human;
mod json;
mod junit;
mod markdown;
mod paths;
mod plain;
mod sarif;
mod snippet;

pub use html::{About, timestamp};
pub use paths::repository_prefix;
pub use sarif::left_out as sarif_left_out;

pub(crate) use markdown::cell as markdown_cell;

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

use crate::report::Report;

/// The output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Graphical diagnostics for people (colour on a terminal unless `NO_COLOR` is set).
    Human,
    /// Deterministic plain text: no colour, fixed layout, relative paths; for snapshot tests.
    Plain,
    /// One JSON object with every diagnostic and the summary.
    Json,
    /// SARIF 2.1.0 for code scanning; suppressed findings only with `--sarif-include-suppressed`.
    Sarif,
    /// GitHub Actions workflow commands: one annotation per finding, errors first, then the summary.
    Github,
    /// `JUnit` XML for CI test reports: one test suite per file, one test case per finding.
    Junit,
    /// Markdown for a GitHub job summary (`$GITHUB_STEP_SUMMARY`) or a pull-request comment.
    Markdown,
    /// GitLab Code Quality report: the JSON array the merge-request widget reads.
    Gitlab,
    /// The controls of the profile's baseline, each with its verdict and the findings behind it.
    Controls,
    /// One self-contained HTML page to open, share or archive: controls, findings with their
    /// source, what was not judged.
    Html,
    /// The controls as CSV, one row per control (and tenant), as ScubaGear writes `ScubaResults.csv`.
    ControlsCsv,
}

/// Settings that depend on where the output goes.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// Whether to use colour (human format only).
    pub color: bool,
    /// Terminal width for wrapping (human format only).
    pub width: usize,
    /// Findings only, without the summary line (human and plain formats only).
    pub quiet: bool,
}

impl Default for Style {
    fn default() -> Self {
        Self { color: false, width: 100, quiet: false }
    }
}

/// Settings of the formats read by CI platforms (SARIF, Markdown, GitLab), and what the HTML
/// report's header says of the run.
#[derive(Clone, Debug, Default)]
pub struct Platform {
    /// Keep suppressed and baselined findings in SARIF, with their `suppressions` entries.
    pub include_suppressed: bool,
    /// SARIF `automationDetails.id`: GitHub code scanning's category.
    pub category: Option<String>,
    /// Where file names are relative to (the working directory), relative to the repository root:
    /// `""` at the root, else `sub/dir/` (see [`repository_prefix`]).
    pub prefix: String,
    /// Where Markdown links to files start, such as `https://github.com/o/r/blob/<sha>/`; `None` for
    /// links relative to the repository root.
    pub link_base: Option<String>,
    /// The paths, profile, catalogs and time the HTML report names in its header.
    pub about: About,
}

/// Writes `report` to `out` in `format`, with default [`Platform`] settings.
///
/// # Errors
/// When writing fails.
pub fn render(report: &Report, format: Format, style: Style, out: &mut dyn Write) -> io::Result<()> {
    render_for(report, format, style, &Platform::default(), out)
}

/// Writes `report` to `out` in `format`.
///
/// # Errors
/// When writing fails.
pub fn render_for(
    report: &Report,
    format: Format,
    style: Style,
    platform: &Platform,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::render(report, style, out),
        Format::Plain => plain::render(report, style.quiet, out),
        Format::Json => json::render(report, out),
        Format::Sarif => sarif::render(report, platform, out),
        Format::Github => github::render(report, platform, out),
        Format::Junit => junit::render(report, platform, out),
        Format::Markdown => markdown::render(report, platform, out),
        Format::Gitlab => gitlab::render(report, platform, out),
        Format::Controls => controls::render(report, out),
        Format::Html => html::render(report, &platform.about, out),
        Format::ControlsCsv => controls_csv::render(report, out),
    }
}

/// Writes the run's notes, one line each, then the summary line: the end of the text formats.
/// With `quiet`, only warnings are written (a run that judged nothing is never silent).
fn write_closing(report: &Report, out: &mut dyn Write, quiet: bool) -> io::Result<()> {
    for note in &report.notes {
        let warning = note.severity == crate::severity::Severity::Warning;
        if quiet && !warning {
            continue;
        }
        let word = if warning { "warning" } else { "note" };
        writeln!(out, "{word}: {}", neutralise(&note.message))?;
    }
    if quiet {
        return Ok(());
    }
    if report.setup_failed {
        let problems = report.visible().count();
        let what = if problems == 1 { "1 problem" } else { "problems" };
        let count = if problems == 1 { String::new() } else { format!("{problems} ") };
        return writeln!(
            out,
            "{count}{what} in consentlint's own inputs (configuration, policies, catalogs, baseline); no file was checked"
        );
    }
    if let Some(view) = report.controls.as_ref().filter(|c| c.chosen) {
        controls::write_block(view, out)?;
    }
    writeln!(out, "{}", report.summary.sentence())
}

/// Writes a character as a visible `\u{…}` escape.
fn push_escape(out: &mut String, c: char) {
    let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
}

/// Whether a character could move the cursor, change colours or reorder text on a terminal: control
/// characters other than tab and line breaks, and every bidirectional formatting character (the
/// Arabic letter mark, the left-to-right and right-to-left marks, embeddings, overrides and isolates).
fn is_hazard(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n' && c != '\r')
        || matches!(
            c,
            '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// Text from a user's file made safe for a terminal: control, escape and bidirectional-override
/// characters are shown as `\u{…}` escapes.
#[must_use]
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| is_hazard(c) || matches!(c, '\n' | '\r' | '\t')) {
        return Cow::Borrowed(text);
    }
    let mut safe = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => safe.push_str("\\n"),
            '\r' => safe.push_str("\\r"),
            // A tab in a key or value would silently look like spaces in a one-line message.
            '\t' => safe.push_str("\\t"),
            c if is_hazard(c) => push_escape(&mut safe, c),
            c => safe.push(c),
        }
    }
    Cow::Owned(safe)
}

/// Source text made safe for a terminal without moving any byte offset: every hazardous character
/// becomes as many `?` as it has bytes, and a lone `\r` (a line break in YAML 1.2, which a terminal
/// would take as "back to the start of the line") becomes `\n`. `\n` and `\r\n` are kept: they end
/// lines, and line text never holds them.
#[must_use]
pub fn neutralise_source(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| is_hazard(c) || c == '\r') {
        return Cow::Borrowed(text);
    }
    let mut safe = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() != Some(&'\n') => safe.push('\n'),
            c if is_hazard(c) => safe.extend(std::iter::repeat_n('?', c.len_utf8())),
            c => safe.push(c),
        }
    }
    Cow::Owned(safe)
}

/// The `diagnostics` of `report` as `check --format json` writes them, for the JSON of the other
/// commands (`simulate`, `grants`), which carry their inputs' problems in that shape.
///
/// # Errors
/// When rendering fails.
pub(crate) fn json_diagnostics(report: &Report) -> io::Result<serde_json::Value> {
    let mut check = Vec::new();
    render(report, Format::Json, Style::default(), &mut check)?;
    Ok(serde_json::from_slice::<serde_json::Value>(&check)
        .ok()
        .and_then(|mut report| report.get_mut("diagnostics").map(serde_json::Value::take))
        .unwrap_or_else(|| serde_json::Value::Array(Vec::new())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_controls() {
        assert_eq!(neutralise("a\u{1b}[31mb\u{202e}c"), "a\\u{1b}[31mb\\u{202e}c");
        assert_eq!(neutralise("plain é"), "plain é");
        assert_eq!(neutralise("a\u{61c}b\u{200f}c\u{2066}d"), "a\\u{61c}b\\u{200f}c\\u{2066}d");
        assert_eq!(neutralise("co\tsent"), "co\\tsent");
        let source = "x: \u{1b}\u{85}y";
        let safe = neutralise_source(source);
        assert_eq!(safe.len(), source.len());
        assert_eq!(safe, "x: ???y");
    }

    #[test]
    fn a_lone_cr_in_source_becomes_a_line_feed() {
        let source = "a: 1\rb: 2\r\nc: \u{1b}\r";
        let safe = neutralise_source(source);
        assert_eq!(safe, "a: 1\nb: 2\r\nc: ?\n");
        assert_eq!(safe.len(), source.len());
    }
}
