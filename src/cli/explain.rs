//! `consentlint explain RULE`.

use super::markdown;
use super::offered::Offered;
use super::output::{self, ColorChoice, Output, quiet_pipe};
use super::policies::PolicyArgs;
use super::{ExitStatus, fail};
use crate::codes::Code;
use crate::docs;
use crate::render::neutralise;
use crate::suggest;

/// Arguments of `explain`.
#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// A rule id such as `CL-T005` or name such as `consent-request-expiry`, or a diagnostic code
    /// such as `CL-S001` or its name; rules of `--policy` directories too.
    #[arg(value_name = "RULE", value_parser = Offered(rule_names), hide_possible_values = true)]
    rule: String,
    /// When to use colour on a terminal: `auto`, `always` or `never` (piped output is Markdown).
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    #[command(flatten)]
    policies: PolicyArgs,
}

pub(super) fn run(args: &Args) -> ExitStatus {
    let Some(policies) = args.policies.load() else { return ExitStatus::Failure };
    let wanted = args.rule.to_uppercase();
    let by_name = |name: &str| name.eq_ignore_ascii_case(&args.rule);
    let text = if let Some(rule) =
        policies.rule(&wanted).or_else(|| policies.rules.iter().find(|r| by_name(&r.name)))
    {
        docs::rule_markdown(rule, 1) + &super::profiles::treatment_markdown(rule, &policies)
    } else if let Some(code) =
        Code::parse(&wanted).or_else(|| Code::ALL.into_iter().find(|c| by_name(c.name())))
    {
        code_markdown(code)
    } else {
        let known = policies
            .rules
            .iter()
            .flat_map(|r| [r.id.as_str(), r.name.as_str()])
            .chain(Code::ALL.iter().flat_map(|c| [c.as_str(), c.name()]));
        let help = suggest::did_you_mean(&args.rule, known).map_or_else(
            || "`consentlint rules` lists the rules".to_owned(),
            |best| format!("did you mean `{best}`?"),
        );
        return fail(&format!("unknown rule `{}`", neutralise(&args.rule)), Some(&help));
    };
    let Ok(mut out) = Output::open(None) else { return ExitStatus::Failure };
    let terminal = out.is_terminal();
    let color = output::color_wanted(args.color, terminal);
    // On a terminal (or when colour is forced) the Markdown is laid out; through a pipe it is kept.
    let text = if terminal || color { markdown::render(&text, output::width(terminal), color) } else { text };
    match quiet_pipe(write!(out.writer(), "{text}")).and_then(|()| out.finish()) {
        Ok(()) => ExitStatus::Success,
        Err(_) => ExitStatus::Failure,
    }
}

/// What completion offers for `explain`: the built-in rule ids (with their names) and the codes;
/// rules of `--policy` directories are accepted too.
pub(super) fn rule_names() -> Vec<(&'static str, Option<&'static str>)> {
    let rules = crate::policy::PolicySet::builtin_names().into_iter().map(|(id, name)| (id, Some(name)));
    rules.chain(Code::ALL.into_iter().map(|c| (c.as_str(), Some(c.name())))).collect()
}

/// A code's documentation: its section of `docs/diagnostics.md` under a heading that names it.
fn code_markdown(code: Code) -> String {
    let section = code.documentation().unwrap_or_default();
    let body = section.split_once('\n').map_or("", |(_, rest)| rest).trim();
    format!("# {code}: {}\n\n{body}\n\nSee {}.\n", code.name(), code.url())
}
