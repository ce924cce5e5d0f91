//! Whether a rule that reads a value the inputs do not state holds whatever that value is: an
//! assertion such as "not from another organisation, or names its tenant" holds on an app of the
//! organisation's own, whose other values its format never states. Such a rule is judged and
//! passes, rather than reported as not judged where it does not apply.

use super::eval::{Ctx, Scope};
use super::{condition_reads_unknown, path_unknown, reads_element};
use crate::native::Native;
use crate::policy::{Condition, Op, Root};
use crate::yaml::{Node, Value};

/// Whether the rule of `ctx` holds in every scope it judges, whatever the values the documents do
/// not state (its `when` and assertion are decided by stated values alone), and then whether it
/// applied anywhere; `None` when the stated values do not decide it.
pub(super) fn holds_whatever_unknown(
    ctx: &Ctx<'_>,
    natives: (Option<&Native>, Option<&Native>),
) -> Option<bool> {
    let rule = ctx.rule;
    // A `unique` occurrence is recorded only when the rule is evaluated.
    if rule.uses_unique {
        return None;
    }
    let whole = Scope { node: &ctx.document.root, list: "", index: None };
    let scope_path: &[String] = rule.for_each.as_ref().map_or(&[], |list| list.segments.as_slice());
    let decide =
        |scope: &Scope<'_>, condition: &Condition| decided(ctx, scope, condition, scope_path, natives);
    // In one scope: `Some(false)` where the rule does not apply, `Some(true)` where it applies and
    // holds, `None` where the stated values do not decide it or it fails.
    let holds_in = |scope: &Scope<'_>| match rule.when.as_ref().map(|when| decide(scope, when)) {
        Some(Some(false)) => Some(false),
        Some(None) => None,
        None | Some(Some(true)) => (decide(scope, &rule.assert) == Some(true)).then_some(true),
    };
    let Some(list) = &rule.for_each else { return holds_in(&whole) };
    match ctx.resolve_node(&whole, list) {
        Some((Node { value: Value::Seq(items), .. }, pointer)) => {
            let mut applied = false;
            for (index, node) in items.iter().enumerate() {
                applied |= holds_in(&Scope { node, list: &pointer, index: Some(index) })?;
            }
            Some(applied)
        }
        _ => None,
    }
}

/// Whether the rule of `ctx`, though it reads a value the documents do not state, can be judged as
/// written: its `when` is decided for it by stated values (or it has none), and each of its
/// assertion and severity overrides reads nothing unstated or, outside `for-each`, is decided by
/// stated values too. So "`-low` is assigned" settles CL-T010's `when` whatever the policy of the
/// tenant's own beside it, and "more than one policy is assigned" settles a failure of CL-T006
/// under a profile that accepts one alone.
pub(super) fn settled(ctx: &Ctx<'_>, natives: (Option<&Native>, Option<&Native>)) -> bool {
    let rule = ctx.rule;
    let (native, tenant) = natives;
    let whole = Scope { node: &ctx.document.root, list: "", index: None };
    let scope: &[String] = rule.for_each.as_ref().map_or(&[], |list| list.segments.as_slice());
    let decide = |condition: &Condition| decided(ctx, &whole, condition, scope, natives);
    let when_holds = rule
        .when
        .as_ref()
        .is_none_or(|when| (rule.for_each.is_none() || !reads_element(when)) && decide(when) == Some(true));
    let known = |condition: &Condition| {
        condition_reads_unknown(rule, condition, scope, native, tenant).is_none()
            || (rule.for_each.is_none() && decide(condition).is_some())
    };
    let listed = rule
        .for_each
        .as_ref()
        .is_some_and(|list| native.is_some_and(|n| n.within_unknown(&list.segments).is_some()));
    let reported =
        rule.report.as_ref().is_some_and(|path| path_unknown(path, scope, native, tenant).is_some());
    when_holds
        && !rule.uses_unique
        && !listed
        && !reported
        && known(&rule.assert)
        && rule.overrides.iter().all(|o| known(&o.when))
}

/// The outcome of `condition` in `scope` when the stated values decide it (three-valued: a test
/// that reads an unstated value is unknown), `None` when they do not.
fn decided(
    ctx: &Ctx<'_>,
    scope: &Scope<'_>,
    condition: &Condition,
    scope_path: &[String],
    (native, tenant): (Option<&Native>, Option<&Native>),
) -> Option<bool> {
    let natives = (native, tenant);
    match condition {
        Condition::All(items) => {
            let outcomes: Vec<Option<bool>> =
                items.iter().map(|item| decided(ctx, scope, item, scope_path, natives)).collect();
            if outcomes.contains(&Some(false)) {
                Some(false)
            } else if outcomes.iter().all(|o| *o == Some(true)) {
                Some(true)
            } else {
                None
            }
        }
        Condition::Any(items) => {
            let outcomes: Vec<Option<bool>> =
                items.iter().map(|item| decided(ctx, scope, item, scope_path, natives)).collect();
            if outcomes.contains(&Some(true)) {
                Some(true)
            } else if outcomes.iter().all(|o| *o == Some(false)) {
                Some(false)
            } else {
                None
            }
        }
        Condition::Not(inner) => decided(ctx, scope, inner, scope_path, natives).map(|holds| !holds),
        Condition::Test { path, op, .. } => {
            // Whether a value is there is known for a mapping that holds an unstated value: only
            // what it holds is not.
            // No value, stated or not, is in an empty list.
            let empty = match op {
                Op::In(values) => values.is_empty(),
                Op::InList(list) => {
                    path_unknown(list, scope_path, native, tenant).is_none() && ctx.empty_list(scope, list)
                }
                _ => false,
            };
            if empty {
                return Some(false);
            }
            let presence = matches!(op, Op::Exists | Op::Absent);
            let unknown = std::iter::once(path).chain(op.operand()).any(|p| {
                if presence && p.root != Root::Tenant {
                    let full: Vec<String> = match p.root {
                        Root::Scope => scope_path.iter().chain(&p.segments).cloned().collect(),
                        _ => p.segments.clone(),
                    };
                    native.is_some_and(|n| n.within_unknown(&full).is_some())
                } else {
                    path_unknown(p, scope_path, native, tenant).is_some()
                }
            });
            (!unknown).then(|| ctx.eval(scope, condition).holds)
        }
    }
}
