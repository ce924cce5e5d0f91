//! Bytes as `.consentlint.yaml` → options resolved with `--config` → a check of a small
//! repository → every renderer, with the assertions of the `pipeline` target. Configuration
//! problems (`Error::Inputs`) are rendered as a report of their own and checked the same way.
#![no_main]

use std::sync::LazyLock;

use consentlint::error::Error;
use consentlint::options::{self, Flags};
use consentlint::report::Report;
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/invariants.rs"]
mod invariants;
mod workspace;

static WORKSPACE: LazyLock<workspace::Workspace> = LazyLock::new(workspace::Workspace::new);

fuzz_target!(|data: &[u8]| {
    let workspace = &*WORKSPACE;
    let config = workspace.path().join(".consentlint.yaml");
    std::fs::write(&config, data).expect("the configuration is written");
    let flags =
        Flags { paths: vec![workspace.path().to_path_buf()], config: Some(config), ..Flags::default() };
    let report = match options::resolve(flags, workspace.path().to_path_buf()) {
        Ok(options) => {
            let named = options.context.iter().chain(&options.policies.dirs).chain(&options.catalogs);
            if !workspace.contains(named.chain(&options.baseline)) {
                return;
            }
            consentlint::check::run(&options)
        }
        Err(error) => Err(error),
    };
    let report = match report {
        Ok(report) => report,
        Err(Error::Inputs(problems)) => Report::new(problems, 0, 0, true),
        Err(Error::Internal(problem)) => panic!("internal error: {problem}"),
        Err(_) => return,
    };
    if let Err(problem) = invariants::check(&report) {
        panic!("{problem}");
    }
});
