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
    /// Show one profile whole: its baseline, its rules and every control with the rules behind it.
    #[arg(long, value_name = "PROFILE")]
    details: Option<String>,
    #[command(flatten)]
    policies: PolicyArgs,
}

/// One control, for `--details` in JSON.
#[derive(Serialize)]
struct ControlItem<'a> {
    id: &'a str,
    title: Option<&'a str>,
    rules: Vec<&'a str>,
    stricter: Vec<&'a str>,
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
    if let Some(name) = &args.details {
        let Some((found, resolved)) = resolved.iter().find(|(p, _)| p.name == *name) else {
            let names = resolved.iter().map(|(p, _)| p.name.as_str());
            let help = crate::suggest::did_you_mean(name, names.clone()).map_or_else(
                || format!("the profiles loaded are {}", crate::suggest::list(names)),
                |best| format!("did you mean `{best}`?"),
            );
            return super::fail(&format!("no profile is named `{name}`"), Some(&help));
        };
        return write_text(&match args.format {
            ListFormat::Table => details(found, resolved),
            ListFormat::Json => match details_json(found, resolved) {
                Ok(json) => json,
                Err(error) => {
                    return super::fail(&format!("cannot write the profile as JSON: {error}"), None);
                }
            },
        });
    }
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
    write_text(&text)
}

fn write_text(text: &str) -> ExitStatus {
    let Ok(mut out) = Output::open(None) else { return ExitStatus::Failure };
    match quiet_pipe(write!(out.writer(), "{text}")).and_then(|()| out.finish()) {
        Ok(()) => ExitStatus::Success,
        Err(_) => ExitStatus::Failure,
    }
}

/// One profile whole, as text: its title and baseline, its rules with their severities, and each
/// control with its rules (and the stricter ones).
fn details(found: &profile::Profile, resolved: &Resolved) -> String {
    let clean = crate::render::neutralise;
    let mut text = format!("{}: {}\n", clean(&found.name), clean(found.title.as_deref().unwrap_or("")));
    if let Some(url) = &found.url {
        let _ = writeln!(text, "baseline: {}", clean(url));
    }
    let rules: Vec<String> = resolved
        .rules
        .iter()
        .map(|(id, setting)| match setting.severity {
            Some(severity) => format!("{} ({})", clean(id), severity.as_str()),
            None => clean(id).into_owned(),
        })
        .collect();
    let _ = writeln!(text, "rules: {}", rules.join(", "));
    let _ = writeln!(text, "controls:");
    let width = resolved.controls.iter().map(|c| c.id.chars().count()).max().unwrap_or(0);
    for control in &resolved.controls {
        let ids = |list: &[(String, crate::source::Span)]| {
            list.iter().map(|(id, _)| clean(id).into_owned()).collect::<Vec<String>>()
        };
        let mut behind = ids(&control.rules).join(", ");
        if !control.stricter.is_empty() {
            let _ = write!(behind, "; stricter: {}", ids(&control.stricter).join(", "));
        }
        let _ = writeln!(
            text,
            "  {:<width$}  {}\n  {:<width$}  rules: {behind}",
            clean(&control.id),
            clean(control.title.as_deref().unwrap_or("")),
            ""
        );
    }
    text
}

/// One profile whole, as a JSON object.
fn details_json(found: &profile::Profile, resolved: &Resolved) -> Result<String, serde_json::Error> {
    fn ids(list: &[(String, crate::source::Span)]) -> Vec<&str> {
        list.iter().map(|(id, _)| id.as_str()).collect()
    }
    let controls: Vec<ControlItem<'_>> = resolved
        .controls
        .iter()
        .map(|c| ControlItem {
            id: &c.id,
            title: c.title.as_deref(),
            rules: ids(&c.rules),
            stricter: ids(&c.stricter),
        })
        .collect();
    let value = serde_json::json!({
        "name": found.name,
        "title": found.title,
        "url": found.url,
        "rules": resolved.rules.keys().collect::<Vec<_>>(),
        "controls": controls,
    });
    serde_json::to_string_pretty(&value).map(|json| json + "\n")
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
