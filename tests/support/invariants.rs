//! What every report must satisfy whatever its input, in every output format: spans on character
//! boundaries of their text, JSON and SARIF that parse, `JUnit` that is well-formed XML, HTML with
//! no script but its own, and text formats without control characters from the input. Shared by `tests/fuzz_props.rs` and the fuzz
//! targets in `fuzz/` (which include this file by path).

use consentlint::diagnostic::Diagnostic;
use consentlint::render::{self, Format, Style};
use consentlint::report::Report;
use consentlint::source::Span;

/// Every output format.
pub const FORMATS: [Format; 11] = [
    Format::Human,
    Format::Plain,
    Format::Json,
    Format::Sarif,
    Format::Github,
    Format::Junit,
    Format::Markdown,
    Format::Gitlab,
    Format::Controls,
    Format::Html,
    Format::ControlsCsv,
];

/// Control characters the text formats may print: line feeds only (a lone CR from the input is a
/// line end, never printed raw).
const ALLOWED_CONTROLS: [char; 1] = ['\n'];

/// Checks `report` and its rendering in every format; the error says what is wrong and where.
pub fn check(report: &Report) -> Result<(), String> {
    for diagnostic in &report.diagnostics {
        spans_on_boundaries(diagnostic)?;
    }
    for format in FORMATS {
        let mut out = Vec::new();
        render::render(report, format, Style::default(), &mut out).map_err(|e| format!("{format:?}: {e}"))?;
        let text = String::from_utf8(out).map_err(|e| format!("{format:?} output is not UTF-8: {e}"))?;
        let problem = match format {
            Format::Json | Format::Sarif | Format::Gitlab => {
                serde_json::from_str::<serde_json::Value>(&text).err().map(|e| format!("invalid JSON: {e}"))
            }
            Format::Junit => roxmltree::Document::parse(&text).err().map(|e| format!("invalid XML: {e}")),
            // The page's own script is the only one, whatever the input held; and no control
            // characters.
            Format::Html if text.matches("<script").count() != 1 || text.matches("</script").count() != 1 => {
                Some("a script element that is not the page's own".to_owned())
            }
            Format::Html => text
                .char_indices()
                .find(|&(_, c)| c.is_control() && !ALLOWED_CONTROLS.contains(&c))
                .map(|(at, c)| format!("control character {c:?} at byte {at}")),
            Format::ControlsCsv => csv_problem(&text),
            Format::Human | Format::Plain | Format::Github | Format::Markdown | Format::Controls => text
                .char_indices()
                .find(|&(_, c)| {
                    // GitHub's toolkit passes a tab through, and the annotation is a web page.
                    c.is_control()
                        && !ALLOWED_CONTROLS.contains(&c)
                        && !(format == Format::Github && c == '\t')
                })
                .map(|(at, c)| format!("control character {c:?} at byte {at}")),
        };
        if let Some(problem) = problem {
            return Err(format!("{format:?}: {problem}\n--- output ---\n{text}"));
        }
    }
    Ok(())
}

/// What is wrong with CSV as `--format controls-csv` writes it: every record ends with CRLF and
/// holds six quoted fields (quotes inside doubled), with no control character inside a field.
fn csv_problem(text: &str) -> Option<String> {
    for (index, record) in text.split_terminator("\r\n").enumerate() {
        if record.chars().any(char::is_control) {
            return Some(format!("record {index} holds a control character"));
        }
        if csv_fields(record) != Some(6) {
            return Some(format!("record {index} is not six quoted fields: {record}"));
        }
    }
    (!text.ends_with("\r\n")).then(|| "the last record does not end with CRLF".to_owned())
}

/// How many quoted fields `record` holds, `None` when it is not a list of quoted fields.
fn csv_fields(record: &str) -> Option<usize> {
    let mut chars = record.chars().peekable();
    let mut count = 0;
    loop {
        if chars.next()? != '"' {
            return None;
        }
        loop {
            match chars.next()? {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                }
                '"' => break,
                _ => {}
            }
        }
        count += 1;
        match chars.next() {
            None => return Some(count),
            Some(',') => {}
            Some(_) => return None,
        }
    }
}

/// The diagnostic's spans, and those of its related labels, lie on character boundaries of the
/// text they point into.
fn spans_on_boundaries(diagnostic: &Diagnostic) -> Result<(), String> {
    let primary = diagnostic.span.map(|span| (span, diagnostic.source.text()));
    let related = diagnostic.related.iter().map(|label| (label.span, label.source.text()));
    for (span, text) in primary.into_iter().chain(related) {
        if !on_boundaries(span, text) {
            return Err(format!(
                "{} `{}`: span {}..{} is not on character boundaries of a {}-byte text",
                diagnostic.code,
                diagnostic.message,
                span.start,
                span.end,
                text.len()
            ));
        }
    }
    Ok(())
}

fn on_boundaries(span: Span, text: &str) -> bool {
    span.start <= span.end && text.is_char_boundary(span.start) && text.is_char_boundary(span.end)
}
