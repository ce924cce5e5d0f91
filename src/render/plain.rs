//! The deterministic plain renderer: ASCII decorations, no colour, no wrapping, relative paths.
//! Its layout is a stable contract; snapshot tests depend on it.
//!
//! ```text
//! error[CL-S001]: unknown key `notifyReviewer`
//!   --> tenants/contoso.yaml:14:5
//!    |
//! 14 |     notifyReviewer: true
//!    |     ^^^^^^^^^^^^^^ unknown key
//!    |
//!    = help: did you mean `notifyReviewers`?
//! ```

use std::io::{self, Write};
use std::sync::Arc;

use unicode_width::UnicodeWidthChar;

use super::{neutralise, neutralise_source};
use crate::diagnostic::Diagnostic;
use crate::report::Report;
use crate::source::{SourceFile, Span};

const TAB: &str = "    ";
/// Lines longer than this many characters are shown as a window around the first span.
const MAX_LINE: usize = 120;
/// Characters kept before the span in a window.
const LEAD: usize = 40;
const ELLIPSIS: &str = "...";

/// Writes every diagnostic, then the summary line unless `quiet`.
pub(super) fn render(report: &Report, quiet: bool, out: &mut dyn Write) -> io::Result<()> {
    for diagnostic in report.visible() {
        write_diagnostic(diagnostic, out)?;
        writeln!(out)?;
    }
    super::write_closing(report, out, quiet)
}

/// A span to underline: `^` for the primary one, `-` for related ones.
struct Mark<'a> {
    span: Span,
    symbol: char,
    label: Option<&'a str>,
}

/// Writes one diagnostic: its file's snippet, then one for each other file a related span is in.
pub fn write_diagnostic(d: &Diagnostic, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}[{}]: {}", d.severity.as_str(), d.code, neutralise(&d.message))?;
    let primary = d.span.map(|span| Mark { span, symbol: '^', label: d.label.as_deref() });
    let mut groups: Vec<(&Arc<SourceFile>, Vec<Mark<'_>>)> = vec![(&d.source, primary.into_iter().collect())];
    for label in &d.related {
        let mark = Mark { span: label.span, symbol: '-', label: Some(&label.message) };
        match groups
            .iter_mut()
            .find(|(source, _)| Arc::ptr_eq(source, &label.source) || source.name() == label.source.name())
        {
            Some((_, marks)) => marks.push(mark),
            None => groups.push((&label.source, vec![mark])),
        }
    }
    let lines = |source: &SourceFile, marks: &[Mark<'_>]| {
        let mut lines: Vec<usize> = marks.iter().map(|m| source.line_index(m.span.start)).collect();
        lines.sort_unstable();
        lines.dedup();
        lines
    };
    let last = groups.iter().filter_map(|(source, marks)| lines(source, marks).last().copied()).max();
    let gutter = last.map_or(1, |last| (last + 1).to_string().len());
    let pad = " ".repeat(gutter);
    for (index, (source, marks)) in groups.iter_mut().enumerate() {
        marks.sort_by_key(|mark| mark.span.start);
        let arrow = if index == 0 { "-->" } else { ":::" };
        let at = match (index, d.start(), marks.first()) {
            (0, Some(start), _) => format!(":{}:{}", start.line, start.column),
            (0, None, _) | (_, _, None) => String::new(),
            (_, _, Some(first)) => {
                let start = source.position(first.span.start);
                format!(":{}:{}", start.line, start.column)
            }
        };
        writeln!(out, "{pad}{arrow} {}{at}", neutralise(source.name()))?;
        if marks.is_empty() || source.text().is_empty() {
            continue;
        }
        writeln!(out, "{pad} |")?;
        for line in lines(source, marks) {
            let on_line: Vec<&Mark<'_>> =
                marks.iter().filter(|m| source.line_index(m.span.start) == line).collect();
            let Some(first) = on_line.first() else { continue };
            let window = Window::new(source, line, first.span);
            writeln!(out, "{:>gutter$} | {}", line + 1, window.text.trim_end())?;
            for mark in on_line {
                let (indent, width) = window.underline(source, line, mark.span);
                let label = mark.label.map(|l| format!(" {}", neutralise(l))).unwrap_or_default();
                writeln!(
                    out,
                    "{pad} | {}{}{label}",
                    " ".repeat(indent),
                    mark.symbol.to_string().repeat(width)
                )?;
            }
        }
        writeln!(out, "{pad} |")?;
    }
    if let Some(help) = &d.help {
        writeln!(out, "{pad} = help: {}", neutralise(help))?;
    }
    if let Some(url) = &d.url {
        writeln!(out, "{pad} = docs: {url}")?;
    }
    Ok(())
}

/// The part of a source line that is shown.
struct Window {
    /// Byte offset, within the line, of the first character shown.
    from: usize,
    /// Byte offset, within the line, just past the last character shown.
    to: usize,
    /// The text shown, made safe, with tabs expanded and ellipses added.
    text: String,
}

impl Window {
    fn new(source: &SourceFile, line: usize, first: Span) -> Self {
        let raw = source.line_text(line);
        // Bytes bound characters from above: only lines that may be long are counted.
        if raw.len() <= MAX_LINE || raw.chars().take(MAX_LINE + 1).count() <= MAX_LINE {
            return Self { from: 0, to: raw.len(), text: expand(&neutralise_source(raw)) };
        }
        let start = line_offset(source, line, first.start).min(raw.len());
        let start = source_floor(raw, start);
        let before = raw.get(..start).unwrap_or_default();
        let from = before.char_indices().rev().nth(LEAD - 1).map_or(0, |(i, _)| i);
        let shown = raw.get(from..).unwrap_or_default();
        let to = shown.char_indices().nth(MAX_LINE).map_or(raw.len(), |(i, _)| from + i);
        let mut text = String::new();
        if from > 0 {
            text.push_str(ELLIPSIS);
        }
        text.push_str(&expand(&neutralise_source(raw.get(from..to).unwrap_or_default())));
        if to < raw.len() {
            text.push_str(ELLIPSIS);
        }
        Self { from, to, text }
    }

    /// Display columns before the span, and the underline width (at least 1).
    fn underline(&self, source: &SourceFile, line: usize, span: Span) -> (usize, usize) {
        let text = source.line_text(line);
        let start = source_floor(text, line_offset(source, line, span.start).clamp(self.from, self.to));
        let end = source_floor(text, line_offset(source, line, span.end).clamp(start, self.to));
        let lead = if self.from > 0 { ELLIPSIS.len() } else { 0 };
        let before = text.get(self.from..start).unwrap_or("");
        let inside = text.get(start..end).unwrap_or("");
        (lead + display_width(before), display_width(inside).max(1))
    }
}

/// The byte offset of `offset` within its line's text (after any byte-order mark).
fn line_offset(source: &SourceFile, line: usize, offset: usize) -> usize {
    let bom = if line == 0 && source.text().starts_with('\u{feff}') { 3 } else { 0 };
    offset.saturating_sub(source.line_start(line) + bom)
}

fn source_floor(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The columns `text` takes once shown: a tab is expanded, and a hazardous character is shown as
/// one `?` per byte (see [`neutralise_source`]).
fn display_width(text: &str) -> usize {
    text.chars()
        .map(|c| match c {
            '\t' => TAB.len(),
            c if super::is_hazard(c) => c.len_utf8(),
            c => c.width().unwrap_or(1),
        })
        .sum()
}

fn expand(text: &str) -> String {
    text.replace('\t', TAB)
}
