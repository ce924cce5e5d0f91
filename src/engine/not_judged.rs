//! What the engine says of rules it did not run on a document, grouped so that one note names every
//! rule not run for one reason.

use std::collections::BTreeSet;

use crate::kind::Kind;
use crate::native::Native;

/// Rules that were not run on a document, and why.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct NotJudged {
    /// The rules' ids, in the order they are loaded.
    pub rules: Vec<String>,
    /// The document's kind.
    pub kind: Kind,
    /// The format it was read from.
    pub format: &'static str,
    /// The value the rule reads that the document does not state, as a dotted path.
    pub missing: &'static str,
    /// The document's name.
    pub name: String,
    /// The tenant it concerns (the tenant itself, or an app's tenant).
    pub tenant: Option<String>,
    /// For permissions of an API that no catalog describes, that API: the rules that read the
    /// catalog's facts judged the app's other permissions, not these.
    pub api: Option<String>,
    /// Why the value is not stated, when the format holds it but the files do not let it be read.
    pub reason: Option<&'static str>,
}

/// The document a rule was not run on.
#[derive(Clone, Copy)]
pub(super) struct On<'d> {
    pub kind: Kind,
    pub name: Option<&'d str>,
    /// The tenant it concerns (the tenant itself, or an app's tenant).
    pub tenant: Option<&'d str>,
}

/// Why a rule was not run.
pub(super) enum Why<'n> {
    /// It reads `missing`, which `native` (the document's or its tenant's) does not state.
    Unstated { missing: &'static str, native: &'n Native },
    /// It reads the catalog's facts about permissions of `apis` (named as [`apis`] names them),
    /// which no catalog describes.
    Undescribed { apis: String, format: &'static str },
}

/// How many APIs a note names before counting the others.
const APIS_SHOWN: usize = 3;

/// The APIs of permissions not judged, as a note names them: each in backticks, the first few then
/// how many more, so that a note stays one line however many APIs an app names.
pub(super) fn apis(all: &BTreeSet<String>) -> String {
    let mut named: Vec<String> = all.iter().take(APIS_SHOWN).map(|api| format!("`{api}`")).collect();
    let more = all.len().saturating_sub(APIS_SHOWN);
    if more > 0 {
        named.push(format!("{more} more"));
    }
    match named.as_slice() {
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        [] => String::new(),
    }
}

/// Records that `rule` did not judge the permissions of the APIs `undescribed` (none: nothing to
/// record) on a document read in `native`'s format.
pub(super) fn undescribed(
    skipped: &mut Vec<NotJudged>,
    rule: &str,
    on: On<'_>,
    undescribed: &BTreeSet<String>,
    native: Option<&Native>,
) {
    if !undescribed.is_empty() {
        let format = native.map_or("document", |n| n.format);
        record(skipped, rule, on, Why::Undescribed { apis: apis(undescribed), format });
    }
}

/// Records that `rule` was not run on the document `on`, with the other rules not run on it for
/// the same reason.
pub(super) fn record(skipped: &mut Vec<NotJudged>, rule: &str, on: On<'_>, why: Why<'_>) {
    let (missing, format, api, reason) = match why {
        Why::Unstated { missing, native } => {
            let reason = native.reasons.iter().find(|(path, _)| *path == missing).map(|(_, why)| *why);
            (missing, native.format, None, reason)
        }
        Why::Undescribed { apis, format } => ("spec.permissions", format, Some(apis), None),
    };
    match skipped.iter_mut().find(|s| s.missing == missing && s.api == api && s.reason == reason) {
        Some(known) => known.rules.push(rule.to_owned()),
        None => skipped.push(NotJudged {
            rules: vec![rule.to_owned()],
            kind: on.kind,
            format,
            missing,
            name: on.name.unwrap_or_default().to_owned(),
            tenant: on.tenant.map(str::to_owned),
            api,
            reason,
        }),
    }
}
