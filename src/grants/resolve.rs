//! Resolving the ids of a grant read from an export, and writing what they name into its tree.

use std::sync::Arc;

use super::consent::Policy;
use super::desired::{Consent, Granted};
use super::{Joins, Tenant, is_microsoft_tenant};
use crate::catalog::{PermissionKey, PermissionKind};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::kind::Kind;
use crate::native::{Grant, IMPORTED, Lookup, Native, Resource};
use crate::source::{SourceFile, Span};
use crate::validate::{CheckedDocument, CheckedFile};
use crate::yaml::{Entry, Node, Value};

/// Why the app that holds a grant is not known.
const NO_CLIENT: &str = "the app's service principal is not exported beside the grant";
/// Why an API is not known.
const NO_RESOURCE: &str = "the API's service principal is not exported beside the grant";
/// Why a publisher's verification is not known.
const NO_VERIFICATION: &str = "the app's service principal does not state `verifiedPublisher`";
/// Why a publisher's origin is not known.
const NO_OWNER: &str = "the app's service principal does not state `appOwnerOrganizationId`, or the export does not state the tenant's id";
/// Why approval is not known.
const NO_DESIRED: &str = "the run holds no desired state (`AppManifest`) for the grant's tenant";
/// Why approval is not known when the tenant is not.
const NO_TENANT: &str = "the grant's export holds no tenant";
/// Why registration is not known.
const NO_REGISTRATION: &str = "the app's registration is not exported beside the grant";
/// Why registration is not known of a grant read from ScubaGear's lists.
const PARTIAL_REGISTRATION: &str = "ScubaGear's export lists an app's permissions only on the APIs of its risk list, so it does not show everything the app's registration requests";
const NO_POLICY: &str = "the export does not state the tenant's user consent policies, the client's service principal, or a fact they read";

/// Resolves every grant read from an export in `file` (see the module documentation of
/// [`crate::grants`]); returns what cannot be resolved, each at its id, and records in `granted`
/// the tenant-wide grants of the apps the desired state describes.
pub fn resolve(file: &mut CheckedFile, joins: Joins<'_>, granted: &mut Granted) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let source = Arc::clone(&file.source);
    for document in &mut file.documents {
        if document.kind != Kind::Grant || document.native.as_ref().is_none_or(|n| n.format == IMPORTED) {
            continue;
        }
        found.extend(one(document, &source, joins, granted));
    }
    found
}

/// A string field's value and span.
fn text_at(node: &Node, key: &str) -> Option<(String, Span)> {
    node.get(key).and_then(|value| Some((value.as_str()?.to_owned(), value.span)))
}

/// What a grant states, read before its tree is changed.
struct Stated {
    kind: Grant,
    consent: Consent,
    client_id: Option<(String, Span)>,
    resource_id: Option<(String, Span)>,
    named_resource: Option<(String, Span)>,
    /// The app, as the export states it when it names it itself (ScubaGear's lists).
    client: Option<Resource>,
    /// Whether the export holds only some of the tenant's grants.
    partial: bool,
}

impl Stated {
    fn read(spec: &Node, format: &str) -> Self {
        let kind = if spec.get("type").and_then(Node::as_str) == Some("application") {
            Grant::Application
        } else {
            Grant::Delegated
        };
        let consent = match spec.get("consentType").and_then(Node::as_str) {
            Some("Principal") => Consent::User,
            _ => Consent::Admin,
        };
        Self {
            kind,
            consent,
            client_id: text_at(spec, "clientId"),
            resource_id: text_at(spec, "resourceId"),
            named_resource: text_at(spec, "resourceDisplayName"),
            client: spec.get("client").and_then(|client| stated_client(client, spec)),
            partial: crate::native::PARTIAL_GRANTS.contains(&format),
        }
    }
}

/// The app as a grant's own `spec.client` states it: its application id, name and owning
/// organisation, with the object id of its service principal (`clientId`).
fn stated_client(client: &Node, spec: &Node) -> Option<Resource> {
    let app_id = client.get("appId")?.as_str()?.to_ascii_lowercase();
    let name = client.get("displayName").and_then(Node::as_str).map_or_else(|| app_id.clone(), str::to_owned);
    let owner = client.get("publisher").and_then(|p| p.get("tenantId")).and_then(Node::as_str);
    Some(Resource {
        object_id: spec.get("clientId").and_then(Node::as_str).map(str::to_ascii_lowercase),
        app_id,
        name,
        scopes: Vec::new(),
        roles: Vec::new(),
        assignment_required: None,
        publisher: crate::native::Publisher {
            owner_tenant: owner.map(str::to_ascii_lowercase),
            ..crate::native::Publisher::default()
        },
    })
}

/// One grant being resolved: what it holds, what is added to its `spec`, what the run cannot
/// resolve, and what it leaves unknown.
struct Resolving<'a> {
    source: &'a Arc<SourceFile>,
    document: usize,
    native: Native,
    additions: Vec<Entry>,
    found: Vec<Diagnostic>,
}

impl Resolving<'_> {
    /// `CL-S006` at `span`.
    fn unresolved(&mut self, span: Span, message: String, label: &str, help: &str) {
        self.found.push(
            Diagnostic::tool(Code::UnresolvedGrant, message, self.source, span)
                .in_document(self.document)
                .with_label(label)
                .with_help(help),
        );
    }

    /// The app that holds the grant: `spec.client`, and its application id when resolved.
    fn client(&mut self, stated: &Stated, tenant: Option<&Tenant>, joins: Joins<'_>) -> Option<String> {
        let client = stated
            .client
            .as_ref()
            .or_else(|| stated.client_id.as_ref().and_then(|(id, _)| joins.directory.principal(id)));
        match (client, &stated.client_id) {
            (Some(sp), Some((_, span))) => {
                let (entries, unknown) = client_facts(sp, *span, tenant, joins);
                self.additions.push(entry("client", map(entries, *span)));
                forget(&mut self.native, "spec.client");
                for (path, why) in unknown {
                    know_not(&mut self.native, path, why);
                }
                Some(sp.app_id.clone())
            }
            (_, Some((id, span))) => {
                self.additions
                    .push(entry("client", map(vec![entry("displayName", string(id, *span))], *span)));
                forget(&mut self.native, "spec.client");
                know_not(&mut self.native, "spec.client.appId", NO_CLIENT);
                know_not(&mut self.native, "spec.client.publisher", NO_CLIENT);
                self.unresolved(
                    *span,
                    format!("the app `{id}` that holds the grant is not among the service principals of the export"),
                    "no exported service principal has this object id",
                    "export the tenant's service principals with the grants (EntraExporter `-Type ServicePrincipals`), \
                     so the app's name and publisher are known",
                );
                None
            }
            _ => {
                know_not(&mut self.native, "spec.client", NO_CLIENT);
                None
            }
        }
    }

    /// The API: `spec.resource`, and its name when resolved (through its service principal, or the
    /// name the assignment states).
    fn resource(&mut self, stated: &Stated, resource: Option<&Resource>, joins: Joins<'_>) -> Option<String> {
        let api: Option<String> = match (resource, &stated.named_resource) {
            (Some(sp), _) => Some(joins.catalog.resource_name(&sp.app_id).unwrap_or(&sp.name).to_owned()),
            (None, Some((name, _))) => Some(joins.catalog.api_name(name).unwrap_or(name).to_owned()),
            (None, None) => None,
        };
        // Where the API is named: its object id, else the name the grant states.
        let place = stated.resource_id.as_ref().or(stated.named_resource.as_ref()).map(|(_, span)| *span);
        match (&api, &stated.resource_id, place) {
            (Some(name), _, Some(span)) => {
                let mut entries = vec![entry("displayName", string(name, span))];
                let app_id = resource.map(|sp| sp.app_id.as_str()).or_else(|| joins.catalog.api_app_id(name));
                if let Some(app_id) = app_id {
                    entries.insert(0, entry("appId", string(app_id, span)));
                }
                self.additions.push(entry("resource", map(entries, span)));
                forget(&mut self.native, "spec.resource");
            }
            (None, Some((id, span)), _) => {
                self.additions
                    .push(entry("resource", map(vec![entry("displayName", string(id, *span))], *span)));
                forget(&mut self.native, "spec.resource");
                know_not(&mut self.native, "spec.resource.appId", NO_RESOURCE);
                self.unresolved(
                    *span,
                    format!("the API `{id}` of the grant is not among the service principals of the export"),
                    "no exported service principal has this object id",
                    "export the API's service principal with the grants, so its permissions are named and judged",
                );
            }
            _ => know_not(&mut self.native, "spec.resource", NO_RESOURCE),
        }
        api
    }

    /// The name of a permission, checked against what the API publishes: an app role id named (a
    /// role the export names itself keeps its name where nothing else does), a delegated name the
    /// API does not publish said.
    fn permission(
        &mut self,
        (name, id, span): (String, Option<String>, Span),
        stated: &Stated,
        (resource, api): (Option<&Resource>, Option<&str>),
        joins: Joins<'_>,
    ) -> (String, bool) {
        match stated.kind {
            Grant::Application => match role_name(id.as_deref().unwrap_or(&name), resource, api, joins) {
                Some(named) => (named, true),
                None if id.as_deref().is_some_and(|id| !id.eq_ignore_ascii_case(&name)) => (name, false),
                None => {
                    let why = match api {
                        Some(api) => format!(
                            "app role `{name}` is not among the application permissions that `{api}` publishes"
                        ),
                        None => {
                            format!("app role `{name}` cannot be named: the API it belongs to is not known")
                        }
                    };
                    self.unresolved(
                        span,
                        why,
                        "unknown app role id",
                        "export the API's service principal with the grants, or load a catalog of the API with `--catalog`",
                    );
                    (name, false)
                }
            },
            Grant::Delegated => {
                if let Some(api) = api.filter(|api| joins.catalog.describes(api)) {
                    let key = PermissionKey { name: &name, kind: PermissionKind::Delegated, resource: api };
                    if joins.catalog.fact(&key, "known") == Some(Value::Bool(false)) {
                        let hint = match joins.catalog.fact(&key, "hint") {
                            Some(Value::String(hint)) => hint,
                            _ => String::new(),
                        };
                        let message =
                            format!("`{name}` is not a delegated permission that `{api}` publishes");
                        self.unresolved(span, message, "unknown permission name", &hint);
                    }
                }
                (name, false)
            }
        }
    }
}

/// Resolves one grant.
fn one(
    document: &mut CheckedDocument,
    source: &Arc<SourceFile>,
    joins: Joins<'_>,
    granted: &mut Granted,
) -> Vec<Diagnostic> {
    let Some(native) = document.native.take() else { return Vec::new() };
    let Some(stated) = document.root.get("spec").map(|spec| Stated::read(spec, native.format)) else {
        document.native = Some(native);
        return Vec::new();
    };
    let tenant = joins.directory.tenant(&native.root).cloned();
    let mut resolving =
        Resolving { source, document: document.index, native, additions: Vec::new(), found: Vec::new() };
    let client_app = resolving.client(&stated, tenant.as_ref(), joins);
    let resource = stated.resource_id.as_ref().and_then(|(id, _)| joins.directory.principal(id));
    let api = resolving.resource(&stated, resource, joins);
    let desired = tenant.as_ref().filter(|t| joins.desired.holds(&t.name));
    let why_not_approved = match (&tenant, desired, &client_app) {
        (None, _, _) => Some(NO_TENANT),
        (Some(_), None, _) => Some(NO_DESIRED),
        (Some(_), Some(_), None) => Some(NO_CLIENT),
        (Some(_), Some(_), Some(_)) => None,
    };
    match why_not_approved {
        Some(why) => know_not(&mut resolving.native, "spec.permissions.approved", why),
        None => forget(&mut resolving.native, "spec.permissions.approved"),
    }
    if let Some(tenant) = &tenant {
        if stated.partial { granted.partial(&tenant.name) } else { granted.tenant(&tenant.name) }
    }
    let root = resolving.native.root.clone();
    let registered = client_app
        .as_ref()
        .is_some_and(|app| joins.registrations.requests(&root, app, ("", "", stated.kind)).is_some());
    if registered {
        forget(&mut resolving.native, "spec.permissions.requested");
    } else {
        let why = if stated.partial { PARTIAL_REGISTRATION } else { NO_REGISTRATION };
        know_not(&mut resolving.native, "spec.permissions.requested", why);
    }
    let api_text =
        api.clone().or_else(|| stated.resource_id.as_ref().map(|(id, _)| id.clone())).unwrap_or_default();
    let client_sp = stated
        .client
        .as_ref()
        .or_else(|| stated.client_id.as_ref().and_then(|(id, _)| joins.directory.principal(id)));
    let policy = (stated.kind == Grant::Delegated)
        .then(|| Policy::new(joins.directory.consent(&root), client_sp, joins.catalog))
        .flatten();
    let mut undecided = policy.is_none();
    if let Some(spec) = spec_mut(&mut document.root) {
        if let Some(Node { value: Value::Seq(items), .. }) =
            spec.iter_mut().find(|e| e.key == "permissions").map(|e| &mut e.value)
        {
            for item in items.iter_mut() {
                let Some((name, span)) = text_at(item, "name") else { continue };
                let id = text_at(item, "id").map(|(id, _)| id);
                set(item, "resource", string(&api_text, span));
                let (name, renamed) =
                    resolving.permission((name, id, span), &stated, (resource, api.as_deref()), joins);
                if renamed {
                    set(item, "name", string(&name, span));
                }
                if let (Some(tenant), Some(app), true) = (&tenant, &client_app, desired.is_some()) {
                    let key = (api_text.as_str(), name.as_str(), stated.kind);
                    let approved = joins.desired.approves(&tenant.name, app, key, stated.consent);
                    set(item, "approved", node(Value::Bool(approved), span));
                    if stated.kind == Grant::Application || stated.consent == Consent::Admin {
                        granted.grant(&tenant.name, app, key);
                    }
                }
                if let Some(policy) = &policy {
                    match policy.may_grant(&name, &api_text) {
                        Some(may) => set(item, "userMayGrant", node(Value::Bool(may), span)),
                        None => undecided = true,
                    }
                }
                if let (true, Some(app)) = (registered, &client_app) {
                    let requested = joins.registrations.requests(&root, app, (&api_text, &name, stated.kind))
                        == Some(true);
                    set(item, "requested", node(Value::Bool(requested), span));
                }
            }
        }
        // What the grant stated itself (ScubaGear's `client`) gives way to what was resolved.
        for addition in resolving.additions.drain(..) {
            match spec.iter_mut().find(|e| e.key == addition.key) {
                Some(existing) => *existing = addition,
                None => spec.push(addition),
            }
        }
    }
    if undecided {
        know_not(&mut resolving.native, "spec.permissions.userMayGrant", NO_POLICY);
    } else {
        forget(&mut resolving.native, "spec.permissions.userMayGrant");
    }
    document.native = Some(resolving.native);
    resolving.found
}

/// The name of app role `id` of the API: from its exported service principal, else the catalog.
fn role_name(id: &str, resource: Option<&Resource>, api: Option<&str>, joins: Joins<'_>) -> Option<String> {
    if let Some(sp) = resource
        && let Some(role) = sp.roles.iter().find(|r| r.id.eq_ignore_ascii_case(id))
    {
        return Some(role.value.clone());
    }
    let by_app = resource.and_then(|sp| joins.catalog.permission_name(&sp.app_id, id, Grant::Application));
    by_app
        .or_else(|| {
            api.and_then(|api| joins.catalog.permission_name_in(api, id, PermissionKind::Application))
        })
        .map(str::to_owned)
}

/// The facts of the app that holds a grant, at `span`, and the paths they leave unknown with why.
fn client_facts(
    sp: &Resource,
    span: Span,
    tenant: Option<&Tenant>,
    joins: Joins<'_>,
) -> (Vec<Entry>, Vec<(&'static str, &'static str)>) {
    let publisher = &sp.publisher;
    let mut unknown = Vec::new();
    let mut facts = Vec::new();
    if let Some(name) = &publisher.name {
        facts.push(entry("name", string(name, span)));
    }
    if publisher.verification_stated {
        facts.push(entry("verified", node(Value::Bool(publisher.verified_id.is_some()), span)));
    } else {
        unknown.push(("spec.client.publisher.verified", NO_VERIFICATION));
    }
    if let Some(id) = &publisher.verified_id {
        facts.push(entry("verifiedPublisherId", string(id, span)));
    }
    if let Some(owner) = &publisher.owner_tenant {
        facts.push(entry("tenantId", string(owner, span)));
    }
    let origin = match (&publisher.owner_tenant, tenant.and_then(|t| t.id.as_deref())) {
        (Some(owner), _) if is_microsoft_tenant(owner) => Some("microsoft"),
        (Some(owner), Some(own)) if owner.eq_ignore_ascii_case(own) => Some("organization"),
        (Some(_), Some(_)) if publisher.verified_id.is_some() => Some("third-party"),
        (Some(_), Some(_)) => Some("other-organization"),
        _ => None,
    };
    match origin {
        Some(origin) => facts.push(entry("origin", string(origin, span))),
        None => unknown.push(("spec.client.publisher.origin", NO_OWNER)),
    }
    let mut entries =
        vec![entry("appId", string(&sp.app_id, span)), entry("displayName", string(&sp.name, span))];
    if let Some(manifest) = tenant.and_then(|t| joins.desired.manifest(&t.name, &sp.app_id)) {
        entries.push(entry("manifest", string(manifest, span)));
    }
    entries.push(entry("publisher", map(facts, span)));
    (entries, unknown)
}

/// Marks `path` as stated: it was resolved.
fn forget(native: &mut Native, path: &str) {
    native.unknown.retain(|unknown| *unknown != path);
    native.reasons.retain(|(unknown, _)| *unknown != path);
}

/// Marks `path` as not stated, because of `why`.
fn know_not(native: &mut Native, path: &'static str, why: &'static str) {
    if !native.unknown.contains(&path) {
        native.unknown.push(path);
    }
    native.reasons.retain(|(unknown, _)| *unknown != path);
    native.reasons.push((path, why));
}

/// The entries of the `spec` mapping of a document's tree.
fn spec_mut(root: &mut Node) -> Option<&mut Vec<Entry>> {
    let Value::Map(entries) = &mut root.value else { return None };
    match &mut entries.iter_mut().find(|e| e.key == "spec")?.value.value {
        Value::Map(spec) => Some(spec),
        _ => None,
    }
}

/// Sets `key` of a mapping node to `value`.
fn set(node: &mut Node, key: &str, value: Node) {
    let Value::Map(entries) = &mut node.value else { return };
    match entries.iter_mut().find(|e| e.key == key) {
        Some(existing) => existing.value = value,
        None => entries.push(entry(key, value)),
    }
}

fn entry(key: &str, value: Node) -> Entry {
    Entry { key: key.to_owned(), key_span: value.span, value }
}

fn node(value: Value, span: Span) -> Node {
    Node { value, span }
}

fn string(text: &str, span: Span) -> Node {
    node(Value::String(text.to_owned()), span)
}

fn map(entries: Vec<Entry>, span: Span) -> Node {
    node(Value::Map(entries), span)
}
