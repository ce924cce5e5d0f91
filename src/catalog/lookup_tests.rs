//! Permissions by id: the bundled Microsoft Graph catalog, user catalogs that state ids, and the
//! APIs of exported service principals (`Catalog::add_resource`).
#![allow(clippy::unwrap_used, reason = "a test fails loudly when its setup fails")]

use super::{Catalog, CatalogFile, PermissionKey, PermissionKind};
use crate::native::ResourcePermission;
use crate::native::{Grant, Lookup, Resource};
use crate::yaml::Value;

const GRAPH: &str = "00000003-0000-0000-c000-000000000000";
const SHAREPOINT: &str = "00000003-0000-0ff1-ce00-000000000000";

fn permission(id: &str, value: &str, admin_consent: Option<bool>) -> ResourcePermission {
    ResourcePermission { id: id.into(), value: value.into(), admin_consent }
}

fn sharepoint() -> Resource {
    Resource {
        object_id: None,
        app_id: SHAREPOINT.into(),
        name: "Office 365 SharePoint Online".into(),
        scopes: vec![
            permission("56680e0d-d2a3-4ae1-80d8-3c4f2100e3d0", "AllSites.FullControl", Some(true)),
            permission("1002502a-9a71-4426-8551-69ab83452fab", "Sites.Search.All", Some(false)),
            permission("0c3b3f4e-3d5f-4a8e-9c3b-2f1e0d9c8b7a", "Sites.Unsaid", None),
        ],
        assignment_required: None,
        roles: vec![permission("678536fe-1083-478a-9c59-b99265e6b0d3", "Sites.FullControl.All", Some(true))],
        publisher: crate::native::Publisher::default(),
    }
}

fn fact(catalog: &Catalog, resource: &str, name: &str, kind: PermissionKind, fact: &str) -> Option<Value> {
    catalog.fact(&PermissionKey { name, kind, resource }, fact)
}

#[test]
fn the_bundled_catalog_names_graph_and_its_permissions_by_id_in_any_case() {
    let catalog = Catalog::bundled().unwrap();
    assert_eq!(catalog.resource_name("00000003-0000-0000-C000-000000000000"), Some("Microsoft Graph"));
    let user_read = "E1FE6DD8-BA31-4D61-89E7-88639DA4683D";
    assert_eq!(catalog.permission_name(GRAPH, user_read, Grant::Delegated), Some("User.Read"));
    assert_eq!(catalog.permission_name(GRAPH, user_read, Grant::Application), None, "a scope is not a role");
    let print = "456b71a7-0ee0-4588-9842-c123fcc8f664";
    assert_eq!(
        catalog.permission_name(GRAPH, print, Grant::Application),
        Some("PrintTaskDefinition.ReadWrite.All")
    );
    assert_eq!(catalog.resource_name(SHAREPOINT), None);
    assert_eq!(catalog.permission_name(SHAREPOINT, user_read, Grant::Delegated), None);
}

#[test]
fn a_service_principal_adds_its_api_with_who_may_grant_each_permission() {
    let mut catalog = Catalog::bundled().unwrap();
    let before = catalog.clone();
    catalog.add_resource(&sharepoint());
    let name = "Office 365 SharePoint Online";
    assert_eq!(catalog.resource_name(SHAREPOINT), Some(name));
    let search = "1002502A-9A71-4426-8551-69AB83452FAB";
    assert_eq!(catalog.permission_name(SHAREPOINT, search, Grant::Delegated), Some("Sites.Search.All"));
    let admin = |permission, kind| fact(&catalog, name, permission, kind, "adminConsent");
    assert_eq!(admin("Sites.Search.All", PermissionKind::Delegated), Some(Value::Bool(false)));
    assert_eq!(admin("AllSites.FullControl", PermissionKind::Delegated), Some(Value::Bool(true)));
    assert_eq!(
        admin("Sites.Unsaid", PermissionKind::Delegated),
        Some(Value::Bool(true)),
        "the cautious default"
    );
    assert_eq!(admin("Sites.FullControl.All", PermissionKind::Application), Some(Value::Bool(true)));
    assert_eq!(
        fact(&catalog, name, "Sites.Search.All", PermissionKind::Delegated, "ownDataOnly"),
        Some(Value::Bool(false))
    );
    assert_eq!(before.resource_name(SHAREPOINT), None, "a clone is a copy");
}

#[test]
fn stated_facts_win_over_a_service_principal_of_a_known_api() {
    let mut catalog = Catalog::bundled().unwrap();
    let graph = Resource {
        object_id: None,
        app_id: GRAPH.to_ascii_uppercase(),
        name: "Microsoft Graph (exported)".into(),
        scopes: vec![
            permission("e1fe6dd8-ba31-4d61-89e7-88639da4683d", "User.Read", Some(true)),
            permission("0d2a2a7c-6f2e-4c1b-8e3a-5b4c3d2e1f0a", "Brand.New.Scope", Some(false)),
        ],
        assignment_required: None,
        roles: Vec::new(),
        publisher: crate::native::Publisher::default(),
    };
    catalog.add_resource(&graph);
    let own = fact(&catalog, "Microsoft Graph", "User.Read", PermissionKind::Delegated, "ownDataOnly");
    assert_eq!(own, Some(Value::Bool(true)), "the catalog's facts are kept");
    let admin = fact(&catalog, "Microsoft Graph", "User.Read", PermissionKind::Delegated, "adminConsent");
    assert_eq!(admin, Some(Value::Bool(false)));
    let added = fact(&catalog, "Microsoft Graph", "Brand.New.Scope", PermissionKind::Delegated, "known");
    assert_eq!(added, Some(Value::Bool(true)), "what the catalog lacks is added");
    assert_eq!(catalog.resource_name(GRAPH), Some("Microsoft Graph"), "one API, under the catalog's name");
}

#[test]
fn user_catalogs_give_ids_and_a_service_principal_names_a_catalog_without_one() {
    let mut catalog = Catalog::default();
    let orders: CatalogFile = serde_json::from_str(
        r#"{"resource": "Contoso Orders", "appId": "B55B276D-2B09-4AD2-8DE5-F09CF24FFBA9",
            "permissions": {"Orders.Read.All": {"application": {"id": "162B1576-A2B2-458D-B7B9-04481911B4EF"}}}}"#,
    )
    .unwrap();
    catalog.add(orders);
    let app = "b55b276d-2b09-4ad2-8de5-f09cf24ffba9";
    let role = "162b1576-a2b2-458d-b7b9-04481911b4ef";
    assert_eq!(catalog.resource_name(app), Some("Contoso Orders"));
    assert_eq!(catalog.permission_name(app, role, Grant::Application), Some("Orders.Read.All"));

    let flows: CatalogFile = serde_json::from_str(
        r#"{"resource": "Microsoft Flow Service", "permissions": {"Flows.Read.All": {"delegated": {"adminConsent": false}}}}"#,
    )
    .unwrap();
    catalog.add(flows);
    let exported = Resource {
        object_id: None,
        app_id: "7df0a125-d3be-4c96-aa54-591f83ff541c".into(),
        name: "microsoft flow service".into(),
        scopes: vec![permission("e45c5562-459d-4d1b-8148-83eb1b6dcf83", "Flows.Read.All", Some(true))],
        assignment_required: None,
        roles: Vec::new(),
        publisher: crate::native::Publisher::default(),
    };
    catalog.add_resource(&exported);
    let flow = "7df0a125-d3be-4c96-aa54-591f83ff541c";
    assert_eq!(catalog.resource_name(flow), Some("Microsoft Flow Service"), "matched by name");
    let id = "e45c5562-459d-4d1b-8148-83eb1b6dcf83";
    assert_eq!(
        catalog.permission_name(flow, id, Grant::Delegated),
        Some("Flows.Read.All"),
        "the id is filled in"
    );
    let admin =
        fact(&catalog, "Microsoft Flow Service", "Flows.Read.All", PermissionKind::Delegated, "adminConsent");
    assert_eq!(admin, Some(Value::Bool(false)), "the catalog's fact is kept");
}

/// Past the few APIs found by comparing names, lookups go through the indexes: they find what a
/// comparison of every API finds, by name and application id in any case, the first API where two
/// share a name or an id.
#[test]
fn indexed_lookups_find_what_a_scan_finds() {
    let mut catalog = Catalog::bundled().unwrap();
    for n in 0..20 {
        catalog.add_resource(&Resource {
            object_id: None,
            app_id: format!("00000000-0000-4000-8000-{n:012x}"),
            name: format!("API {}", n % 15),
            scopes: vec![permission(
                &format!("00000001-0000-4000-8000-{n:012x}"),
                &format!("P{n}.Read"),
                Some(false),
            )],
            assignment_required: None,
            roles: Vec::new(),
            publisher: crate::native::Publisher::default(),
        });
    }
    assert!(catalog.apis.len() > super::SCANNED, "the indexes are used");
    for n in 0..20 {
        let app_id = format!("00000000-0000-4000-8000-{n:012X}");
        let scanned = catalog
            .apis
            .iter()
            .position(|api| api.app_id.as_deref().is_some_and(|id| id.eq_ignore_ascii_case(&app_id)));
        assert_eq!(catalog.at_app_id(&app_id), scanned, "{app_id}");
        let name = format!("api {}", n % 15);
        let first = catalog
            .apis
            .iter()
            .find(|api| api.resource.eq_ignore_ascii_case(&name))
            .map(|api| api.resource.clone());
        assert_eq!(catalog.api(&name).map(|api| api.resource.clone()), first, "{name}");
        let id = format!("00000001-0000-4000-8000-{n:012x}");
        assert_eq!(
            catalog.permission_name(&app_id, &id, Grant::Delegated),
            Some(format!("P{n}.Read").as_str())
        );
    }
    assert_eq!(catalog.resource_name(&GRAPH.to_uppercase()), Some("Microsoft Graph"));
}
