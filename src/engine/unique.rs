//! The cross-document side of `unique`: every occurrence of a value a rule tests with `unique`
//! waits as a [`Pending`] finding until every file has been judged; then the occurrences after the
//! first in output order are repeated, and their findings stand.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::eval::Ctx;
use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, Span};
use crate::yaml::Value;

/// Stands for `{{first}}` in a rendered message until the first occurrence is known.
pub(super) const FIRST_MARK: &str = "\u{1d}first\u{1d}";

/// One occurrence of a value tested with `unique`, with the finding of its scope: it stands when
/// the value is repeated, or whatever the other documents hold when another condition failed.
#[derive(Debug)]
pub struct Pending {
    rule: String,
    key: String,
    source: Arc<SourceFile>,
    span: Span,
    stands: bool,
    diagnostic: Diagnostic,
}

impl Pending {
    pub(super) fn new(ctx: &Ctx<'_>, key: &str, span: Span, stands: bool, diagnostic: Diagnostic) -> Self {
        // Apps are compared within their tenant: one multi-tenant app is listed under each tenant
        // that consents to it, with the same application id.
        let tenant = ctx.tenant.and_then(|t| t.get("metadata")?.get("name")?.as_str()).unwrap_or_default();
        let key = format!("{tenant}\u{0}{key}");
        Self { rule: ctx.rule.id.clone(), key, source: Arc::clone(ctx.source), span, stands, diagnostic }
    }
}

/// Whether a value has a comparison key: a scalar other than `null`.
pub(super) fn comparable(value: &Value) -> bool {
    matches!(value, Value::String(_) | Value::Int(_) | Value::Bool(_) | Value::Float(_))
}

/// The comparison key of a scalar: strings compare without regard to case, as identifiers such as
/// GUIDs do.
pub(super) fn key(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.to_lowercase()),
        Value::Int(i) => Some(i.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Float(f) => Some(f.to_string()),
        _ => None,
    }
}

/// Replaces the `{{first}}` mark with where the value was first seen (or a neutral phrase).
pub(super) fn settle(mut diagnostic: Diagnostic, first: Option<&str>) -> Diagnostic {
    let first = first.unwrap_or("another document");
    diagnostic.message = diagnostic.message.replace(FIRST_MARK, first);
    diagnostic.help = diagnostic.help.map(|help| help.replace(FIRST_MARK, first));
    diagnostic
}

/// Decides every pending finding once all files are judged: a value is repeated when another
/// occurrence comes earlier in output order (file, then position). A finding stands when its value
/// is repeated or another condition failed; `{{first}}` names the first occurrence when there is
/// an earlier one.
#[must_use]
pub fn resolve_unique(pending: Vec<Pending>) -> Vec<Diagnostic> {
    let mut groups: BTreeMap<(String, String), Vec<Pending>> = BTreeMap::new();
    for item in pending {
        groups.entry((item.rule.clone(), item.key.clone())).or_default().push(item);
    }
    let mut settled = Vec::new();
    for mut group in groups.into_values() {
        group.sort_by(|a, b| (a.source.name(), a.span.start).cmp(&(b.source.name(), b.span.start)));
        let first = group.first().map(|p| {
            let at = format!("{}:{}", p.source.name(), p.source.position(p.span.start).line);
            (at, Arc::clone(&p.source), p.span)
        });
        for (index, item) in group.into_iter().enumerate() {
            let repeated = index > 0;
            if !repeated && !item.stands {
                continue;
            }
            let mut diagnostic =
                settle(item.diagnostic, first.as_ref().filter(|_| repeated).map(|f| f.0.as_str()));
            if let Some((_, source, span)) = first.as_ref().filter(|_| repeated) {
                diagnostic = diagnostic.with_related_in(source, *span, "first used here");
            }
            settled.push(diagnostic);
        }
    }
    settled
}
