//! `--format controls-csv`: the controls view as CSV, one row per control (per tenant, when the run
//! judged several), as ScubaGear writes its `ScubaResults.csv` beside its JSON: a sheet a compliance
//! reviewer filters and annotates. RFC 4180: every field quoted, quotes doubled, CRLF line ends.

use std::io::{self, Write};

use super::neutralise;
use crate::report::{ControlVerdict, Report};

/// The columns, first as ScubaGear names its own (`Control ID`, `Requirement`, `Result`,
/// `Details`), then consentlint's.
const HEADER: [&str; 6] = ["Tenant", "Control ID", "Requirement", "Result", "Details", "Rules"];

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    row(out, &HEADER.map(str::to_owned))?;
    let Some(view) = &report.controls else { return Ok(()) };
    if view.tenants.is_empty() {
        for control in &view.controls {
            row(out, &fields("", control))?;
        }
    }
    for tenant in &view.tenants {
        for control in &tenant.controls {
            row(out, &fields(&tenant.tenant, control))?;
        }
    }
    Ok(())
}

/// One control's fields: `Details` is why it is not judged, or the findings that fail it.
fn fields(tenant: &str, control: &ControlVerdict) -> [String; 6] {
    let findings: Vec<String> = control
        .findings
        .iter()
        .map(|finding| {
            let at =
                finding.line.map_or_else(|| finding.file.clone(), |line| format!("{}:{line}", finding.file));
            let hidden = if finding.suppressed { " (suppressed)" } else { "" };
            format!("{} at {at}{hidden}", finding.code)
        })
        .collect();
    let details = control.reason.clone().unwrap_or_else(|| findings.join("; "));
    [
        tenant.to_owned(),
        control.id.clone(),
        control.title.clone().unwrap_or_default(),
        control.status.as_str().to_owned(),
        details,
        control.rules.join(", "),
    ]
}

/// Writes one record.
fn row(out: &mut dyn Write, fields: &[String]) -> io::Result<()> {
    let quoted: Vec<String> = fields.iter().map(|field| quote(field)).collect();
    write!(out, "{}\r\n", quoted.join(","))
}

/// A field in quotes, its quotes doubled and control characters escaped; a field a spreadsheet
/// would take for a formula (starting with `=`, `+`, `-` or `@`) gets a leading `'`, as OWASP
/// advises for CSV files opened in spreadsheets.
fn quote(field: &str) -> String {
    let safe = neutralise(field);
    let formula = safe.starts_with(['=', '+', '-', '@']);
    format!("\"{}{}\"", if formula { "'" } else { "" }, safe.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(quote("plain"), "\"plain\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(quote("a\r\nb"), "\"a\\r\\nb\"");
    }
}
