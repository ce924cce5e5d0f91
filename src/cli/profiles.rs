//! `consentlint profiles`, and what `explain RULE` says about each profile's treatment of a rule.

use std::fmt::Write as _;

use serde::Serialize;

use super::ExitStatus;
use super::output::{Output, quiet_pipe};
use super::policies::PolicyArgs;
use crate::policy::profile::{self, Resolved};
use crate::policy::{PolicySet, Rule};

/// How to list the profiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum ListFormat {
    /// An aligned table.
    Table,
    /// A JSON array.
    Json,
}

/// Arguments of `profiles`.
#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    format: ListFormat,
    #[command(flatten)]
    policies: PolicyArgs,
}

#[derive(Serialize)]
struct Item<'a> {
    name: &'a str,
    title: Option<&'a str>,
    file: &'a str,
    builtin: bool,
    extends: Option<&'a str>,
    default: bool,
    rules: Vec<&'a str>,
    controls: Vec<&'a str>,
}

pub(super) fn run(args: &Args) -> ExitStatus {
    let Some(policies) = args.policies.load() else { return ExitStatus::Failure };
    let resolved: Vec<(&profile::Profile, Resolved)> = policies
        .profiles
        .iter()
        .filter_map(|p| Some((p, profile::resolve(&policies.profiles, &p.name)?)))
        .collect();
    let text = match args.format {
        ListFormat::Table => {
            let width = resolved.iter().map(|(p, _)| p.name.len()).max().unwrap_or(0);
            let mut text = String::new();
            for (p, r) in &resolved {
                let default = if p.name == profile::DEFAULT { " (default)" } else { "" };
                let _ = writeln!(
                    text,
                    "{:<width$}  {:>2} rules  {:>2} controls  {}{default}",
                    crate::render::neutralise(&p.name),
                    r.rules.len(),
                    r.controls.len(),
                    crate::render::neutralise(p.title.as_deref().unwrap_or(p.source.name()))
                );
            }
            text
        }
        ListFormat::Json => {
            let items: Vec<Item<'_>> = resolved
                .iter()
                .map(|(p, r)| Item {
                    name: &p.name,
                    title: p.title.as_deref(),
                    file: p.source.name(),
                    builtin: p.builtin,
                    extends: p.extends.as_ref().map(|(name, _)| name.as_str()),
                    default: p.name == profile::DEFAULT,
                    rules: r.rules.keys().map(String::as_str).collect(),
                    controls: r.controls.iter().map(|c| c.id.as_str()).collect(),
                })
                .collect();
            match serde_json::to_string_pretty(&items) {
                Ok(json) => json + "\n",
                Err(error) => {
                    return super::fail(&format!("cannot write the profiles as JSON: {error}"), None);
                }
            }
        }
    };
    let Ok(mut out) = Output::open(None) else { return ExitStatus::Failure };
    match quiet_pipe(write!(out.writer(), "{text}")).and_then(|()| out.finish()) {
        Ok(()) => ExitStatus::Success,
        Err(_) => ExitStatus::Failure,
    }
}

/// A Markdown section saying how each loaded profile runs `rule`: left out, or with which
/// severity and parameters, for which controls.
pub(super) fn treatment_markdown(rule: &Rule, policies: &PolicySet) -> String {
    let mut text = String::from(
        "\n## Profiles\n\n| profile | runs it | severity | parameters | controls |\n|---|---|---|---|---|\n",
    );
    for p in &policies.profiles {
        let Some(resolved) = profile::resolve(&policies.profiles, &p.name) else { continue };
        let Some(setting) = resolved.rules.get(&rule.id) else {
            let runs = if resolved.other_rules && !rule.builtin { "yes" } else { "no" };
            let _ = writeln!(text, "| `{}` | {runs} | | | |", p.name);
            continue;
        };
        let severity = setting.severity.unwrap_or(rule.severity).as_str();
        let parameters: Vec<String> = rule
            .parameters
            .iter()
            .map(|parameter| {
                let value = setting
                    .parameters
                    .iter()
                    .find(|(name, _, _, _)| *name == parameter.name)
                    .map_or(&parameter.default, |(_, _, value, _)| value);
                format!("`{}: {}`", parameter.name, value.to_json())
            })
            .collect();
        let controls: Vec<String> = resolved
            .controls
            .iter()
            .filter(|c| c.rules.iter().any(|(id, _)| *id == rule.id))
            .map(|c| format!("`{}`", c.id))
            .collect();
        let _ = writeln!(
            text,
            "| `{}` | yes | {severity} | {} | {} |",
            p.name,
            parameters.join(", "),
            controls.join(", ")
        );
    }
    text
}
