//! `consentlint init`: writes a commented starter configuration.

use std::io::Write as _;
use std::path::PathBuf;

use super::{ExitStatus, fail};
use crate::render::neutralise;

/// Arguments of `init`.
#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// Where to write the configuration.
    #[arg(default_value = ".consentlint.yaml")]
    path: PathBuf,
    /// Also write the configuration schema beside it, as `.consentlint.schema.json`, for editors
    /// that work offline (the modeline points at that file).
    #[arg(long)]
    schema: bool,
}

/// The schema file `init --schema` writes beside the configuration, named by the modeline.
pub(super) const SCHEMA_FILE: &str = crate::discover::CONFIG_SCHEMA_NAME;

/// The starter configuration: every setting, with the defaults, explained.
pub(super) const STARTER: &str = r#"# consentlint configuration: https://github.com/consentlint/consentlint#configuration
# yaml-language-server: $schema=.consentlint.schema.json
# (the schema file: `consentlint init --schema`, or `consentlint schema Config > .consentlint.schema.json`)
# Paths and patterns are relative to this file.

# Files read when a directory is checked, and files never checked (even when named, as pre-commit does).
include: ["**/*.yaml", "**/*.yml", "**/*.json"]
exclude: []

# Documents always loaded for cross-document rules: point this at your tenants, so that a run on a
# few changed app manifests still judges them against their tenant.
context: []          # for example [tenants/]

# Extra policy directories next to the built-in pack, and extra permission catalogs for other APIs.
policies: []         # for example [policies/]
builtinPolicies: true
catalog: []

# The profile the run judges by: consentlint (default), scuba, cis, eidsca, or one of your own.
# profile: scuba

# The lowest severity that fails a run: error, warning, info or never.
failOn: error
# true: a run that did not judge everything (the notes say what) fails too.
failOnUnjudged: false

# Per-rule severity: off, error, warning or info.
# rules:
#   CL-A008: off
#   CL-T008: error

# Findings recorded with `consentlint check --write-baseline .consentlint-baseline.json` are hidden
# until they change; new findings still fail the run.
# baseline: .consentlint-baseline.json
"#;

pub(super) fn run(args: &Args) -> ExitStatus {
    let status = write_new(&args.path, STARTER);
    if status != ExitStatus::Success || !args.schema {
        if status == ExitStatus::Success {
            eprintln!(
                "wrote `{}`; edit it, then run `consentlint check`",
                neutralise(&args.path.display().to_string())
            );
        }
        return status;
    }
    let schema = args.path.parent().unwrap_or_else(|| std::path::Path::new("")).join(SCHEMA_FILE);
    let status = write_new(&schema, crate::config::schema_text());
    if status == ExitStatus::Success {
        eprintln!(
            "wrote `{}` and `{}`; edit the configuration, then run `consentlint check`",
            neutralise(&args.path.display().to_string()),
            neutralise(&schema.display().to_string())
        );
    }
    status
}

/// Writes `text` to a new file at `path`; an existing file is never overwritten.
fn write_new(path: &std::path::Path, text: &str) -> ExitStatus {
    let shown = neutralise(&path.display().to_string()).into_owned();
    let file = std::fs::OpenOptions::new().write(true).create_new(true).open(path);
    let written = file.and_then(|mut file| file.write_all(text.as_bytes()));
    match written {
        Ok(()) => ExitStatus::Success,
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => fail(
            &format!("`{shown}` already exists"),
            Some("consentlint never overwrites a file; remove it first or edit it"),
        ),
        Err(error) => fail(&format!("cannot write `{shown}`: {}", crate::source::describe_io(&error)), None),
    }
}
