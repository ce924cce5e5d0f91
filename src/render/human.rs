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
use crate::source::{SourceFile, Span};

/// A span to underline in a view's file: the span, its label, and whether it is the primary one.
type Mark = (Span, Option<String>, bool);

/// A [`Diagnostic`] seen through miette's trait; related spans in other files become related
/// views, each with its own file.
struct View<'a> {
    diagnostic: Option<&'a Diagnostic>,
    message: String,
    source: Snippet,
    /// The spans to underline in this view's file: (span, label, primary).
    marks: Vec<Mark>,
    /// Whether to show the source: not for empty files nor for lines too long to show whole.
    snippet: bool,
    related: Vec<View<'a>>,
}

/// Lines longer than this are not shown by the graphical renderer, which cannot cut them.
const MAX_LINE: usize = 500;

fn snippet_fits(source: &SourceFile, marks: &[Mark]) -> bool {
    !source.text().is_empty()
        && !marks.is_empty()
        && marks.iter().all(|(span, _, _)| source.line_text(source.line_index(span.start)).len() <= MAX_LINE)
}

impl<'a> View<'a> {
    fn new(diagnostic: &'a Diagnostic, texts: &mut SafeTexts) -> Self {
        let mut marks = Vec::new();
        if let Some(span) = diagnostic.span {
            marks.push((span, diagnostic.label.as_deref().map(|l| neutralise(l).into_owned()), true));
        }
        let mut others: Vec<(&Arc<SourceFile>, Vec<Mark>)> = Vec::new();
        for label in &diagnostic.related {
            let mark = (label.span, Some(neutralise(&label.message).into_owned()), false);
            if label.source.name() == diagnostic.source.name() {
                marks.push(mark);
            } else if let Some((_, group)) = others.iter_mut().find(|(s, _)| s.name() == label.source.name())
            {
                group.push(mark);
            } else {
                others.push((&label.source, vec![mark]));
            }
        }
        let related = others
            .into_iter()
            .map(|(source, mut marks)| {
                // The labels become the related view's message, shown once above its snippet.
                let message =
                    marks.iter_mut().filter_map(|(_, label, _)| label.take()).collect::<Vec<_>>().join("; ");
                View {
                    diagnostic: None,
                    message,
                    snippet: snippet_fits(source, &marks),
                    source: texts.snippet(source),
                    marks,
                    related: Vec::new(),
                }
            })
            .collect();
        View {
            diagnostic: Some(diagnostic),
            message: neutralise(&diagnostic.message).into_owned(),
            snippet: snippet_fits(&diagnostic.source, &marks),
            source: texts.snippet(&diagnostic.source),
            marks,
            related,
        }
    }
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
        // The severity in words beside its symbol: `warning[CL-A002]`, as in the plain format.
        self.diagnostic
            .map(|d| Box::new(format!("{}[{}]", d.severity.as_str(), d.code)) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.map(|d| d.severity) {
            Some(Severity::Error) => miette::Severity::Error,
            Some(Severity::Warning) => miette::Severity::Warning,
            Some(Severity::Info) | None => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic?
            .help
            .as_deref()
            .map(|help| Box::new(neutralise(help).into_owned()) as Box<dyn fmt::Display>)
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic?.url.as_deref().map(|url| Box::new(url) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.snippet.then_some(&self.source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if !self.snippet {
            return None;
        }
        Some(Box::new(self.marks.iter().map(|(span, label, primary)| {
            let at = SourceSpan::new(span.start.into(), span.len());
            if *primary {
                LabeledSpan::new_primary_with_span(label.clone(), at)
            } else {
                LabeledSpan::new_with_span(label.clone(), at)
            }
        })))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|view| view as &dyn miette::Diagnostic)))
    }
}

/// Each file's text made safe for a terminal once, however many diagnostics show it.
#[derive(Default)]
struct SafeTexts {
    made: std::collections::HashMap<String, Arc<str>>,
}

impl SafeTexts {
    fn snippet(&mut self, file: &Arc<SourceFile>) -> Snippet {
        let text = Arc::clone(self.made.entry(file.name().to_owned()).or_insert_with(|| {
            match neutralise_source(file.text()) {
                std::borrow::Cow::Borrowed(_) => file.shared_text(),
                std::borrow::Cow::Owned(safe) => Arc::from(safe),
            }
        }));
        Snippet { name: neutralise(file.name()).into_owned(), text, file: Arc::clone(file) }
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
            // miette shows this column in the header: counted like every other position, so a
            // byte-order mark is not a column.
            (start, self.file.position(start).column.saturating_sub(1))
        } else {
            (self.file.line_start(from_line), 0)
        };
        // A byte-order mark is no text of line 1: it is left out of the snippet (no span starts
        // inside it).
        let bom = '\u{feff}'.len_utf8();
        let from = if from == 0 && start >= bom && self.text.starts_with('\u{feff}') { bom } else { from };
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
    let mut texts = SafeTexts::default();
    for diagnostic in report.visible() {
        // Only the current file's text is kept: diagnostics come sorted by file.
        if texts.made.len() > 8 {
            texts.made.clear();
        }
        let view = View::new(diagnostic, &mut texts);
        let mut rendered = String::new();
        handler.render_report(&mut rendered, &view).map_err(io::Error::other)?;
        write!(out, "{rendered}")?;
        if !view.snippet {
            let at = diagnostic.start().map(|p| format!(":{}:{}", p.line, p.column)).unwrap_or_default();
            writeln!(out, "  at {}{at}", view.source.name)?;
        }
        writeln!(out)?;
    }
    super::write_closing(report, out, style.quiet)
}
