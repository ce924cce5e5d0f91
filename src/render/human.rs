//! `--format human`: miette's graphical diagnostics, for people at a terminal.

use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceSpan,
    SpanContents,
};

use super::{Style, neutralise, neutralise_source};
use crate::diagnostic::{Diagnostic, Severity};
use crate::report::Report;

/// A [`Diagnostic`] seen through miette's trait.
struct View<'a> {
    diagnostic: &'a Diagnostic,
    message: String,
    source: Snippet,
    /// Whether to show the source: not for empty files nor for lines too long to show whole.
    snippet: bool,
}

/// Lines longer than this are not shown by the graphical renderer, which cannot cut them.
const MAX_LINE: usize = 500;

fn snippet_fits(diagnostic: &Diagnostic) -> bool {
    let source = &diagnostic.source;
    !source.text().is_empty()
        && std::iter::once(diagnostic.span)
            .chain(diagnostic.related.iter().map(|l| l.span))
            .all(|span| source.line_text(source.line_index(span.start)).len() <= MAX_LINE)
}

impl fmt::Debug for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for View<'_> {}

impl miette::Diagnostic for View<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.diagnostic.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic
            .help
            .as_deref()
            .map(|help| Box::new(neutralise(help).into_owned()) as Box<dyn fmt::Display>)
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic.url.as_deref().map(|url| Box::new(url) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.snippet.then_some(&self.source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if !self.snippet {
            return None;
        }
        let d = self.diagnostic;
        let span = |s: crate::source::Span| SourceSpan::new(s.start.into(), s.len());
        let primary = LabeledSpan::new_primary_with_span(
            d.label.as_deref().map(|l| neutralise(l).into_owned()),
            span(d.span),
        );
        let related = d.related.iter().map(move |l| {
            LabeledSpan::new_with_span(Some(neutralise(&l.message).into_owned()), span(l.span))
        });
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

/// A file's text, made safe for a terminal, served to miette through our line index, so that
/// showing a diagnostic costs the size of its snippet, not of the file.
struct Snippet {
    name: String,
    text: Arc<str>,
    file: Arc<crate::source::SourceFile>,
}

impl miette::SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let len = self.text.len();
        if span.offset() > len {
            return Err(MietteError::OutOfBounds);
        }
        let start = span.offset();
        let end = (start + span.len()).min(len);
        let first = self.file.line_index(start);
        let last = self.file.line_index(end.saturating_sub(1).max(start));
        let from_line = first.saturating_sub(before);
        let to_line = (last + after).min(self.file.line_count().saturating_sub(1));
        let (from, column) = if before == 0 {
            (start, self.text.get(self.file.line_start(first)..start).map_or(0, |t| t.chars().count()))
        } else {
            (self.file.line_start(from_line), 0)
        };
        let to = self.file.line_start(to_line + 1).min(len).max(from);
        let data = self.text.get(from..to).ok_or(MietteError::OutOfBounds)?.as_bytes();
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data,
            SourceSpan::new(from.into(), to - from),
            from_line,
            column,
            to_line + 1,
        )))
    }
}

pub(super) fn render(report: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(style.width).with_links(false);
    // Diagnostics come sorted by file: each file is made safe once.
    let mut current: Option<(String, Arc<str>)> = None;
    for diagnostic in report.visible() {
        let start = diagnostic.start();
        let text = match &current {
            Some((name, text)) if name == diagnostic.source.name() => Arc::clone(text),
            _ => {
                let text: Arc<str> = match neutralise_source(diagnostic.source.text()) {
                    std::borrow::Cow::Borrowed(_) => diagnostic.source.shared_text(),
                    std::borrow::Cow::Owned(safe) => Arc::from(safe),
                };
                current = Some((diagnostic.source.name().to_owned(), Arc::clone(&text)));
                text
            }
        };
        let name = neutralise(diagnostic.source.name()).into_owned();
        let snippet = snippet_fits(diagnostic);
        let view = View {
            diagnostic,
            message: neutralise(&diagnostic.message).into_owned(),
            source: Snippet { name: name.clone(), text, file: Arc::clone(&diagnostic.source) },
            snippet,
        };
        let mut rendered = String::new();
        handler.render_report(&mut rendered, &view).map_err(io::Error::other)?;
        write!(out, "{rendered}")?;
        if !snippet {
            writeln!(out, "  at {name}:{}:{}", start.line, start.column)?;
        }
        writeln!(out)?;
    }
    writeln!(out, "{}", report.summary.sentence())
}
