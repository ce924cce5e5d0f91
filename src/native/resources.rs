//! Neutral facts about APIs (resources) that apps request permissions on, read from native exports:
//! a service principal, or an application that exposes an API. The catalog, above this module,
//! turns them into catalog data ([`Resource`]) and answers the converters' questions ([`Lookup`]).

/// An API as its service principal or application object publishes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource {
    /// The service principal's object id in the tenant, in ASCII lowercase, when exported: the
    /// tenant's permission classifications name the API by it.
    pub object_id: Option<String>,
    /// Its application id, in ASCII lowercase.
    pub app_id: String,
    /// Its display name.
    pub name: String,
    /// Its delegated permissions (`oauth2PermissionScopes`, Azure AD Graph `oauth2Permissions`).
    pub scopes: Vec<ResourcePermission>,
    /// Its application permissions: the `appRoles` that applications may be assigned.
    pub roles: Vec<ResourcePermission>,
    /// Whether its service principal requires users to be assigned (`appRoleAssignmentRequired`),
    /// where the export says: the app of that id then needs an administrator's consent.
    pub assignment_required: Option<bool>,
    /// Who publishes the app behind it, for the grants it holds as a client.
    pub publisher: Publisher,
}

/// What a service principal says of the app's publisher.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Publisher {
    /// `verifiedPublisher.displayName`, else `publisherName`.
    pub name: Option<String>,
    /// `verifiedPublisher.verifiedPublisherId`, when Microsoft verified the publisher.
    pub verified_id: Option<String>,
    /// Whether the object states `verifiedPublisher` at all (an object whose id is null is an
    /// unverified publisher; a `$select` without it states nothing).
    pub verification_stated: bool,
    /// `appOwnerOrganizationId` in ASCII lowercase: the tenant the app is registered in.
    pub owner_tenant: Option<String>,
}

/// One permission an API publishes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourcePermission {
    /// Its id, in ASCII lowercase.
    pub id: String,
    /// Its name (`value`), such as `access_as_user`.
    pub value: String,
    /// Whether granting it requires an administrator: for a delegated permission `true` when its
    /// `type` is `Admin`, `false` when `User`, `None` when it says neither; always `true` for an
    /// application permission.
    pub admin_consent: Option<bool>,
}

/// Delegated (a scope) or application (an app role).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Grant {
    /// `Scope` in `requiredResourceAccess`: the app acts for the signed-in user.
    Delegated,
    /// `Role` in `requiredResourceAccess`: the app acts as itself.
    Application,
}

/// Finds APIs and permission names by id, for the converters of app registrations, which name
/// permissions by GUID. Implemented by the catalog; ids compare without regard to ASCII case.
pub trait Lookup: Sync {
    /// The display name of the API whose application id is `app_id`.
    fn resource_name(&self, app_id: &str) -> Option<&str>;
    /// The name of the permission `id` of type `grant` of the API whose application id is `app_id`.
    fn permission_name(&self, app_id: &str, id: &str, grant: Grant) -> Option<&str>;
}

impl Lookup for Vec<Resource> {
    fn resource_name(&self, app_id: &str) -> Option<&str> {
        self.iter().find(|r| r.app_id.eq_ignore_ascii_case(app_id)).map(|r| r.name.as_str())
    }

    fn permission_name(&self, app_id: &str, id: &str, grant: Grant) -> Option<&str> {
        let resource = self.iter().find(|r| r.app_id.eq_ignore_ascii_case(app_id))?;
        let list = match grant {
            Grant::Delegated => &resource.scopes,
            Grant::Application => &resource.roles,
        };
        list.iter().find(|p| p.id.eq_ignore_ascii_case(id)).map(|p| p.value.as_str())
    }
}

pub(super) use super::is_guid;

/// Whether `text` holds a Teams Toolkit placeholder (`${{AAD_APP_CLIENT_ID}}`), filled in when the
/// toolkit provisions the app: a template's value, not a value of the app.
pub(super) fn is_placeholder(text: &str) -> bool {
    text.contains("${{")
}

#[cfg(test)]
mod tests {
    use super::{Grant, Lookup, Resource, ResourcePermission, is_guid, is_placeholder};

    fn permission(id: &str, value: &str, admin_consent: Option<bool>) -> ResourcePermission {
        ResourcePermission { id: id.into(), value: value.into(), admin_consent }
    }

    #[test]
    fn a_list_of_resources_looks_ids_up_in_any_case() {
        let resources = vec![Resource {
            object_id: None,
            app_id: "00000005-0000-0ff1-ce00-000000000000".into(),
            name: "Yammer".into(),
            scopes: vec![permission(
                "8e5870bb-8808-44dc-8e10-c509ed919ddd",
                "user_impersonation",
                Some(false),
            )],
            assignment_required: None,
            roles: vec![permission("5db81a03-0de0-432b-b31e-71d57c8d2e0b", "Feed.Read", Some(true))],
            publisher: super::Publisher::default(),
        }];
        let lookup: &dyn Lookup = &resources;
        assert_eq!(lookup.resource_name("00000005-0000-0FF1-CE00-000000000000"), Some("Yammer"));
        let scope = "8E5870BB-8808-44DC-8E10-C509ED919DDD";
        let app = "00000005-0000-0ff1-ce00-000000000000";
        assert_eq!(lookup.permission_name(app, scope, Grant::Delegated), Some("user_impersonation"));
        assert_eq!(lookup.permission_name(app, scope, Grant::Application), None, "a scope is not a role");
        assert_eq!(lookup.resource_name("00000003-0000-0000-c000-000000000000"), None);
    }

    #[test]
    fn guids_and_placeholders_are_told_apart() {
        assert!(is_guid("00000003-0000-0000-C000-000000000000"));
        assert!(!is_guid("Microsoft Graph"));
        assert!(!is_guid("00000003-0000-0000-c000-00000000000g"));
        assert!(!is_guid("${{AAD_APP_CLIENT_ID}}"));
        assert!(is_placeholder("${{CONFIG__MANIFEST__APPNAME__SHORT}}-aad"));
        assert!(!is_placeholder("${AAD_APP_CLIENT_ID}"));
    }
}
