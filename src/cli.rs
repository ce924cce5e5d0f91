//! The command line: arguments, dispatch, output and exit status.

mod check;
mod completions;
mod explain;
mod grants;
mod import;
mod init;
mod markdown;
mod offered;
mod output;
mod policies;
mod profiles;
mod rules;
mod schema;
mod simulate;
mod targets;
mod test;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing at or above the threshold.
    Success = 0,
    /// Findings at or above the threshold.
    Findings = 1,
    /// consentlint could not do its job as asked.
    Failure = 2,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        Self::from(status as u8)
    }
}

/// A policy-as-code linter for Microsoft 365 / Entra ID app consent.
#[derive(Debug, Parser)]
#[command(name = "consentlint", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate documents and evaluate the consent policies.
    Check(check::Args),
    /// Run policy tests: fixture documents and the findings they must produce.
    Test(test::Args),
    /// Show what a user meets on first opening each app in a tenant, why, and what would change it.
    Simulate(simulate::Args),
    /// Show the consents already granted in exported tenants, per app.
    Grants(grants::Args),
    /// Show the documentation of a rule or diagnostic code.
    Explain(explain::Args),
    /// List the rules.
    Rules(rules::Args),
    /// List the profiles: which rules each runs, for which baseline controls.
    Profiles(profiles::Args),
    /// Print the JSON Schema of a document kind, or list the kinds.
    Schema(schema::Args),
    /// Write a commented starter `.consentlint.yaml`.
    Init(init::Args),
    /// Convert native exports (Microsoft Graph JSON) into `consentlint/v1` YAML.
    Import(import::Args),
    /// Print shell completions.
    Completions(completions::Args),
    /// Print a manual page (roff), or write them all into a directory.
    Man(completions::ManArgs),
}

/// Runs consentlint with the process arguments.
#[must_use]
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            print_usage_error(&error);
            return if error.use_stderr() { ExitStatus::Failure.into() } else { ExitStatus::Success.into() };
        }
    };
    let outcome = std::panic::catch_unwind(|| run(cli));
    match outcome {
        Ok(status) => status.into(),
        Err(_) => {
            eprintln!("error: internal error in consentlint; please report it with the input that caused it");
            ExitStatus::Failure.into()
        }
    }
}

/// Prints clap's message. clap quotes the argument it rejects as it is, and on a terminal (or with
/// `CLICOLOR_FORCE`) keeps its escape sequences; when an argument holds a character that could
/// drive the terminal, the message is printed without colour and made safe line by line.
fn print_usage_error(error: &clap::Error) {
    let hostile = std::env::args_os()
        .any(|arg| matches!(crate::render::neutralise(&arg.to_string_lossy()), std::borrow::Cow::Owned(_)));
    if !hostile || !error.use_stderr() {
        let _ = error.print();
        return;
    }
    // Display strips clap's styling; what remains is text, the argument included.
    for line in error.render().to_string().lines() {
        eprintln!("{}", crate::render::neutralise(line));
    }
}

/// Runs a parsed command line.
#[must_use]
pub fn run(cli: Cli) -> ExitStatus {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Test(args) => test::run(&args),
        Command::Simulate(args) => simulate::run(&args),
        Command::Grants(args) => grants::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Rules(args) => rules::run(&args),
        Command::Profiles(args) => profiles::run(&args),
        Command::Schema(args) => schema::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Man(args) => completions::man(&args),
    }
}

/// Prints a usage or configuration error in the house style and returns [`ExitStatus::Failure`].
fn fail(message: &str, help: Option<&str>) -> ExitStatus {
    eprintln!("error: {}", crate::render::neutralise(message));
    if let Some(help) = help {
        eprintln!("  help: {}", crate::render::neutralise(help));
    }
    ExitStatus::Failure
}

/// Prints an error and returns [`ExitStatus::Failure`].
fn fail_with(error: &crate::error::Error) -> ExitStatus {
    fail(&error.to_string(), error.help().as_deref())
}
