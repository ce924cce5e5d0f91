//! Whether the tenant's current user consent policies would let a user grant, for themselves, a
//! permission that a grant holds: the consent evaluator `simulate` uses ([`crate::consent`]), with
//! the client described by its exported service principal. Risk-based step-up is not applied: a
//! service principal does not state when its app was registered.

use crate::catalog::Catalog;
use crate::consent::{Assignment, Bundled, Client, Decision, Fact, Missing, Parties};
use crate::native::Resource;
use crate::source::Span;
use crate::validate::CheckedDocument;
use crate::yaml::{Node, Value};

/// What is needed to decide for each permission of one grant.
pub(super) struct Policy<'a> {
    tenant: &'a CheckedDocument,
    assignment: &'a Assignment,
    client: &'a Resource,
    catalog: &'a Catalog,
}

impl<'a> Policy<'a> {
    pub(super) fn new(
        consent: Option<&'a (&'a CheckedDocument, Assignment)>,
        client: Option<&'a Resource>,
        catalog: &'a Catalog,
    ) -> Option<Self> {
        let (tenant, assignment) = consent?;
        Some(Self { tenant, assignment, client: client?, catalog })
    }

    /// Whether a user may grant the delegated permission `name` of the API `api` to the client, for
    /// themselves; `None` when it depends on what the inputs do not state.
    pub(super) fn may_grant(&self, name: &str, api: &str) -> Option<bool> {
        if self.client.assignment_required == Some(true) {
            return Some(false);
        }
        let tenant_id = self.tenant.metadata("tenantId").map(str::to_ascii_lowercase);
        let publisher = &self.client.publisher;
        let own_tenant = match (&publisher.owner_tenant, &tenant_id) {
            (Some(owner), Some(ours)) => Fact::Known(owner.eq_ignore_ascii_case(ours)),
            _ => Fact::Unknown(Missing::ClientTenant),
        };
        let verified = if publisher.verification_stated {
            Fact::Known(publisher.verified_id.is_some())
        } else {
            Fact::Unknown(Missing::Verified)
        };
        let client = Client {
            app_id: Some(&self.client.app_id),
            tenant_id: publisher.owner_tenant.as_deref(),
            own_tenant,
            verified,
            publisher_id: publisher.verified_id.as_deref(),
            certified: Fact::Unknown(Missing::Certified),
        };
        let nothing = Node { value: Value::Null, span: Span::default() };
        let unknown = self.tenant.native.as_ref().map_or(&[][..], |n| n.unknown.as_slice());
        let parties = Parties {
            app: &nothing,
            app_unknown: &[],
            tenant: &self.tenant.root,
            tenant_unknown: unknown,
            catalog: self.catalog,
        };
        let request = parties.request_for(name, false, api, client);
        match Bundled::decide(self.assignment, &request, tenant_id.as_deref()) {
            Decision::Granted(_) => Some(true),
            Decision::AdminOnly | Decision::Off | Decision::Refused(_) => Some(false),
            Decision::Unknown { .. } => None,
        }
    }
}
