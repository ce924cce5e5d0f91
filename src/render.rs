//! Renders a [`Report`] in one of the output formats, one module per format.

mod github;
mod human;
mod json;
mod junit;
mod plain;
mod sarif;

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
    /// SARIF 2.1.0 for code-scanning services; suppressed findings included, marked as such.
    Sarif,
    /// GitHub Actions workflow commands: one annotation per finding, then the summary line.
    Github,
    /// `JUnit` XML for CI test reports: one test suite per file, one test case per finding.
    Junit,
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

/// Writes `report` to `out` in `format`.
///
/// # Errors
/// When writing fails.
pub fn render(report: &Report, format: Format, style: Style, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human => human::render(report, style, out),
        Format::Plain => plain::render(report, style.quiet, out),
        Format::Json => json::render(report, out),
        Format::Sarif => sarif::render(report, out),
        Format::Github => github::render(report, out),
        Format::Junit => junit::render(report, out),
    }
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
    if !text.chars().any(|c| is_hazard(c) || c == '\n' || c == '\r') {
        return Cow::Borrowed(text);
    }
    let mut safe = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => safe.push_str("\\n"),
            '\r' => safe.push_str("\\r"),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_controls() {
        assert_eq!(neutralise("a\u{1b}[31mb\u{202e}c"), "a\\u{1b}[31mb\\u{202e}c");
        assert_eq!(neutralise("plain é"), "plain é");
        assert_eq!(neutralise("a\u{61c}b\u{200f}c\u{2066}d"), "a\\u{61c}b\\u{200f}c\\u{2066}d");
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
