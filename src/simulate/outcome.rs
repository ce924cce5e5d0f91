//! One app in one tenant: the model's verdict turned into an outcome, who can grant each
//! permission, whom a request reaches, the rules behind it, and the changes that would help.
//!
//! The outcomes are defined by what needs an administrator, not by any consent rule: nothing needs
//! one, a consent prompt; something does and a request reaches a reviewer, approval required;
//! something does and no request can, blocked. Every reason comes from the model.

use crate::catalog::{GRAPH, PermissionKey, PermissionKind};
use crate::yaml::{Node, Value};

use crate::consent::Approvers;

use super::inputs::Document;
use super::model::{PermissionVerdict, Verdict};
use super::search::{self, Judge};
use super::{AppOutcome, Grantor, Outcome, Permission, Reason, Reviewer};

/// How many permissions a sentence names before it counts the rest.
const NAMED: usize = 3;

/// Simulates `app` in `tenant`.
pub(super) fn simulate(judge: &Judge<'_>, app: &Document, tenant: &Document) -> AppOutcome {
    let verdict = judge.verdict(app, tenant, None);
    let permissions = permissions(judge, app, &verdict);
    let admin = !verdict.app.is_empty() || permissions.iter().any(|p| p.grantable_by == Grantor::Admin);
    let unknown =
        !verdict.app_undecided.is_empty() || permissions.iter().any(|p| p.grantable_by == Grantor::Unknown);
    let outcome = match (admin, unknown) {
        (true, _) if !verdict.recourse.is_empty() => Outcome::Blocked,
        (true, _) if !verdict.recourse_undecided.is_empty() => Outcome::Undetermined,
        (true, _) => Outcome::ApprovalRequired,
        (false, true) => Outcome::Undetermined,
        (false, false) => Outcome::ConsentPrompt,
    };
    let reviewers = if outcome == Outcome::ApprovalRequired {
        let graph_roles =
            permissions.iter().any(|p| p.kind == "application" && p.resource.eq_ignore_ascii_case(GRAPH));
        reviewers(&tenant.document.root, &judge.model.consent().approvers, graph_roles)
    } else {
        Vec::new()
    };
    let recourse = if outcome == Outcome::Blocked { verdict.recourse.clone() } else { Vec::new() };
    let mut rules: Vec<String> = permissions
        .iter()
        .flat_map(|p| &p.reasons)
        .chain(&verdict.app)
        .chain(&recourse)
        .flat_map(|r| r.rules.iter().cloned())
        .collect();
    rules.sort();
    rules.dedup();
    let name = app.name().unwrap_or("the app").to_owned();
    let tenant_name = tenant.name().unwrap_or("?");
    let policy =
        tenant.document.root.get("spec").and_then(|s| s.get("userConsent")).and_then(|u| u.get("policy"));
    let place = match policy.and_then(Node::as_str) {
        Some(policy) => format!("under the `{policy}` policy of tenant `{tenant_name}`"),
        None => format!("in tenant `{tenant_name}`"),
    };
    let reason = sentence(&name, &place, outcome, &permissions, &verdict, reviewers.len());
    let recourse_blocked = if !verdict.recourse.is_empty() {
        Some(true)
    } else if verdict.recourse_undecided.is_empty() {
        Some(false)
    } else {
        None
    };
    let group_owner = super::owner::group_owner(
        judge.model.consent(),
        &tenant.document.root,
        &permissions,
        recourse_blocked,
    );
    let changes = match outcome {
        Outcome::ApprovalRequired | Outcome::Blocked => search::changes(judge, app, tenant),
        Outcome::ConsentPrompt | Outcome::Undetermined => Vec::new(),
    };
    AppOutcome {
        app: name,
        file: app.source.name().to_owned(),
        document: app.document.index,
        names_tenant: app
            .document
            .metadata("tenant")
            .filter(|named| *named != tenant_name)
            .map(str::to_owned),
        outcome,
        reason,
        reviewers,
        permissions,
        app_reasons: verdict.app,
        recourse,
        rules,
        changes,
        group_owner,
    }
}

/// Each permission of the app, with who can grant it.
fn permissions(judge: &Judge<'_>, app: &Document, verdict: &Verdict) -> Vec<Permission> {
    let Some(Value::Seq(items)) =
        app.document.root.get("spec").and_then(|s| s.get("permissions")).map(|p| &p.value)
    else {
        return Vec::new();
    };
    items
        .iter()
        .zip(verdict.permissions.iter().chain(std::iter::repeat(&PermissionVerdict::default())))
        .map(|(item, verdict)| {
            let text = |key| item.get(key).and_then(Node::as_str);
            let name = text("name").unwrap_or("").to_owned();
            let kind = text("type").unwrap_or("").to_owned();
            let resource = text("resource").unwrap_or(GRAPH).to_owned();
            let key = PermissionKey {
                name: &name,
                kind: if kind == "application" {
                    PermissionKind::Application
                } else {
                    PermissionKind::Delegated
                },
                resource: &resource,
            };
            let own_data_only = match judge.catalog.fact(&key, "ownDataOnly") {
                Some(Value::Bool(own)) => Some(own),
                _ => None,
            };
            let grantable_by = if !verdict.reasons.is_empty() {
                Grantor::Admin
            } else if verdict.undecided.is_empty() {
                Grantor::User
            } else {
                Grantor::Unknown
            };
            Permission {
                name,
                kind,
                resource,
                grantable_by,
                own_data_only,
                reasons: verdict.reasons.clone(),
                undecided: verdict.undecided.clone(),
            }
        })
        .collect()
}

/// The reviewers of the tenant's admin consent workflow, as it names them, and whether each can
/// approve a request that asks for Microsoft Graph application permissions (`graph_roles`) or not.
fn reviewers(tenant: &Node, approvers: &Approvers, graph_roles: bool) -> Vec<Reviewer> {
    let list =
        tenant.get("spec").and_then(|s| s.get("adminConsentWorkflow")).and_then(|w| w.get("reviewers"));
    let Some(Value::Seq(items)) = list.map(|l| &l.value) else { return Vec::new() };
    items
        .iter()
        .filter_map(|item| {
            let entry = item.as_map()?.first()?;
            let name = entry.value.as_str()?.to_owned();
            let can_approve = approvers.can_approve(&entry.key, &name, graph_roles);
            Some(Reviewer { kind: entry.key.clone(), name, can_approve })
        })
        .collect()
}

/// The outcome's reason, in one sentence.
fn sentence(
    app: &str,
    place: &str,
    outcome: Outcome,
    permissions: &[Permission],
    verdict: &Verdict,
    reviewers: usize,
) -> String {
    let needing = needing(permissions, verdict);
    match outcome {
        Outcome::ConsentPrompt if permissions.is_empty() => {
            format!("`{app}` asks for no permission, and a user may consent to sign in to it {place}")
        }
        Outcome::ConsentPrompt => format!("a user may consent to every permission `{app}` asks for, {place}"),
        Outcome::ApprovalRequired => {
            let whom =
                if reviewers == 1 { "1 reviewer".to_owned() } else { format!("{reviewers} reviewers") };
            format!("{needing}; the admin consent workflow lets the user ask {whom} for approval")
        }
        Outcome::Blocked => {
            let why =
                verdict.recourse.first().map_or("no request can reach a reviewer", |r| r.message.as_str());
            format!("{needing}, and {why}")
        }
        Outcome::Undetermined if !needing.is_empty() => {
            format!("{needing}, and the tenant's files do not state whether a request would reach a reviewer")
        }
        Outcome::Undetermined => {
            let open: Vec<&Permission> =
                permissions.iter().filter(|p| p.grantable_by == Grantor::Unknown).collect();
            let mut labels: Vec<&str> = open
                .iter()
                .flat_map(|p| &p.undecided)
                .chain(&verdict.app_undecided)
                .map(String::as_str)
                .collect();
            labels.sort_unstable();
            labels.dedup();
            let names = listed(open.iter().map(|p| format!("`{}`", p.name)).collect());
            let subject = if names.is_empty() { format!("`{app}`") } else { names };
            format!(
                "the tenant's files do not state what decides whether a user may grant {subject} ({})",
                labels.join(", ")
            )
        }
    }
}

/// What needs an administrator, as the start of a sentence: the app as a whole, or its permissions
/// with their reasons; a reason every permission has is said once.
fn needing(permissions: &[Permission], verdict: &Verdict) -> String {
    if let Some(reason) = verdict.app.first() {
        return reason.message.clone();
    }
    let admin: Vec<&Permission> = permissions.iter().filter(|p| p.grantable_by == Grantor::Admin).collect();
    let labels = |p: &Permission, except: &[&str]| -> Vec<String> {
        p.reasons.iter().map(|r: &Reason| r.label.clone()).filter(|l| !except.contains(&l.as_str())).collect()
    };
    let common: Vec<&str> = match admin.first() {
        Some(first) if admin.len() > 1 && admin.len() == permissions.len() => first
            .reasons
            .iter()
            .map(|r| r.label.as_str())
            .filter(|label| admin.iter().all(|p| p.reasons.iter().any(|r| r.label == *label)))
            .collect(),
        _ => Vec::new(),
    };
    if !common.is_empty() {
        let also: Vec<String> = admin
            .iter()
            .filter_map(|p| {
                let own = labels(p, &common);
                (!own.is_empty()).then(|| format!("`{}` also: {}", p.name, own.join(", ")))
            })
            .collect();
        let also = if also.is_empty() { String::new() } else { format!("; {}", also.join("; ")) };
        let every =
            if permissions.len() == 2 { "both".to_owned() } else { format!("all {}", permissions.len()) };
        return format!("{every} permissions need an administrator ({}{also})", common.join(", "));
    }
    let named =
        listed(admin.iter().map(|p| format!("`{}` ({})", p.name, labels(p, &[]).join(", "))).collect());
    match admin.len() {
        0 => String::new(),
        1 => format!("{named} needs an administrator"),
        _ => format!("{named} need an administrator"),
    }
}

/// `a`, `a and b`, `a, b and c`, or the first few and how many more.
fn listed(items: Vec<String>) -> String {
    let total = items.len();
    let mut shown: Vec<String> = items.into_iter().take(NAMED).collect();
    if total > NAMED {
        shown.push(format!("{} more", total - NAMED));
    }
    match shown.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}
