//! An app registration as an `AppManifest`: a Microsoft Graph `application` (REST, Graph Explorer,
//! `$select` results, CLI for Microsoft 365 output; camelCase or PowerShell's Pascal case; alone or
//! as the one item of a collection), the Entra portal's older manifest, an Azure AD Graph
//! `Application`, a Teams Toolkit `aad.manifest.json`, or a bare `requiredResourceAccess` list as
//! passed to `az ad app create --required-resource-accesses`.
//!
//! Each is recognised by its content, never by its file name. An app registration lives in the tenant
//! it was registered in, so the app is the organisation's own (`publisher.origin: organization`).
//! None of these formats says who is expected to grant consent: `spec.consent` is never invented.

mod permissions;

use std::path::Path;

use super::resources::{Lookup, is_guid, is_placeholder};
use super::{Converted, Native, entry, field, header, metadata_name, node};
use crate::kind::Kind;
use crate::source::Span;
use crate::yaml::{Entry, Node, Value};

/// What none of the formats holds: who is expected to consent (the app's owners decide it, the
/// registration does not record it) and why each permission is needed.
/// What an application object never holds: whether assignment is required is its service
/// principal's (`appRoleAssignmentRequired`), in each tenant.
const NEVER_HELD: [&str; 3] = ["spec.consent", "spec.permissions.justification", "spec.assignmentRequired"];

/// `signInAudience` values (compared without case) and ours.
const AUDIENCES: [(&str, &str); 4] = [
    ("azureadmyorg", "single-tenant"),
    ("azureadmultipleorgs", "multi-tenant"),
    ("azureadandpersonalmicrosoftaccount", "multi-tenant-and-personal"),
    ("personalmicrosoftaccount", "personal"),
];

/// Keys that only the Microsoft Graph shape has (FORMATS §6 rule 7); an object `publicClient` too.
const GRAPH_KEYS: [&str; 6] = ["api", "web", "spa", "info", "isFallbackPublicClient", "verifiedPublisher"];
/// Keys that only the portal's older manifest has.
const PORTAL_KEYS: [&str; 6] = [
    "oauth2Permissions",
    "replyUrlsWithType",
    "oauth2AllowImplicitFlow",
    "informationalUrls",
    "allowPublicClient",
    "accessTokenAcceptedVersion",
];

/// The apps that `root` describes: an application object alone, every application of a `value`
/// collection or of a top-level list (`Get-MgApplication | ConvertTo-Json`, each located at its
/// item), or a bare `requiredResourceAccess` list. Empty when it describes none.
pub(crate) fn recognise(root: &Node, path: &Path, lookup: &dyn Lookup) -> Vec<Converted> {
    let apps = applications(root);
    let several = apps.len() > 1;
    if !apps.is_empty() {
        return apps
            .into_iter()
            .enumerate()
            .filter_map(|(at, app)| {
                let list = field(app, "requiredResourceAccess")?;
                let nth = several.then_some(at + 1);
                Some(convert(Some(app), list, format(app), &Named { path, nth }, lookup))
            })
            .collect();
    }
    if is_bare_list(root) {
        let named = Named { path, nth: None };
        return vec![convert(None, root, "requiredResourceAccess list", &named, lookup)];
    }
    Vec::new()
}

/// The application objects of `root`: itself, or the applications among the items of its `value`
/// collection or of a top-level list.
fn applications(root: &Node) -> Vec<&Node> {
    fn among(list: &Node) -> Vec<&Node> {
        match &list.value {
            Value::Seq(items) => items.iter().filter(|item| is_application(item)).collect(),
            _ => Vec::new(),
        }
    }
    match &root.value {
        Value::Map(_) if is_application(root) => vec![root],
        Value::Map(_) => field(root, "value").map(among).unwrap_or_default(),
        Value::Seq(_) => among(root),
        _ => Vec::new(),
    }
}

/// The file an app was read from and, in a collection of several, its position (from 1): what
/// names the app when nothing in it does.
struct Named<'a> {
    path: &'a Path,
    nth: Option<usize>,
}

/// Whether `node` is a string that states something: not blank, not a template's placeholder.
fn stated(node: &Node) -> bool {
    node.as_str().is_some_and(|s| !s.trim().is_empty() && !is_placeholder(s))
}

/// Whether `object` is an app registration: it lists the permissions it requires and names the app
/// (`appId`, `displayName` or `name`). A body holding `requiredResourceAccess` alone is a change
/// request, not an app.
fn is_application(object: &Node) -> bool {
    field(object, "requiredResourceAccess").is_some_and(|list| matches!(list.value, Value::Seq(_)))
        && ["appId", "displayName", "name"]
            .iter()
            .any(|key| field(object, key).and_then(Node::as_str).is_some())
}

/// Whether `root` is a non-empty list of `{resourceAppId, resourceAccess: [{id, type}]}` and nothing
/// else.
fn is_bare_list(root: &Node) -> bool {
    let access = |item: &Node| field(item, "id").is_some() && field(item, "type").is_some();
    let entry = |item: &Node| {
        field(item, "resourceAppId").and_then(Node::as_str).is_some()
            && field(item, "resourceAccess")
                .is_some_and(|list| matches!(&list.value, Value::Seq(all) if all.iter().all(access)))
    };
    matches!(&root.value, Value::Seq(items) if !items.is_empty() && items.iter().all(entry))
}

/// The format of an application object, as FORMATS §6 rule 7 tells them apart.
fn format(app: &Node) -> &'static str {
    let text = |key: &str| field(app, key).and_then(Node::as_str).map(str::to_ascii_lowercase);
    let has = |key: &&str| field(app, key).is_some();
    if permissions::is_template(app) {
        "Teams Toolkit aad.manifest.json"
    } else if text("objectType").is_some_and(|t| t == "application")
        || text("odata.type").is_some_and(|t| t == "microsoft.directoryservices.application")
        || ["availableToOtherTenants", "replyUrls"].iter().any(has)
    {
        "Azure AD Graph application"
    } else if GRAPH_KEYS.iter().any(has) || field(app, "publicClient").is_some_and(|p| p.as_map().is_some()) {
        "Microsoft Graph application"
    } else if PORTAL_KEYS.iter().any(has) || (field(app, "displayName").is_none() && has(&"name")) {
        "Entra portal app manifest"
    } else {
        "Microsoft Graph application"
    }
}

/// The app's name as users see it: Graph's `displayName` or the portal's `name`, when it is not a
/// template's placeholder.
fn display_name(app: &Node) -> Option<&Node> {
    ["displayName", "name"].iter().find_map(|key| field(app, key).filter(|node| stated(node)))
}

/// The `AppManifest` of `app` (absent for a bare list) whose permissions are `list`.
fn convert(
    app: Option<&Node>,
    list: &Node,
    format: &'static str,
    named: &Named<'_>,
    lookup: &dyn Lookup,
) -> Converted {
    let span = app.map_or(list.span, |app| app.span);
    let get = |key: &str| app.and_then(|app| field(app, key));
    let mut unknown = NEVER_HELD.to_vec();
    let display = app.and_then(display_name);
    let app_id = get("appId").filter(|id| id.as_str().is_some_and(is_guid));
    let mut metadata = vec![entry("name", name(display, app_id, named, span))];
    match app_id {
        Some(id) => {
            let lower = id.as_str().unwrap_or_default().to_ascii_lowercase();
            metadata.push(entry("appId", node(Value::String(lower), id.span)));
        }
        None => unknown.push("metadata.appId"),
    }
    let mut spec = Vec::new();
    match display {
        Some(display) => spec.push(entry("displayName", display.clone())),
        None => unknown.push("spec.displayName"),
    }
    spec.push(entry("publisher", publisher(app, span, &mut unknown)));
    match get("signInAudience")
        .and_then(audience)
        .or_else(|| get("availableToOtherTenants").and_then(tenants))
    {
        Some(audience) => spec.push(entry("signInAudience", audience)),
        None => unknown.push("spec.signInAudience"),
    }
    match get("createdDateTime").filter(|d| d.as_str().is_some()) {
        Some(created) => spec.push(entry("createdDateTime", created.clone())),
        None => unknown.push("spec.createdDateTime"),
    }
    spec.push(entry("permissions", permissions::map(list, lookup, &mut unknown)));
    let mut root: Vec<Entry> = header(Kind::AppManifest, span).into();
    root.push(entry("metadata", node(Value::Map(metadata), span)));
    root.push(entry("spec", node(Value::Map(spec), span)));
    Converted {
        kind: Kind::AppManifest,
        root: node(Value::Map(root), span),
        native: Native {
            format,
            unknown,
            part: None,
            root: std::path::PathBuf::new(),
            tenant: None,
            run: None,
            reasons: Vec::new(),
        },
        problems: Vec::new(),
    }
}

/// `metadata.name`: from the display name, else the `appId`, else the file's path (its folder and
/// name, so that the templates of several projects, each an `aad.manifest.json`, are told apart;
/// with the app's position in a collection of several), else `app`.
fn name(display: Option<&Node>, app_id: Option<&Node>, named: &Named<'_>, span: Span) -> Node {
    let from = |node: Option<&Node>| node.and_then(|n| Some((metadata_name(n.as_str()?)?, n.span)));
    let folder = named.path.parent().and_then(Path::file_name).and_then(|f| f.to_str());
    let file = named.path.file_stem().and_then(|stem| stem.to_str()).map(|stem| match folder {
        Some(folder) => format!("{folder}-{stem}"),
        None => stem.to_owned(),
    });
    let file = file.as_deref().and_then(metadata_name).map(|name| match named.nth {
        Some(nth) => (format!("{name}-{nth}"), span),
        None => (name, span),
    });
    let (name, at) = from(display).or_else(|| from(app_id)).or(file).unwrap_or_else(|| ("app".into(), span));
    node(Value::String(name), at)
}

/// `spec.publisher`: the organisation's own app, verified when `verifiedPublisher` names a partner id.
fn publisher(app: Option<&Node>, span: Span, unknown: &mut Vec<&'static str>) -> Node {
    let verified = app.and_then(|app| field(app, "verifiedPublisher")).filter(|v| v.as_map().is_some());
    let mut entries = Vec::new();
    match verified
        .and_then(|v| field(v, "displayName"))
        .filter(|node| stated(node))
        .or_else(|| app.and_then(|app| field(app, "publisherDomain")).filter(|node| stated(node)))
    {
        Some(name) => entries.push(entry("name", name.clone())),
        None => unknown.push("spec.publisher.name"),
    }
    entries.push(entry("origin", node(Value::String("organization".into()), span)));
    match verified {
        Some(verified) => entries.extend(verification(verified)),
        None => unknown.extend(["spec.publisher.verified", "spec.publisher.verifiedPublisherId"]),
    }
    node(Value::Map(entries), span)
}

/// `verified` and `verifiedPublisherId` from a `verifiedPublisher` object, at its partner id (or at
/// the object, when the id is left out: the CLI's mocks drop the `null` that Graph writes).
fn verification(verified: &Node) -> Vec<Entry> {
    let id = field(verified, "verifiedPublisherId");
    let partner = match id.map(|id| &id.value) {
        Some(Value::String(id)) if !id.trim().is_empty() => Some(id.trim().to_owned()),
        Some(Value::Int(id)) => Some(id.to_string()),
        _ => None,
    };
    let at = id.map_or(verified.span, |id| id.span);
    let mut entries = vec![entry("verified", node(Value::Bool(partner.is_some()), at))];
    if let Some(partner) = partner.filter(|p| p.chars().all(|c| c.is_ascii_digit())) {
        entries.push(entry("verifiedPublisherId", node(Value::String(partner), at)));
    }
    entries
}

/// Our audience for a `signInAudience` value, at that value.
fn audience(value: &Node) -> Option<Node> {
    let lower = value.as_str()?.to_ascii_lowercase();
    let (_, ours) = AUDIENCES.iter().find(|(theirs, _)| *theirs == lower)?;
    Some(node(Value::String((*ours).to_owned()), value.span))
}

/// Our audience for Azure AD Graph's `availableToOtherTenants`, at that value.
fn tenants(value: &Node) -> Option<Node> {
    let ours = match value.value {
        Value::Bool(true) => "multi-tenant",
        Value::Bool(false) => "single-tenant",
        _ => return None,
    };
    Some(node(Value::String(ours.to_owned()), value.span))
}

#[cfg(test)]
mod tests;
