//! `consentlint check`.

use std::path::PathBuf;

use super::offered::{Offered, profile_names};
use super::output::ColorChoice;
use super::targets::{self, Target, Terminal};
use super::{ExitStatus, fail_with};
use crate::baseline;
use crate::check;
use crate::error::Error;
use crate::options::{self, Flags};
use crate::render::{self, Format, Platform, neutralise};
use crate::report::Report;

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

impl From<FailOn> for options::FailOn {
    fn from(value: FailOn) -> Self {
        match value {
            FailOn::Error => Self::Error,
            FailOn::Warning => Self::Warning,
            FailOn::Info => Self::Info,
            FailOn::Never => Self::Never,
        }
    }
}

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
#[expect(clippy::struct_excessive_bools, reason = "each bool is a command-line switch")]
pub(super) struct Args {
    /// Files and directories to check; directories are searched for .yaml, .yml and .json files;
    /// `-` reads one document from standard input.
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
    /// Also fail (exit status 1) when anything was not judged: a rule that could not run on a
    /// document, a named file the configuration excludes, nothing judged at all; the notes say what
    /// [default: `failOnUnjudged` in the configuration].
    #[arg(long)]
    fail_on_unjudged: bool,
    /// The paths are the files a pre-commit hook received: files that hold nothing of
    /// consentlint's, or that the configuration excludes, are expected, and a run that judged none
    /// passes quietly.
    #[arg(long)]
    pre_commit: bool,
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
    /// Print which configuration file applies and the settings the run would use, then exit.
    #[arg(long)]
    show_config: bool,
    /// Also load the `kind: Policy` documents of this directory (repeatable).
    #[arg(long = "policy", value_name = "DIR")]
    policies: Vec<PathBuf>,
    /// Leave out the built-in consent policy pack.
    #[arg(long)]
    no_builtin_policies: bool,
    /// Judge the way this profile says: `consentlint` (default), `scuba`, `cis`, `eidsca`, or one of
    /// your policy directories [default: `profile` in the configuration]; `consentlint profiles`
    /// lists them.
    #[arg(long, value_name = "NAME", value_parser = Offered(profile_names), hide_possible_values = true)]
    profile: Option<String>,
    /// Add a permission catalog for other APIs (YAML or JSON; repeatable).
    #[arg(long = "catalog", value_name = "FILE")]
    catalogs: Vec<PathBuf>,
    /// Report only these rules or codes; prefixes such as `CL-A` select a family (comma-separated or
    /// repeated). Files that are not valid YAML (`CL-P…`) or fail their schema (`CL-S…`) are always
    /// reported, since nothing in them could be judged; `--ignore` hides those codes too.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    select: Vec<String>,
    /// Never report these rules or codes; prefixes allowed (comma-separated or repeated).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    ignore: Vec<String>,
    /// Number of worker threads (default: one per core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
    /// Keep suppressed and baselined findings in SARIF, marked with `suppressions` (GitHub ignores
    /// these and would show them as open alerts, so they are left out by default).
    #[arg(long)]
    sarif_include_suppressed: bool,
    /// The SARIF analysis category (`automationDetails.id`), for several code-scanning analyses
    /// per commit.
    #[arg(long, value_name = "NAME")]
    category: Option<String>,
    /// When to use colour: `auto` (on a terminal; `NO_COLOR` turns it off, `FORCE_COLOR` or
    /// `CLICOLOR_FORCE` on), `always` or `never`; the flag wins over the environment.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Print the findings only: no summary line.
    #[arg(long, short)]
    quiet: bool,
    /// Say, for every file checked that was not judged, why: not ours and in none of the native
    /// formats consentlint reads, a change (PATCH) body, or not YAML or JSON at all.
    #[arg(long, visible_alias = "verbose")]
    show_skipped: bool,
    /// Print how many findings each rule produced (`count code name`, most first) instead of the
    /// findings; the exit status is unchanged.
    #[arg(long, conflicts_with = "quiet")]
    statistics: bool,
    /// The name of the document read from standard input (`-`): shown in diagnostics and matched
    /// by `exclude` [default: <stdin>].
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    /// Also write the report in FORMAT to PATH (repeatable), such as `sarif:consentlint.sarif`,
    /// from the same run; without `:PATH`, FORMAT replaces `--format` on standard output.
    #[arg(long = "output-format", value_name = "FORMAT[:PATH]", value_parser = targets::parse_target)]
    output_formats: Vec<Target>,
}

impl Args {
    /// What the command line says, for [`options::resolve`].
    fn flags(&self) -> Flags {
        Flags {
            paths: self.paths.clone(),
            config: self.config.clone(),
            no_config: self.no_config,
            fail_on: self.fail_on.map(Into::into),
            baseline: self.baseline.clone(),
            writing_baseline: self.write_baseline.is_some(),
            policies: self.policies.clone(),
            no_builtin_policies: self.no_builtin_policies,
            catalogs: self.catalogs.clone(),
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            threads: self.threads.map(usize::from),
            profile: self.profile.clone(),
            show_skipped: self.show_skipped,
            fail_on_unjudged: self.fail_on_unjudged,
            pre_commit: self.pre_commit,
        }
    }
}

pub(super) fn run(args: &Args) -> ExitStatus {
    let base = std::env::current_dir().unwrap_or_default();
    let mut flags = args.flags();
    let piped = match targets::read_piped(&mut flags.paths, args.stdin_filename.as_ref()) {
        Ok(piped) => piped,
        Err(error) => return fail_with(&error),
    };
    if args.show_config {
        return match options::resolve(flags, base) {
            Ok(options) => {
                // Line by line: a path's own control characters are escaped, the layout is kept.
                for line in describe(&options).lines() {
                    println!("{}", neutralise(line));
                }
                ExitStatus::Success
            }
            Err(Error::Inputs(problems)) => show_problems(problems, args),
            Err(error) => fail_with(&error),
        };
    }
    let outcome = options::resolve(flags, base).and_then(|mut options| {
        options.piped = piped;
        Ok((check::run(&options)?, options))
    });
    let (report, options) = match outcome {
        Ok(done) => done,
        Err(Error::Inputs(problems)) => return show_problems(problems, args),
        Err(error) => return fail_with(&error),
    };
    if let Some(path) = &args.write_baseline
        && !report.incomplete
    {
        return match baseline::write(path, &report, &options.base) {
            Ok(entries) => {
                eprintln!(
                    "wrote {entries} baseline entries to `{}`",
                    neutralise(&path.display().to_string())
                );
                ExitStatus::Success
            }
            Err(error) => fail_with(&Error::write(path, &error)),
        };
    }
    if let Err(error) = write_report(&report, args, Some(&options)) {
        return fail_with(&error);
    }
    if report.incomplete {
        if args.write_baseline.is_some() {
            let path = args.write_baseline.as_deref().unwrap_or(std::path::Path::new(""));
            eprintln!(
                "error: the baseline `{}` was not written, because the run could not check everything",
                neutralise(&path.display().to_string())
            );
        }
        return ExitStatus::Failure;
    }
    match (options.fail_on.unwrap_or(options::FailOn::Error).threshold(), report.worst()) {
        (Some(threshold), Some(worst)) if worst >= threshold => ExitStatus::Findings,
        _ if options.fail_on_unjudged && report.notes.iter().any(|note| note.unjudged) => {
            eprintln!(
                "error: the run did not judge everything, which `--fail-on-unjudged` (`failOnUnjudged: true`) makes a failure"
            );
            eprintln!("  help: the report's notes say what was not judged, and why");
            ExitStatus::Findings
        }
        _ => ExitStatus::Success,
    }
}

/// Renders the report in the chosen formats to standard output, `--output` and every
/// `--output-format FORMAT:PATH`; `options` are the settings of the run, when they could be
/// resolved.
fn write_report(report: &Report, args: &Args, options: Option<&options::Options>) -> Result<(), Error> {
    let terminal = Terminal { color: args.color, quiet: args.quiet, statistics: args.statistics };
    let platform = Platform {
        include_suppressed: args.sarif_include_suppressed,
        category: args.category.clone(),
        prefix: std::env::current_dir().map(|dir| render::repository_prefix(&dir)).unwrap_or_default(),
        link_base: github_blob_base(),
        about: about(args, options),
    };
    let sarif = args.format == Format::Sarif || args.output_formats.iter().any(|t| t.format == Format::Sarif);
    if sarif {
        let left_out = render::sarif_left_out(report, platform.include_suppressed);
        if left_out > 0 {
            eprintln!(
                "warning: {left_out} results were left out of the SARIF log, the least severe first, to stay within GitHub's limit per run"
            );
        }
    }
    targets::write_all(report, args.format, args.output.as_ref(), &args.output_formats, terminal, &platform)
}

/// What the HTML report's header says of the run: the paths as the command line names them, the
/// profile and catalogs of the settings, and the time (`SOURCE_DATE_EPOCH` when set).
fn about(args: &Args, options: Option<&options::Options>) -> render::About {
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    let mut about = render::About::new("check", epoch.as_deref());
    let shown = |path: &PathBuf| path.display().to_string();
    about.paths = args.paths.iter().map(shown).collect();
    about.profile = options.map_or(args.profile.clone(), |o| o.profile_name().map(str::to_owned));
    let catalogs = options.map_or(&args.catalogs, |o| &o.catalogs);
    about.catalogs.extend(catalogs.iter().map(shown));
    about
}

/// Inside GitHub Actions, where files of the checked-out commit are on GitHub:
/// `$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$GITHUB_SHA/` (variables GitHub documents as set in
/// every workflow run).
fn github_blob_base() -> Option<String> {
    let var = |name| std::env::var(name).ok().filter(|value| !value.is_empty());
    Some(format!("{}/{}/blob/{}/", var("GITHUB_SERVER_URL")?, var("GITHUB_REPOSITORY")?, var("GITHUB_SHA")?))
}

/// Shows problems in consentlint's own inputs in the chosen format, and fails.
fn show_problems(problems: Vec<crate::diagnostic::Diagnostic>, args: &Args) -> ExitStatus {
    let mut report = Report::new(problems, 0, 0, true);
    report.setup_failed = true;
    if let Err(error) = write_report(&report, args, None) {
        return fail_with(&error);
    }
    ExitStatus::Failure
}

/// The resolved settings, for `--show-config`: which configuration file applies and what each
/// setting is after the flags are merged in.
fn describe(options: &options::Options) -> String {
    use std::fmt::Write as _;
    let name = |path: &std::path::Path| crate::discover::display_name(path, &options.base);
    let list = |paths: &[PathBuf]| {
        if paths.is_empty() {
            "none".to_owned()
        } else {
            paths.iter().map(|p| name(p)).collect::<Vec<_>>().join(", ")
        }
    };
    let mut text = String::new();
    let _ = match &options.config {
        Some(config) => writeln!(text, "configuration: {}", config.source.name()),
        None => {
            writeln!(text, "configuration: none (no `.consentlint.yaml` here or up to the repository root)")
        }
    };
    let _ = writeln!(text, "paths: {}", list(&options.paths));
    if let Some(config) = &options.config {
        let include =
            config.include_patterns.as_ref().map_or_else(|| "every file".to_owned(), |p| p.join(", "));
        let exclude = if config.exclude_patterns.is_empty() {
            "none".to_owned()
        } else {
            config.exclude_patterns.join(", ")
        };
        let _ = writeln!(text, "include: {include}");
        let _ = writeln!(text, "exclude: {exclude}");
    }
    let _ = writeln!(text, "context: {}", list(&options.context));
    let builtin = if options.policies.builtin { "the built-in pack" } else { "no built-in pack" };
    let _ = writeln!(text, "policies: {builtin}; directories: {}", list(&options.policies.dirs));
    let _ = writeln!(text, "profile: {}", options.profile_name().unwrap_or("none (every rule loaded runs)"));
    let _ =
        writeln!(text, "catalogs: the bundled Microsoft Graph catalog; files: {}", list(&options.catalogs));
    let severities: Vec<String> = options
        .severities
        .iter()
        .map(|(code, change)| {
            format!("{code} {}", change.severity.map_or("off", crate::severity::Severity::as_str))
        })
        .collect();
    let _ = writeln!(
        text,
        "rules: {}",
        if severities.is_empty() { "defaults".to_owned() } else { severities.join(", ") }
    );
    let fail_on = match options.fail_on.unwrap_or(options::FailOn::Error) {
        options::FailOn::Error => "error",
        options::FailOn::Warning => "warning",
        options::FailOn::Info => "info",
        options::FailOn::Never => "never",
    };
    let _ = writeln!(text, "failOn: {fail_on}");
    let _ = writeln!(text, "failOnUnjudged: {}", options.fail_on_unjudged);
    let _ = writeln!(text, "completeExports: {}", options.complete_exports);
    let _ =
        writeln!(text, "baseline: {}", options.baseline.as_deref().map_or_else(|| "none".to_owned(), name));
    text
}
