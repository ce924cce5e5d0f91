//! The smallest changes that turn an outcome into a consent prompt, and what each costs.
//!
//! A change is a set of [`Edit`]s. The search tries every setting of the tenant's user consent
//! (as it is, or each policy) and of publisher verification (as it is, or verified); under each,
//! every permission a user cannot grant gets the first edit of its own that lets a user grant it
//! (correct the name, request it delegated, request a narrower one, classify it low impact, or,
//! last, stop requesting it), each tried by running the consent model on edited copies. So the
//! work grows with the number of permissions, not with the number of their combinations.
//!
//! What a change costs is what the rule pack reports on the edited copies and not on the
//! originals. Changes are ranked by the errors they bring, then the permissions the app loses,
//! then whether they change the tenant's policy (which opens consent to every app, not only this
//! one), then the number of edits, then the other findings they bring, then the more restrictive
//! policy; the best change to the tenant alone and to the app alone are kept, and the best change
//! to both when it is better than either.

use std::collections::HashMap;

use crate::catalog::{Catalog, GRAPH, PermissionKey, PermissionKind};
use crate::check::Setup;
use crate::diagnostic::Diagnostic;
use crate::engine::probe::{self, Given};
use crate::options::Options;
use crate::severity::Severity;
use crate::validate::CheckedDocument;
use crate::yaml::{Entry, Node, Value};

use super::change::{self, Edit, POLICIES, Side};
use super::inputs::Document;
use super::model::{Model, PermissionVerdict, Verdict};
use super::narrower::Narrower;
use super::{Change, TradeOff};

/// Everything a simulation judges with.
pub(super) struct Judge<'a> {
    /// The consent model.
    pub model: &'a Model,
    /// Narrower permissions.
    pub narrower: &'a Narrower,
    /// The permission catalog, with the APIs exported beside the tenant and the apps.
    pub catalog: &'a Catalog,
    /// The rule pack, catalog and schemas of the run.
    pub setup: &'a Setup,
    /// The run's options: selection and severities apply to what a change costs.
    pub options: &'a Options,
}

/// A tenant and an app, as trees.
#[derive(Clone)]
struct Pair<'a> {
    tenant: &'a Document,
    app: &'a Document,
}

/// What a change is ranked by, the most important first: errors it brings, permissions the app
/// loses, changes of the tenant's whole policy, edits, other findings it brings, the findings it
/// resolves (more is better, so counted down from `usize::MAX`), and the policy's place in
/// [`POLICIES`].
type Cost = (usize, usize, usize, usize, usize, usize, usize);

/// What identifies a finding before and after a change: whether it is about the app, its rule, its
/// place (a permission by its original position) and its message, so that a finding that says
/// something else after the change (another policy named) counts as new.
type Key = (bool, String, String, String);

impl Judge<'_> {
    /// The model's verdict on `app` in `tenant`, with `only` as in [`Model::judge`].
    pub(super) fn verdict(&self, app: &Document, tenant: &Document, only: Option<usize>) -> Verdict {
        let given = Given { document: &tenant.document, source: &tenant.source };
        self.model.judge(self.catalog, &app.source, &app.document, given, only)
    }

    /// What the rule pack reports on a tenant and an app, keyed so that a finding about a
    /// permission is the same before and after other permissions are removed: `origin` gives the
    /// original position of each of the app's permissions.
    fn findings(&self, pair: &Pair<'_>, origin: &[usize]) -> Vec<(Key, Diagnostic)> {
        let pack = &self.setup.policies;
        let catalog = self.catalog;
        let tenant = &pair.tenant.document;
        let given = Given { document: tenant, source: &pair.tenant.source };
        let on_tenant = probe::judge(pack, catalog, &pair.tenant.source, tenant, None, None).found;
        let on_app =
            probe::judge(pack, catalog, &pair.app.source, &pair.app.document, Some(given), None).found;
        let key = |in_app: bool, d: &Diagnostic| {
            let pointer = d.pointer.as_deref().unwrap_or("");
            let place = if in_app { renumber(pointer, origin) } else { pointer.to_owned() };
            (in_app, d.code.clone(), place, d.message.clone())
        };
        let tenant_findings = on_tenant.into_iter().map(|f| (key(false, &f.diagnostic), f.diagnostic));
        let app_findings = on_app.into_iter().map(|f| (key(true, &f.diagnostic), f.diagnostic));
        tenant_findings.chain(app_findings).collect()
    }
}

/// `pointer` with the index of a permission (`/spec/permissions/N…`) replaced by its original one.
fn renumber(pointer: &str, origin: &[usize]) -> String {
    const LIST: &str = "/spec/permissions/";
    let Some(rest) = pointer.strip_prefix(LIST) else { return pointer.to_owned() };
    let (index, tail) = rest.split_once('/').map_or((rest, ""), |(index, tail)| (index, tail));
    match index.parse::<usize>().ok().and_then(|i| origin.get(i)) {
        Some(original) if tail.is_empty() => format!("{LIST}{original}"),
        Some(original) => format!("{LIST}{original}/{tail}"),
        None => pointer.to_owned(),
    }
}

/// A copy of `document` with another tree.
fn with_root(document: &Document, root: Node) -> Document {
    let CheckedDocument { index, kind, native, origins, .. } = &document.document;
    Document {
        source: std::sync::Arc::clone(&document.source),
        document: CheckedDocument {
            index: *index,
            kind: *kind,
            root,
            native: native.clone(),
            origins: origins.clone(),
        },
    }
}

/// The smallest changes that let a user consent to `app` in `tenant` on their own, the smallest
/// first; empty when none exists.
pub(super) fn changes(judge: &Judge<'_>, app: &Document, tenant: &Document) -> Vec<Change> {
    let count = permissions(&app.document.root).len();
    let identity: Vec<usize> = (0..count).collect();
    let before: HashMap<Key, Diagnostic> =
        judge.findings(&Pair { tenant, app }, &identity).into_iter().collect();
    let consent = tenant.document.root.get("spec").and_then(|s| s.get("userConsent"));
    let enabled = consent.and_then(|c| c.get("enabled")).is_some_and(|n| n.value == Value::Bool(true));
    let current = consent.and_then(|c| c.get("policy")).and_then(Node::as_str);
    let policies: Vec<Option<&'static str>> = std::iter::once(None)
        .chain(POLICIES.iter().filter(|p| !(enabled && current == Some(**p))).map(|p| Some(*p)))
        .collect();
    let publisher = app.document.root.get("spec").and_then(|s| s.get("publisher"));
    let verified = publisher.and_then(|p| p.get("verified")).is_some_and(|n| n.value == Value::Bool(true));
    let verifications: &[bool] = if verified { &[false] } else { &[false, true] };
    let mut best: Vec<(Cost, Change)> = Vec::new();
    for side in [Side::Tenant, Side::App, Side::Both] {
        let mut found: Option<(Cost, Change)> = None;
        for policy in &policies {
            for verify in verifications {
                if (side == Side::Tenant && *verify) || (side == Side::App && policy.is_some()) {
                    continue;
                }
                let mut edits: Vec<Edit> = policy.map(Edit::Policy).into_iter().collect();
                if *verify {
                    edits.push(Edit::Verify);
                }
                let Some(plan) = plan(judge, app, tenant, edits, side) else { continue };
                let on = side_of(&plan);
                if on != side {
                    continue;
                }
                let candidate = priced(judge, app, tenant, &plan, &before, on);
                if found.as_ref().is_none_or(|(cost, _)| candidate.0 < *cost) {
                    found = Some(candidate);
                }
            }
        }
        if let Some(candidate) = found {
            best.push(candidate);
        }
    }
    let single = best.iter().filter(|(_, c)| c.on != Side::Both).map(|(cost, _)| *cost).min();
    best.retain(|(cost, change)| change.on != Side::Both || single.is_none_or(|single| *cost < single));
    best.sort_by_key(|(cost, _)| *cost);
    best.into_iter().map(|(_, change)| change).collect()
}

/// Whom a set of edits changes.
fn side_of(edits: &[Edit]) -> Side {
    let tenant = edits.iter().any(|e| e.side() == Side::Tenant);
    let app = edits.iter().any(|e| e.side() == Side::App);
    match (tenant, app) {
        (true, true) => Side::Both,
        (true, false) => Side::Tenant,
        _ => Side::App,
    }
}

/// `edits` completed, within `side`, with an edit for every permission a user still cannot grant;
/// `None` when some permission, or the app as a whole, cannot be fixed that way.
fn plan(
    judge: &Judge<'_>,
    app: &Document,
    tenant: &Document,
    mut edits: Vec<Edit>,
    side: Side,
) -> Option<Vec<Edit>> {
    let (tenant_root, app_root) = change::apply(&edits, &tenant.document.root, &app.document.root);
    let (changed_tenant, changed_app) = (with_root(tenant, tenant_root), with_root(app, app_root));
    let verdict = judge.verdict(&changed_app, &changed_tenant, None);
    if !verdict.app.is_empty() || !verdict.app_undecided.is_empty() {
        return None;
    }
    let mut listed = permissions(&changed_app.document.root);
    let mut removed = 0;
    for (index, permission) in verdict.permissions.iter().enumerate() {
        if permission.user_grantable() {
            continue;
        }
        // The permission is tried alone in a copy of the app, so that trying one costs the same
        // whatever the number of the others; the whole plan is checked at the end.
        let single = alone(&changed_app.document.root, index);
        let fix = fixes(judge, listed.get(index)?, index, &listed, side).into_iter().find(|fix| {
            fix.iter().any(Edit::removes) || {
                let moved: Vec<Edit> = fix.iter().map(|edit| edit.moved(0)).collect();
                let (t, a) = change::apply(&moved, &changed_tenant.document.root, &single);
                let verdict = judge.verdict(&with_root(app, a), &with_root(tenant, t), Some(0));
                verdict.app.is_empty()
                    && verdict.permissions.first().is_some_and(PermissionVerdict::user_grantable)
            }
        })?;
        removed += usize::from(fix.iter().any(Edit::removes));
        // Later permissions see what this one is asked as now, so that no two ask for the same.
        if let Some((name, kind, _)) = listed.get_mut(index) {
            for edit in &fix {
                match edit {
                    Edit::Correct { to, .. } | Edit::Narrower { to, .. } => to.clone_into(name),
                    Edit::Delegated { .. } => "delegated".clone_into(kind),
                    _ => {}
                }
            }
        }
        edits.extend(fix);
    }
    if removed > 0 && removed == listed.len() {
        return None;
    }
    edits.sort_by_key(Edit::side);
    // Each permission was fixed on its own; the whole plan must hold together.
    let (t, a) = change::apply(&edits, &tenant.document.root, &app.document.root);
    let verdict = judge.verdict(&with_root(app, a), &with_root(tenant, t), None);
    let prompt = verdict.app.is_empty()
        && verdict.app_undecided.is_empty()
        && verdict.permissions.iter().all(PermissionVerdict::user_grantable);
    prompt.then_some(edits)
}

/// A copy of `app` that asks for its permission `index` alone.
fn alone(app: &Node, index: usize) -> Node {
    let copy = |node: &Node, value: Value| Node { value, span: node.span };
    let Value::Map(entries) = &app.value else { return app.clone() };
    let entries = entries
        .iter()
        .map(|entry| match (&entry.value.value, entry.key.as_str()) {
            (Value::Map(spec), "spec") => {
                let spec = spec
                    .iter()
                    .map(|field| match (&field.value.value, field.key.as_str()) {
                        (Value::Seq(items), "permissions") => {
                            let kept = items.get(index).cloned().into_iter().collect();
                            Entry {
                                key: field.key.clone(),
                                key_span: field.key_span,
                                value: copy(&field.value, Value::Seq(kept)),
                            }
                        }
                        _ => field.clone(),
                    })
                    .collect();
                Entry {
                    key: entry.key.clone(),
                    key_span: entry.key_span,
                    value: copy(&entry.value, Value::Map(spec)),
                }
            }
            _ => entry.clone(),
        })
        .collect();
    copy(app, Value::Map(entries))
}

/// The name, type and API of each permission of an app.
fn permissions(app: &Node) -> Vec<(String, String, String)> {
    let Some(Value::Seq(items)) = app.get("spec").and_then(|s| s.get("permissions")).map(|p| &p.value) else {
        return Vec::new();
    };
    let text =
        |item: &Node, key, default: &str| item.get(key).and_then(Node::as_str).unwrap_or(default).to_owned();
    items
        .iter()
        .map(|item| (text(item, "name", ""), text(item, "type", ""), text(item, "resource", GRAPH)))
        .collect()
}

/// The ways to let a user grant one permission within `side`, in the order they are preferred:
/// single edits first, then an edit of the app with the classification of what it asks for then.
fn fixes(
    judge: &Judge<'_>,
    (name, kind, resource): &(String, String, String),
    index: usize,
    listed: &[(String, String, String)],
    side: Side,
) -> Vec<Vec<Edit>> {
    let tenant = side != Side::App;
    let app = side != Side::Tenant;
    let mut own: Vec<Edit> = Vec::new();
    if app {
        let kind_of =
            if kind == "application" { PermissionKind::Application } else { PermissionKind::Delegated };
        let key = PermissionKey { name, kind: kind_of, resource };
        if let Some(to) = judge.catalog.suggestion(&key) {
            own.push(Edit::Correct { permission: index, from: name.clone(), to });
        }
        if kind == "application" {
            own.push(Edit::Delegated { permission: index, name: name.clone() });
        }
        let requested =
            |to: &str| listed.iter().any(|(n, k, r)| n == to && k == "delegated" && r == resource);
        if let Some(to) = judge.narrower.of(resource, name).filter(|to| !requested(to)) {
            own.push(Edit::Narrower { permission: index, from: name.clone(), to: to.to_owned() });
        }
    }
    let mut all: Vec<Vec<Edit>> = own.iter().cloned().map(|edit| vec![edit]).collect();
    if tenant {
        all.push(vec![Edit::Classify { permission: index, name: name.clone(), resource: resource.clone() }]);
        for edit in &own {
            let asked = match edit {
                Edit::Correct { to, .. } | Edit::Narrower { to, .. } => to.clone(),
                _ => name.clone(),
            };
            all.push(vec![
                edit.clone(),
                Edit::Classify { permission: index, name: asked, resource: resource.clone() },
            ]);
        }
    }
    if app {
        all.push(vec![Edit::Remove { permission: index, name: name.clone() }]);
    }
    all
}

/// A plan with its trade-offs and cost.
fn priced(
    judge: &Judge<'_>,
    app: &Document,
    tenant: &Document,
    edits: &[Edit],
    before: &HashMap<Key, Diagnostic>,
    on: Side,
) -> (Cost, Change) {
    let (tenant_root, app_root) = change::apply(edits, &tenant.document.root, &app.document.root);
    let (changed_tenant, changed_app) = (with_root(tenant, tenant_root), with_root(app, app_root));
    let removed: Vec<usize> = edits
        .iter()
        .filter_map(|e| match e {
            Edit::Remove { permission, .. } => Some(*permission),
            _ => None,
        })
        .collect();
    let origin: Vec<usize> =
        (0..permissions(&app.document.root).len()).filter(|index| !removed.contains(index)).collect();
    let after = judge.findings(&Pair { tenant: &changed_tenant, app: &changed_app }, &origin);
    let mut gone: Vec<Diagnostic> = before
        .iter()
        .filter(|(key, _)| !after.iter().any(|(k, _)| k == *key))
        .map(|(_, diagnostic)| diagnostic.clone())
        .collect();
    let mut new: Vec<Diagnostic> = after
        .into_iter()
        .filter(|(key, _)| !before.contains_key(key))
        .map(|(_, diagnostic)| diagnostic)
        .collect();
    judge.options.apply(&mut new);
    judge.options.apply(&mut gone);
    let trade_offs = listed(new);
    let resolves = listed(gone);
    let errors = trade_offs.iter().filter(|t| t.severity == Severity::Error).count();
    let rank = edits
        .iter()
        .find_map(|e| match e {
            Edit::Policy(policy) => POLICIES.iter().position(|p| p == policy).map(|p| p + 1),
            _ => None,
        })
        .unwrap_or(0);
    let policy = usize::from(rank > 0);
    let fewer_resolved = usize::MAX - resolves.len();
    let cost = (errors, removed.len(), policy, edits.len(), trade_offs.len() - errors, fewer_resolved, rank);
    let steps = edits.iter().map(|e| e.step(&tenant.document.root, &app.document.root)).collect();
    (cost, Change { on, steps, trade_offs, resolves })
}

/// Findings as a change lists them: the most severe first, then by rule and message, once each.
fn listed(diagnostics: Vec<Diagnostic>) -> Vec<TradeOff> {
    let mut listed: Vec<TradeOff> = diagnostics
        .into_iter()
        .map(|d| TradeOff { rule: d.code, severity: d.severity, message: d.message })
        .collect();
    listed.sort_by(|a, b| {
        b.severity.cmp(&a.severity).then_with(|| a.rule.cmp(&b.rule)).then_with(|| a.message.cmp(&b.message))
    });
    listed.dedup();
    listed
}

#[cfg(test)]
mod tests {
    use super::renumber;

    #[test]
    fn findings_about_a_permission_keep_its_original_position() {
        assert_eq!(renumber("/spec/permissions/1/name", &[0, 2]), "/spec/permissions/2/name");
        assert_eq!(renumber("/spec/permissions/0", &[1]), "/spec/permissions/1");
        assert_eq!(renumber("/spec/consent", &[1]), "/spec/consent");
    }
}
