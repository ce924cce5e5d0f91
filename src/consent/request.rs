//! A request to grant one permission to one app, with the facts a permission grant policy reads:
//! the permission (its type, id, API and whether its API lets users grant it), its classification
//! in the tenant, and the client app (its id, the tenant it is registered in, its publisher). Each
//! fact is read from the inputs; one they do not state is [`Fact::Unknown`], never guessed.

use crate::catalog::{Catalog, GRAPH, PermissionKey, PermissionKind};
use crate::yaml::{Node, Value};

use super::Missing;

/// A fact the inputs state, or the one they do not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Fact<T> {
    Known(T),
    Unknown(Missing),
}

/// The client app a permission would be granted to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Client<'a> {
    pub app_id: Option<&'a str>,
    /// The tenant it is registered in, when the inputs name it.
    pub tenant_id: Option<&'a str>,
    /// Whether it is registered in the tenant evaluating the request.
    pub own_tenant: Fact<bool>,
    pub verified: Fact<bool>,
    pub publisher_id: Option<&'a str>,
    pub certified: Fact<bool>,
}

/// One permission requested by one app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Request<'a> {
    pub application: bool,
    /// The name as the catalog writes it, else as the app does.
    pub name: String,
    /// The permission's id, where a catalog holds it.
    pub id: Option<&'a str>,
    /// The API's application id, where a catalog or the inputs hold it.
    pub resource_app_id: Option<&'a str>,
    /// Whether the API lets users grant it (it does not require admin consent).
    pub user_consentable: Fact<bool>,
    /// Whether the tenant classifies it low impact.
    pub classified_low: Fact<bool>,
    pub client: Client<'a>,
    /// Where the grant applies: `tenant` for a user's own consent, `group`, `team` or `chat` for a
    /// group owner's.
    pub scope: String,
    /// Whether the request stands for any permission: a condition naming permissions cannot tell.
    pub any_permission: bool,
}

/// Who and what a request is about, read from the app's and the tenant's trees.
pub(crate) struct Parties<'a> {
    pub app: &'a Node,
    /// Paths of the app the inputs do not state.
    pub app_unknown: &'a [&'static str],
    pub tenant: &'a Node,
    /// Paths of the tenant the inputs do not state.
    pub tenant_unknown: &'a [&'static str],
    pub catalog: &'a Catalog,
}

impl<'a> Parties<'a> {
    /// The client app, as the app's manifest describes it.
    pub(crate) fn client(&self) -> Client<'a> {
        let app = self.app;
        let publisher = |key: &str| app.get("spec").and_then(|s| s.get("publisher")).and_then(|p| p.get(key));
        let stated = |path: &str| !self.app_unknown.contains(&path);
        let own_tenant = match publisher("origin").and_then(Node::as_str) {
            Some("organization") => Fact::Known(true),
            Some(_) => Fact::Known(false),
            None => Fact::Unknown(Missing::ClientTenant),
        };
        let verified = match publisher("verified").map(|n| &n.value) {
            Some(Value::Bool(verified)) => Fact::Known(*verified),
            // The manifest's schema: an absent `verified` is an unverified publisher.
            _ if stated("spec.publisher.verified") => Fact::Known(false),
            _ => Fact::Unknown(Missing::Verified),
        };
        Client {
            app_id: app.get("metadata").and_then(|m| m.get("appId")).and_then(Node::as_str),
            tenant_id: publisher("tenantId").and_then(Node::as_str),
            own_tenant,
            verified,
            publisher_id: publisher("verifiedPublisherId").and_then(Node::as_str),
            certified: Fact::Unknown(Missing::Certified),
        }
    }

    /// The request of the permission `permission` (an element of `spec.permissions`).
    pub(crate) fn request(&self, permission: &'a Node) -> Option<Request<'a>> {
        let written = permission.get("name").and_then(Node::as_str)?;
        let application = permission.get("type").and_then(Node::as_str) == Some("application");
        let resource = permission.get("resource").and_then(Node::as_str).unwrap_or(GRAPH);
        Some(self.request_for(written, application, resource, self.client()))
    }

    /// The request of the permission `written` (delegated unless `application`) of the API
    /// `resource`, for `client`.
    pub(crate) fn request_for(
        &self,
        written: &'a str,
        application: bool,
        resource: &'a str,
        client: Client<'a>,
    ) -> Request<'a> {
        let kind = if application { PermissionKind::Application } else { PermissionKind::Delegated };
        let key = PermissionKey { name: written, kind, resource };
        let api_app_id = self
            .catalog
            .api_app_id(resource)
            .or_else(|| crate::suggest::is_guid(resource).then_some(resource))
            .or_else(|| crate::native::first_party::app_id(resource));
        let name = match self.catalog.fact(&key, "name") {
            Some(Value::String(name)) => name,
            _ => written.to_owned(),
        };
        let user_consentable = match self.catalog.fact(&key, "adminConsent") {
            Some(Value::Bool(admin)) => Fact::Known(!admin),
            _ => Fact::Unknown(Missing::AdminConsent),
        };
        let classified_low = self.classified_low(&name, resource, api_app_id);
        Request {
            application,
            name,
            id: self.catalog.permission_id(&key),
            resource_app_id: api_app_id,
            user_consentable,
            classified_low,
            client,
            scope: "tenant".to_owned(),
            any_permission: false,
        }
    }

    /// Whether the tenant classifies the permission `name` of the API `resource` low impact: a plain
    /// name in the list is a Microsoft Graph permission, `{name, resource}` one of that API (named,
    /// or by application id).
    fn classified_low(&self, name: &str, resource: &str, app_id: Option<&str>) -> Fact<bool> {
        if self.tenant_unknown.contains(&"spec.userConsent.lowImpactPermissions") {
            return Fact::Unknown(Missing::Classification);
        }
        let list = self
            .tenant
            .get("spec")
            .and_then(|s| s.get("userConsent"))
            .and_then(|u| u.get("lowImpactPermissions"));
        let Some(Value::Seq(items)) = list.map(|l| &l.value) else { return Fact::Known(false) };
        let same_api = |other: &str| {
            other.eq_ignore_ascii_case(resource) || app_id.is_some_and(|id| id.eq_ignore_ascii_case(other))
        };
        let holds = items.iter().any(|item| match &item.value {
            Value::String(listed) => {
                resource.eq_ignore_ascii_case(GRAPH) && listed.eq_ignore_ascii_case(name)
            }
            Value::Map(_) => {
                item.get("name").and_then(Node::as_str).is_some_and(|n| n.eq_ignore_ascii_case(name))
                    && same_api(item.get("resource").and_then(Node::as_str).unwrap_or(GRAPH))
            }
            _ => false,
        });
        Fact::Known(holds)
    }
}
