//! `consentlint explain RULE`.

use super::output::{Output, quiet_pipe};
use super::policies::PolicyArgs;
use super::{ExitStatus, fail};
use crate::codes::Code;
use crate::docs;
use crate::render::neutralise;
use crate::suggest;

/// Arguments of `explain`.
#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// A rule id such as `CL-T005`, or a diagnostic code such as `CL-S001`.
    rule: String,
    #[command(flatten)]
    policies: PolicyArgs,
}

pub(super) fn run(args: &Args) -> ExitStatus {
    let Some(policies) = args.policies.load() else { return ExitStatus::Failure };
    let wanted = args.rule.to_uppercase();
    let text = if let Some(rule) = policies.rule(&wanted) {
        docs::rule_markdown(rule, 1)
    } else if let Some(code) = Code::parse(&wanted) {
        code_markdown(code)
    } else {
        let known = policies.rules.iter().map(|r| r.id.as_str()).chain(Code::ALL.iter().map(|c| c.as_str()));
        let help = suggest::did_you_mean(&wanted, known).map_or_else(
            || "`consentlint rules` lists the rules".to_owned(),
            |best| format!("did you mean `{best}`?"),
        );
        return fail(&format!("unknown rule `{}`", neutralise(&args.rule)), Some(&help));
    };
    let Ok(mut out) = Output::open(None) else { return ExitStatus::Failure };
    match quiet_pipe(write!(out.writer(), "{text}")).and_then(|()| out.finish()) {
        Ok(()) => ExitStatus::Success,
        Err(_) => ExitStatus::Failure,
    }
}

/// A code's documentation: its section of `docs/diagnostics.md` under a heading that names it.
fn code_markdown(code: Code) -> String {
    let section = code.documentation().unwrap_or_default();
    let body = section.split_once('\n').map_or("", |(_, rest)| rest).trim();
    format!("# {code}: {}\n\n{body}\n\nSee {}.\n", code.name(), code.url())
}
