//! `consentlint simulate`.

use std::path::PathBuf;

use super::offered::{Offered, profile_names};
use super::output::{self, ColorChoice};
use super::{ExitStatus, fail_with};
use crate::error::Error;
use crate::options::{self, Flags};
use crate::render::Style;
use crate::report::Report;
use crate::simulate::{self, render::Format};

/// Arguments of `simulate`.
#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The tenant to simulate in: a file, or a directory such as an export, holding one tenant.
    #[arg(long, value_name = "TENANT")]
    tenant: PathBuf,
    /// App manifests to simulate: files, or directories searched for .yaml, .yml and .json files.
    #[arg(required = true, value_name = "APP")]
    apps: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the output to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Use this configuration file instead of looking for `.consentlint.yaml`.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Ignore any configuration file.
    #[arg(long)]
    no_config: bool,
    /// Also load the `kind: Policy` documents of this directory (repeatable): their rules count in
    /// what a change costs.
    #[arg(long = "policy", value_name = "DIR")]
    policies: Vec<PathBuf>,
    /// Add a permission catalog for other APIs (YAML or JSON; repeatable).
    #[arg(long = "catalog", value_name = "FILE")]
    catalogs: Vec<PathBuf>,
    /// Price changes with the rules and severities of this profile (`consentlint`, `scuba`, `cis`,
    /// `eidsca`, or one of your policy directories) [default: `profile` in the configuration].
    #[arg(long, value_name = "NAME", value_parser = Offered(profile_names), hide_possible_values = true)]
    profile: Option<String>,
    /// When to use colour in the diagnostics of invalid inputs: `auto`, `always` or `never`.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

pub(super) fn run(args: &Args) -> ExitStatus {
    let base = std::env::current_dir().unwrap_or_default();
    let flags = Flags {
        paths: args.apps.clone(),
        config: args.config.clone(),
        no_config: args.no_config,
        policies: args.policies.clone(),
        catalogs: args.catalogs.clone(),
        profile: args.profile.clone(),
        ..Flags::default()
    };
    let mut profile = None;
    let outcome = options::resolve(flags, base).and_then(|options| {
        profile = options.profile_name().map(str::to_owned);
        simulate::run(&options, &args.tenant)
    });
    let simulation = match outcome {
        Ok(simulation) => simulation,
        Err(Error::Inputs(problems)) => return show_problems(problems, args),
        Err(error) => return fail_with(&error),
    };
    let about = about(args, profile);
    if let Err(error) =
        write(args, |out, style| simulate::render::render(&simulation, args.format, style, &about, out))
    {
        return fail_with(&error);
    }
    let problems = &simulation.problems;
    if problems.incomplete {
        ExitStatus::Failure
    } else if problems.diagnostics.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Findings
    }
}

/// Problems in consentlint's own inputs (configuration, policies, catalogs), shown as `check`
/// shows them, in the format closest to the one asked for.
fn show_problems(problems: Vec<crate::diagnostic::Diagnostic>, args: &Args) -> ExitStatus {
    let mut report = Report::new(problems, 0, 0, true);
    report.setup_failed = true;
    let format = match args.format {
        Format::Human => crate::render::Format::Human,
        Format::Markdown => crate::render::Format::Markdown,
        Format::Json => crate::render::Format::Json,
        Format::Html => crate::render::Format::Html,
    };
    let platform = crate::render::Platform {
        about: about(args, args.profile.clone()),
        ..crate::render::Platform::default()
    };
    if let Err(error) =
        write(args, |out, style| crate::render::render_for(&report, format, style, &platform, out))
    {
        return fail_with(&error);
    }
    ExitStatus::Failure
}

/// What the HTML page's header says of the run: the tenant and apps as the command line names them,
/// the profile of the run and the catalogs, and the time (`SOURCE_DATE_EPOCH` when set).
fn about(args: &Args, profile: Option<String>) -> crate::render::About {
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    let mut about = crate::render::About::new("simulate", epoch.as_deref());
    let shown = |path: &PathBuf| path.display().to_string();
    about.paths = std::iter::once(&args.tenant).chain(&args.apps).map(shown).collect();
    about.profile = profile;
    about.catalogs.extend(args.catalogs.iter().map(shown));
    about
}

/// Writes to standard output or `--output` with the style of the destination.
fn write(
    args: &Args,
    render: impl FnOnce(&mut dyn std::io::Write, Style) -> std::io::Result<()>,
) -> Result<(), Error> {
    output::write_to(args.output.as_ref(), args.color, render)
}
