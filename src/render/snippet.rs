//! The source snippet of a diagnostic, laid out once for every format that quotes source: the
//! lines its spans are on, each cut to a window around the first span when it is long, made safe
//! (see [`neutralise_source`]) with tabs expanded, and under each span its underline (`^` for the
//! primary span, `-` for related ones) as display columns and as the bytes of the shown text it
//! covers. `plain` writes it as text, `html` as text with the spans marked.

use std::ops::Range;
use std::sync::Arc;

use unicode_width::UnicodeWidthChar;

use super::{is_hazard, neutralise_source};
use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, Span};

const TAB: &str = "    ";
/// Lines longer than this many characters are shown as a window around the first span.
const MAX_LINE: usize = 120;
/// Characters kept before the span in a window.
const LEAD: usize = 40;
/// What stands for the text left out of a long line.
pub(super) const ELLIPSIS: &str = "...";

/// A span to underline.
pub(super) struct Mark<'a> {
    /// Where.
    pub span: Span,
    /// Whether it is the diagnostic's own span, rather than a related one.
    pub primary: bool,
    /// A few words shown beside its underline.
    pub label: Option<&'a str>,
}

impl Mark<'_> {
    /// The character its underline is drawn with.
    pub fn symbol(&self) -> char {
        if self.primary { '^' } else { '-' }
    }
}

/// One file's part of a snippet: the diagnostic's own file first, then each other file a related
/// span is in.
pub(super) struct Block<'a> {
    /// The file.
    pub source: &'a Arc<SourceFile>,
    /// `:line:column` of the diagnostic (first block) or of the first span (others); empty for a
    /// diagnostic about a file as a whole.
    pub at: String,
    /// The lines shown, in order; none for a file without text or without spans.
    pub lines: Vec<Line<'a>>,
    /// The 0-based index of the last line a span is on, shown or not (it sets the gutter).
    last: Option<usize>,
}

/// A line of source as shown, with its underlines.
pub(super) struct Line<'a> {
    /// 1-based.
    pub number: usize,
    /// The text shown: made safe, tabs expanded, trailing white space left out, and `...` where a
    /// long line is cut.
    pub text: String,
    /// One per span on the line, in the order of their starts.
    pub underlines: Vec<Underline<'a>>,
}

/// The underline of one span on a shown line.
pub(super) struct Underline<'a> {
    /// Display columns before it.
    pub indent: usize,
    /// Its width in display columns, at least 1.
    pub width: usize,
    /// The span it underlines.
    pub mark: &'a Mark<'a>,
    /// The bytes of [`Line::text`] it covers (empty for an empty span).
    pub range: Range<usize>,
}

/// The marks of `d`, grouped by file: its own file first (with its primary span, when it has one),
/// then the other files of its related spans, in the order they first appear.
pub(super) fn marks(d: &Diagnostic) -> Vec<(&Arc<SourceFile>, Vec<Mark<'_>>)> {
    let primary = d.span.map(|span| Mark { span, primary: true, label: d.label.as_deref() });
    let mut groups: Vec<(&Arc<SourceFile>, Vec<Mark<'_>>)> = vec![(&d.source, primary.into_iter().collect())];
    for label in &d.related {
        let mark = Mark { span: label.span, primary: false, label: Some(&label.message) };
        match groups
            .iter_mut()
            .find(|(source, _)| Arc::ptr_eq(source, &label.source) || source.name() == label.source.name())
        {
            Some((_, marks)) => marks.push(mark),
            None => groups.push((&label.source, vec![mark])),
        }
    }
    for (_, marks) in &mut groups {
        marks.sort_by_key(|mark| mark.span.start);
    }
    groups
}

/// Lays out each file's marks (from [`marks`]) as the lines shown.
pub(super) fn blocks<'a>(
    d: &Diagnostic,
    groups: &'a [(&'a Arc<SourceFile>, Vec<Mark<'a>>)],
) -> Vec<Block<'a>> {
    groups
        .iter()
        .enumerate()
        .map(|(index, (source, marks))| {
            let at = match (index, d.start(), marks.first()) {
                (0, Some(start), _) => format!(":{}:{}", start.line, start.column),
                (0, None, _) | (_, _, None) => String::new(),
                (_, _, Some(first)) => {
                    let start = source.position(first.span.start);
                    format!(":{}:{}", start.line, start.column)
                }
            };
            let numbers = line_indexes(source, marks);
            let lines = if marks.is_empty() || source.text().is_empty() {
                Vec::new()
            } else {
                numbers.iter().filter_map(|line| shown_line(source, *line, marks)).collect()
            };
            Block { source, at, lines, last: numbers.last().copied() }
        })
        .collect()
}

/// The width of the line-number column of `blocks`: the digits of the last line shown in any.
pub(super) fn gutter(blocks: &[Block<'_>]) -> usize {
    blocks.iter().filter_map(|block| block.last).max().map_or(1, |last| (last + 1).to_string().len())
}

/// The 0-based indexes of the lines the marks start on, in order, each once.
fn line_indexes(source: &SourceFile, marks: &[Mark<'_>]) -> Vec<usize> {
    let mut lines: Vec<usize> = marks.iter().map(|m| source.line_index(m.span.start)).collect();
    lines.sort_unstable();
    lines.dedup();
    lines
}

fn shown_line<'a>(source: &SourceFile, line: usize, marks: &'a [Mark<'a>]) -> Option<Line<'a>> {
    let on_line: Vec<&Mark<'_>> = marks.iter().filter(|m| source.line_index(m.span.start) == line).collect();
    let first = on_line.first()?;
    let window = Window::new(source, line, first.span);
    let text = window.text.trim_end().to_owned();
    let underlines = on_line
        .into_iter()
        .map(|mark| {
            let (indent, width, range) = window.underline(source, line, mark.span);
            let range = range.start.min(text.len())..range.end.min(text.len());
            Underline { indent, width, mark, range }
        })
        .collect();
    Some(Line { number: line + 1, text, underlines })
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

    /// Display columns before the span, the underline width (at least 1), and the bytes of the
    /// shown text the span covers.
    fn underline(&self, source: &SourceFile, line: usize, span: Span) -> (usize, usize, Range<usize>) {
        let text = source.line_text(line);
        let start = source_floor(text, line_offset(source, line, span.start).clamp(self.from, self.to));
        let end = source_floor(text, line_offset(source, line, span.end).clamp(start, self.to));
        let lead = if self.from > 0 { ELLIPSIS.len() } else { 0 };
        let before = text.get(self.from..start).unwrap_or("");
        let inside = text.get(start..end).unwrap_or("");
        // Making text safe keeps its length in bytes; expanding a tab adds the rest of `TAB`.
        let shown = |part: &str| part.len() + part.matches('\t').count() * (TAB.len() - 1);
        let at = lead + shown(before);
        (lead + display_width(before), display_width(inside).max(1), at..at + shown(inside))
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
            c if is_hazard(c) => c.len_utf8(),
            c => c.width().unwrap_or(1),
        })
        .sum()
}

fn expand(text: &str) -> String {
    text.replace('\t', TAB)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    fn diagnostic(text: &str, span: Span) -> Diagnostic {
        let source = Arc::new(SourceFile::new("a.yaml".into(), "a.yaml".into(), text.to_owned()));
        Diagnostic::new("CL-X001", Severity::Error, "m", &source, span)
    }

    #[test]
    fn the_range_covers_the_span_in_the_shown_text() {
        let d = diagnostic("a:\n\tkey: value\n", Span::new(9, 14));
        let groups = marks(&d);
        let blocks = blocks(&d, &groups);
        let line = &blocks[0].lines[0];
        assert_eq!(line.text, "    key: value");
        let underline = &line.underlines[0];
        assert_eq!(line.text.get(underline.range.clone()), Some("value"));
        assert_eq!((underline.indent, underline.width), (9, 5));
        assert_eq!(gutter(&blocks), 1);
    }

    #[test]
    fn a_long_line_is_cut_around_the_span_and_the_range_follows() {
        let text = format!("k: {}TARGET{}\n", "x".repeat(200), "y".repeat(200));
        let start = 3 + 200;
        let d = diagnostic(&text, Span::new(start, start + 6));
        let groups = marks(&d);
        let blocks = blocks(&d, &groups);
        let line = &blocks[0].lines[0];
        assert!(line.text.starts_with(ELLIPSIS) && line.text.ends_with(ELLIPSIS), "{}", line.text);
        assert_eq!(line.underlines.first().and_then(|u| line.text.get(u.range.clone())), Some("TARGET"));
    }
}
