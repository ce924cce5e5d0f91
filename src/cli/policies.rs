//! Policy options shared by `explain` and `rules`.

use std::path::PathBuf;

use crate::error::Error;
use crate::options::Flags;
use crate::policy::PolicySet;
use crate::render::{self, Format, Style};
use crate::report::Report;
use crate::schema::Schemas;

/// Where rules come from: the flags, merged with `.consentlint.yaml` as `check` merges them.
#[derive(Debug, clap::Args)]
pub(super) struct PolicyArgs {
    /// Also load the `kind: Policy` documents of this directory (repeatable).
    #[arg(long = "policy", value_name = "DIR")]
    policies: Vec<PathBuf>,
    /// Leave out the built-in consent policy pack.
    #[arg(long)]
    no_builtin_policies: bool,
    /// Use this configuration file instead of looking for `.consentlint.yaml`.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Ignore any configuration file.
    #[arg(long)]
    no_config: bool,
}

impl PolicyArgs {
    /// Loads the policies, printing their problems to standard error.
    pub(super) fn load(&self) -> Option<PolicySet> {
        let base = std::env::current_dir().unwrap_or_default();
        let flags = Flags {
            config: self.config.clone(),
            no_config: self.no_config,
            policies: self.policies.clone(),
            no_builtin_policies: self.no_builtin_policies,
            ..Flags::default()
        };
        let loaded = crate::options::resolve(flags, base).and_then(|options| {
            let schemas = Schemas::new();
            PolicySet::load(&options.policies, &schemas, &options.base)
        });
        match loaded {
            Ok(policies) => Some(policies),
            Err(Error::Inputs(problems)) => {
                let mut report = Report::new(problems, 0, 0, true);
                report.setup_failed = true;
                let _ = render::render(&report, Format::Plain, Style::default(), &mut std::io::stderr());
                None
            }
            Err(error) => {
                super::fail_with(&error);
                None
            }
        }
    }
}
