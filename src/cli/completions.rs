//! `consentlint completions SHELL` and `consentlint man`: generated from the command-line model.

use std::io::Write as _;
use std::path::PathBuf;

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
    if args.shell == clap_complete::Shell::Fish {
        fish_values(&mut out);
    }
    finish(&out)
}

/// clap's fish script offers no values for positional arguments: the rule ids and codes of
/// `explain` and the kinds of `schema` are added here, from the lists the other shells get.
fn fish_values(out: &mut Vec<u8>) {
    let lists = [("explain", super::explain::rule_names()), ("schema", super::schema::kind_names())];
    for (subcommand, names) in lists {
        for (name, help) in names {
            let help = help.map(|help| format!("\t{help}")).unwrap_or_default();
            let _ = writeln!(
                out,
                "complete -c consentlint -n \"__fish_consentlint_using_subcommand {subcommand}\" -f -a \"{name}{help}\""
            );
        }
    }
}

/// Arguments of `man`.
#[derive(Debug, clap::Args)]
pub(super) struct ManArgs {
    /// The subcommand whose page to print, such as `check`; the main page without one.
    #[arg(value_name = "SUBCOMMAND", value_parser = subcommand_names())]
    subcommand: Option<String>,
    /// Write every page (`consentlint.1`, `consentlint-check.1`, …) into this directory instead.
    #[arg(long, value_name = "DIR", conflicts_with = "subcommand")]
    dir: Option<PathBuf>,
}

/// The subcommands with a page of their own (a test checks the list against the command line).
pub(super) const SUBCOMMANDS: [&str; 12] = [
    "check",
    "test",
    "simulate",
    "grants",
    "explain",
    "rules",
    "profiles",
    "schema",
    "init",
    "import",
    "completions",
    "man",
];

fn subcommand_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(SUBCOMMANDS)
}

/// Prints a manual page (roff), for `man -l -` or packaging, or writes them all into `--dir`.
pub(super) fn man(args: &ManArgs) -> ExitStatus {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    let mut pages = vec![command.clone()];
    pages.extend(command.get_subcommands().cloned());
    if let Some(dir) = &args.dir {
        for page in pages {
            let name = format!("{}.1", page.get_display_name().unwrap_or_else(|| page.get_name()));
            let path = dir.join(&name);
            let written = page_text(page).and_then(|text| std::fs::write(&path, text));
            if let Err(error) = written {
                return super::fail_with(&crate::error::Error::write(&path, &error));
            }
        }
        eprintln!("wrote the manual pages to `{}`", crate::render::neutralise(&dir.display().to_string()));
        return ExitStatus::Success;
    }
    let wanted = args.subcommand.as_deref();
    let Some(page) = pages.into_iter().find(|p| wanted.is_none_or(|w| p.get_name() == w)) else {
        return ExitStatus::Failure;
    };
    match page_text(page) {
        Ok(text) => finish(&text),
        Err(_) => ExitStatus::Failure,
    }
}

/// One page: `clap_mangen`'s sections, then exit status, environment and examples.
fn page_text(page: clap::Command) -> std::io::Result<Vec<u8>> {
    let name = page.get_name().to_owned();
    let mut out = Vec::new();
    clap_mangen::Man::new(page).render(&mut out)?;
    out.extend_from_slice(EXIT_STATUS.as_bytes());
    out.extend_from_slice(ENVIRONMENT.as_bytes());
    out.extend_from_slice(b".SH EXAMPLES\n");
    for (command, what) in EXAMPLES
        .iter()
        .filter(|(command, _)| name == "consentlint" || command.split(' ').nth(1) == Some(name.as_str()))
    {
        out.extend_from_slice(format!(".TP\n\\fB{}\\fR\n{what}\n", command.replace('-', "\\-")).as_bytes());
    }
    Ok(out)
}

const EXIT_STATUS: &str = ".SH \"EXIT STATUS\"
.TP
0
Nothing at or above the \\fB\\-\\-fail\\-on\\fR threshold (\\fBtest\\fR: every case passed; \\fBsimulate\\fR: every app was evaluated, whatever its outcome).
.TP
1
Findings at or above the threshold; a file that is not valid YAML or fails its schema is a finding (\\fBtest\\fR: a case failed; \\fBsimulate\\fR: an input is not valid).
.TP
2
consentlint could not do its job as asked: bad flags, a missing path, an unreadable input, a broken policy, catalog, configuration or baseline, an internal error.
";

const ENVIRONMENT: &str = ".SH ENVIRONMENT
.TP
NO_COLOR
Any non\\-empty value turns colour off when \\fB\\-\\-color\\fR is \\fBauto\\fR.
.TP
FORCE_COLOR, CLICOLOR_FORCE
A non\\-empty value other than 0 turns colour on when \\fB\\-\\-color\\fR is \\fBauto\\fR, also through a pipe; \\fBNO_COLOR\\fR wins.
.TP
COLUMNS
The width to wrap human output at when standard output is not a terminal (default 100).
.TP
RAYON_NUM_THREADS
Worker threads when \\fB\\-\\-threads\\fR is not given (default: one per core).
";

/// (command, what it does), shown on the main page and on the page of the subcommand they use.
const EXAMPLES: &[(&str, &str)] = &[
    ("consentlint check", "Check every YAML and JSON file below the current directory."),
    (
        "consentlint check --output-format sarif:consentlint.sarif",
        "Show findings on the terminal and write SARIF for code scanning in the same run.",
    ),
    (
        "consentlint check - --stdin-filename apps/new.yaml",
        "Check a document piped on standard input, named as if it were apps/new.yaml.",
    ),
    ("consentlint check --statistics", "Count the findings of each rule."),
    ("consentlint test policies/", "Run the policy tests of a directory."),
    (
        "consentlint simulate --tenant tenants/contoso.yaml apps/",
        "Show what users meet when they first open each app in tenant contoso, and what would let them consent.",
    ),
    ("consentlint explain user-consent-blocked", "Show a rule's documentation, by name or id."),
    ("consentlint schema Config", "Print the configuration file's JSON Schema."),
    ("consentlint init --schema", "Write a starter configuration and its schema for offline editors."),
    ("consentlint rules --format markdown", "List the rules as a Markdown table."),
    ("consentlint completions bash", "Print bash completions, rule ids and schema kinds included."),
    ("consentlint man --dir man/", "Write every manual page into man/."),
];

fn finish(bytes: &[u8]) -> ExitStatus {
    let mut stdout = std::io::stdout().lock();
    match quiet_pipe(stdout.write_all(bytes).and_then(|()| stdout.flush())) {
        Ok(()) => ExitStatus::Success,
        Err(_) => ExitStatus::Failure,
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn every_subcommand_has_a_page() {
        let names: Vec<String> =
            super::Cli::command().get_subcommands().map(|c| c.get_name().to_owned()).collect();
        assert_eq!(names, super::SUBCOMMANDS);
    }
}
