//! `consentlint test`.

use std::path::PathBuf;

use super::output::{self, Output};
use super::{ExitStatus, fail};
use crate::render::{self, Format, Style, neutralise};
use crate::report::Report;
use crate::testing;

/// Arguments of `test`.
#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// Directories searched for `*.test.yaml` files, or test files.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// When to use colour: `auto` (on a terminal; `NO_COLOR` turns it off, `FORCE_COLOR` or
    /// `CLICOLOR_FORCE` on), `always` or `never`; the flag wins over the environment.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = output::ColorChoice::Auto)]
    color: output::ColorChoice,
}

pub(super) fn run(args: &Args) -> ExitStatus {
    if let Some(missing) = args.paths.iter().find(|p| !p.exists()) {
        return fail(&format!("path not found: `{}`", neutralise(&missing.display().to_string())), None);
    }
    let base = std::env::current_dir().unwrap_or_default();
    let files = testing::find(&args.paths);
    if files.is_empty() {
        return fail("no test files found", Some("policy tests are files named `*.test.yaml`"));
    }
    let report = match testing::run(&files, &base) {
        Ok(report) => report,
        Err(error) => return super::fail_with(&error),
    };
    let Ok(mut out) = Output::open(None) else { return ExitStatus::Failure };
    let written = write(&report, args.color, &mut out);
    if output::quiet_pipe(written).and_then(|()| out.finish()).is_err() {
        return ExitStatus::Failure;
    }
    if !report.problems.is_empty() {
        ExitStatus::Failure
    } else if report.cases.iter().all(testing::CaseResult::passed) {
        ExitStatus::Success
    } else {
        ExitStatus::Findings
    }
}

fn write(report: &testing::TestReport, color: output::ColorChoice, out: &mut Output) -> std::io::Result<()> {
    let terminal = out.is_terminal();
    let w = out.writer();
    for case in &report.cases {
        let verdict = if case.passed() { "PASS" } else { "FAIL" };
        writeln!(w, "{verdict} {}: {}", neutralise(&case.file), neutralise(&case.name))?;
        for finding in &case.missing {
            writeln!(
                w,
                "  expected, not found: {} at {}:{}",
                finding.code,
                neutralise(&finding.file),
                finding.line
            )?;
        }
        for finding in &case.unexpected {
            let message = neutralise(&finding.message);
            writeln!(
                w,
                "  found, not expected: {} at {}:{}: {message}",
                finding.code,
                neutralise(&finding.file),
                finding.line
            )?;
        }
    }
    if !report.problems.is_empty() {
        writeln!(w)?;
        let problems = Report::new(report.problems.clone(), 0, 0, true);
        let style = Style {
            color: output::color_wanted(color, terminal),
            width: output::width(terminal),
            quiet: false,
        };
        let format = if terminal { Format::Human } else { Format::Plain };
        render::render(&problems, format, style, w)?;
    }
    let passed = report.cases.iter().filter(|c| c.passed()).count();
    writeln!(w)?;
    writeln!(w, "{passed} passed, {} failed", report.cases.len() - passed)
}
