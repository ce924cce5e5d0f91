//! Who may grant a permission to an app, as Entra ID decides it: the tenant's assigned permission
//! grant policies, evaluated on one request at a time.
//!
//! A policy (Microsoft Graph `permissionGrantPolicy`) grants a request when one of its `includes`
//! condition sets matches it and none of its `excludes` does; each assigned policy is evaluated on
//! its own, and one that grants is enough. Microsoft's built-in policies are data in the same form
//! (`data/consent/grant-policies.yaml`, with their sources), evaluated exactly as a tenant's own
//! policies are: no policy is a branch in Rust. A fact a policy reads that the inputs do not state
//! makes the answer unknown, naming the fact, and only where the fact could change it.
//!
//! Users never grant what the API keeps for administrators (application permissions, delegated
//! permissions that require admin consent), whatever the policies say; that is checked first.

mod bound;
mod conditions;
mod data;
mod request;
pub(crate) mod step_up;

pub(crate) use bound::bound;
pub(crate) use conditions::field;
pub(crate) use data::{Approvers, Bundled, bundled};
pub(crate) use request::{Client, Fact, Parties, Request};

use conditions::{ConditionSet, Match};

use crate::yaml::{Node, Value};

/// A fact a policy reads that the inputs do not state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Missing {
    AdminConsent,
    Classification,
    ResourceAppId,
    PermissionId,
    ClientAppId,
    ClientTenant,
    Verified,
    PublisherId,
    Certified,
    /// Which policies are assigned to users.
    Assigned,
}

impl Missing {
    /// The fact, in words.
    pub(crate) const fn describe(self) -> &'static str {
        match self {
            Self::AdminConsent => "whether the API lets users grant the permission",
            Self::Classification => "the tenant's permission classifications",
            Self::ResourceAppId => "the API's application id",
            Self::PermissionId => "the permission's id",
            Self::ClientAppId => "the app's application id",
            Self::ClientTenant => "the tenant the app is registered in",
            Self::Verified => "whether the app's publisher is verified",
            Self::PublisherId => "the app's verified publisher id",
            Self::Certified => "whether the app is Microsoft 365 certified",
            Self::Assigned => "which user consent policies the tenant assigns",
        }
    }
}

/// A condition of a policy that a request fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Blocker {
    /// `permissionType`.
    PermissionType,
    /// `permissionClassification`: the permission is not classified as the policy needs.
    Classification,
    /// `permissions` or `resourceApplication`: the policy names other permissions.
    Permission,
    /// `clientApplicationIds`: the policy names other apps.
    Client,
    /// `clientApplicationTenantIds`: the app is registered in a tenant the policy does not name.
    Tenant,
    /// `clientApplicationsFromVerifiedPublisherOnly`, `clientApplicationPublisherIds`,
    /// `certifiedClientApplicationsOnly`.
    Publisher,
    /// `resourceScopeType`.
    Scope,
    /// An `excludes` condition set matches.
    Excluded,
}

/// One permission grant policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct GrantPolicy {
    pub id: String,
    includes: Vec<ConditionSet>,
    excludes: Vec<ConditionSet>,
}

impl GrantPolicy {
    /// The policy a mapping with Graph's field names states.
    pub(crate) fn read(node: &Node) -> Option<Self> {
        let id = field(node, "id")?.as_str()?.to_owned();
        let sets = |key: &str| match field(node, key).map(|n| &n.value) {
            Some(Value::Seq(items)) => items.iter().map(ConditionSet::read).collect(),
            _ => Vec::new(),
        };
        Some(Self { id, includes: sets("includes"), excludes: sets("excludes") })
    }

    /// What the policy says of `request` in the tenant `tenant` (its id, where known).
    pub(crate) fn evaluate(&self, request: &Request<'_>, tenant: Option<&str>) -> Verdict {
        let mut missing = Vec::new();
        for set in &self.excludes {
            match set.matches(request, tenant, true) {
                Match::Yes => return Verdict::Refused(vec![Blocker::Excluded]),
                Match::Unknown(facts) => missing.extend(facts),
                Match::No(_) => {}
            }
        }
        let mut closest: Option<Vec<Blocker>> = None;
        let mut fewest = 0;
        let mut included = false;
        for set in &self.includes {
            match set.matches(request, tenant, false) {
                Match::Yes => included = true,
                Match::Unknown(facts) => missing.extend(facts),
                // The sets the request comes closest to matching say why: of those that fail the
                // fewest conditions, every condition that fails.
                Match::No(blockers) => match &mut closest {
                    Some(best) if blockers.len() == fewest => best.extend(blockers),
                    Some(_) if blockers.len() > fewest => {}
                    _ => {
                        fewest = blockers.len();
                        closest = Some(blockers);
                    }
                },
            }
        }
        missing.sort_unstable();
        missing.dedup();
        match (included, missing.is_empty()) {
            (true, true) => Verdict::Granted,
            (false, true) => {
                let mut blockers = closest.unwrap_or_else(|| vec![Blocker::Permission]);
                blockers.sort_unstable();
                blockers.dedup();
                Verdict::Refused(blockers)
            }
            (_, false) => Verdict::Unknown(missing),
        }
    }
}

/// What one policy says of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    Granted,
    Refused(Vec<Blocker>),
    Unknown(Vec<Missing>),
}

/// The user consent policies a tenant assigns to its users.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Assignment {
    /// None: users may not consent.
    Off,
    /// These, by id as assigned; `None` where the inputs hold no policy of that id.
    Policies(Vec<(String, Option<GrantPolicy>)>),
    /// The tenant's files do not say.
    Unknown,
}

/// Why a policy refuses a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub policy: String,
    pub blockers: Vec<Blocker>,
}

/// Whether a user may grant a permission to an app, for themselves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// The policy of this id lets them.
    Granted(String),
    /// The API lets only an administrator grant it.
    AdminOnly,
    /// User consent is off.
    Off,
    /// Every assigned policy refuses it.
    Refused(Vec<Refusal>),
    /// It depends on facts the inputs do not state, or on assigned policies they do not hold (by id).
    Unknown { missing: Vec<Missing>, policies: Vec<String> },
}

impl Bundled {
    /// The user consent policies `tenant` assigns: `spec.userConsent.grantPolicies` where stated,
    /// else the built-in policy `spec.userConsent.policy` names. A policy is the tenant's exported
    /// copy (`spec.permissionGrantPolicies`) where it has one, else the built-in one of that id.
    pub(crate) fn assignment(&self, tenant: &Node, unknown: &[&'static str]) -> Assignment {
        let consent = tenant.get("spec").and_then(|s| s.get("userConsent"));
        let value = |key: &str| consent.and_then(|c| c.get(key));
        if value("enabled").is_some_and(|n| n.value == Value::Bool(false)) {
            return Assignment::Off;
        }
        let ids: Vec<String> = match value("grantPolicies").map(|n| &n.value) {
            Some(Value::Seq(items)) => items.iter().filter_map(Node::as_str).map(str::to_owned).collect(),
            _ => match value("policy").and_then(Node::as_str).and_then(data::builtin_of) {
                Some(id) => vec![id.to_owned()],
                None => return Assignment::Unknown,
            },
        };
        if ids.is_empty() {
            return if unknown.contains(&"spec.userConsent.grantPolicies") {
                Assignment::Unknown
            } else {
                Assignment::Off
            };
        }
        // One index of the exported policies by id in lowercase (the first of an id wins): the work
        // stays linear in the number of policies, however many are assigned and exported.
        let mut exported: std::collections::HashMap<String, GrantPolicy> = std::collections::HashMap::new();
        if let Some(Node { value: Value::Seq(items), .. }) =
            tenant.get("spec").and_then(|s| s.get("permissionGrantPolicies"))
        {
            for policy in items.iter().filter_map(GrantPolicy::read) {
                exported.entry(policy.id.to_ascii_lowercase()).or_insert(policy);
            }
        }
        let policies = ids
            .into_iter()
            .map(|id| {
                let found = exported.get(&id.to_ascii_lowercase()).or_else(|| self.policy(&id)).cloned();
                (id, found)
            })
            .collect();
        Assignment::Policies(policies)
    }

    /// Whether a user may grant `request` under `assignment`, in the tenant of id `tenant`.
    pub(crate) fn decide(assignment: &Assignment, request: &Request<'_>, tenant: Option<&str>) -> Decision {
        if request.application {
            return Decision::AdminOnly;
        }
        match &request.user_consentable {
            Fact::Known(false) => return Decision::AdminOnly,
            Fact::Unknown(missing) => {
                return Decision::Unknown { missing: vec![*missing], policies: Vec::new() };
            }
            Fact::Known(true) => {}
        }
        let policies = match assignment {
            Assignment::Off => return Decision::Off,
            Assignment::Unknown => {
                return Decision::Unknown { missing: vec![Missing::Assigned], policies: Vec::new() };
            }
            Assignment::Policies(policies) => policies,
        };
        let (mut refusals, mut missing, mut absent) = (Vec::new(), Vec::new(), Vec::new());
        for (id, policy) in policies {
            let Some(policy) = policy else {
                absent.push(id.clone());
                continue;
            };
            match policy.evaluate(request, tenant) {
                Verdict::Granted => return Decision::Granted(id.clone()),
                Verdict::Refused(blockers) => refusals.push(Refusal { policy: id.clone(), blockers }),
                Verdict::Unknown(facts) => missing.extend(facts),
            }
        }
        if missing.is_empty() && absent.is_empty() {
            return Decision::Refused(refusals);
        }
        missing.sort_unstable();
        missing.dedup();
        Decision::Unknown { missing, policies: absent }
    }
}

#[cfg(test)]
mod tests;
