//! `consentlint schema [KIND]`.

use super::output::{Output, quiet_pipe};
use super::{ExitStatus, fail};
use crate::kind::Kind;
use crate::schema;

/// Arguments of `schema`.
#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The document kind: `TenantConfig`, `AppManifest` or `Policy` (any case, dashes allowed).
    kind: Option<String>,
}

pub(super) fn run(args: &Args) -> ExitStatus {
    let Ok(mut out) = Output::open(None) else {
        return ExitStatus::Failure;
    };
    let written = match &args.kind {
        Some(name) => {
            let wanted = name.replace(['-', '_'], "").to_lowercase();
            let Some(kind) = Kind::ALL.into_iter().find(|k| k.as_str().to_lowercase() == wanted) else {
                return fail(
                    &format!("unknown kind `{}`", crate::render::neutralise(name)),
                    Some(&Kind::help_for(name)),
                );
            };
            writeln!(out.writer(), "{}", schema::text(kind).trim_end())
        }
        None => Kind::ALL.into_iter().try_for_each(|kind| writeln!(out.writer(), "{}", kind.as_str())),
    };
    match quiet_pipe(written).and_then(|()| out.finish()) {
        Ok(()) => ExitStatus::Success,
        Err(_) => ExitStatus::Failure,
    }
}
