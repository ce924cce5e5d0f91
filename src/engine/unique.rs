//! The cross-document side of `unique`: findings that depend on whether a value is repeated in
//! another document wait as [`Pending`] until every file has been judged.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::eval::Ctx;
use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, Span};
use crate::yaml::Value;

/// Stands for `{{first}}` in a rendered message until the first occurrence is known.
pub(super) const FIRST_MARK: &str = "\u{1d}first\u{1d}";

/// A finding that stands only if its value is (or is not) repeated elsewhere.
#[derive(Debug)]
pub struct Pending {
    rule: String,
    key: String,
    source: Arc<SourceFile>,
    span: Span,
    when_repeated: bool,
    diagnostic: Diagnostic,
}

impl Pending {
    pub(super) fn new(
        ctx: &Ctx<'_>,
        key: &str,
        span: Span,
        when_repeated: bool,
        diagnostic: Diagnostic,
    ) -> Self {
        // Apps are compared within their tenant: one multi-tenant app is listed under each tenant
        // that consents to it, with the same application id.
        let tenant = ctx.tenant.and_then(|t| t.get("metadata")?.get("name")?.as_str()).unwrap_or_default();
        let key = format!("{tenant}\u{0}{key}");
        Self {
            rule: ctx.rule.id.clone(),
            key,
            source: Arc::clone(ctx.source),
            span,
            when_repeated,
            diagnostic,
        }
    }
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
/// occurrence comes earlier in output order (file, then position).
#[must_use]
pub fn resolve_unique(pending: Vec<Pending>) -> Vec<Diagnostic> {
    let mut groups: BTreeMap<(String, String), Vec<Pending>> = BTreeMap::new();
    for item in pending {
        groups.entry((item.rule.clone(), item.key.clone())).or_default().push(item);
    }
    let mut settled = Vec::new();
    for mut group in groups.into_values() {
        group.sort_by(|a, b| (a.source.name(), a.span.start).cmp(&(b.source.name(), b.span.start)));
        let first =
            group.first().map(|p| format!("{}:{}", p.source.name(), p.source.position(p.span.start).line));
        for (index, item) in group.into_iter().enumerate() {
            let repeated = index > 0;
            if repeated == item.when_repeated {
                settled.push(settle(item.diagnostic, if repeated { first.as_deref() } else { None }));
            }
        }
    }
    settled
}
