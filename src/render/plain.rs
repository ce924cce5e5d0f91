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

use unicode_width::UnicodeWidthChar;

use super::{neutralise, neutralise_source};
use crate::diagnostic::Diagnostic;
use crate::report::Report;
use crate::source::{SourceFile, Span};

const TAB: &str = "    ";

/// Writes every diagnostic, then the summary line.
pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for diagnostic in &report.diagnostics {
        write_diagnostic(diagnostic, out)?;
        writeln!(out)?;
    }
    writeln!(out, "{}", report.summary.sentence())
}

/// Writes one diagnostic.
pub fn write_diagnostic(d: &Diagnostic, out: &mut dyn Write) -> io::Result<()> {
    let start = d.start();
    writeln!(
        out,
        "{}[{}]: {}",
        d.severity.as_str(),
        d.code,
        neutralise(&d.message)
    )?;
    let mut marks: Vec<(Span, char, Option<&str>)> = vec![(d.span, '^', d.label.as_deref())];
    marks.extend(
        d.related
            .iter()
            .map(|l| (l.span, '-', Some(l.message.as_str()))),
    );
    let source = &d.source;
    let lines: Vec<usize> = {
        let mut lines: Vec<usize> = marks
            .iter()
            .map(|(span, _, _)| source.line_index(span.start))
            .collect();
        lines.sort_unstable();
        lines.dedup();
        lines
    };
    let gutter = lines.last().map_or(1, |last| (last + 1).to_string().len());
    let pad = " ".repeat(gutter);
    writeln!(
        out,
        "{pad}--> {}:{}:{}",
        neutralise(source.name()),
        start.line,
        start.column
    )?;
    if !source.text().is_empty() {
        writeln!(out, "{pad} |")?;
        for line in lines {
            let text = expand(&neutralise_source(source.line_text(line)));
            writeln!(out, "{:>gutter$} | {}", line + 1, text.trim_end())?;
            let mut on_line: Vec<&(Span, char, Option<&str>)> = marks
                .iter()
                .filter(|(span, _, _)| source.line_index(span.start) == line)
                .collect();
            on_line.sort_by_key(|(span, _, _)| span.start);
            for (span, mark, label) in on_line {
                let (indent, width) = underline(source, line, *span);
                let label = label
                    .map(|l| format!(" {}", neutralise(l)))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "{pad} | {}{}{label}",
                    " ".repeat(indent),
                    mark.to_string().repeat(width)
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

/// Display columns before the span on its first line, and the underline width (at least 1).
fn underline(source: &SourceFile, line: usize, span: Span) -> (usize, usize) {
    let text = source.line_text(line);
    let line_start = source.line_start(line);
    let bom = if line == 0 && source.text().starts_with('\u{feff}') {
        3
    } else {
        0
    };
    let from = span.start.saturating_sub(line_start + bom).min(text.len());
    let to = span
        .end
        .saturating_sub(line_start + bom)
        .clamp(from, text.len());
    let before = text.get(..from).unwrap_or("");
    let inside = text.get(from..to).unwrap_or("");
    (display_width(before), display_width(inside).max(1))
}

fn display_width(text: &str) -> usize {
    text.chars()
        .map(|c| {
            if c == '\t' {
                TAB.len()
            } else {
                c.width().unwrap_or(1)
            }
        })
        .sum()
}

fn expand(text: &str) -> String {
    text.replace('\t', TAB)
}
