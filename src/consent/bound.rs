//! The built-in user consent policy a policy of the tenant's own allows no more than, decided by
//! the evaluator itself: the policy is asked about representative requests, and what it could grant
//! places it. So the tenant rules, which read `spec.userConsent.policy`, judge a custom policy as
//! `simulate` evaluates it.

use super::request::{Client, Fact, Request};
use super::{GrantPolicy, Missing, Verdict};

/// A request for some delegated permission, which the API lets users grant, of some API: which one
/// is not known, so a condition that names permissions, APIs or apps cannot be decided.
fn probe(own: bool, verified: bool, low: bool) -> Request<'static> {
    Request {
        application: false,
        name: String::new(),
        id: None,
        resource_app_id: None,
        user_consentable: Fact::Known(true),
        classified_low: Fact::Known(low),
        client: Client {
            app_id: None,
            tenant_id: None,
            own_tenant: Fact::Known(own),
            verified: Fact::Known(verified),
            publisher_id: None,
            certified: Fact::Unknown(Missing::Certified),
        },
        scope: "tenant".to_owned(),
        any_permission: true,
    }
}

/// `all-apps` when the policy lets users grant permissions that are not classified low, or grant
/// them to unverified apps of other tenants; `verified-publishers-low-impact` when it lets them grant
/// at most permissions classified low, to apps of the tenant or of verified publishers; `None` when
/// that depends on which permission, API or app a request names.
pub(crate) fn bound(policy: &GrantPolicy, tenant: Option<&str>) -> Option<&'static str> {
    // What `microsoft-user-default-low` never grants: unclassified permissions, and anything to an
    // unverified app of another tenant.
    let beyond_low = [
        probe(false, false, false),
        probe(false, true, false),
        probe(true, false, false),
        probe(false, false, true),
    ];
    let mut unknown = false;
    for request in &beyond_low {
        match policy.evaluate(request, tenant) {
            Verdict::Granted => return Some("all-apps"),
            Verdict::Unknown(_) => unknown = true,
            Verdict::Refused(_) => {}
        }
    }
    (!unknown).then_some("verified-publishers-low-impact")
}
