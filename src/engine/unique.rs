//! The cross-document side of `unique`: every occurrence of a value a rule tests with `unique`
//! waits as a [`Pending`] finding until every file has been judged; then the occurrences after the
//! first in output order are repeated, and their findings stand.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::eval::Ctx;
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::yaml::Value;

/// Stands for `{{first}}` in a rendered message until the first occurrence is known.
pub(super) const FIRST_MARK: &str = "\u{1d}first\u{1d}";

/// One occurrence of a value tested with `unique`. It holds its finding when the finding stands
/// whatever other documents hold (another condition failed); otherwise only where it is, so that
/// memory does not grow with the number of files: a file whose occurrence turns out repeated is
/// judged again with [`super::Engine::reevaluate_file`], which builds every occurrence's finding.
#[derive(Debug)]
pub struct Pending {
    rule: String,
    key: String,
    /// The file's index among the run's inputs, set by the caller ([`Pending::in_file`]).
    file: usize,
    span: Span,
    line: usize,
    stands: bool,
    /// Boxed: most occurrences have none, and a diagnostic is large.
    diagnostic: Option<Box<Diagnostic>>,
}

impl Pending {
    pub(super) fn new(
        ctx: &Ctx<'_>,
        key: &str,
        span: Span,
        stands: bool,
        diagnostic: Option<Diagnostic>,
    ) -> Self {
        // Apps are compared within their tenant: one multi-tenant app is listed under each tenant
        // that consents to it, with the same application id.
        let tenant = ctx.tenant.and_then(|t| t.get("metadata")?.get("name")?.as_str()).unwrap_or_default();
        // A tenant's export (its actual state) and its desired state are compared apart: an app
        // registration exported beside the `AppManifest` that describes it is not a second app.
        let actual = ctx.document.native.as_ref().is_some_and(|n| n.format != crate::native::IMPORTED);
        let realm = if actual { "actual" } else { "desired" };
        let key = format!("{realm}\u{0}{tenant}\u{0}{key}");
        let line = ctx.source.position(span.start).line;
        Self {
            rule: ctx.rule.id.clone(),
            key,
            file: 0,
            span,
            line,
            stands,
            diagnostic: diagnostic.map(Box::new),
        }
    }

    /// Which of the run's inputs the occurrence is in.
    #[must_use]
    pub fn file(&self) -> usize {
        self.file
    }

    /// Records which of the run's inputs the occurrence is in.
    #[must_use]
    pub fn in_file(mut self, file: usize) -> Self {
        self.file = file;
        self
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

/// The files to judge again before [`resolve_unique`]: those with an occurrence in a group that has
/// a repeat and lacks a finding (`name` gives each input's name, for the output order).
#[must_use]
pub fn files_to_reevaluate(pending: &[Pending]) -> std::collections::BTreeSet<usize> {
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for item in pending {
        *counts.entry((&item.rule, &item.key)).or_default() += 1;
    }
    pending
        .iter()
        .filter(|item| {
            item.diagnostic.is_none() && counts.get(&(item.rule.as_str(), item.key.as_str())) > Some(&1)
        })
        .map(|item| item.file)
        .collect()
}

/// Decides every pending finding once all files are judged: a value is repeated when another
/// occurrence comes earlier in output order (file name from `name`, then position). A finding
/// stands when its value is repeated or another condition failed; `{{first}}` names the first
/// occurrence when there is an earlier one, which is also shown as a related location. Every
/// occurrence in a group with a repeat must hold its finding ([`files_to_reevaluate`]).
#[must_use]
pub fn resolve_unique(mut pending: Vec<Pending>, name: &dyn Fn(usize) -> String) -> Vec<Diagnostic> {
    // Sorted in place, so that deciding costs no allocation per occurrence: most values occur once.
    pending.sort_unstable_by(|a, b| (&a.rule, &a.key).cmp(&(&b.rule, &b.key)));
    let mut settled = Vec::new();
    let mut rest = pending.into_iter().peekable();
    while let Some(mut item) = rest.next() {
        let mut others = Vec::new();
        while let Some(next) = rest.next_if(|next| next.rule == item.rule && next.key == item.key) {
            others.push(next);
        }
        if others.is_empty() {
            if item.stands
                && let Some(diagnostic) = item.diagnostic.take()
            {
                settled.push(settle(*diagnostic, None));
            }
            continue;
        }
        others.push(item);
        let group = others;
        let mut group: Vec<(String, Pending)> = group.into_iter().map(|p| (name(p.file), p)).collect();
        group.sort_by(|(a, p), (b, q)| (a, p.span.start).cmp(&(b, q.span.start)));
        let first = group.first().map(|(name, p)| {
            let at = format!("{name}:{}", p.line);
            let source = p.diagnostic.as_ref().map(|d| Arc::clone(&d.source));
            (at, source, p.span)
        });
        for (index, (_, item)) in group.into_iter().enumerate() {
            let repeated = index > 0;
            let Some(diagnostic) = item.diagnostic.filter(|_| repeated || item.stands) else { continue };
            let mut diagnostic =
                settle(*diagnostic, first.as_ref().filter(|_| repeated).map(|f| f.0.as_str()));
            if let Some((_, Some(source), span)) = first.as_ref().filter(|_| repeated) {
                diagnostic = diagnostic.with_related_in(source, *span, "first used here");
            }
            settled.push(diagnostic);
        }
    }
    settled
}
