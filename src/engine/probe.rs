//! Judging one document with rules kept apart from a run, against a tenant the caller gives,
//! whatever tenant an app names itself: `simulate` evaluates its consent model this way, and the
//! rule pack on changed copies of an app and its tenant.
//!
//! Each rule is judged on its own, with `unique` holding (it compares documents, and the caller
//! has one), and a rule that reads what a native document does not state is listed as unknown
//! rather than run, as in a check.

use std::sync::Arc;

use super::eval::{Ctx, Scope};
use super::{reads_unknown, when_decidable};
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::policy::PolicySet;
use crate::source::SourceFile;
use crate::validate::CheckedDocument;
use crate::yaml::{Node, Value};

/// The tenant an app is judged against.
#[derive(Clone, Copy)]
pub(crate) struct Given<'a> {
    /// Its document.
    pub document: &'a CheckedDocument,
    /// The file holding it (an assembled tenant's first part).
    pub source: &'a Arc<SourceFile>,
}

/// One finding: a rule whose assertion failed in one scope.
pub(crate) struct Found {
    /// The rule's position in the policy set.
    pub rule: usize,
    /// The element of the rule's `for-each` list, when it has one.
    pub element: Option<usize>,
    /// The finding as a check would report it.
    pub diagnostic: Diagnostic,
}

/// What judging one document gave.
#[derive(Default)]
pub(crate) struct Judged {
    /// The findings, by rule and then element.
    pub found: Vec<Found>,
    /// The rules (and elements of their `for-each` list) that could not be judged because they read
    /// a value the documents do not state, and whose `when`, if it reads only stated values, holds.
    pub unknown: Vec<(usize, Option<usize>)>,
}

/// Judges `document` (read from `source`) with every rule of `policies` for its kind: an app with
/// `tenant` in context (rules that need a tenant are skipped without one). With `only`, rules with
/// `for-each` judge that element alone.
pub(crate) fn judge(
    policies: &PolicySet,
    catalog: &Catalog,
    source: &Arc<SourceFile>,
    document: &CheckedDocument,
    tenant: Option<Given<'_>>,
    only: Option<usize>,
) -> Judged {
    let mut judged = Judged::default();
    for (index, rule) in policies.rules.iter().enumerate().filter(|(_, rule)| rule.target == document.kind) {
        if rule.uses_tenant && tenant.is_none() {
            continue;
        }
        let (native, tenant_native) =
            (document.native.as_ref(), tenant.and_then(|t| t.document.native.as_ref()));
        let unknown = reads_unknown(rule, native, tenant_native).is_some();
        let ctx = Ctx {
            source,
            document,
            tenant: tenant.map(|t| &t.document.root),
            tenant_document: tenant.map(|t| (t.document, t.source)),
            catalog,
            rule,
        };
        let root = &document.root;
        let whole = Scope { node: root, list: "", index: None };
        let list = rule.for_each.as_ref().and_then(|path| ctx.resolve_node(&whole, path));
        let scopes: Vec<Scope<'_>> = match &list {
            None if rule.for_each.is_none() => vec![whole],
            Some((Node { value: Value::Seq(items), .. }, pointer)) => items
                .iter()
                .enumerate()
                .filter(|(element, _)| only.is_none_or(|only| only == *element))
                .map(|(element, node)| Scope { node, list: pointer, index: Some(element) })
                .collect(),
            _ => Vec::new(),
        };
        // A rule that reads what is not stated still does not apply where a `when` that reads
        // only stated values fails.
        let when_known = when_decidable(rule, native, tenant_native);
        for scope in &scopes {
            if unknown && !when_known {
                judged.unknown.push((index, scope.index));
                continue;
            }
            if let Some(when) = &rule.when
                && !ctx.eval(scope, when).holds
            {
                continue;
            }
            if unknown {
                judged.unknown.push((index, scope.index));
                continue;
            }
            let outcome = ctx.eval(scope, &rule.assert);
            if !outcome.holds {
                let diagnostic = ctx.finding(scope, &outcome);
                judged.found.push(Found { rule: index, element: scope.index, diagnostic });
            }
        }
    }
    judged
}
