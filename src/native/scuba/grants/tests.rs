#![allow(
    clippy::string_slice,
    clippy::indexing_slicing,
    clippy::unwrap_used,
    reason = "tests index the texts they wrote and fail loudly"
)]

use super::{APPLICATIONS, THIRD_PARTY, grants};
use crate::native::grant::Read;
use crate::yaml::{Limits, Node, parse};

/// The grants of an export whose lists are `lists` (JSON members), and their problems' messages.
fn read(text: &str) -> (Vec<Read>, Vec<String>) {
    let output = parse(text, Limits::default());
    let (read, problems) = grants(&output.documents[0].root);
    (read, problems.into_iter().map(|p| p.message).collect())
}

fn spec(read: &Read) -> &Node {
    read.root.get("spec").unwrap()
}

fn text<'a>(node: &'a Node, path: &[&str]) -> &'a str {
    path.iter().fold(node, |node, key| node.get(key).unwrap()).as_str().unwrap()
}

fn permission(read: &Read) -> &Node {
    match &spec(read).get("permissions").unwrap().value {
        crate::yaml::Value::Seq(items) => &items[0],
        _ => panic!("no permissions"),
    }
}

const THIRD: &str = r#"{"tenant_details": [{"TenantId": "ca08493a-c9c8-4db0-a9e8-d3b4bafac269"}],
 "risky_third_party_service_principals": [{"ObjectId": "dca11ffc-add3-4e8e-bdf6-58fd0c411111", "AppId": "03b07b79-c5bc-4b5e-9bfa-13acf4a11111", "DisplayName": "Partner Sync", "AppOwnerOrganizationId": "f8cdef31-a31e-4b4a-93e4-5f571e912345",
   "Permissions": [
     {"RoleId": "246dd0d5-5bd0-4def-940b-0421030a5b68", "RoleType": "Application", "RoleDisplayName": "Policy.Read.All", "ApplicationDisplayName": "Microsoft Graph", "IsAdminConsented": true, "IsRisky": true},
     {"RoleId": "00000000-0000-0000-0000-000000000001", "RoleType": "Delegated", "RoleDisplayName": null, "ApplicationDisplayName": "Microsoft Graph", "IsAdminConsented": true, "IsRisky": false}]}]}"#;

#[test]
fn each_role_of_a_third_party_service_principal_is_a_grant_at_its_role_id() {
    let (found, problems) = read(THIRD);
    assert!(problems.is_empty(), "{problems:?}");
    // ScubaGear lists every app role assigned to the service principal; one its resource does not
    // publish is labelled `Delegated` with no name, and is an assignment all the same.
    assert_eq!(found.len(), 2);
    assert!(found.iter().all(|r| r.partial.format == THIRD_PARTY));
    let first = &found[0];
    assert_eq!(text(spec(first), &["type"]), "application");
    assert_eq!(text(spec(first), &["clientId"]), "dca11ffc-add3-4e8e-bdf6-58fd0c411111");
    assert_eq!(text(spec(first), &["resourceDisplayName"]), "Microsoft Graph");
    assert!(spec(first).get("resourceId").is_none(), "ScubaGear names no API object id");
    assert_eq!(text(spec(first), &["client", "appId"]), "03b07b79-c5bc-4b5e-9bfa-13acf4a11111");
    assert_eq!(text(spec(first), &["client", "displayName"]), "Partner Sync");
    assert_eq!(
        text(spec(first), &["client", "publisher", "tenantId"]),
        "f8cdef31-a31e-4b4a-93e4-5f571e912345"
    );
    let name = permission(first).get("name").unwrap();
    assert_eq!(name.as_str(), Some("Policy.Read.All"));
    assert_eq!(&THIRD[name.span.start..name.span.end], "\"246dd0d5-5bd0-4def-940b-0421030a5b68\"");
    assert_eq!(text(permission(first), &["id"]), "246dd0d5-5bd0-4def-940b-0421030a5b68");
    assert_eq!(
        text(&first.root, &["metadata", "name"]),
        "dca11ffc-add3-4e8e-bdf6-58fd0c411111/246dd0d5-5bd0-4def-940b-0421030a5b68"
    );
    // Without a name, the role is named by its id, for the run to resolve.
    assert_eq!(text(permission(&found[1]), &["name"]), "00000000-0000-0000-0000-000000000001");
}

const APPS: &str = r#"{"tenant_details": [{"TenantId": "ca08493a-c9c8-4db0-a9e8-d3b4bafac269"}],
 "risky_applications": [{"ObjectId": {"Application": "123456c3-bb2e-462a-a89e-9520273e018c", "ServicePrincipal": "87657956-a32f-4535-a46a-4289d0fe597a"}, "AppId": "11904e76-b1b1-4b38-89dd-58387f0a4321", "DisplayName": "Payroll",
   "Permissions": [
     {"RoleId": "d01b97e9-cbc0-49fe-810a-750afd5527a3", "RoleType": "Delegated", "RoleDisplayName": "RoleManagement.ReadWrite.Directory", "ApplicationDisplayName": "Microsoft Graph", "IsAdminConsented": false, "IsRisky": true},
     {"RoleId": "7ab1d382-f21e-4acd-a863-ba3e13f7da61", "RoleType": "Application", "RoleDisplayName": "Directory.Read.All", "ApplicationDisplayName": "Microsoft Graph", "IsAdminConsented": false, "IsRisky": true},
     {"RoleId": "df021288-bdef-4463-88db-98f22de89214", "RoleType": "Application", "RoleDisplayName": "User.Read.All", "ApplicationDisplayName": "Microsoft Graph", "IsAdminConsented": true, "IsRisky": true}]},
  {"ObjectId": "00949b5d-bad0-40f8-9607-015df95bf7ef", "AppId": "a", "DisplayName": "No principal",
   "Permissions": {"RoleId": "7ab1d382-f21e-4acd-a863-ba3e13f7da61", "RoleType": "Application", "RoleDisplayName": "Directory.Read.All", "ApplicationDisplayName": "Microsoft Graph", "IsAdminConsented": false}}]}"#;

#[test]
fn only_the_consented_application_permissions_of_an_app_are_grants() {
    let (found, problems) = read(APPS);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(found.len(), 1, "requested but not consented, or delegated: not a grant");
    let grant = &found[0];
    assert_eq!(grant.partial.format, APPLICATIONS);
    assert_eq!(text(spec(grant), &["clientId"]), "87657956-a32f-4535-a46a-4289d0fe597a");
    assert_eq!(text(permission(grant), &["name"]), "User.Read.All");
    // The app is registered in the tenant: its owner is the tenant.
    assert_eq!(
        text(spec(grant), &["client", "publisher", "tenantId"]),
        "ca08493a-c9c8-4db0-a9e8-d3b4bafac269"
    );
}

#[test]
fn a_consent_both_lists_record_is_read_once_and_the_stated_owner_wins() {
    let both = r#"{"tenant_details": [{"TenantId": "ca08493a-c9c8-4db0-a9e8-d3b4bafac269"}],
 "risky_applications": [{"ObjectId": {"Application": "1", "ServicePrincipal": "4d567bec-bf55-48c8-b16b-7497f6fa4f5d"}, "AppId": "b", "DisplayName": "Both",
   "Permissions": [{"RoleId": "df021288-bdef-4463-88db-98f22de89214", "RoleType": "Application", "RoleDisplayName": "User.Read.All", "ApplicationDisplayName": "Microsoft Graph", "IsAdminConsented": true}]}],
 "risky_third_party_service_principals": [{"ObjectId": "4D567BEC-BF55-48C8-B16B-7497F6FA4F5D", "AppId": "b", "DisplayName": "Both", "AppOwnerOrganizationId": "2e1de604-3fac-4568-88f8-aeb6bd229634",
   "Permissions": [{"RoleId": "DF021288-BDEF-4463-88DB-98F22DE89214", "RoleType": "Application", "RoleDisplayName": "User.Read.All", "ApplicationDisplayName": "Microsoft Graph", "IsAdminConsented": true},
                   {"RoleId": "7ab1d382-f21e-4acd-a863-ba3e13f7da61", "RoleType": "Application", "RoleDisplayName": "Directory.Read.All", "ApplicationDisplayName": "Microsoft Graph", "IsAdminConsented": true}]}]}"#;
    let (found, _) = read(both);
    let names: Vec<&str> = found.iter().map(|r| text(permission(r), &["name"])).collect();
    assert_eq!(names, ["User.Read.All", "Directory.Read.All"]);
    assert_eq!(
        text(spec(&found[0]), &["client", "publisher", "tenantId"]),
        "2e1de604-3fac-4568-88f8-aeb6bd229634"
    );
}

#[test]
fn what_keeps_a_grant_from_being_read_is_said_at_its_place() {
    let bad = r#"{"risky_third_party_service_principals": [
  {"ObjectId": "s1", "AppId": "a", "DisplayName": "A", "Permissions": [
     {"RoleId": "r1", "RoleType": "Application", "ApplicationDisplayName": "Microsoft Graph", "IsAdminConsented": "yes"},
     {"RoleType": "Application", "ApplicationDisplayName": "Microsoft Graph", "IsAdminConsented": true}]},
  {"AppId": "b", "DisplayName": "B", "Permissions": [
     {"RoleId": "r2", "RoleType": "Application", "ApplicationDisplayName": "Microsoft Graph", "IsAdminConsented": true}]}]}"#;
    let output = parse(bad, Limits::default());
    let (found, problems) = grants(&output.documents[0].root);
    assert!(found.is_empty());
    let said: Vec<(&str, &str)> =
        problems.iter().map(|p| (p.message.as_str(), &bad[p.span.start..p.span.end])).collect();
    assert_eq!(said.len(), 3, "{said:?}");
    assert_eq!(said[0], ("the permission does not say whether it is granted", "\"yes\""));
    assert_eq!(said[1].0, "the granted permission has no `RoleId`");
    assert!(said[1].1.starts_with("{\"RoleType\""));
    assert_eq!(said[2].0, "the app's granted permissions name no service principal");
    assert!(said[2].1.starts_with("{\"AppId\": \"b\""));
}

#[test]
fn an_export_without_the_lists_holds_no_grant() {
    let (found, problems) =
        read(r#"{"risky_applications": null, "risky_third_party_service_principals": []}"#);
    assert!(found.is_empty() && problems.is_empty());
}
