//! The consents a ScubaGear export records, as `Grant` documents: one per application permission
//! assigned to a service principal, on the APIs ScubaGear's risky-permission list covers.
//!
//! ScubaGear's AAD provider writes two lists (`AADRiskyPermissionsHelper.psm1`):
//! - `risky_third_party_service_principals`: each service principal owned by another organisation
//!   (`AppOwnerOrganizationId`) that holds a risky application permission, with every app role
//!   assigned to it on those APIs (`Permissions`, each `IsAdminConsented`);
//! - `risky_applications`: each app registered in the tenant that requests a risky permission, with
//!   every permission its registration requests on those APIs; a permission is `IsAdminConsented`
//!   when the app's service principal (`ObjectId.ServicePrincipal`) is assigned that role.
//!
//! Only the permissions `IsAdminConsented` are grants. ScubaGear resolved them already: each names
//! its app role by id (`RoleId`) and name (`RoleDisplayName`), and its API by display name
//! (`ApplicationDisplayName`), so the document states its client and API instead of the object ids
//! an `appRoleAssignment` names them by. The lists hold no delegated grant, and no assignment on an
//! API outside ScubaGear's list or of an app without a risky permission: what the export lacks
//! cannot be told from it ([`PARTIAL`]).

use std::collections::{HashMap, HashSet};

use super::super::grant::{self, Read};
use super::super::{Problem, entry, field, map, node, objects, string};
use crate::yaml::{Entry, Node, Value};

/// The format of a grant read from `risky_applications`.
pub(in crate::native) const APPLICATIONS: &str = "ScubaGear export (`risky_applications`)";
/// The format of a grant read from `risky_third_party_service_principals`.
pub(in crate::native) const THIRD_PARTY: &str = "ScubaGear export (`risky_third_party_service_principals`)";
/// The formats whose grants are a part of the tenant's, never all of them.
pub const PARTIAL: [&str; 2] = [APPLICATIONS, THIRD_PARTY];

/// What says a permission of the lists is granted.
const CONSENTED: &str = "IsAdminConsented";

/// The grants the export `export` records, in the order its lists hold them, and what keeps one
/// from being read; a consent both lists record (the same service principal and app role) is read
/// once.
pub(in crate::native) fn grants(export: &Node) -> (Vec<Read>, Vec<Problem>) {
    let third_party = field(export, "risky_third_party_service_principals").map(objects).unwrap_or_default();
    // ScubaGear states the owning organisation of a service principal only in the third-party list.
    let owners: HashMap<String, &Node> = third_party
        .iter()
        .filter_map(|item| {
            let id = field(item, "ObjectId")?.as_str()?.to_ascii_lowercase();
            Some((id, field(item, "AppOwnerOrganizationId")?))
        })
        .collect();
    // An app of `risky_applications` is registered in the tenant (ScubaGear lists the tenant's own
    // application objects), so the tenant owns it, where the third-party list does not say otherwise.
    let home = field(export, "tenant_details")
        .and_then(|details| objects(details).into_iter().next())
        .and_then(|details| field(details, "TenantId"));
    let applications = field(export, "risky_applications").map(objects).unwrap_or_default();
    let mut read = Vec::new();
    let mut problems = Vec::new();
    let mut seen: HashSet<(String, String)> = HashSet::new();
    for (items, format) in [(applications, APPLICATIONS), (third_party, THIRD_PARTY)] {
        for item in items {
            let owners = Owners { stated: &owners, home: home.filter(|_| format == APPLICATIONS) };
            read.extend(holder(item, format, owners, &mut seen, &mut problems));
        }
    }
    (read, problems)
}

/// Who owns the apps of a list: as the third-party list states, else the tenant itself.
#[derive(Clone, Copy)]
struct Owners<'a> {
    stated: &'a HashMap<String, &'a Node>,
    home: Option<&'a Node>,
}

/// The service principal an item names: `ObjectId`, or in `risky_applications` the
/// `ServicePrincipal` member of `ObjectId` (an app without one holds no grant).
fn principal<'a>(item: &'a Node, format: &str) -> Option<&'a Node> {
    let id = field(item, "ObjectId")?;
    let id = if format == APPLICATIONS { field(id, "ServicePrincipal")? } else { id };
    id.as_str().filter(|text| !text.trim().is_empty()).map(|_| id)
}

/// The grants of one item of a list.
fn holder(
    item: &Node,
    format: &'static str,
    owners: Owners<'_>,
    seen: &mut HashSet<(String, String)>,
    problems: &mut Vec<Problem>,
) -> Vec<Read> {
    let permissions = field(item, "Permissions").map(objects).unwrap_or_default();
    let mut granted = Vec::new();
    for permission in permissions {
        match field(permission, CONSENTED).map(|c| &c.value) {
            Some(Value::Bool(true)) => {}
            Some(Value::Bool(false)) => continue,
            _ => {
                let at = field(permission, CONSENTED).map_or(permission.span, |c| c.span);
                problems.push(Problem::new(
                    at,
                    "the permission does not say whether it is granted".into(),
                    "not `true` or `false`",
                    "ScubaGear writes `IsAdminConsented` for every permission it lists: run the export again",
                ));
                continue;
            }
        }
        // Every permission of a third-party service principal is an app role assigned to it; in
        // `risky_applications`, a delegated permission never is.
        let kind = field(permission, "RoleType").and_then(Node::as_str).unwrap_or_default();
        if format == APPLICATIONS && !kind.eq_ignore_ascii_case("Application") {
            continue;
        }
        granted.push(permission);
    }
    let client = principal(item, format);
    let mut read = Vec::new();
    match client {
        None if !granted.is_empty() => problems.push(Problem::new(
            field(item, "ObjectId").map_or(item.span, |id| id.span),
            "the app's granted permissions name no service principal".into(),
            "no service principal object id",
            "ScubaGear names the service principal of an app whose permissions are granted: run the export again",
        )),
        None => {}
        Some(client) => {
            let owner = client
                .as_str()
                .and_then(|id| owners.stated.get(&id.to_ascii_lowercase()).copied())
                .or(owners.home);
            for permission in granted {
                read.extend(one(item, client, owner, permission, format, seen, problems));
            }
        }
    }
    read
}

/// The grant of one permission of a service principal, unless it was read already.
fn one(
    item: &Node,
    client: &Node,
    owner: Option<&Node>,
    permission: &Node,
    format: &'static str,
    seen: &mut HashSet<(String, String)>,
    problems: &mut Vec<Problem>,
) -> Option<Read> {
    let Some(role) = field(permission, "RoleId").filter(|r| r.as_str().is_some_and(|t| !t.trim().is_empty()))
    else {
        problems.push(Problem::new(
            permission.span,
            "the granted permission has no `RoleId`".into(),
            "no app role id",
            "ScubaGear names each permission by its app role id: run the export again",
        ));
        return None;
    };
    let key = (
        client.as_str().unwrap_or_default().to_ascii_lowercase(),
        role.as_str().unwrap_or_default().to_ascii_lowercase(),
    );
    if seen.contains(&key) {
        return None;
    }
    let api = field(permission, "ApplicationDisplayName").filter(|a| a.as_str().is_some());
    let named = field(permission, "RoleDisplayName")
        .and_then(Node::as_str)
        .filter(|n| !n.trim().is_empty())
        .unwrap_or(role.as_str().unwrap_or_default());
    // The API's name, or nothing when the item states none (the grant's API is then unknown).
    let resource = string(api.and_then(Node::as_str).unwrap_or_default(), api.map_or(role.span, |a| a.span));
    let entries = vec![
        entry("name", string(named, role.span)),
        entry("type", string("application", role.span)),
        entry("resource", resource),
        entry("id", role.clone()),
    ];
    let mut spec = vec![entry("type", string("application", role.span)), entry("clientId", client.clone())];
    if let Some(api) = api {
        spec.push(entry("resourceDisplayName", api.clone()));
    }
    spec.push(entry("permissions", node(Value::Seq(vec![map(entries, role.span)]), role.span)));
    spec.push(entry("client", map(stated_client(item, owner), client.span)));
    let name = string(&format!("{}/{}", key.0, key.1), permission.span);
    seen.insert(key);
    Some(grant::document(name, permission.span, spec, format, Vec::new()))
}

/// What the item states of the app: its application id, name and owning organisation.
fn stated_client(item: &Node, owner: Option<&Node>) -> Vec<Entry> {
    let mut entries = Vec::new();
    for (ours, theirs) in [("appId", "AppId"), ("displayName", "DisplayName")] {
        if let Some(value) = field(item, theirs).filter(|v| v.as_str().is_some_and(|t| !t.trim().is_empty()))
        {
            entries.push(entry(ours, value.clone()));
        }
    }
    let owner = field(item, "AppOwnerOrganizationId").or(owner).filter(|o| o.as_str().is_some());
    if let Some(owner) = owner {
        entries.push(entry("publisher", map(vec![entry("tenantId", owner.clone())], owner.span)));
    }
    entries
}

#[cfg(test)]
mod tests;
