//! `consentlint schema [KIND]`.

use super::offered::Offered;
use super::output::{Output, quiet_pipe};
use super::{ExitStatus, fail};
use crate::kind::Kind;
use crate::schema;

/// The name of the configuration file's schema, next to the document kinds.
pub(super) const CONFIG: &str = "Config";

/// Arguments of `schema`.
#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The document kind: `TenantConfig`, `AppManifest`, `Policy`, `PolicyTest`, or `Config` for
    /// `.consentlint.yaml` (any case, dashes allowed).
    #[arg(value_name = "KIND", value_parser = Offered(kind_names), hide_possible_values = true)]
    kind: Option<String>,
}

/// What completion offers for `schema`: the kinds; any text is accepted, and an unknown one gets
/// a suggestion.
pub(super) fn kind_names() -> Vec<(&'static str, Option<&'static str>)> {
    Kind::ALL.into_iter().map(Kind::as_str).chain([CONFIG]).map(|name| (name, None)).collect()
}

/// The schema text of a kind name, or `None`.
pub(super) fn text_of(name: &str) -> Option<&'static str> {
    let wanted = name.replace(['-', '_'], "").to_lowercase();
    if wanted == CONFIG.to_lowercase() {
        return Some(crate::config::schema_text());
    }
    Kind::ALL.into_iter().find(|k| k.as_str().to_lowercase() == wanted).map(schema::text)
}

pub(super) fn run(args: &Args) -> ExitStatus {
    let Ok(mut out) = Output::open(None) else {
        return ExitStatus::Failure;
    };
    let written = match &args.kind {
        Some(name) => {
            let Some(text) = text_of(name) else {
                let names: Vec<&str> = Kind::ALL.into_iter().map(Kind::as_str).chain([CONFIG]).collect();
                return fail(
                    &format!("unknown kind `{}`", crate::render::neutralise(name)),
                    Some(&crate::suggest::help_for(name, names.iter().copied())),
                );
            };
            writeln!(out.writer(), "{}", text.trim_end())
        }
        None => Kind::ALL
            .into_iter()
            .map(Kind::as_str)
            .chain([CONFIG])
            .try_for_each(|name| writeln!(out.writer(), "{name}")),
    };
    match quiet_pipe(written).and_then(|()| out.finish()) {
        Ok(()) => ExitStatus::Success,
        Err(_) => ExitStatus::Failure,
    }
}
