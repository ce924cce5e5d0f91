//! `consentlint import`.

use std::path::PathBuf;

use super::{ExitStatus, fail, fail_with};
use crate::error::Error;
use crate::import;
use crate::options::{self, Flags};
use crate::render::{self, Format, Style, neutralise};
use crate::report::Report;

/// Arguments of `import`.
#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// Files and directories holding native exports (Microsoft Graph JSON, EntraExporter, ScubaGear)
    /// [default: the current directory].
    #[arg(value_name = "PATHS")]
    paths: Vec<PathBuf>,
    /// The directory to write `tenants/` and `apps/` into; it may exist, but no file in it is
    /// replaced.
    #[arg(long, short, value_name = "DIR")]
    output: PathBuf,
    /// Use this configuration file (for `tenants:` and `catalog:`) instead of searching for one.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Ignore any configuration file.
    #[arg(long)]
    no_config: bool,
    /// Add a permission catalog for other APIs (YAML or JSON; repeatable).
    #[arg(long = "catalog", value_name = "FILE")]
    catalogs: Vec<PathBuf>,
    /// Say why each file that gave nothing to import was skipped: not a format consentlint reads,
    /// or `consentlint/v1` documents already.
    #[arg(long, visible_alias = "verbose")]
    show_skipped: bool,
}

pub(super) fn run(args: &Args) -> ExitStatus {
    let base = std::env::current_dir().unwrap_or_default();
    let flags = Flags {
        paths: if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() },
        config: args.config.clone(),
        no_config: args.no_config,
        catalogs: args.catalogs.clone(),
        ..Flags::default()
    };
    let imported = match options::resolve(flags, base).and_then(|options| import::import(&options)) {
        Ok(imported) => imported,
        Err(Error::Inputs(problems)) => {
            print_problems(problems, 0);
            return ExitStatus::Failure;
        }
        Err(error) => return fail_with(&error),
    };
    if let Err(refused) = import::write_all(&args.output, &imported.files) {
        return fail(&refused.message, refused.help.as_deref());
    }
    let tenants = imported.files.iter().filter(|f| f.path.starts_with("tenants")).count();
    let apps = imported.files.iter().filter(|f| f.path.starts_with("apps")).count();
    let failed = !imported.diagnostics.is_empty();
    print_problems(imported.diagnostics, imported.read);
    if args.show_skipped {
        for (name, why) in &imported.skipped {
            eprintln!("note: `{}` was skipped: {why}", neutralise(name));
        }
    }
    let plural = |n: usize, what: &str| if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") };
    let skipped = match imported.skipped.len() {
        0 => String::new(),
        n if args.show_skipped => format!(", {n} skipped"),
        n => format!(", {n} skipped (`--show-skipped` says why)"),
    };
    eprintln!(
        "wrote {} and {} to `{}` from {} read{skipped}",
        plural(tenants, "tenant"),
        plural(apps, "app"),
        neutralise(&args.output.display().to_string()),
        plural(imported.read, "file"),
    );
    if imported.files.is_empty() && failed {
        eprintln!(
            "  help: the problems above kept what was found from being imported; fix them and import again"
        );
    } else if imported.files.is_empty() {
        eprintln!(
            "  help: no native tenant object or app registration was found; `--show-skipped` says why each file was skipped"
        );
    }
    if failed { ExitStatus::Findings } else { ExitStatus::Success }
}

/// Prints problems with the inputs, as `check --format plain` does.
fn print_problems(problems: Vec<crate::diagnostic::Diagnostic>, files: usize) {
    if problems.is_empty() {
        return;
    }
    let report = Report::new(problems, files, 0, false);
    let mut out = std::io::stdout().lock();
    let _ = render::render(&report, Format::Plain, Style::default(), &mut out);
}
