//! App registrations of every format as `AppManifest`s, with the real files of
//! `tests/fixtures/native/apps/` and small documents for the shapes no saved file shows.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a test fails loudly and indexes what it built"
)]

use std::path::Path;

use super::recognise;
use crate::native::resources::{Resource, ResourcePermission};
use crate::yaml::{Limits, Node, Value, parse};

const GRAPH: &str = "00000003-0000-0000-c000-000000000000";

/// What the tests know about APIs: a few Microsoft Graph permissions, and an API of the tenant's own.
fn known() -> Vec<Resource> {
    let permission = |id: &str, value: &str| ResourcePermission {
        id: id.into(),
        value: value.into(),
        admin_consent: None,
    };
    vec![
        Resource {
            object_id: None,
            app_id: GRAPH.into(),
            name: "Microsoft Graph".into(),
            scopes: vec![
                permission("e1fe6dd8-ba31-4d61-89e7-88639da4683d", "User.Read"),
                permission("ad902697-1014-4ef5-81ef-2b4301988e8c", "Policy.ReadWrite.ConditionalAccess"),
                permission("572fea84-0151-49b2-9301-11cb16974376", "Policy.Read.All"),
                permission("7e823077-d88e-468f-a337-e18f1f0e6c7c", "Policy.ReadWrite.AuthenticationMethod"),
            ],
            assignment_required: None,
            roles: vec![permission(
                "456b71a7-0ee0-4588-9842-c123fcc8f664",
                "PrintTaskDefinition.ReadWrite.All",
            )],
            publisher: crate::native::Publisher::default(),
        },
        Resource {
            object_id: None,
            app_id: "b55b276d-2b09-4ad2-8de5-f09cf24ffba9".into(),
            name: "Contoso Orders API".into(),
            scopes: Vec::new(),
            assignment_required: None,
            roles: vec![permission("162b1576-a2b2-458d-b7b9-04481911b4ef", "Orders.Read.All")],
            publisher: crate::native::Publisher::default(),
        },
    ]
}

/// A converted document, its format and unknown paths, and the text it came from.
struct App {
    root: Node,
    format: &'static str,
    unknown: Vec<&'static str>,
    text: &'static str,
}

impl App {
    fn at(&self, pointer: &str) -> &Node {
        self.root.pointer(pointer).map_or_else(|| panic!("no `{pointer}`"), |(node, _)| node)
    }

    fn str(&self, pointer: &str) -> &str {
        self.at(pointer).as_str().unwrap()
    }

    /// The native text that the node at `pointer` underlines.
    fn underlined(&self, pointer: &str) -> &'static str {
        let span = self.at(pointer).span;
        self.text.get(span.start..span.end).unwrap()
    }

    fn has(&self, pointer: &str) -> bool {
        self.root.pointer(pointer).is_some()
    }

    /// Each permission as `name type resource`.
    fn permissions(&self) -> Vec<String> {
        let Value::Seq(items) = &self.at("/spec/permissions").value else { panic!("a list") };
        items
            .iter()
            .map(|p| {
                let get = |key: &str| p.get(key).and_then(Node::as_str).unwrap_or("-");
                format!("{} {} {}", get("name"), get("type"), get("resource"))
            })
            .collect()
    }
}

fn try_convert(text: &'static str, file: &str) -> Option<App> {
    let output = parse(text, Limits::default());
    let resources = known();
    let converted = recognise(&output.documents[0].root, Path::new(file), &resources).into_iter().next()?;
    assert_eq!(converted.kind, crate::kind::Kind::AppManifest);
    Some(App {
        root: converted.root,
        format: converted.native.format,
        unknown: converted.native.unknown,
        text,
    })
}

fn convert(text: &'static str) -> App {
    try_convert(text, "apps/app.json").unwrap()
}

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("../../../tests/fixtures/native/apps/", $name))
    };
}

#[test]
fn a_graph_entity_with_a_verified_publisher() {
    let app = convert(fixture!("graph-docs-v1.0-application-get-example1-verified-publisher.json"));
    assert_eq!(app.format, "Microsoft Graph application");
    assert_eq!(app.str("/apiVersion"), "consentlint/v1");
    assert_eq!(app.str("/metadata/name"), "display-name");
    assert_eq!(app.underlined("/metadata/name"), "\"Display name\"");
    assert_eq!(app.underlined("/metadata/appId"), "\"631a96bc-a705-4eda-9f99-fdaf9f54f6a2\"");
    assert!(!app.has("/metadata/tenant"), "the wiring assigns the tenant");
    assert_eq!(app.str("/spec/signInAudience"), "multi-tenant-and-personal");
    assert_eq!(app.underlined("/spec/signInAudience"), "\"AzureADandPersonalMicrosoftAccount\"");
    assert_eq!(app.str("/spec/publisher/name"), "publisher_contoso");
    assert_eq!(app.str("/spec/publisher/origin"), "organization");
    assert_eq!(app.at("/spec/publisher/verified").value, Value::Bool(true));
    assert_eq!(app.underlined("/spec/publisher/verified"), "\"9999999\"");
    assert_eq!(app.str("/spec/publisher/verifiedPublisherId"), "9999999");
    assert!(app.permissions().is_empty());
    assert_eq!(app.underlined("/spec/permissions"), "[]");
    assert_eq!(app.unknown, ["spec.consent", "spec.permissions.justification", "spec.assignmentRequired"]);
    assert!(!app.has("/spec/consent"), "who consents is never invented");
    assert!(!app.has("/spec/assignmentRequired"), "the service principal holds it, not the application");
}

#[test]
fn a_select_result_names_graph_permissions_at_their_ids() {
    let app =
        convert(fixture!("graph-docs-v1.0-application-get-example2-select-requiredResourceAccess.json"));
    assert_eq!(app.format, "Microsoft Graph application");
    assert_eq!(
        app.permissions(),
        [
            "Policy.ReadWrite.ConditionalAccess delegated Microsoft Graph",
            "Policy.Read.All delegated Microsoft Graph",
            "User.Read delegated Microsoft Graph",
            "Policy.ReadWrite.AuthenticationMethod delegated Microsoft Graph",
        ]
    );
    assert_eq!(app.underlined("/spec/permissions/2/name"), "\"e1fe6dd8-ba31-4d61-89e7-88639da4683d\"");
    assert_eq!(app.underlined("/spec/permissions/2/type"), "\"Scope\"");
    assert_eq!(app.underlined("/spec/permissions/2/resource"), "\"00000003-0000-0000-c000-000000000000\"");
    assert!(app.underlined("/spec/permissions/2").starts_with('{'));
    for absent in ["spec.signInAudience", "spec.publisher.name", "spec.publisher.verified"] {
        assert!(app.unknown.contains(&absent), "{absent} is not in a `$select` result");
    }
}

#[test]
fn unknown_ids_stay_guids_at_their_place_and_roles_are_application_permissions() {
    let app = convert(fixture!("cli-microsoft365-app-permission-list-mock-graph-and-sharepoint.json"));
    assert_eq!(
        app.permissions(),
        [
            "User.Read delegated Microsoft Graph",
            "PrintTaskDefinition.ReadWrite.All application Microsoft Graph",
            "1002502a-9a71-4426-8551-69ab83452fab delegated Office 365 SharePoint Online",
        ]
    );
    assert_eq!(app.underlined("/spec/permissions/1/type"), "\"Role\"");
    assert_eq!(app.underlined("/spec/permissions/2/name"), "\"1002502a-9a71-4426-8551-69ab83452fab\"");
    // Unverified: Graph writes `verifiedPublisherId: null`.
    assert_eq!(app.at("/spec/publisher/verified").value, Value::Bool(false));
    assert_eq!(app.underlined("/spec/publisher/verified"), "null");
    assert!(!app.has("/spec/publisher/verifiedPublisherId"));
    assert_eq!(app.str("/spec/publisher/name"), "devnico.onmicrosoft.com");
    assert_eq!(app.str("/spec/signInAudience"), "single-tenant");
}

#[test]
fn the_tenants_own_api_is_named_by_the_lookup() {
    let app = convert(fixture!("cli-microsoft365-permission-list-mock-delegated-multiple-resources.json"));
    assert_eq!(app.permissions().len(), 5);
    assert!(
        app.permissions()[0].ends_with("delegated Microsoft Flow Service"),
        "Microsoft's own API, named from the bundled list"
    );
    let own = r#"{"appId": "2BF26AE1-9be3-425f-a393-5fe8390e3a36", "displayName": "Orders client", "requiredResourceAccess": [{"resourceAppId": "B55B276D-2B09-4AD2-8DE5-F09CF24FFBA9", "resourceAccess": [{"id": "162B1576-A2B2-458D-B7B9-04481911B4EF", "type": "Role"}]}]}"#;
    let app = convert(own);
    assert_eq!(app.permissions(), ["Orders.Read.All application Contoso Orders API"]);
    assert_eq!(app.str("/metadata/appId"), "2bf26ae1-9be3-425f-a393-5fe8390e3a36", "lowercase");
}

#[test]
fn the_portals_older_manifest_uses_name() {
    let app = convert(fixture!("cli-microsoft365-app-add-spec-manifest-dynamicscrm-scope.json"));
    assert_eq!(app.format, "Entra portal app manifest");
    assert_eq!(app.str("/spec/displayName"), "My app");
    assert_eq!(app.underlined("/spec/displayName"), "\"My app\"");
    assert_eq!(app.str("/metadata/name"), "my-app");
    assert_eq!(app.str("/spec/publisher/name"), "contoso.onmicrosoft.com");
    assert!(
        app.unknown.contains(&"spec.publisher.verified"),
        "the older manifest has no `verifiedPublisher`"
    );
    assert_eq!(app.permissions(), ["78ce3f0f-a1ce-49c2-8cde-64b5c0896db4 delegated Dynamics CRM Online"]);
}

#[test]
fn a_single_line_entity_keeps_its_spans() {
    let app = convert(fixture!("cli-microsoft365-app-set-spec-single-line-entity.json"));
    assert_eq!(app.permissions(), ["User.Read delegated Microsoft Graph"]);
    assert_eq!(app.underlined("/spec/permissions/0/name"), "\"e1fe6dd8-ba31-4d61-89e7-88639da4683d\"");
    assert_eq!(app.underlined("/spec/displayName"), "\"Angular Teams app\"");
}

#[test]
fn teams_toolkit_templates_name_permissions_and_hold_no_ids() {
    let app = convert(fixture!("teamsfx-samples-graph-connector-bot-aad.manifest.json"));
    assert_eq!(app.format, "Teams Toolkit aad.manifest.json");
    assert_eq!(
        app.permissions(),
        [
            "User.Read delegated Microsoft Graph",
            "ExternalItem.Read.All delegated Microsoft Graph",
            "ExternalConnection.ReadWrite.OwnedBy application Microsoft Graph",
            "ExternalItem.ReadWrite.OwnedBy application Microsoft Graph",
        ]
    );
    assert_eq!(app.underlined("/spec/permissions/0/name"), "\"User.Read\"");
    assert_eq!(app.underlined("/spec/permissions/0/resource"), "\"Microsoft Graph\"");
    assert!(!app.has("/metadata/appId"), "`${{AAD_APP_CLIENT_ID}}` is no application id");
    assert!(app.unknown.contains(&"metadata.appId"));
    assert_eq!(app.str("/metadata/name"), "graph-connector-bot-aad");

    let app = convert(fixture!("community-eea-eionet2-user-management-aad.manifest.json"));
    assert_eq!(app.format, "Teams Toolkit aad.manifest.json", "Graph keys, but a template");
    assert!(!app.has("/spec/displayName"), "a placeholder is no name");
    assert!(app.unknown.contains(&"spec.displayName"));
    assert_eq!(app.str("/metadata/name"), "apps-app", "named after the file's folder and name");
    assert_eq!(app.permissions().len(), 7);
    assert_eq!(app.permissions()[2], "Directory.ReadWrite.All application Microsoft Graph");

    let app = convert(fixture!("community-wajeed-graph-agent-multitenant-aad.manifest.json"));
    assert_eq!(app.str("/spec/signInAudience"), "multi-tenant");
    assert!(!app.has("/spec/displayName"), "`GraphTesting${{APP_NAME_SUFFIX}}` is a template's name");
}

#[test]
fn placeholders_among_permissions_make_the_list_unknown() {
    let text = r#"{"appId": "${{AAD_APP_CLIENT_ID}}", "name": "x", "requiredResourceAccess": [{"resourceAppId": "Microsoft Graph", "resourceAccess": [{"id": "${{SCOPE}}", "type": "Scope"}, {"id": "User.Read", "type": "Scope"}, {"id": "Mail.Read", "type": "Delegated"}]}, {"resourceAppId": "${{API}}", "resourceAccess": []}]}"#;
    let app = convert(text);
    assert_eq!(app.permissions(), ["User.Read delegated Microsoft Graph"]);
    assert!(app.unknown.contains(&"spec.permissions"));
}

#[test]
fn azure_ad_graph_objects_give_the_audience_by_available_to_other_tenants() {
    let text = r#"{"odata.metadata": "https://graph.windows.net/contoso.onmicrosoft.com/$metadata#directoryObjects/Microsoft.DirectoryServices.Application/@Element", "odata.type": "Microsoft.DirectoryServices.Application", "objectType": "Application", "objectId": "0b1c9e6a-4f7e-4a0e-9e8f-0c1d2e3f4a5b", "appId": "4f0e3b5c-1e2d-4a8b-9c7d-6e5f4a3b2c1d", "availableToOtherTenants": true, "displayName": "Sprint planner", "replyUrls": ["https://localhost"], "requiredResourceAccess": [{"resourceAccess": [{"id": "311a71cc-e848-46a1-bdf8-97ff7156d8e6", "type": "Scope"}], "resourceAppId": "00000002-0000-0000-c000-000000000000"}]}"#;
    let app = convert(text);
    assert_eq!(app.format, "Azure AD Graph application");
    assert_eq!(app.str("/spec/signInAudience"), "multi-tenant");
    assert_eq!(app.underlined("/spec/signInAudience"), "true");
    assert_eq!(
        app.permissions(),
        ["311a71cc-e848-46a1-bdf8-97ff7156d8e6 delegated Windows Azure Active Directory (Azure AD Graph)"]
    );
    assert!(app.unknown.contains(&"spec.publisher.name"));
    // The 2018 `az ad app create` output states both; `signInAudience` is the newer word.
    let both = r#"{"appId": "4f0e3b5c-1e2d-4a8b-9c7d-6e5f4a3b2c1d", "availableToOtherTenants": false, "signInAudience": "AzureADMultipleOrgs", "displayName": "x", "requiredResourceAccess": []}"#;
    assert_eq!(convert(both).str("/spec/signInAudience"), "multi-tenant");
}

#[test]
fn pascal_case_and_collections_of_one_are_read() {
    let text = r#"[{"AppId": "46e6adf4-a9cf-4b60-9390-0ba6fb00bf6b", "DisplayName": "PostmanWeb", "SignInAudience": "PersonalMicrosoftAccount", "VerifiedPublisher": {"AddedDateTime": null}, "RequiredResourceAccess": [{"ResourceAppId": "00000003-0000-0000-C000-000000000000", "ResourceAccess": [{"Id": "E1FE6DD8-BA31-4D61-89E7-88639DA4683D", "Type": "Scope"}, {"Id": "e1fe6dd8-ba31-4d61-89e7-88639da4683d", "Type": "Scope"}]}, {"ResourceAppId": "00000003-0000-0000-c000-000000000000", "ResourceAccess": [{"Id": "456b71a7-0ee0-4588-9842-c123fcc8f664", "Type": "Role"}]}]}]"#;
    let app = convert(text);
    assert_eq!(
        app.permissions(),
        [
            "User.Read delegated Microsoft Graph",
            "PrintTaskDefinition.ReadWrite.All application Microsoft Graph"
        ],
        "GUIDs in any case; one API in two entries; a permission listed twice is listed once"
    );
    assert_eq!(app.str("/spec/signInAudience"), "personal");
    assert_eq!(app.underlined("/spec/publisher/verified"), r#"{"AddedDateTime": null}"#);
    let collection = r#"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#applications", "value": [{"appId": "46e6adf4-a9cf-4b60-9390-0ba6fb00bf6b", "displayName": "PostmanWeb", "requiredResourceAccess": []}]}"#;
    assert_eq!(convert(collection).str("/metadata/name"), "postmanweb");
}

#[test]
fn a_bare_required_resource_access_list_is_an_app_without_identity() {
    let text = r#"[{"resourceAppId": "00000003-0000-0000-c000-000000000000", "resourceAccess": [{"id": "e1fe6dd8-ba31-4d61-89e7-88639da4683d", "type": "Scope"}]}]"#;
    let app = try_convert(text, "infra/required-resource-accesses.json").unwrap();
    assert_eq!(app.format, "requiredResourceAccess list");
    assert_eq!(app.str("/metadata/name"), "infra-required-resource-accesses", "its folder and name");
    assert_eq!(app.underlined("/metadata/name"), text);
    assert_eq!(app.str("/spec/publisher/origin"), "organization");
    assert_eq!(app.permissions(), ["User.Read delegated Microsoft Graph"]);
    for absent in ["metadata.appId", "spec.displayName", "spec.publisher.name", "spec.signInAudience"] {
        assert!(app.unknown.contains(&absent), "{absent}");
    }
}

#[test]
fn other_documents_are_not_apps() {
    let none = |text: &'static str| try_convert(text, "x.json").is_none();
    assert!(none(r#"{"requiredResourceAccess": []}"#), "a change request names no app");
    assert!(none(r#"{"displayName": "x", "requiredResourceAccess": {}}"#));
    assert!(none("[]"));
    assert!(none(r#"[{"resourceAppId": "x"}]"#));
    assert!(none(r#"[{"resourceAppId": "x", "resourceAccess": [{"id": "y"}]}]"#));
    assert!(none(r#"{"id": "authorizationPolicy", "defaultUserRolePermissions": {}}"#));
    assert!(none("name: x\n"));
}

#[test]
fn every_application_of_a_collection_is_an_app_at_its_item() {
    // `Get-MgApplication | ConvertTo-Json` and a Graph `value` collection with several apps: each
    // app is read, located at its own item; items that are no application are not apps.
    let list = "[{\"AppId\": \"46e6adf4-a9cf-4b60-9390-0ba6fb00bf6b\", \"DisplayName\": \"Émile\",\r\n \"RequiredResourceAccess\": [{\"ResourceAppId\": \"00000003-0000-0000-c000-000000000000\", \"ResourceAccess\": [{\"Id\": \"456b71a7-0ee0-4588-9842-c123fcc8f664\", \"Type\": \"Role\"}]}]},\r\n {\"note\": \"not an app\"},\r\n {\"AppId\": \"56e6adf4-a9cf-4b60-9390-0ba6fb00bf6b\", \"RequiredResourceAccess\": []}]";
    let collection = format!("{{\"value\": {list}}}");
    for text in [list.to_owned(), collection] {
        let text: &'static str = Box::leak(text.into_boxed_str());
        let output = parse(text, Limits::default());
        let resources = known();
        let apps = recognise(&output.documents[0].root, Path::new("apps/all.json"), &resources);
        assert_eq!(apps.len(), 2, "{text}");
        let first = App { root: apps[0].root.clone(), format: "", unknown: Vec::new(), text };
        assert_eq!(first.str("/metadata/name"), "mile", "named from its own displayName");
        assert!(first.underlined("").starts_with(r#"{"AppId": "46e6"#));
        assert!(first.underlined("").ends_with(r#""Type": "Role"}]}]}"#));
        assert_eq!(first.permissions(), ["PrintTaskDefinition.ReadWrite.All application Microsoft Graph"]);
        assert_eq!(first.underlined("/spec/permissions/0/name"), r#""456b71a7-0ee0-4588-9842-c123fcc8f664""#);
        let second = App { root: apps[1].root.clone(), format: "", unknown: Vec::new(), text };
        assert_eq!(second.str("/metadata/name"), "56e6adf4-a9cf-4b60-9390-0ba6fb00bf6b");
        assert!(second.underlined("").starts_with(r#"{"AppId": "56e6"#));
    }
    let nameless =
        r#"[{"appId": "x", "requiredResourceAccess": []}, {"appId": "y", "requiredResourceAccess": []}]"#;
    let output = parse(nameless, Limits::default());
    let apps = recognise(&output.documents[0].root, Path::new("apps/all.json"), &known());
    let names: Vec<&str> =
        apps.iter().filter_map(|a| a.root.get("metadata")?.get("name")?.as_str()).collect();
    assert_eq!(names, ["apps-all-1", "apps-all-2"], "named by the file's path and their position");
}

#[test]
fn the_registration_date_is_read_at_its_place() {
    let app = convert(
        r#"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#applications/$entity", "appId": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", "displayName": "Dated", "createdDateTime": "2021-02-03T04:05:06Z", "signInAudience": "AzureADMultipleOrgs", "requiredResourceAccess": []}"#,
    );
    assert_eq!(app.str("/spec/createdDateTime"), "2021-02-03T04:05:06Z");
    assert_eq!(app.underlined("/spec/createdDateTime"), "\"2021-02-03T04:05:06Z\"");
    assert!(!app.unknown.contains(&"spec.createdDateTime"));
}
