//! `consentlint grants`.

use std::path::PathBuf;

use super::output::{self, ColorChoice};
use super::{ExitStatus, fail_with};
use crate::error::Error;
use crate::inventory::{self, render::Format};
use crate::options::{self, Flags};
use crate::render::Style;
use crate::report::Report;

/// Arguments of `grants`.
#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// Exports and documents to read: files, or directories searched for .yaml, .yml and .json
    /// files (an export with its desired state shows what the desired state approves).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
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
    /// Add a permission catalog for other APIs (YAML or JSON; repeatable).
    #[arg(long = "catalog", value_name = "FILE")]
    catalogs: Vec<PathBuf>,
    /// When to use colour in the diagnostics of the inputs: `auto`, `always` or `never`.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

/// Shows the grants; exit status 0 when the inputs could be read (whatever they grant), 2 when
/// not.
pub(super) fn run(args: &Args) -> ExitStatus {
    let base = std::env::current_dir().unwrap_or_default();
    let flags = Flags {
        paths: args.paths.clone(),
        config: args.config.clone(),
        no_config: args.no_config,
        catalogs: args.catalogs.clone(),
        ..Flags::default()
    };
    let outcome = options::resolve(flags, base).and_then(|options| inventory::run(&options));
    let inventory = match outcome {
        Ok(inventory) => inventory,
        Err(Error::Inputs(problems)) => return show_problems(problems, args),
        Err(error) => return fail_with(&error),
    };
    let about = about(args);
    if let Err(error) =
        write(args, |out, style| inventory::render::render(&inventory, args.format, style, &about, out))
    {
        return fail_with(&error);
    }
    if inventory.problems.incomplete { ExitStatus::Failure } else { ExitStatus::Success }
}

/// Problems in consentlint's own inputs, shown as `check` shows them.
fn show_problems(problems: Vec<crate::diagnostic::Diagnostic>, args: &Args) -> ExitStatus {
    let mut report = Report::new(problems, 0, 0, true);
    report.setup_failed = true;
    let format = match args.format {
        Format::Human | Format::Csv => crate::render::Format::Human,
        Format::Markdown => crate::render::Format::Markdown,
        Format::Json => crate::render::Format::Json,
        Format::Html => crate::render::Format::Html,
    };
    let platform = crate::render::Platform { about: about(args), ..crate::render::Platform::default() };
    if let Err(error) =
        write(args, |out, style| crate::render::render_for(&report, format, style, &platform, out))
    {
        return fail_with(&error);
    }
    ExitStatus::Failure
}

/// What the HTML page's header says of the run: the paths as the command line names them, the
/// catalogs, and the time (`SOURCE_DATE_EPOCH` when set).
fn about(args: &Args) -> crate::render::About {
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    let mut about = crate::render::About::new("grants", epoch.as_deref());
    about.paths = args.paths.iter().map(|p| p.display().to_string()).collect();
    about.catalogs.extend(args.catalogs.iter().map(|p| p.display().to_string()));
    about
}

/// Writes to standard output or `--output` with the style of the destination.
fn write(
    args: &Args,
    render: impl FnOnce(&mut dyn std::io::Write, Style) -> std::io::Result<()>,
) -> Result<(), Error> {
    output::write_to(args.output.as_ref(), args.color, render)
}
