//! `consentlint check`.

use std::path::PathBuf;

use super::output::{self, Output};
use super::{ExitStatus, fail};
use crate::check::{self, CheckError};
use crate::diagnostic::Severity;
use crate::policy;
use crate::render::{self, Format, Style};
use crate::yaml::Limits;

/// The lowest severity that fails a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Errors fail the run.
    Error,
    /// Warnings and errors fail the run.
    Warning,
    /// Any finding fails the run.
    Info,
    /// Findings never fail the run.
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            Self::Error => Some(Severity::Error),
            Self::Warning => Some(Severity::Warning),
            Self::Info => Some(Severity::Info),
            Self::Never => None,
        }
    }
}

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// Files and directories to check; directories are searched for .yaml, .yml and .json files.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the output to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The lowest severity that makes the run fail (exit status 1).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Also load the `kind: Policy` documents of this directory (repeatable).
    #[arg(long = "policy", value_name = "DIR")]
    policies: Vec<PathBuf>,
    /// Leave out the built-in consent policy pack.
    #[arg(long)]
    no_builtin_policies: bool,
    /// Add a permission catalog for other APIs (YAML or JSON; repeatable).
    #[arg(long = "catalog", value_name = "FILE")]
    catalogs: Vec<PathBuf>,
    /// Report only these rules or codes; prefixes such as `CL-A` select a family (comma-separated or repeated).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    select: Vec<String>,
    /// Never report these rules or codes; prefixes allowed (comma-separated or repeated).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    ignore: Vec<String>,
    /// Number of worker threads (default: one per core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
}

pub(super) fn run(args: &Args) -> ExitStatus {
    let base = std::env::current_dir().unwrap_or_default();
    let options = check::Options {
        paths: args.paths.clone(),
        base,
        threads: args.threads.map(usize::from),
        limits: Limits::default(),
        policies: policy::Sources {
            builtin: !args.no_builtin_policies,
            dirs: args.policies.clone(),
            files: Vec::new(),
        },
        catalogs: args.catalogs.clone(),
        selection: check::Selection { select: args.select.clone(), ignore: args.ignore.clone() },
    };
    let report = match check::run(&options) {
        Ok(report) => report,
        Err(CheckError::Missing(missing)) => {
            return fail(&missing.to_string(), Some("check the spelling, or run from the repository root"));
        }
        Err(CheckError::UnknownCode { code, help }) => {
            return fail(
                &format!("unknown rule or code `{}`", crate::render::neutralise(&code)),
                Some(&help),
            );
        }
        Err(CheckError::Internal(message)) => {
            return fail(&format!("internal error: {message}"), None);
        }
    };
    let mut out = match Output::open(args.output.as_ref()) {
        Ok(out) => out,
        Err(error) => {
            return fail(
                &format!("cannot write the output file: {}", crate::load::describe_io(&error)),
                None,
            );
        }
    };
    let style = Style { color: output::color_wanted(out.is_terminal()), width: output::width() };
    let written = output::quiet_pipe(render::render(&report, args.format, style, out.writer()))
        .and_then(|()| out.finish());
    if let Err(error) = written {
        return fail(&format!("cannot write the output: {}", crate::load::describe_io(&error)), None);
    }
    if report.incomplete {
        return ExitStatus::Failure;
    }
    match (args.fail_on.threshold(), report.worst()) {
        (Some(threshold), Some(worst)) if worst >= threshold => ExitStatus::Findings,
        _ => ExitStatus::Success,
    }
}
