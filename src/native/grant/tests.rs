#![allow(
    clippy::string_slice,
    clippy::indexing_slicing,
    clippy::unwrap_used,
    reason = "tests index the texts they wrote and fail loudly"
)]

use super::recognise;
use crate::source::Span;
use crate::yaml::{Limits, Node, parse};

fn read(text: &str) -> Vec<super::Read> {
    recognise(&parse(text, Limits::default()).documents[0].root)
}

/// The text a span covers.
fn at(text: &str, span: Span) -> &str {
    &text[span.start..span.end]
}

fn names(root: &Node) -> Vec<&Node> {
    let list = root.get("spec").and_then(|s| s.get("permissions")).unwrap();
    match &list.value {
        crate::yaml::Value::Seq(items) => items.iter().map(|i| i.get("name").unwrap()).collect(),
        _ => Vec::new(),
    }
}

#[test]
fn each_scope_of_a_delegated_grant_is_located_at_its_name() {
    let text = r#"{"clientId": "c", "consentType": "AllPrincipals", "principalId": null, "resourceId": "r", "scope": "User.Read Mail.Read"}"#;
    let found = read(text);
    assert_eq!(found.len(), 1);
    let located: Vec<&str> = names(&found[0].root).into_iter().map(|n| at(text, n.span)).collect();
    assert_eq!(located, ["User.Read", "Mail.Read"]);
    assert!(found[0].problems.is_empty());
    let spec = found[0].root.get("spec").unwrap();
    assert_eq!(spec.get("type").and_then(Node::as_str), Some("delegated"));
    assert_eq!(at(text, spec.get("consentType").unwrap().span), "\"AllPrincipals\"");
}

#[test]
fn pascal_case_and_collections_are_read() {
    let text = r#"[{"ClientId": "c", "ConsentType": "Principal", "PrincipalId": "u", "ResourceId": "r", "Scope": "Files.Read", "Id": "g1"},
                   {"AppRoleId": "e2a3a72e-5f79-4c64-b1b1-878b674786c9", "PrincipalId": "p", "PrincipalType": "ServicePrincipal", "ResourceId": "r", "ResourceDisplayName": "Microsoft Graph", "Id": "a1"},
                   {"AppRoleId": "00000000-0000-0000-0000-000000000000", "PrincipalId": "u", "PrincipalType": "User", "ResourceId": "r"}]"#;
    let found = read(text);
    assert_eq!(found.len(), 2, "an app role assigned to a user is not a consent");
    let role = names(&found[1].root)[0];
    assert_eq!(at(text, role.span), "\"e2a3a72e-5f79-4c64-b1b1-878b674786c9\"");
    let name = |r: &super::Read| {
        r.root.get("metadata").and_then(|m| m.get("name")).and_then(Node::as_str).map(str::to_owned)
    };
    assert_eq!(found.iter().map(name).collect::<Vec<_>>(), [Some("g1".to_owned()), Some("a1".to_owned())]);
    let value = r#"{"@odata.context": "x", "value": [{"clientId": "c", "consentType": "AllPrincipals", "resourceId": "r", "scope": "openid"}]}"#;
    assert_eq!(read(value).len(), 1);
}

#[test]
fn stray_spaces_are_located_and_the_names_still_read() {
    let text = r#"{"clientId": "c", "consentType": "AllPrincipals", "resourceId": "r", "scope": " User.Read  Mail.Read User.Read "}"#;
    let found = read(text);
    let problems: Vec<(&str, &str)> = found[0].problems.iter().map(|p| (at(text, p.span), p.label)).collect();
    assert_eq!(
        problems,
        [
            (" ", "before the first permission"),
            ("  ", "not one space"),
            (" ", "after the last permission"),
            ("User.Read", "already granted in this scope"),
        ]
    );
    let offsets: Vec<usize> = found[0].problems.iter().map(|p| p.span.start).collect();
    let scope = text.find("\" User").unwrap() + 1;
    assert_eq!(offsets[0], scope, "the space after the quote");
    let located: Vec<&str> = names(&found[0].root).into_iter().map(|n| at(text, n.span)).collect();
    assert_eq!(located, ["User.Read", "Mail.Read"]);
}

#[test]
fn an_empty_scope_grants_nothing_and_says_so() {
    let text = r#"{"clientId": "c", "consentType": "AllPrincipals", "resourceId": "r", "scope": ""}"#;
    let found = read(text);
    assert_eq!(found[0].problems.len(), 1);
    assert_eq!(at(text, found[0].problems[0].span), "\"\"");
    assert!(names(&found[0].root).is_empty());
}

#[test]
fn escapes_locate_names_at_the_whole_string() {
    let text = r#"{"clientId": "c", "consentType": "AllPrincipals", "resourceId": "r", "scope": "User.Read\u0020Mail.Read"}"#;
    let found = read(text);
    let spans: Vec<&str> = names(&found[0].root).into_iter().map(|n| at(text, n.span)).collect();
    assert_eq!(spans, [r#""User.Read\u0020Mail.Read""#, r#""User.Read\u0020Mail.Read""#]);
}

#[test]
fn multi_byte_text_before_the_scope_keeps_the_offsets() {
    let text = "{\"note\": \"Zürich 東京\", \"clientId\": \"c\", \"consentType\": \"Principal\", \"resourceId\": \"r\", \"scope\": \"Mail.Read offline_access\"}";
    let found = read(text);
    let located: Vec<&str> = names(&found[0].root).into_iter().map(|n| at(text, n.span)).collect();
    assert_eq!(located, ["Mail.Read", "offline_access"]);
}
