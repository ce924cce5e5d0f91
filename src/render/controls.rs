//! `--format controls`, and the controls block of the text formats: each control of the profile's
//! baseline with its verdict, the reason when it is not judged, and the findings behind a failure.

use std::io::{self, Write};

use super::neutralise;
use crate::report::{Controls, Report};

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

/// The controls, one line each with the findings or the reason below, then a count per verdict.
pub(super) fn write_block(view: &Controls, out: &mut dyn Write) -> io::Result<()> {
    match &view.title {
        Some(title) => writeln!(out, "controls of profile `{}` ({}):", view.profile, neutralise(title))?,
        None => writeln!(out, "controls of profile `{}`:", view.profile)?,
    }
    for control in &view.controls {
        let rules = control.rules.join(", ");
        writeln!(
            out,
            "  {:<STATUS_WIDTH$}  {}  [{rules}]",
            control.status.as_str(),
            neutralise(&control.id)
        )?;
        if let Some(title) = &control.title {
            writeln!(out, "  {:<STATUS_WIDTH$}    {}", "", neutralise(title))?;
        }
        if let Some(reason) = &control.reason {
            writeln!(out, "  {:<STATUS_WIDTH$}    why: {}", "", neutralise(reason))?;
        }
        for finding in &control.findings {
            let at =
                finding.line.map_or_else(|| finding.file.clone(), |line| format!("{}:{line}", finding.file));
            let hidden = if finding.suppressed { " (suppressed)" } else { "" };
            writeln!(out, "  {:<STATUS_WIDTH$}    {} at {}{hidden}", "", finding.code, neutralise(&at))?;
        }
    }
    writeln!(out, "{}", view.sentence())
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
