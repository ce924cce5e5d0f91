//! The reasons the tenant's user consent policies give, from the consent evaluator
//! ([`crate::consent`]): for each permission the model leaves to the user, whether an assigned
//! permission grant policy lets a user grant it, and for the app as a whole whether risk-based
//! step-up asks for an administrator instead.

use crate::catalog::Catalog;
use crate::consent::step_up::{self, StepUp};
use crate::consent::{Blocker, Bundled, Decision, Missing, Parties, Refusal};
use crate::validate::CheckedDocument;
use crate::yaml::{Node, Value};

use super::Reason;
use super::model::Verdict;

/// Adds to `verdict` what the tenant's policies and risk-based step-up say of `app`; with `only`,
/// of that permission alone.
pub(super) fn judge(
    bundled: &Bundled,
    catalog: &Catalog,
    app: &CheckedDocument,
    tenant: &CheckedDocument,
    only: Option<usize>,
    verdict: &mut Verdict,
) {
    let parties = Parties {
        app: &app.root,
        app_unknown: unknown(app),
        tenant: &tenant.root,
        tenant_unknown: unknown(tenant),
        catalog,
    };
    let names = Names {
        tenant: tenant.root.get("metadata").and_then(|m| m.get("name")).and_then(Node::as_str).unwrap_or("?"),
        publisher: app
            .root
            .get("spec")
            .and_then(|s| s.get("publisher"))
            .and_then(|p| p.get("name"))
            .and_then(Node::as_str)
            .unwrap_or("the publisher"),
        app: app.root.get("metadata").and_then(|m| m.get("name")).and_then(Node::as_str).unwrap_or("the app"),
    };
    let tenant_id = tenant.root.get("metadata").and_then(|m| m.get("tenantId")).and_then(Node::as_str);
    let assignment = bundled.assignment(&tenant.root, parties.tenant_unknown);
    let items = match app.root.get("spec").and_then(|s| s.get("permissions")).map(|p| &p.value) {
        Some(Value::Seq(items)) => items.as_slice(),
        _ => &[],
    };
    for (index, (item, judged)) in items.iter().zip(verdict.permissions.iter_mut()).enumerate() {
        if only.is_some_and(|only| only != index)
            || !judged.reasons.is_empty()
            || !judged.undecided.is_empty()
        {
            continue;
        }
        let Some(request) = parties.request(item) else { continue };
        match Bundled::decide(&assignment, &request, tenant_id) {
            Decision::Granted(_) | Decision::Off => {}
            Decision::AdminOnly => judged.reasons.push(admin_only(&request.name)),
            Decision::Refused(refusals) => judged.reasons.extend(refused(&refusals, &request.name, &names)),
            Decision::Unknown { missing, policies } => {
                judged
                    .undecided
                    .extend(policies.iter().map(|id| format!("policy `{id}` is not in the inputs")));
                judged.undecided.extend(missing.iter().map(|m| undecided(*m)));
            }
        }
    }
    let open = verdict.app.is_empty()
        && verdict.app_undecided.is_empty()
        && verdict.permissions.iter().all(|p| p.reasons.is_empty() && p.undecided.is_empty());
    if only.is_none() && open && !matches!(assignment, crate::consent::Assignment::Off) {
        match step_up::applies(&bundled.step_up, &parties, items) {
            StepUp::No => {}
            StepUp::Yes { registered } => verdict.app.push(step_up_reason(&names, &registered)),
            StepUp::Unknown(fact) => {
                verdict.app_undecided.push(format!("risk-based step-up: {fact} is not in the inputs"));
            }
        }
    }
}

/// The paths of `document` its format does not state.
fn unknown(document: &CheckedDocument) -> &[&'static str] {
    document.native.as_ref().map_or(&[][..], |n| n.unknown.as_slice())
}

/// Names a message uses.
struct Names<'a> {
    tenant: &'a str,
    publisher: &'a str,
    app: &'a str,
}

fn undecided(missing: Missing) -> String {
    format!("{} is not in the inputs", missing.describe())
}

fn reason(id: &str, label: &str, message: String, help: String, rules: &[&str]) -> Reason {
    Reason {
        id: id.to_owned(),
        label: label.to_owned(),
        message,
        help: Some(help),
        rules: rules.iter().map(|r| (*r).to_owned()).collect(),
    }
}

fn admin_only(name: &str) -> Reason {
    reason(
        "requires-admin-consent",
        "requires admin consent",
        format!("`{name}` requires admin consent: its API lets only an administrator grant it"),
        format!("ask for a permission that needs no admin consent, or have an administrator grant `{name}`"),
        &["CL-A001"],
    )
}

/// One reason per kind of condition the assigned policies refuse `name` on, each naming the first
/// policy that refuses it so.
fn refused(refusals: &[Refusal], name: &str, names: &Names<'_>) -> Vec<Reason> {
    let tenant = names.tenant;
    let mut reasons: Vec<Reason> = Vec::new();
    for refusal in refusals {
        let policy = &refusal.policy;
        let publisher = refusal.blockers.contains(&Blocker::Publisher);
        let own = refusal.blockers.contains(&Blocker::Tenant);
        for blocker in &refusal.blockers {
            let made = match blocker {
                Blocker::Classification => reason(
                    "not-low-impact",
                    "not classified low impact",
                    format!(
                        "`{name}` is not classified low impact in tenant `{tenant}`, and policy `{policy}` lets users grant only permissions classified low"
                    ),
                    format!(
                        "classify `{name}` as low impact in tenant `{tenant}`, or ask for a permission that is"
                    ),
                    &["CL-T010"],
                ),
                Blocker::Publisher | Blocker::Tenant if publisher && own => reason(
                    "publisher-not-verified",
                    "publisher not verified",
                    format!(
                        "`{}` is not a verified publisher and the app is not registered in tenant `{tenant}`, and policy `{policy}` lets users consent only to apps from verified publishers or from the tenant itself",
                        names.publisher
                    ),
                    format!(
                        "have `{}` complete Microsoft publisher verification, then record `verified: true`",
                        names.publisher
                    ),
                    &["CL-A006"],
                ),
                Blocker::Publisher => reason(
                    "publisher-not-verified",
                    "publisher not verified",
                    format!(
                        "policy `{policy}` lets users consent only to apps from the verified publishers it names, and `{}` is not one of them",
                        names.publisher
                    ),
                    format!(
                        "have `{}` complete Microsoft publisher verification, then record `verified: true` and `verifiedPublisherId`",
                        names.publisher
                    ),
                    &["CL-A006"],
                ),
                Blocker::Tenant => reason(
                    "tenant-not-in-policy",
                    "registered in a tenant the policy does not name",
                    format!(
                        "policy `{policy}` lets users consent only to apps registered in the tenants it names, and `{}` is not",
                        names.app
                    ),
                    format!(
                        "add the app's tenant to `clientApplicationTenantIds` of policy `{policy}`, or have an administrator grant `{name}`"
                    ),
                    &[],
                ),
                Blocker::Client => reason(
                    "client-not-in-policy",
                    "an app the policy does not name",
                    format!(
                        "policy `{policy}` lets users consent only to the apps it names, and not to `{}`",
                        names.app
                    ),
                    format!(
                        "add the app's id to `clientApplicationIds` of policy `{policy}`, or have an administrator grant `{name}`"
                    ),
                    &[],
                ),
                Blocker::Excluded => reason(
                    "excluded-by-policy",
                    "excluded by the consent policy",
                    format!("policy `{policy}` of tenant `{tenant}` keeps `{name}` for administrators"),
                    format!(
                        "have an administrator grant `{name}`, or ask for a permission the policy lets users grant"
                    ),
                    &[],
                ),
                Blocker::Permission | Blocker::PermissionType | Blocker::Scope => reason(
                    "not-in-policy",
                    "not included by the consent policy",
                    format!("policy `{policy}` of tenant `{tenant}` does not include `{name}`"),
                    format!(
                        "have an administrator grant `{name}`, or ask for a permission the policy includes"
                    ),
                    &[],
                ),
            };
            if !reasons.iter().any(|r| r.id == made.id) {
                reasons.push(made);
            }
        }
    }
    reasons
}

fn step_up_reason(names: &Names<'_>, registered: &str) -> Reason {
    reason(
        "risk-based-step-up",
        "risk-based step-up",
        format!(
            "`{}` is a multitenant app of another organisation, registered on {registered}, whose publisher `{}` is not verified, and it asks for more than sign-in and basic profile: Entra ID asks for an administrator's approval instead of the user's consent",
            names.app, names.publisher
        ),
        format!(
            "have `{}` complete Microsoft publisher verification, ask only for sign-in and basic profile, or have an administrator grant consent",
            names.publisher
        ),
        &["CL-A006", "CL-T007"],
    )
}
