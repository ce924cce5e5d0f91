//! CISA ScubaGear's risky permissions of the APIs other than Microsoft Graph
//! (`data/catalog/scuba-risky-apis.json`, generated from ScubaGear's `RiskyAppPermissions.json` by
//! `scripts/gen-scuba-risky.py`): the `scubaRisky` and `risk` facts of a permission of the seven
//! other APIs ScubaGear lists (Exchange Online, `SharePoint` Online, …), found by the API's
//! application id (else by the name ScubaGear gives it) and the permission's id (else its name).
//! Microsoft Graph's own entries are in the Microsoft Graph catalog.

use std::collections::HashMap;

use serde::Deserialize;

use super::PermissionKind;
use super::file::Risk;

/// The bundled file.
pub(super) const JSON: &str = include_str!("../../data/catalog/scuba-risky-apis.json");

/// The file's shape; `description` and `sources` are documentation.
#[derive(Deserialize)]
struct File {
    apis: Vec<ListedApi>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListedApi {
    app_id: String,
    resource: String,
    delegated: HashMap<String, Listed>,
    application: HashMap<String, Listed>,
}

#[derive(Deserialize)]
struct Listed {
    name: String,
    risk: Risk,
}

/// The listed permissions of one API, by type, by id and by name, in ASCII lowercase.
#[derive(Clone, Debug, Default)]
struct Lists {
    by_id: HashMap<(String, PermissionKind), Risk>,
    by_name: HashMap<(String, PermissionKind), Risk>,
}

/// ScubaGear's lists, per API.
#[derive(Clone, Debug, Default)]
pub(super) struct Scuba {
    apis: Vec<Lists>,
    by_app_id: HashMap<String, usize>,
    by_resource: HashMap<String, usize>,
}

impl Scuba {
    /// The bundled lists.
    pub(super) fn bundled() -> Result<Self, String> {
        let file: File = serde_json::from_str(JSON).map_err(|e| format!("bundled ScubaGear lists: {e}"))?;
        let mut scuba = Self::default();
        for api in file.apis {
            let at = scuba.apis.len();
            let mut lists = Lists::default();
            for (kind, listed) in
                [(PermissionKind::Delegated, api.delegated), (PermissionKind::Application, api.application)]
            {
                for (id, permission) in listed {
                    let risk = permission.risk;
                    lists.by_id.insert((id.to_ascii_lowercase(), kind), risk);
                    lists.by_name.insert((permission.name.to_ascii_lowercase(), kind), risk);
                }
            }
            scuba.apis.push(lists);
            scuba.by_app_id.insert(api.app_id.to_ascii_lowercase(), at);
            scuba.by_resource.insert(api.resource.to_ascii_lowercase(), at);
        }
        Ok(scuba)
    }

    /// The risk level ScubaGear gives a permission, when it lists it: of the API with application
    /// id `app_id`, else of the API ScubaGear names `resource`; the permission by its `id` when the
    /// catalog knows it, else by its `name`.
    pub(super) fn risk(
        &self,
        app_id: Option<&str>,
        resource: &str,
        (name, id): (&str, Option<&str>),
        kind: PermissionKind,
    ) -> Option<Risk> {
        let at = match app_id {
            Some(app_id) => self.by_app_id.get(&app_id.to_ascii_lowercase()),
            // A handful of names, most often none of them: compared in place.
            None => self
                .by_resource
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(resource))
                .map(|(_, at)| at),
        };
        let lists = self.apis.get(*at?)?;
        match id {
            Some(id) => lists.by_id.get(&(id.to_ascii_lowercase(), kind)),
            None => lists.by_name.get(&(name.to_ascii_lowercase(), kind)),
        }
        .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::{PermissionKind, Risk, Scuba};

    #[test]
    fn the_lists_are_found_by_application_id_or_name_and_by_permission_id_or_name() {
        let scuba = Scuba::bundled().unwrap();
        let sharepoint = "00000003-0000-0ff1-ce00-000000000000";
        let delegated = PermissionKind::Delegated;
        let read = ("AllSites.Read", Some("4E0D77B0-96ba-4398-af14-3baa780278f4"));
        assert_eq!(scuba.risk(Some(sharepoint), "x", read, delegated), Some(Risk::Medium));
        assert_eq!(
            scuba.risk(None, "office 365 sharepoint online", ("allsites.read", None), delegated),
            Some(Risk::Medium)
        );
        assert_eq!(scuba.risk(Some(sharepoint), "x", read, PermissionKind::Application), None);
        let exchange = "00000002-0000-0ff1-ce00-000000000000";
        assert_eq!(
            scuba.risk(Some(exchange), "x", ("EWS.AccessAsUser.All", None), delegated),
            Some(Risk::High)
        );
        let graph = "00000003-0000-0000-c000-000000000000";
        assert_eq!(
            scuba.risk(Some(graph), "x", ("Files.Read", None), delegated),
            None,
            "in the Graph catalog"
        );
    }
}
