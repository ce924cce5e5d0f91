//! `consentlint completions SHELL` and `consentlint man`: generated from the command-line model.

use std::io::Write as _;

use clap::CommandFactory;

use super::output::quiet_pipe;
use super::{Cli, ExitStatus};

/// Arguments of `completions`.
#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The shell.
    shell: clap_complete::Shell,
}

pub(super) fn run(args: &Args) -> ExitStatus {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command, "consentlint", &mut out);
    finish(&out)
}

/// Prints the manual page (roff), for `man -l -` or packaging.
pub(super) fn man() -> ExitStatus {
    let mut out = Vec::new();
    if clap_mangen::Man::new(Cli::command()).render(&mut out).is_err() {
        return ExitStatus::Failure;
    }
    finish(&out)
}

fn finish(bytes: &[u8]) -> ExitStatus {
    let mut stdout = std::io::stdout().lock();
    match quiet_pipe(stdout.write_all(bytes).and_then(|()| stdout.flush())) {
        Ok(()) => ExitStatus::Success,
        Err(_) => ExitStatus::Failure,
    }
}
