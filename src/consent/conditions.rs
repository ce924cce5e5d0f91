//! Permission grant condition sets (Microsoft Graph `permissionGrantConditionSet`) and whether a
//! request matches one. A condition left out matches every request, as Graph's defaults do (`all`,
//! `any`, `false`); a set matches when every condition it states does.

use crate::yaml::{Node, Value};

use super::request::{Fact, Request};
use super::{Blocker, Missing};

/// A list of ids, or `all`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Ids {
    /// `["all"]`, or left out.
    All,
    /// These ids (ASCII lowercase); `{tenant}` stands for the evaluating tenant's own id.
    Some(Vec<String>),
}

impl Ids {
    fn read(set: &Node, key: &str) -> Self {
        match field(set, key).map(|n| &n.value) {
            Some(Value::Seq(items)) => {
                let ids: Vec<String> =
                    items.iter().filter_map(Node::as_str).map(str::to_ascii_lowercase).collect();
                if ids.is_empty() || ids.iter().any(|id| id == "all") { Self::All } else { Self::Some(ids) }
            }
            _ => Self::All,
        }
    }
}

/// One condition set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ConditionSet {
    /// `delegated`, `application` or `delegatedUserConsentable` (lowercase); `None` matches both.
    pub permission_type: Option<String>,
    /// `low`, `medium` or `high` (lowercase); `None` is `all`.
    pub classification: Option<String>,
    /// The API's application id (lowercase); `None` is `any`.
    pub resource: Option<String>,
    /// Permission ids, or names.
    pub permissions: Ids,
    pub client_ids: Ids,
    pub client_tenants: Ids,
    pub publisher_ids: Ids,
    pub verified_only: bool,
    pub certified_only: bool,
    /// `resourceScopeType` / `scopeType` (lowercase): `tenant`, `group`, `chat`, `team`.
    pub scope_type: Option<String>,
}

/// What a condition set says of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Match {
    Yes,
    /// It does not match: the conditions that fail.
    No(Vec<Blocker>),
    /// It could match: the facts it needs that the inputs do not state (and the conditions that
    /// fail, if the missing facts turn out to hold).
    Unknown(Vec<Missing>),
}

impl ConditionSet {
    /// The set a mapping with Graph's field names states (keys compared without regard to case,
    /// as PowerShell writes them in Pascal case).
    pub(crate) fn read(set: &Node) -> Self {
        let text = |key: &str| {
            field(set, key).and_then(Node::as_str).map(str::to_ascii_lowercase).filter(|v| !v.is_empty())
        };
        let flag = |key: &str| field(set, key).is_some_and(|n| n.value == Value::Bool(true));
        Self {
            permission_type: text("permissionType"),
            classification: text("permissionClassification").filter(|c| c != "all"),
            resource: text("resourceApplication").filter(|r| r != "any"),
            permissions: Ids::read(set, "permissions"),
            client_ids: Ids::read(set, "clientApplicationIds"),
            client_tenants: Ids::read(set, "clientApplicationTenantIds"),
            publisher_ids: Ids::read(set, "clientApplicationPublisherIds"),
            verified_only: flag("clientApplicationsFromVerifiedPublisherOnly"),
            certified_only: flag("certifiedClientApplicationsOnly"),
            scope_type: text("resourceScopeType").or_else(|| text("scopeType")),
        }
    }

    /// Whether `request` matches the set, in the tenant whose id is `tenant` (lowercase).
    /// For a request that stands for any permission, an excluding set (`excluding`) that names
    /// permissions does not match: some permission is not among them.
    pub(crate) fn matches(&self, request: &Request<'_>, tenant: Option<&str>, excluding: bool) -> Match {
        let mut failed = Vec::new();
        let mut missing = Vec::new();
        let mut note = |outcome: Result<bool, Missing>, blocker: Blocker| match outcome {
            Ok(true) => {}
            Ok(false) => failed.push(blocker),
            Err(fact) => missing.push(fact),
        };
        note(self.permission_type_matches(request), Blocker::PermissionType);
        note(self.classification_matches(request), Blocker::Classification);
        note(self.resource_matches(request), Blocker::Permission);
        note(self.permission_matches(request, excluding), Blocker::Permission);
        note(list_holds(&self.client_ids, request.client.app_id, Missing::ClientAppId), Blocker::Client);
        note(self.tenant_matches(request, tenant), Blocker::Tenant);
        note(self.publisher_id_matches(request), Blocker::Publisher);
        if self.verified_only {
            note(known(&request.client.verified), Blocker::Publisher);
        }
        if self.certified_only {
            note(known(&request.client.certified), Blocker::Publisher);
        }
        let scope = self.scope_type.as_deref().is_none_or(|scope| scope == request.scope.as_str());
        note(Ok(scope), Blocker::Scope);
        failed.dedup();
        if !failed.is_empty() {
            No(failed)
        } else if missing.is_empty() {
            Match::Yes
        } else {
            Match::Unknown(missing)
        }
    }

    fn permission_type_matches(&self, request: &Request<'_>) -> Result<bool, Missing> {
        match self.permission_type.as_deref() {
            None => Ok(true),
            Some("delegated") => Ok(!request.application),
            Some("application") => Ok(request.application),
            Some("delegateduserconsentable") if request.application => Ok(false),
            Some("delegateduserconsentable") => known(&request.user_consentable),
            Some(_) => Ok(false),
        }
    }

    fn classification_matches(&self, request: &Request<'_>) -> Result<bool, Missing> {
        match self.classification.as_deref() {
            None => Ok(true),
            // Entra ID's classifications are `low` only; the tenant's files state no other.
            Some("low") => known(&request.classified_low),
            Some(_) => Ok(false),
        }
    }

    fn resource_matches(&self, request: &Request<'_>) -> Result<bool, Missing> {
        match (&self.resource, request.resource_app_id) {
            (None, _) => Ok(true),
            (Some(wanted), Some(id)) => Ok(wanted.eq_ignore_ascii_case(id)),
            (Some(_), None) => Err(Missing::ResourceAppId),
        }
    }

    fn permission_matches(&self, request: &Request<'_>, excluding: bool) -> Result<bool, Missing> {
        let Ids::Some(listed) = &self.permissions else { return Ok(true) };
        if request.any_permission {
            return if excluding { Ok(false) } else { Err(Missing::PermissionId) };
        }
        let by_name = listed.iter().any(|p| p.eq_ignore_ascii_case(&request.name));
        let by_id = request.id.is_some_and(|id| listed.iter().any(|p| p.eq_ignore_ascii_case(id)));
        if by_name || by_id {
            Ok(true)
        } else if request.id.is_none() && listed.iter().any(|p| crate::suggest::is_guid(p)) {
            Err(Missing::PermissionId)
        } else {
            Ok(false)
        }
    }

    fn tenant_matches(&self, request: &Request<'_>, tenant: Option<&str>) -> Result<bool, Missing> {
        let Ids::Some(listed) = &self.client_tenants else { return Ok(true) };
        let own = |id: &str| id == "{tenant}" || tenant.is_some_and(|t| t.eq_ignore_ascii_case(id));
        let names_own = listed.iter().any(|l| own(l));
        let names_others = listed.iter().any(|l| !own(l));
        if let Some(id) = request.client.tenant_id {
            let ours = tenant.is_some_and(|t| t.eq_ignore_ascii_case(id));
            return Ok(listed.iter().any(|l| l.eq_ignore_ascii_case(id)) || (ours && names_own));
        }
        match &request.client.own_tenant {
            Fact::Known(true) if names_own => Ok(true),
            // The client is ours, and the list names only other tenants, ours among them or not.
            Fact::Known(true) if tenant.is_some() => Ok(false),
            Fact::Known(false) if !names_others => Ok(false),
            Fact::Known(_) => Err(Missing::ClientTenant),
            Fact::Unknown(missing) => Err(*missing),
        }
    }

    fn publisher_id_matches(&self, request: &Request<'_>) -> Result<bool, Missing> {
        let Ids::Some(listed) = &self.publisher_ids else { return Ok(true) };
        match (request.client.publisher_id, &request.client.verified) {
            (Some(id), _) => Ok(listed.iter().any(|l| l.eq_ignore_ascii_case(id))),
            (None, Fact::Known(false)) => Ok(false),
            (None, _) => Err(Missing::PublisherId),
        }
    }
}

use Match::No;

/// Whether `id` is in `list`; `missing` when the list names ids and `id` is not known.
fn list_holds(list: &Ids, id: Option<&str>, missing: Missing) -> Result<bool, Missing> {
    match (list, id) {
        (Ids::All, _) => Ok(true),
        (Ids::Some(listed), Some(id)) => Ok(listed.iter().any(|l| l.eq_ignore_ascii_case(id))),
        (Ids::Some(_), None) => Err(missing),
    }
}

fn known(fact: &Fact<bool>) -> Result<bool, Missing> {
    match fact {
        Fact::Known(value) => Ok(*value),
        Fact::Unknown(missing) => Err(*missing),
    }
}

/// A field of a mapping, its key compared without regard to ASCII case.
pub(crate) fn field<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    node.as_map()?.iter().find(|e| e.key.eq_ignore_ascii_case(key)).map(|e| &e.value)
}
