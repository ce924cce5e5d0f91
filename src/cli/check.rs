//! `consentlint check`.

use std::path::PathBuf;

use super::output::{self, Output};
use super::{ExitStatus, fail};
use std::sync::Arc;

use crate::baseline;
use crate::check::{self, CheckError};
use crate::config::{self, Config};
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
    fn from_name(name: &str) -> Option<Self> {
        <Self as clap::ValueEnum>::from_str(name, false).ok()
    }

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
    /// The lowest severity that makes the run fail (exit status 1) [default: error, or `failOn` in
    /// the configuration].
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Use this configuration file instead of looking for `.consentlint.yaml`.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Ignore any configuration file.
    #[arg(long)]
    no_config: bool,
    /// Hide the findings recorded in this baseline [default: `baseline` in the configuration].
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record the current findings in a baseline file and exit 0.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    write_baseline: Option<PathBuf>,
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
    let config = match load_config(args, &base) {
        Ok(config) => config,
        Err(problems) => return show_problems(problems, args),
    };
    let fail_on = args
        .fail_on
        .or_else(|| config.as_ref().and_then(|c| c.fail_on.as_deref()).and_then(FailOn::from_name));
    let mut options = check::Options {
        paths: args.paths.clone(),
        base,
        threads: args.threads.map(usize::from),
        limits: Limits::default(),
        policies: policy::Sources {
            builtin: !args.no_builtin_policies && config.as_ref().is_none_or(|c| c.builtin_policies),
            dirs: args.policies.clone(),
            files: Vec::new(),
        },
        catalogs: args.catalogs.clone(),
        selection: check::Selection { select: args.select.clone(), ignore: args.ignore.clone() },
        baseline: args.baseline.clone(),
        ..check::Options::default()
    };
    if let Some(config) = &config {
        options.policies.dirs.splice(0..0, config.policies.iter().cloned());
        options.catalogs.splice(0..0, config.catalogs.iter().cloned());
        options.context.clone_from(&config.context);
        options.severities.clone_from(&config.rules);
        if options.baseline.is_none() && args.write_baseline.is_none() {
            options.baseline.clone_from(&config.baseline);
        }
    }
    options.config = config.map(Arc::new);
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
    if let Some(path) = &args.write_baseline
        && !report.incomplete
    {
        return match baseline::write(path, &report, &options.base) {
            Ok(entries) => {
                eprintln!(
                    "wrote {entries} baseline entries to `{}`",
                    crate::render::neutralise(&path.display().to_string())
                );
                ExitStatus::Success
            }
            Err(error) => {
                fail(&format!("cannot write the baseline: {}", crate::load::describe_io(&error)), None)
            }
        };
    }
    let mut out = match Output::open(args.output.as_ref()) {
        Ok(out) => out,
        Err(error) => {
            return fail(
                &format!(
                    "cannot write the output file `{}`: {}",
                    crate::render::neutralise(
                        &args.output.as_deref().unwrap_or(std::path::Path::new("-")).display().to_string()
                    ),
                    crate::load::describe_io(&error)
                ),
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
        if args.write_baseline.is_some() {
            eprintln!("error: the baseline was not written, because the run could not check everything");
        }
        return ExitStatus::Failure;
    }
    match (fail_on.unwrap_or(FailOn::Error).threshold(), report.worst()) {
        (Some(threshold), Some(worst)) if worst >= threshold => ExitStatus::Findings,
        _ => ExitStatus::Success,
    }
}

/// The configuration named by `--config`, or found from the working directory up.
fn load_config(
    args: &Args,
    base: &std::path::Path,
) -> Result<Option<Config>, Vec<crate::diagnostic::Diagnostic>> {
    if args.no_config {
        return Ok(None);
    }
    let path = match &args.config {
        Some(path) if !path.is_file() => {
            let source =
                Arc::new(crate::source::SourceFile::new(path.clone(), path.display().to_string(), ""));
            let problem = crate::diagnostic::Diagnostic::new(
                crate::codes::CONFIG,
                crate::diagnostic::Severity::Error,
                "the configuration file does not exist",
                &source,
                crate::source::Span::point(0),
            );
            return Err(vec![problem]);
        }
        Some(path) => path.clone(),
        None => match config::discover(base) {
            Some(path) => path,
            None => return Ok(None),
        },
    };
    Config::load(&path, base).map(Some)
}

/// Prints configuration problems in the chosen format and fails.
fn show_problems(problems: Vec<crate::diagnostic::Diagnostic>, args: &Args) -> ExitStatus {
    let report = crate::report::Report::new(problems, 0, 0, true);
    if let Ok(mut out) = Output::open(args.output.as_ref()) {
        let style = Style { color: output::color_wanted(out.is_terminal()), width: output::width() };
        let _ = output::quiet_pipe(render::render(&report, args.format, style, out.writer()))
            .and_then(|()| out.finish());
    }
    ExitStatus::Failure
}
