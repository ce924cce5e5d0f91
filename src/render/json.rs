//! `--format json`: one object with every diagnostic and the summary.

use std::io::{self, Write};

use serde::Serialize;

use crate::report::{Controls, Note, Report, Summary};

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    diagnostics: Vec<Item<'a>>,
    notes: &'a [Note],
    summary: Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    controls: Option<&'a Controls>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Item<'a> {
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    pointer: Option<&'a str>,
    document: Option<usize>,
    url: Option<&'a str>,
    related: Vec<Related<'a>>,
}

/// A related span, in the same file or another.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Related<'a> {
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let diagnostics = report
        .visible()
        .map(|d| {
            let (start, end) = (d.start(), d.end());
            let related = d
                .related
                .iter()
                .map(|label| {
                    let (start, end) =
                        (label.source.position(label.span.start), label.source.position(label.span.end));
                    Related {
                        message: &label.message,
                        file: label.source.name(),
                        line: start.line,
                        column: start.column,
                        end_line: end.line,
                        end_column: end.column,
                    }
                })
                .collect();
            Item {
                code: &d.code,
                severity: d.severity.as_str(),
                message: &d.message,
                help: d.help.as_deref(),
                file: d.source.name(),
                line: start.map(|p| p.line),
                column: start.map(|p| p.column),
                end_line: end.map(|p| p.line),
                end_column: end.map(|p| p.column),
                pointer: d.pointer.as_deref(),
                document: d.document,
                url: d.url.as_deref(),
                related,
            }
        })
        .collect();
    let controls = report.controls.as_ref().filter(|c| c.chosen);
    let output = Output { version: 1, diagnostics, notes: &report.notes, summary: report.summary, controls };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    writeln!(out)
}
