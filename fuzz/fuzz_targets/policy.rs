//! Bytes as a policy file → `PolicySet::from_sources` → when the rules compile, a check of a small
//! repository with them → every renderer, with the assertions of the `pipeline` target. Policy
//! problems (`Error::Inputs`) are rendered as a report of their own and checked the same way.
#![no_main]

use std::sync::LazyLock;

use consentlint::error::Error;
use consentlint::options::Options;
use consentlint::policy::{PolicySet, Sources};
use consentlint::report::Report;
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/invariants.rs"]
mod invariants;
mod workspace;

static WORKSPACE: LazyLock<workspace::Workspace> = LazyLock::new(workspace::Workspace::new);

fuzz_target!(|data: &[u8]| {
    let workspace = &*WORKSPACE;
    let base = workspace.path().to_path_buf();
    let file = base.join("fuzzed.policy.yaml");
    std::fs::write(&file, data).expect("the policy is written");
    let sources = Sources { builtin: false, dirs: Vec::new(), files: vec![file] };
    let report = match PolicySet::from_sources(&sources, &base) {
        Ok(_) => {
            let mut options = Options::new(vec![base.join("apps"), base.join("tenants")], base.clone());
            options.policies = sources;
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
