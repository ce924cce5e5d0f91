//! `consentlint rules`.

use serde::Serialize;

use super::ExitStatus;
use super::output::{Output, quiet_pipe};
use super::policies::PolicyArgs;
use crate::docs;
use crate::policy::Rule;

/// How to list the rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum ListFormat {
    /// An aligned table.
    Table,
    /// A JSON array.
    Json,
    /// The Markdown reference (`docs/rules.md`).
    Markdown,
}

/// Arguments of `rules`.
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
    id: &'a str,
    name: &'a str,
    severity: &'a str,
    target: &'a str,
    summary: &'a str,
    references: Vec<&'a str>,
    url: Option<String>,
}

pub(super) fn run(args: &Args) -> ExitStatus {
    let Some(policies) = args.policies.load() else { return ExitStatus::Failure };
    let text = match args.format {
        ListFormat::Table => table(&policies.rules),
        ListFormat::Markdown => docs::rules_markdown(&policies.rules),
        ListFormat::Json => {
            let items: Vec<Item<'_>> = policies
                .rules
                .iter()
                .map(|r| Item {
                    id: &r.id,
                    name: &r.name,
                    severity: r.severity.as_str(),
                    target: r.target.as_str(),
                    summary: &r.summary,
                    references: r.references.iter().map(|x| x.id.as_str()).collect(),
                    url: r.url.clone(),
                })
                .collect();
            serde_json::to_string_pretty(&items).map(|json| json + "\n").unwrap_or_default()
        }
    };
    let Ok(mut out) = Output::open(None) else { return ExitStatus::Failure };
    match quiet_pipe(write!(out.writer(), "{text}")).and_then(|()| out.finish()) {
        Ok(()) => ExitStatus::Success,
        Err(_) => ExitStatus::Failure,
    }
}

fn table(rules: &[Rule]) -> String {
    use std::fmt::Write as _;
    let width = |f: fn(&Rule) -> usize, title: &str| rules.iter().map(f).max().unwrap_or(0).max(title.len());
    let id = width(|r| r.id.len(), "ID");
    let name = width(|r| r.name.len(), "NAME");
    let mut text = format!("{:id$}  {:8}  {:12}  {:name$}  SUMMARY\n", "ID", "SEVERITY", "TARGET", "NAME");
    for r in rules {
        let _ = writeln!(
            text,
            "{:id$}  {:8}  {:12}  {:name$}  {}",
            r.id,
            r.severity.as_str(),
            r.target.as_str(),
            r.name,
            r.summary
        );
    }
    text
}
