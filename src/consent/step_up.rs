//! Risk-based step-up consent (`data/consent/step-up.yaml`): Entra ID asks for an administrator's
//! approval instead of the user's own consent, whatever the user consent policy, for an unverified
//! multitenant app of another tenant registered since 8 November 2020 that asks for more than basic
//! sign-in and profile, unless the tenant allows user consent to such risky apps.

use crate::catalog::GRAPH;
use crate::yaml::{Node, Value};

use super::data::StepUpFacts;
use super::request::{Fact, Parties};

/// Whether step-up applies to an app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum StepUp {
    /// It does not.
    No,
    /// It does: the app's registration date, as written.
    Yes { registered: String },
    /// It depends on this fact, which the inputs do not state.
    Unknown(&'static str),
}

/// Whether step-up applies to the app of `parties`, asking for `permissions` (its
/// `spec.permissions` elements).
pub(crate) fn applies(facts: &StepUpFacts, parties: &Parties<'_>, permissions: &[Node]) -> StepUp {
    let consent = parties.tenant.get("spec").and_then(|s| s.get("userConsent"));
    let settings = parties.tenant.get("spec").and_then(|s| s.get("consentPolicySettings"));
    let allowed = consent.and_then(|c| c.get("allowRiskyApps")).is_some_and(|n| n.value == Value::Bool(true))
        || settings
            .and_then(|s| s.get("blockUserConsentForRiskyApps"))
            .is_some_and(|n| n.value == Value::Bool(false));
    let beyond_basic = permissions.iter().any(|p| {
        let graph = p.get("resource").and_then(Node::as_str).is_none_or(|r| r.eq_ignore_ascii_case(GRAPH));
        let delegated = p.get("type").and_then(Node::as_str) != Some("application");
        let name = p.get("name").and_then(Node::as_str).unwrap_or_default();
        !(graph && delegated && facts.basic.iter().any(|b| b.eq_ignore_ascii_case(name)))
    });
    let client = parties.client();
    let app = |key: &str| parties.app.get("spec").and_then(|s| s.get(key));
    let origin = app("publisher").and_then(|p| p.get("origin")).and_then(Node::as_str);
    let audience = app("signInAudience").and_then(Node::as_str);
    let single = audience.is_some_and(|a| !facts.audiences.iter().any(|m| m == a));
    if allowed
        || !beyond_basic
        || single
        || origin == Some("microsoft")
        || matches!(client.own_tenant, Fact::Known(true))
        || matches!(client.verified, Fact::Known(true))
    {
        return StepUp::No;
    }
    let registered = app("createdDateTime").and_then(Node::as_str).map(|d| d.get(..10).unwrap_or(d));
    if registered.is_some_and(|day| day < facts.since.as_str()) {
        return StepUp::No;
    }
    if parties.tenant_unknown.contains(&"spec.userConsent.allowRiskyApps")
        && consent.is_none_or(|c| c.get("allowRiskyApps").is_none())
    {
        return StepUp::Unknown("whether the tenant allows user consent to risky apps");
    }
    if let Fact::Unknown(missing) = client.own_tenant {
        return StepUp::Unknown(missing.describe());
    }
    if let Fact::Unknown(missing) = client.verified {
        return StepUp::Unknown(missing.describe());
    }
    match registered {
        Some(day) => StepUp::Yes { registered: day.to_owned() },
        None => StepUp::Unknown("when the app was registered (`spec.createdDateTime`)"),
    }
}
