//! `--format controls`, and the controls block of the text formats: each control of the profile's
//! baseline with its verdict, the reason when it is not judged, and the findings behind a failure.

use std::io::{self, Write};

use super::neutralise;
use crate::report::{ControlVerdict, Controls, Report};

/// The widest verdict, `not applicable`, sets the column (a test checks it against every verdict).
const STATUS_WIDTH: usize = 14;

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    match &report.controls {
        Some(view) => {
            write_block(view, out)?;
            writeln!(out, "{}", report.summary.sentence())
        }
        None => writeln!(out, "the profile of this run lists no controls; choose one with `--profile`"),
    }
}

/// The controls, one line each with the findings or the reason below, then a count per verdict;
/// over several tenants, each tenant's controls first, then the count over all of them.
pub(super) fn write_block(view: &Controls, out: &mut dyn Write) -> io::Result<()> {
    let per_tenant = if view.tenants.is_empty() { "" } else { ", per tenant" };
    match &view.title {
        Some(title) => {
            writeln!(out, "controls of profile `{}` ({}){per_tenant}:", view.profile, neutralise(title))?;
        }
        None => writeln!(out, "controls of profile `{}`{per_tenant}:", view.profile)?,
    }
    if view.tenants.is_empty() {
        write_controls(&view.controls, "  ", out)?;
        return writeln!(out, "{}", view.sentence());
    }
    for tenant in &view.tenants {
        writeln!(out, "  tenant `{}`:", neutralise(&tenant.tenant))?;
        write_controls(&tenant.controls, "    ", out)?;
    }
    writeln!(out, "{}, each at its worst over {} tenants", view.sentence(), view.tenants.len())
}

/// One line per control, with its title, the reason or the findings below, indented by `indent`.
fn write_controls(controls: &[ControlVerdict], indent: &str, out: &mut dyn Write) -> io::Result<()> {
    for control in controls {
        let rules = control.rules.join(", ");
        writeln!(
            out,
            "{indent}{:<STATUS_WIDTH$}  {}  [{rules}]",
            control.status.as_str(),
            neutralise(&control.id)
        )?;
        if let Some(title) = &control.title {
            writeln!(out, "{indent}{:<STATUS_WIDTH$}    {}", "", neutralise(title))?;
        }
        if let Some(reason) = &control.reason {
            writeln!(out, "{indent}{:<STATUS_WIDTH$}    why: {}", "", neutralise(reason))?;
        }
        for finding in &control.findings {
            let at =
                finding.line.map_or_else(|| finding.file.clone(), |line| format!("{}:{line}", finding.file));
            let hidden = if finding.suppressed { " (suppressed)" } else { "" };
            writeln!(
                out,
                "{indent}{:<STATUS_WIDTH$}    {} at {}{hidden}",
                "",
                finding.code,
                neutralise(&at)
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::STATUS_WIDTH;
    use crate::report::Status;

    #[test]
    fn the_status_column_fits_every_verdict() {
        let widest = [Status::Pass, Status::Fail, Status::NotApplicable, Status::NotJudgeable]
            .iter()
            .map(|s| s.as_str().len())
            .max();
        assert_eq!(widest, Some(STATUS_WIDTH));
    }
}
