//! Policy options shared by `explain` and `rules`.

use std::path::PathBuf;

use crate::error::Error;
use crate::policy::{PolicySet, Sources};
use crate::render::{self, Format, Style};
use crate::report::Report;
use crate::schema::Schemas;

/// Where rules come from.
#[derive(Debug, clap::Args)]
pub(super) struct PolicyArgs {
    /// Also load the `kind: Policy` documents of this directory (repeatable).
    #[arg(long = "policy", value_name = "DIR")]
    policies: Vec<PathBuf>,
    /// Leave out the built-in consent policy pack.
    #[arg(long)]
    no_builtin_policies: bool,
}

impl PolicyArgs {
    /// Loads the policies, printing their problems to standard error.
    pub(super) fn load(&self) -> Option<PolicySet> {
        let base = std::env::current_dir().unwrap_or_default();
        let sources =
            Sources { builtin: !self.no_builtin_policies, dirs: self.policies.clone(), files: Vec::new() };
        match Schemas::new()
            .map_err(Error::Internal)
            .and_then(|schemas| PolicySet::load(&sources, &schemas, &base))
        {
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
