//! A Microsoft Graph `servicePrincipal` (REST and Graph Explorer in camelCase, PowerShell
//! `ConvertTo-Json` in Pascal case; Azure AD Graph's `objectType: ServicePrincipal`) as the facts of
//! the API it publishes: its application id, name, delegated permissions and application roles.
//!
//! An app's `requiredResourceAccess` names permissions by id; a tenant that exports the service
//! principals of the APIs its apps use lets consentlint name them and know who may grant them.

use super::resources::{Publisher, Resource, ResourcePermission, is_guid, is_placeholder};
use super::{field, items};
use crate::yaml::{Node, Value};

/// The APIs that `root` describes: one service principal, or each service principal of a Graph
/// collection (`{"value": […]}`) or of a top-level list. Empty when `root` holds none.
pub(crate) fn resources(root: &Node) -> Vec<Resource> {
    match &root.value {
        Value::Map(_) if is_service_principal(root, false) => resource(root).into_iter().collect(),
        Value::Map(_) => {
            // Items of a `$select` collection carry no marker of their own: the context names them.
            let context = text(root, "@odata.context").is_some_and(|c| c.contains("#serviceprincipals"));
            let items = field(root, "value").map_or(&[][..], items);
            items.iter().filter(|item| is_service_principal(item, context)).filter_map(resource).collect()
        }
        Value::Seq(list) => {
            list.iter().filter(|item| is_service_principal(item, false)).filter_map(resource).collect()
        }
        _ => Vec::new(),
    }
}

/// A string field in ASCII lowercase.
fn text(object: &Node, key: &str) -> Option<String> {
    field(object, key).and_then(Node::as_str).map(str::to_ascii_lowercase)
}

/// Whether `object` says it is a service principal (by its `@odata.context` or `@odata.type`, Azure AD
/// Graph's `objectType`, or the fields only service principals have; `marked` when its collection says so)
/// and publishes permissions: an `appId` and a list of scopes or app roles.
fn is_service_principal(object: &Node, marked: bool) -> bool {
    let named = marked
        || text(object, "@odata.context").is_some_and(|c| c.contains("#serviceprincipals"))
        || text(object, "@odata.type").is_some_and(|t| t == "#microsoft.graph.serviceprincipal")
        || text(object, "odata.type").is_some_and(|t| t == "microsoft.directoryservices.serviceprincipal")
        || text(object, "objectType").is_some_and(|t| t == "serviceprincipal")
        || field(object, "servicePrincipalType").is_some()
        || field(object, "appOwnerOrganizationId").is_some()
        || publishes_scopes(object);
    let lists = ["oauth2PermissionScopes", "oauth2Permissions", "appRoles"]
        .iter()
        .any(|key| field(object, key).is_some_and(|list| matches!(list.value, Value::Seq(_))));
    named && lists && text(object, "appId").is_some_and(|id| is_guid(&id))
}

/// Whether `object` publishes delegated permissions at its top level, as only a service principal
/// does (an application keeps them under `api`, and lists the permissions it requires): what a
/// `$select` result without `servicePrincipalType` is recognised by.
fn publishes_scopes(object: &Node) -> bool {
    field(object, "requiredResourceAccess").is_none()
        && field(object, "api").is_none()
        && field(object, "oauth2PermissionScopes").is_some_and(|list| matches!(list.value, Value::Seq(_)))
}

/// The facts of a service principal; `None` without an `appId`.
fn resource(object: &Node) -> Option<Resource> {
    let app_id = text(object, "appId").filter(|id| is_guid(id))?;
    let name = ["displayName", "appDisplayName"]
        .iter()
        .find_map(|key| field(object, key).and_then(Node::as_str).filter(|name| !name.trim().is_empty()))
        .map_or_else(|| app_id.clone(), str::to_owned);
    let published = field(object, "oauth2PermissionScopes").or_else(|| field(object, "oauth2Permissions"));
    Some(Resource {
        object_id: text(object, "id").filter(|id| is_guid(id)),
        app_id,
        name,
        scopes: published.map(scopes).unwrap_or_default(),
        roles: field(object, "appRoles").map(roles).unwrap_or_default(),
        assignment_required: match field(object, "appRoleAssignmentRequired").map(|n| &n.value) {
            Some(Value::Bool(required)) => Some(*required),
            _ => None,
        },
        publisher: publisher(object),
    })
}

/// What the service principal says of its app's publisher.
fn publisher(object: &Node) -> Publisher {
    let named = |node: &Node, key: &str| {
        field(node, key).and_then(Node::as_str).filter(|t| !t.trim().is_empty()).map(str::to_owned)
    };
    let verified = field(object, "verifiedPublisher");
    let verified_id = verified.and_then(|v| named(v, "verifiedPublisherId"));
    let name = verified.and_then(|v| named(v, "displayName")).or_else(|| named(object, "publisherName"));
    Publisher {
        name,
        verified_id,
        verification_stated: verified.is_some(),
        owner_tenant: text(object, "appOwnerOrganizationId").filter(|id| is_guid(id)),
    }
}

/// The delegated permissions of a list of `oauth2PermissionScopes` (or `oauth2Permissions`): each
/// with a GUID `id` and a `value`, admin consent from its `type` (`Admin` or `User`).
pub(super) fn scopes(list: &Node) -> Vec<ResourcePermission> {
    let admin = |scope: &Node| match text(scope, "type").as_deref() {
        Some("admin") => Some(true),
        Some("user") => Some(false),
        _ => None,
    };
    items(list).iter().filter_map(|scope| permission(scope, admin(scope))).collect()
}

/// The application permissions of a list of `appRoles`: the roles whose `allowedMemberTypes` holds
/// `Application` (the others are assigned to users and groups); they always need an administrator.
pub(super) fn roles(list: &Node) -> Vec<ResourcePermission> {
    let for_apps = |role: &&Node| {
        field(role, "allowedMemberTypes")
            .is_some_and(|types| items(types).iter().any(|t| t.as_str().is_some_and(is_application)))
    };
    items(list).iter().filter(for_apps).filter_map(|role| permission(role, Some(true))).collect()
}

/// Whether a member type is `Application`, in any case.
fn is_application(member: &str) -> bool {
    member.eq_ignore_ascii_case("application")
}

/// One permission: its GUID `id` and its `value`; `None` when either is missing or a placeholder.
fn permission(object: &Node, admin_consent: Option<bool>) -> Option<ResourcePermission> {
    let id = text(object, "id").filter(|id| is_guid(id))?;
    let value =
        field(object, "value").and_then(Node::as_str).filter(|v| !v.is_empty() && !is_placeholder(v))?;
    Some(ResourcePermission { id, value: value.to_owned(), admin_consent })
}

#[cfg(test)]
mod tests {
    use super::resources;
    use crate::native::resources::{Resource, ResourcePermission};
    use crate::yaml::{Limits, parse};

    fn read(text: &str) -> Vec<Resource> {
        resources(&parse(text, Limits::default()).documents[0].root)
    }

    fn permission(id: &str, value: &str, admin_consent: Option<bool>) -> ResourcePermission {
        ResourcePermission { id: id.into(), value: value.into(), admin_consent }
    }

    const ENTITY: &str = r#"{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals/$entity",
  "appId": "00000003-0000-0FF1-CE00-000000000000",
  "appDisplayName": "Office 365 SharePoint Online",
  "displayName": "Office 365 SharePoint Online",
  "servicePrincipalType": "Application",
  "appRoles": [
    {"allowedMemberTypes": ["Application"], "id": "678536FE-1083-478a-9c59-b99265e6b0d3", "value": "Sites.FullControl.All"},
    {"allowedMemberTypes": ["User"], "id": "0f5b3c2d-1e2d-4a8b-9c7d-6e5f4a3b2c1d", "value": "Reader"}
  ],
  "oauth2PermissionScopes": [
    {"id": "56680e0d-d2a3-4ae1-80d8-3c4f2100e3d0", "type": "Admin", "value": "AllSites.FullControl"},
    {"id": "1002502a-9a71-4426-8551-69ab83452fab", "type": "User", "value": "Sites.Search.All"},
    {"id": "${{SCOPE_ID}}", "type": "User", "value": "access_as_user"}
  ]
}"#;

    #[test]
    fn a_graph_entity_gives_its_scopes_and_its_roles_for_applications() {
        let found = read(ENTITY);
        assert_eq!(found.len(), 1);
        let sharepoint = &found[0];
        assert_eq!(sharepoint.app_id, "00000003-0000-0ff1-ce00-000000000000", "lowercase");
        assert_eq!(sharepoint.name, "Office 365 SharePoint Online");
        assert_eq!(
            sharepoint.scopes,
            [
                permission("56680e0d-d2a3-4ae1-80d8-3c4f2100e3d0", "AllSites.FullControl", Some(true)),
                permission("1002502a-9a71-4426-8551-69ab83452fab", "Sites.Search.All", Some(false)),
            ],
            "a placeholder id is no id"
        );
        assert_eq!(
            sharepoint.roles,
            [permission("678536fe-1083-478a-9c59-b99265e6b0d3", "Sites.FullControl.All", Some(true))],
            "a role for users is not an application permission"
        );
    }

    #[test]
    fn pascal_case_lists_and_select_collections_are_read() {
        let pascal = r#"[{"AppId": "797f4846-ba00-4fd7-ba43-dac1f8f63013", "AppOwnerOrganizationId": "f8cdef31-a31e-4b4a-93e4-5f571e91255a", "DisplayName": "Windows Azure Service Management API", "AppRoles": [], "Oauth2PermissionScopes": [{"Id": "41094075-9dad-400e-a0bd-54e686782033", "Type": "User", "Value": "user_impersonation"}]}]"#;
        let found = read(pascal);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "Windows Azure Service Management API");
        assert_eq!(found[0].scopes[0].admin_consent, Some(false));
        let selected = r#"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals(appId,appDisplayName,oauth2PermissionScopes)", "value": [
          {"appId": "7df0a125-d3be-4c96-aa54-591f83ff541c", "appDisplayName": "Microsoft Flow Service", "oauth2PermissionScopes": [{"id": "e45c5562-459d-4d1b-8148-83eb1b6dcf83", "type": "User", "value": "Flows.Read.All"}]},
          {"appId": "00000005-0000-0ff1-ce00-000000000000", "appRoles": []}]}"#;
        let names: Vec<String> = read(selected).into_iter().map(|r| r.name).collect();
        assert_eq!(names, ["Microsoft Flow Service", "00000005-0000-0ff1-ce00-000000000000"]);
    }

    #[test]
    fn azure_ad_graph_service_principals_use_oauth2_permissions() {
        let text = r#"{"objectType": "ServicePrincipal", "appId": "00000002-0000-0000-c000-000000000000", "displayName": "Windows Azure Active Directory", "oauth2Permissions": [{"id": "311A71CC-E848-46a1-bdf8-97ff7156d8e6", "type": "User", "value": "User.Read"}]}"#;
        let found = read(text);
        assert_eq!(
            found[0].scopes,
            [permission("311a71cc-e848-46a1-bdf8-97ff7156d8e6", "User.Read", Some(false))]
        );
    }

    #[test]
    fn other_objects_are_not_service_principals() {
        // An application publishes scopes too, but is not marked as a service principal.
        assert!(read(r#"{"appId": "00000003-0000-0000-c000-000000000000", "appRoles": []}"#).is_empty());
        assert!(read(r#"{"servicePrincipalType": "Application", "appId": "x", "appRoles": []}"#).is_empty());
        assert!(
            read(
                r#"{"servicePrincipalType": "Application", "appId": "00000003-0000-0000-c000-000000000000"}"#
            )
            .is_empty()
        );
        assert!(
            read(r#"{"value": [{"appId": "00000003-0000-0000-c000-000000000000", "appRoles": []}]}"#)
                .is_empty()
        );
        assert!(read("just text").is_empty());
        assert!(
            read(r#"{"appId": "00000003-0000-0000-c000-000000000000", "api": {}, "oauth2PermissionScopes": [], "requiredResourceAccess": []}"#)
                .is_empty(),
            "an application that lists what it requires"
        );
    }

    #[test]
    fn a_select_result_is_recognised_by_the_scopes_it_publishes() {
        // `GET /servicePrincipals(appId='…')?$select=appId,displayName,oauth2PermissionScopes,appRoles`
        let found = read(
            r#"{"appId": "00000003-0000-0ff1-ce00-000000000000", "displayName": "Office 365 SharePoint Online", "oauth2PermissionScopes": [{"id": "56680e0d-d2a3-4ae1-80d8-3c4f2100e3d0", "value": "AllSites.FullControl", "type": "Admin"}], "appRoles": []}"#,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "Office 365 SharePoint Online");
        assert_eq!(found[0].scopes[0].value, "AllSites.FullControl");
    }
}
