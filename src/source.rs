//! Source files and byte spans.
//!
//! Every diagnostic points into a [`SourceFile`] through a [`Span`] of byte offsets. Lines and columns
//! are derived from the bytes only when a diagnostic is rendered: lines are 1-based and end at a line
//! break as YAML 1.2 defines it (`\n`, `\r\n` or a lone `\r`, so CRLF and old Mac files count like LF
//! files), columns are 1-based and count Unicode scalar values.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A half-open range of byte offsets into a source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// First byte of the range.
    pub start: usize,
    /// One past the last byte of the range.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (swapped if given in the wrong order).
    #[must_use]
    pub fn new(start: usize, end: usize) -> Self {
        if end < start { Self { start: end, end: start } } else { Self { start, end } }
    }

    /// An empty span at `offset`.
    #[must_use]
    pub fn point(offset: usize) -> Self {
        Self { start: offset, end: offset }
    }

    /// Length in bytes.
    #[must_use]
    pub fn len(self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers no bytes.
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    #[must_use]
    pub fn join(self, other: Self) -> Self {
        Self { start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

/// A 1-based line and column; the column counts Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// A file's text, the name under which it is shown and an index of its line starts.
#[derive(Debug)]
pub struct SourceFile {
    path: PathBuf,
    name: String,
    text: Arc<str>,
    line_starts: Vec<usize>,
    /// The last positions computed: (byte offset, 0-based column). Diagnostics are rendered in
    /// order, so counting on from one of them keeps long lines linear.
    recent: std::sync::Mutex<[(usize, usize); 2]>,
}

impl SourceFile {
    /// Wraps `text` read from `path`, shown to users as `name`.
    #[must_use]
    pub fn new(path: PathBuf, name: String, text: impl Into<Arc<str>>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0).chain(line_ends(&text)).collect();
        Self { path, name, text, line_starts, recent: std::sync::Mutex::new([(0, 0); 2]) }
    }

    /// The path the file was read from.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The name shown in diagnostics: relative to the working directory, with `/` separators.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole text.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The whole text, shared.
    #[must_use]
    pub fn shared_text(&self) -> Arc<str> {
        Arc::clone(&self.text)
    }

    /// The 0-based index of the line holding byte `offset`.
    #[must_use]
    pub fn line_index(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset).saturating_sub(1)
    }

    /// The text of the 0-based line `index`, without its line break.
    #[must_use]
    pub fn line_text(&self, index: usize) -> &str {
        let line = without_break(self.line_with_break(index));
        if index == 0 { line.trim_start_matches('\u{feff}') } else { line }
    }

    /// The text of the 0-based line `index` with its line break, if it has one.
    fn line_with_break(&self, index: usize) -> &str {
        let start = self.line_start(index);
        let end = self.line_start(index + 1);
        self.text.get(start..end).unwrap_or("")
    }

    /// Every line with its line break, and the byte offset where it starts.
    pub fn lines(&self) -> impl Iterator<Item = (usize, &str)> + '_ {
        (0..self.line_count()).map(|index| (self.line_start(index), self.line_with_break(index)))
    }

    /// How many lines the text has.
    #[must_use]
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where the 0-based line `index` starts.
    #[must_use]
    pub fn line_start(&self, index: usize) -> usize {
        self.line_starts.get(index).copied().unwrap_or(self.text.len())
    }

    /// The byte offset of a 1-based line and 1-based column counted in characters (clamped to the
    /// line), the inverse of [`SourceFile::position`].
    #[must_use]
    pub fn offset(&self, line: usize, column: usize) -> usize {
        let index = line.saturating_sub(1);
        let start = self.line_start(index);
        let text = self.line_text(index);
        let skipped = if index == 0 && self.text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
        let within = text.char_indices().nth(column.saturating_sub(1)).map_or(text.len(), |(at, _)| at);
        start + skipped + within
    }

    /// The line and column of byte `offset` (clamped to the text and to a character boundary).
    #[must_use]
    pub fn position(&self, offset: usize) -> Position {
        let offset = self.floor_boundary(offset.min(self.text.len()));
        let index = self.line_index(offset);
        let mut start = self.line_start(index);
        let mut counted = 0;
        let mut recent = self.recent.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // Count on from a recent position on the same line when there is one.
        if let Some(&(from, column)) = recent
            .iter()
            .filter(|(from, _)| *from > start && *from <= offset && *from < self.line_start(index + 1))
            .max()
        {
            start = from;
            counted = column;
        }
        let before = self.text.get(start..offset).unwrap_or("");
        // A byte-order mark is not part of the first line's text.
        let column = counted + before.trim_start_matches('\u{feff}').chars().count();
        recent.rotate_right(1);
        if let Some(newest) = recent.first_mut() {
            *newest = (offset, column);
        }
        Position { line: index + 1, column: column + 1 }
    }

    /// A span covering the character at `offset`, or an empty span at a line end or the end.
    #[must_use]
    pub fn char_span(&self, offset: usize) -> Span {
        let offset = self.floor_boundary(offset);
        match self.text.get(offset..).and_then(|rest| rest.chars().next()) {
            Some(c) if c != '\n' && c != '\r' => Span::new(offset, offset + c.len_utf8()),
            _ => Span::point(offset),
        }
    }

    /// The largest character boundary at or before `offset`.
    #[must_use]
    pub fn floor_boundary(&self, mut offset: usize) -> usize {
        offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

/// The offsets just past each line break: `\n`, `\r\n` (one break) or a lone `\r`, as in YAML 1.2.
fn line_ends(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().filter_map(move |(index, &byte)| match byte {
        b'\n' => Some(index + 1),
        b'\r' if bytes.get(index + 1) != Some(&b'\n') => Some(index + 1),
        _ => None,
    })
}

/// `line` without the one line break it may end with.
fn without_break(line: &str) -> &str {
    line.strip_suffix("\r\n").or_else(|| line.strip_suffix(['\n', '\r'])).unwrap_or(line)
}

/// Describes an I/O error in lowercase words.
#[must_use]
pub fn describe_io(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "no such file or directory".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let text = error.to_string();
            let text = text.split(" (os error").next().unwrap_or(&text).to_owned();
            let mut chars = text.chars();
            chars.next().map(|first| first.to_lowercase().chain(chars).collect()).unwrap_or(text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new(PathBuf::from("t.yaml"), "t.yaml".into(), text)
    }

    #[test]
    fn positions_count_characters_and_ignore_cr() {
        let f = file("a: 1\r\nb: é€x\r\n");
        let x = f.text().find('x').unwrap();
        assert_eq!(f.position(x), Position { line: 2, column: 6 });
        assert_eq!(f.line_text(1), "b: é€x");
        assert_eq!(f.position(0), Position { line: 1, column: 1 });
    }

    #[test]
    fn a_lone_cr_ends_a_line_like_lf_and_crlf() {
        let f = file("a: 1\rb: 2\r\nc: é\nd: x\r");
        assert_eq!(f.line_count(), 5);
        let x = f.text().find('x').unwrap();
        assert_eq!(f.position(x), Position { line: 4, column: 4 });
        assert_eq!(f.position(f.text().find('c').unwrap()), Position { line: 3, column: 1 });
        let texts: Vec<&str> = (0..f.line_count()).map(|i| f.line_text(i)).collect();
        assert_eq!(texts, ["a: 1", "b: 2", "c: é", "d: x", ""]);
        assert_eq!(f.offset(4, 4), x);
        assert_eq!(f.offset(2, 99), f.text().find("\r\n").unwrap());
        let starts: Vec<(usize, &str)> = f.lines().collect();
        assert_eq!(starts, [(0, "a: 1\r"), (5, "b: 2\r\n"), (11, "c: é\n"), (17, "d: x\r"), (22, "")]);
    }

    #[test]
    fn position_past_the_end_is_clamped() {
        let f = file("ab\n");
        assert_eq!(f.position(99), Position { line: 2, column: 1 });
        let g = file("é");
        assert_eq!(g.position(1), Position { line: 1, column: 1 });
    }

    #[test]
    fn byte_order_mark_is_not_a_column() {
        let f = file("\u{feff}ab: 1\n");
        assert_eq!(f.position(f.text().find('b').unwrap()), Position { line: 1, column: 2 });
        assert_eq!(f.line_text(0), "ab: 1");
    }
}
