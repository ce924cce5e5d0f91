//! Documents in other tools' formats, recognised by their content and turned into located trees of
//! our kinds, so that validation, the rules and every renderer work on them unchanged.
//!
//! Each mapped value keeps the span of the native text it came from; a value the format lacks is
//! either synthesized at the object that lacks it or left out, and what the format cannot say at all
//! is listed in [`Native::unknown`], so that rules reading it are not run on the document.
//!
//! A tenant is spread over several native objects (the authorization policy, the admin consent
//! request policy, the consent directory setting, …). Each one is a *part* ([`Part`]) of the tenant
//! found under the same export root ([`Native::root`]); the assembling stage joins the parts.

mod app_management;
mod application;
mod authorization;
mod classification;
mod consent_request;
pub(crate) mod first_party;
mod grant;
mod grant_policy;
mod organization;
mod resources;
mod scuba;
mod service_principal;
mod settings;

use std::path::{Path, PathBuf};

use crate::kind::{API_VERSION, Kind};
use crate::source::Span;
use crate::yaml::{Entry, Node, Value};

#[cfg(test)]
pub use resources::ResourcePermission;
pub use resources::{Grant, Lookup, Publisher, Resource};
/// The formats of grants that are a part of their tenant's, never all of them (ScubaGear's lists).
pub use scuba::PARTIAL as PARTIAL_GRANTS;

/// Where a document of ours came from when it was not written in our format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Native {
    /// The format, as users know it.
    pub format: &'static str,
    /// Dotted paths (`spec.adminConsentWorkflow`) that the format does not hold. Rules that read
    /// one of them, or a value inside it, are not run on the document: no finding stands on a value
    /// the file does not state.
    pub unknown: Vec<&'static str>,
    /// For one object of a tenant: which, and what it states.
    pub part: Option<Part>,
    /// The directory of the export the document belongs to: its tenant's parts and apps share it.
    pub root: PathBuf,
    /// The tenant's name, when the configuration names the directory the document is in.
    pub tenant: Option<String>,
    /// The run of the tool that wrote it, when the export says (ScubaGear's `report_uuid`): two
    /// files of one run hold the same objects, which are one tenant's, not two copies in conflict.
    pub run: Option<Run>,
    /// Why a path of `unknown` is not known, when the format does hold it but the files do not let
    /// it be read (classifications whose API is not in the run): `(path, clause)`.
    pub reasons: Vec<(&'static str, &'static str)>,
}

/// The run of a tool an export was written by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    /// Its id, lowercased.
    pub id: String,
    /// Whether the file is the run's results (`ScubaResults_<id>.json`), which repeat the provider
    /// export that the run also writes on its own: the export's copy is the one judged.
    pub results: bool,
}

/// One of the objects a tenant's consent settings are spread over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Part {
    /// The object, as Microsoft Graph names it.
    pub name: &'static str,
    /// The dotted paths of the tenant it states (see [`TENANT_FACTS`]).
    pub provides: &'static [&'static str],
    /// Whether a tenant may have several (classifications and custom grant policies may; there is
    /// one authorization policy).
    pub repeatable: bool,
}

/// The built-in user consent policies (their ids after `ManagePermissionGrantsForSelf.`, Microsoft
/// Graph `permissionGrantPolicy`; see the consent domain notes) and the values of
/// `spec.userConsent.policy` they are, most permissive first: when several are assigned, users may
/// consent under any of them.
pub const BUILTIN_POLICIES: [(&str, &str); 3] = [
    ("microsoft-user-default-legacy", "all-apps"),
    ("microsoft-user-default-recommended", "microsoft-managed"),
    ("microsoft-user-default-low", "verified-publishers-low-impact"),
];

/// What the rules may read of a tenant, each stated by one of its parts: a path that no part of a
/// native tenant states is unknown.
pub const TENANT_FACTS: [&str; 11] = [
    "spec.userConsent.enabled",
    "spec.userConsent.policy",
    "spec.userConsent.allowRiskyApps",
    "spec.userConsent.grantPolicies",
    "spec.usersCanRegisterApps",
    "spec.userConsent.groupOwnerConsent",
    "spec.consentPolicySettings",
    "spec.userConsent.lowImpactPermissions",
    "spec.adminConsentWorkflow",
    "spec.permissionGrantPolicies",
    "spec.appManagement",
];

/// The apps that the tenant's own app management policies exempt from the default one, which only
/// a source listing every such policy with its apps states (ScubaGear's export, a tenant file).
pub const EXEMPTIONS: &str = app_management::EXEMPTIONS;

impl Native {
    /// The path the format does not hold that `path` is, holds or lies inside.
    #[must_use]
    pub fn unknown_in(&self, path: &[String]) -> Option<&'static str> {
        self.unknown
            .iter()
            .copied()
            .find(|unknown| unknown.split('.').zip(path).all(|(step, segment)| step == segment))
    }

    /// The path the format does not hold that `path` is or lies inside. Unlike
    /// [`Native::unknown_in`], a path that only holds one is known: the list `spec.permissions` is
    /// read when `spec.permissions.justification` is unknown, so a rule that goes through the list
    /// (`for-each`) runs, and only what reads the unknown field is skipped.
    #[must_use]
    pub fn within_unknown(&self, path: &[String]) -> Option<&'static str> {
        self.unknown.iter().copied().find(|unknown| {
            let steps: Vec<&str> = unknown.split('.').collect();
            steps.len() <= path.len() && steps.iter().zip(path).all(|(step, segment)| step == segment)
        })
    }
}

/// The part that permission classifications are: their items name the API by its service
/// principal's object id until the tenant is assembled.
pub const CLASSIFICATION: &str = classification::PART.name;

/// The format named for a document of ours that marks values as not stated.
pub const IMPORTED: &str = "imported document (`metadata.notStated`)";

/// The paths besides [`TENANT_FACTS`] that a document of ours may mark as not stated
/// (`metadata.notStated`), as the schemas list them: what a native format may leave out.
const ALSO_STATEABLE: [&str; 12] = [
    "spec.adminConsentWorkflow.reviewers",
    "spec.appManagement.exemptions",
    "metadata.tenantId",
    "metadata.appId",
    "spec.displayName",
    "spec.publisher.name",
    "spec.publisher.verified",
    "spec.publisher.verifiedPublisherId",
    "spec.signInAudience",
    "spec.consent",
    "spec.permissions",
    "spec.permissions.justification",
];

/// The dotted path `text` as the `'static` one a document may mark as not stated.
fn stateable_path(text: &str) -> Option<&'static str> {
    TENANT_FACTS.iter().chain(&ALSO_STATEABLE).copied().find(|path| *path == text)
}

/// For a document of ours whose `metadata.notStated` lists values its source did not state (as
/// `consentlint import` writes it), what a native document would say: rules that read those values
/// are not run. `None` when it lists none.
#[must_use]
pub fn not_stated(root: &Node) -> Option<Native> {
    let Value::Seq(items) = &root.get("metadata")?.get("notStated")?.value else { return None };
    let unknown: Vec<&'static str> = items.iter().filter_map(|item| stateable_path(item.as_str()?)).collect();
    (!items.is_empty()).then(|| Native {
        format: IMPORTED,
        unknown,
        part: None,
        root: PathBuf::new(),
        tenant: None,
        run: None,
        reasons: Vec::new(),
    })
}

/// The dotted paths a document marks as not stated, for writing `metadata.notStated`.
#[must_use]
pub fn stateable(path: &str) -> bool {
    stateable_path(path).is_some()
}

/// What recognition needs besides the document: directories the configuration names as tenants,
/// and where permission ids are looked up.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// `(directory, tenant name)`, absolute, from `tenants:` in `.consentlint.yaml`.
    pub tenants: &'a [(PathBuf, String)],
    /// The directory relative paths start from.
    pub base: &'a Path,
    /// The APIs whose permission ids apps' `requiredResourceAccess` may name.
    pub lookup: &'a dyn Lookup,
}

/// No API: permission ids stay as they are written.
static NO_RESOURCES: Vec<Resource> = Vec::new();

impl Default for Context<'_> {
    fn default() -> Self {
        Self { tenants: &[], base: Path::new(""), lookup: &NO_RESOURCES }
    }
}

impl std::fmt::Debug for Context<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context").field("tenants", &self.tenants).finish_non_exhaustive()
    }
}

impl Context<'_> {
    /// The export root of the file at `path`, and the tenant name the configuration gives it: the
    /// deepest configured directory holding the file, else [`export_root`].
    #[must_use]
    pub fn root_of(&self, path: &Path) -> (PathBuf, Option<String>) {
        let absolute = self.base.join(path);
        let configured = self
            .tenants
            .iter()
            .filter(|(dir, _)| absolute.starts_with(dir))
            .max_by_key(|(dir, _)| dir.components().count());
        match configured {
            Some((dir, name)) => (dir.clone(), Some(name.clone())),
            None => (export_root(path), None),
        }
    }
}

/// A native document turned into one of ours.
#[derive(Debug)]
pub struct Converted {
    /// Its kind.
    pub kind: Kind,
    /// The located tree, with spans into the native text.
    pub root: Node,
    /// Its format and what it cannot say.
    pub native: Native,
    /// What is wrong in the native text though the document could be read (a grant's `scope`
    /// string with stray spaces), each to be said at its place.
    pub problems: Vec<Problem>,
}

/// A flaw of a native document that does not keep it from being read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where, in the native text.
    pub span: Span,
    /// What, in one sentence.
    pub message: String,
    /// The underline's label.
    pub label: &'static str,
    /// What to do.
    pub help: &'static str,
}

impl Problem {
    fn new(span: Span, message: String, label: &'static str, help: &'static str) -> Self {
        Self { span, message, label, help }
    }
}

/// Why a document that is not ours was not read as a native one either, for `--show-skipped`.
pub type Skipped = &'static str;

/// The documents of ours that the document at `root` of the file at `path` holds, when it is in a
/// format consentlint reads natively: one, or several for an export that bundles a tenant's objects
/// (ScubaGear). `Err` says why it is none of them (it is then skipped, as any file that is not ours).
///
/// # Errors
/// When the document is in no format consentlint reads, with the reason.
pub fn recognise(root: &Node, path: &Path, context: Context<'_>) -> Result<Vec<Converted>, Skipped> {
    let (dir, tenant) = context.root_of(path);
    if let Some(parts) = scuba::recognise(root) {
        let run = scuba::run(root).map(|id| Run { id, results: scuba::is_results(root) });
        return Ok(scuba_export(root, parts, &dir, tenant.as_ref(), run.as_ref()));
    }
    let found: Vec<(Kind, Node, Partial)> = {
        let policies = authorization::recognise_all(root);
        if policies.is_empty() {
            [
                settings::recognise(root),
                classification::recognise(root, path),
                app_management::recognise(root),
                app_management::recognise_applied(root, path),
            ]
            .into_iter()
            .flatten()
            .chain(consent_request::recognise_all(root))
            .chain(organization::recognise_all(root))
            .chain(grant_policy::recognise(root))
            .collect()
        } else {
            policies
        }
    };
    if found.is_empty() {
        let grants = grant::recognise(root);
        if !grants.is_empty() {
            return Ok(grants.into_iter().map(|read| granted(read, &dir, tenant.as_ref(), None)).collect());
        }
        let mut apps = application::recognise(root, path, context.lookup);
        if apps.is_empty() {
            return Err(why_skipped(root));
        }
        for app in &mut apps {
            app.native.root.clone_from(&dir);
            app.native.tenant.clone_from(&tenant);
        }
        return Ok(apps);
    }
    Ok(found.into_iter().map(|found| part(found, &dir, tenant.as_ref(), None)).collect())
}

/// A tenant part read, as one of our documents.
fn part(
    (kind, root, partial): (Kind, Node, Partial),
    dir: &Path,
    tenant: Option<&String>,
    run: Option<&Run>,
) -> Converted {
    Converted {
        kind,
        root,
        native: Native {
            format: partial.format,
            unknown: partial.unknown,
            part: partial.part,
            root: dir.to_path_buf(),
            tenant: tenant.cloned(),
            run: run.cloned(),
            reasons: Vec::new(),
        },
        problems: Vec::new(),
    }
}

/// A grant read, as one of our documents.
fn granted(read: grant::Read, dir: &Path, tenant: Option<&String>, run: Option<&Run>) -> Converted {
    Converted {
        kind: Kind::Grant,
        root: read.root,
        native: Native {
            format: read.partial.format,
            unknown: read.partial.unknown,
            part: None,
            root: dir.to_path_buf(),
            tenant: tenant.cloned(),
            run: run.cloned(),
            reasons: Vec::new(),
        },
        problems: read.problems,
    }
}

/// The tenant parts and the grants of a ScubaGear export; what keeps a grant from being read is
/// said with the first document.
fn scuba_export(
    root: &Node,
    parts: Vec<(Kind, Node, Partial)>,
    dir: &Path,
    tenant: Option<&String>,
    run: Option<&Run>,
) -> Vec<Converted> {
    let (grants, problems) = scuba::grants(root);
    let mut converted: Vec<Converted> = parts
        .into_iter()
        .map(|found| part(found, dir, tenant, run))
        .chain(grants.into_iter().map(|read| granted(read, dir, tenant, run)))
        .collect();
    if let Some(first) = converted.first_mut() {
        first.problems.extend(problems);
    }
    converted
}

/// What a converter gives besides the tree.
#[derive(Debug)]
struct Partial {
    format: &'static str,
    unknown: Vec<&'static str>,
    part: Option<Part>,
}

/// Why a document that is neither ours nor native is skipped.
fn why_skipped(root: &Node) -> Skipped {
    let update = ["defaultUserRolePermissions", "permissionGrantPolicyIdsAssignedToDefaultUserRole"];
    match &root.value {
        Value::Map(_) if field(root, "apiVersion").is_some() => "its `apiVersion` is not consentlint's",
        Value::Map(_) if grant::is_user_assignment(root) => {
            "it assigns an app role to a user or a group, which is access to an app, not a consent to a permission"
        }
        Value::Map(_) if update.iter().any(|key| field(root, key).is_some()) => {
            "it changes an authorizationPolicy (a PATCH body) without stating the whole policy"
        }
        Value::Map(_) if field(root, "values").is_some() && field(root, "templateId").is_none() => {
            "it changes a directory setting (a PATCH body) without naming its template"
        }
        Value::Map(_) if field(root, "resource").is_some() && field(root, "permissions").is_some() => {
            "it looks like a permission catalog: catalogs are read from `--catalog` and `catalog:` in the configuration, not checked as documents"
        }
        Value::Map(_) | Value::Seq(_) => "its content is none of the formats consentlint reads",
        _ => "it holds no mapping or list",
    }
}

/// The export root of a native file at `path`: the directory above the highest folder, among the
/// [`ROOT_SEARCH`] nearest the file, that an export tool names after a type of object or an id
/// ([`LAYOUT`], or an id), so that the parts of one tenant exported as `contoso/Policies/…`,
/// `contoso/Organization/…` and `contoso/ServicePrincipals/<id>/<any folder>/…` share `contoso`;
/// without such a folder, the file's own directory.
#[must_use]
pub fn export_root(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new(""));
    let layout = |name: &str| LAYOUT.iter().any(|folder| folder.eq_ignore_ascii_case(name)) || is_guid(name);
    let highest = dir
        .ancestors()
        .take(ROOT_SEARCH)
        .filter(|ancestor| ancestor.file_name().and_then(|n| n.to_str()).is_some_and(layout))
        .last();
    highest.and_then(Path::parent).unwrap_or(dir).to_path_buf()
}

/// How many folders above a native file are searched for the export's layout: deep enough for
/// `ServicePrincipals/<id>/DelegatedPermissionClassifications/<file>`, shallow enough that a folder
/// of a repository far above the export is not taken for part of it.
const ROOT_SEARCH: usize = 4;

/// Folders that export tools name after the type of object they hold. Every top-level folder of
/// `EntraExporter`'s default schema (`Get-EEDefaultSchema.ps1`) and the folders it nests under
/// them (a service principal's `AppRoleAssignments`, `Oauth2PermissionGrants`, …; an
/// application's `Owners`, `ExtensionProperties`, …), so that each of its files belongs to the
/// export root's tenant; and the Microsoft Graph resource names saved responses are filed under.
const LAYOUT: [&str; 51] = [
    // EntraExporter's top-level folders.
    "AccessPolicies",
    "Admin",
    "AdministrativeUnits",
    "Applications",
    "Devices",
    "Directory",
    "DirectoryRoles",
    "Domains",
    "GroupSettings",
    "Groups",
    "IAM",
    "Identity",
    "IdentityGovernance",
    "IdentityProviders",
    "OnPremisesPublishingProfiles",
    "Organization",
    "PIM",
    "Policies",
    "Reports",
    "RoleManagement",
    "ServicePrincipals",
    "SubscribedSkus",
    "Users",
    // The folders EntraExporter nests under them, where a consent fact may be.
    "AdminConsentRequestPolicy",
    "AuthorizationPolicy",
    "PermissionGrantPolicies",
    "AppManagementPolicies",
    "DefaultAppManagementPolicy",
    "AppRoleAssignedTo",
    "AppRoleAssignments",
    "ClaimsMappingPolicies",
    "DelegatedPermissionClassifications",
    "ExtensionProperties",
    "HomeRealmDiscoveryPolicies",
    "Members",
    "Oauth2PermissionGrants",
    "Owners",
    "TokenIssuancePolicies",
    "TokenLifetimePolicies",
    // Other tools' and hand-saved responses' folders.
    "PermissionGrantPolicy",
    "DirectorySettings",
    "Settings",
    "Tenant",
    "Apps",
    "Graph",
    "Roles",
    "Classifications",
    "AppRoles",
    "Oauth2PermissionScopes",
    "ServicePrincipal",
    "Application",
];

/// Whether `text` is a GUID in its 8-4-4-4-12 form.
#[must_use]
pub fn is_guid(text: &str) -> bool {
    text.len() == 36
        && text
            .chars()
            .enumerate()
            .all(|(at, c)| if matches!(at, 8 | 13 | 18 | 23) { c == '-' } else { c.is_ascii_hexdigit() })
}

/// For an export whose tool could not complete it (a ScubaGear provider that wrote its error text in
/// place of values), the first failed value and its text: the file states nothing reliable.
#[must_use]
pub fn failed_export(root: &Node) -> Option<(Span, String)> {
    scuba::failed(root)
}

/// Why a service principal is not judged.
pub const PRINCIPAL: Skipped =
    "it describes an API (a service principal), read to name the permissions that apps request by id";

/// The APIs that the service principals in the document at `root` publish (none when it holds none),
/// for naming the permissions that apps request by id.
#[must_use]
pub fn principals(root: &Node) -> Vec<Resource> {
    service_principal::resources(root)
}

/// The entry for `key` of a mapping, comparing keys without regard to ASCII case (REST and Graph
/// Explorer write camelCase, PowerShell's `ConvertTo-Json` Pascal case).
fn field<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    node.as_map()?.iter().find(|entry| entry.key.eq_ignore_ascii_case(key)).map(|entry| &entry.value)
}

/// The lowercased string at `key`.
fn text(node: &Node, key: &str) -> Option<String> {
    field(node, key).and_then(Node::as_str).map(str::to_ascii_lowercase)
}

/// Whether the object's `@odata.context` names `fragment` (compared without case), or, in a
/// PowerShell serialisation, its `AdditionalProperties` do.
fn context_names(object: &Node, fragment: &str) -> bool {
    let own = text(object, "@odata.context");
    let nested = field(object, "AdditionalProperties").and_then(|extra| text(extra, "@odata.context"));
    own.into_iter().chain(nested).any(|context| context.contains(fragment))
}

/// The objects `root` holds: itself, the items of its `value` collection, or the items of a
/// top-level list.
fn objects(root: &Node) -> Vec<&Node> {
    match &root.value {
        Value::Map(_) => match field(root, "value") {
            Some(Node { value: Value::Seq(items), .. }) => items.iter().collect(),
            _ => vec![root],
        },
        Value::Seq(items) => items.iter().collect(),
        _ => Vec::new(),
    }
}

/// The items of a list; nothing for any other node.
fn items(node: &Node) -> &[Node] {
    match &node.value {
        Value::Seq(items) => items,
        _ => &[],
    }
}

/// A synthesized mapping entry whose key and value point at `span`.
fn entry(key: &str, value: Node) -> Entry {
    Entry { key: key.to_owned(), key_span: value.span, value }
}

/// A synthesized node at `span`.
fn node(value: Value, span: Span) -> Node {
    Node { value, span }
}

/// A mapping node at `span`.
fn map(entries: Vec<Entry>, span: Span) -> Node {
    node(Value::Map(entries), span)
}

/// A string node at `span`.
fn string(text: &str, span: Span) -> Node {
    node(Value::String(text.to_owned()), span)
}

/// A tenant document at `span` with `metadata` and `spec` entries.
fn tenant(metadata: Vec<Entry>, spec: Vec<Entry>, span: Span) -> Node {
    let mut root: Vec<Entry> = header(Kind::TenantConfig, span).into();
    if !metadata.is_empty() {
        root.push(entry("metadata", map(metadata, span)));
    }
    root.push(entry("spec", map(spec, span)));
    map(root, span)
}

/// The header every document of ours starts with, pointing at `span`.
fn header(kind: Kind, span: Span) -> [Entry; 2] {
    [
        entry("apiVersion", node(Value::String(API_VERSION.to_owned()), span)),
        entry("kind", node(Value::String(kind.as_str().to_owned()), span)),
    ]
}

/// A name in the form `metadata.name` accepts (lowercase letters, digits, dots and hyphens, starting
/// and ending with a letter or digit), from a directory name or an id; `None` when nothing is left.
#[must_use]
pub fn metadata_name(raw: &str) -> Option<String> {
    let mapped: String = raw
        .chars()
        .map(|c| {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' { c } else { '-' }
        })
        .collect();
    let mut collapsed = String::with_capacity(mapped.len());
    for c in mapped.chars() {
        if !(c == '-' && collapsed.ends_with('-')) {
            collapsed.push(c);
        }
    }
    let trimmed = collapsed.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    (!trimmed.is_empty() && trimmed.len() <= 253).then(|| trimmed.to_owned())
}

/// The tree and unknown paths that `recognise` makes of `text`, for the converters' tests.
#[cfg(test)]
fn converted(
    text: &str,
    recognise: impl Fn(&Node) -> Option<(Kind, Node, Partial)>,
) -> Option<(Node, Vec<&'static str>)> {
    let output = crate::yaml::parse(text, crate::yaml::Limits::default());
    let (_, root, partial) = recognise(&output.documents.first()?.root)?;
    Some((root, partial.unknown))
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::{Context, Native, export_root, metadata_name};

    #[test]
    fn names_follow_the_schema_pattern() {
        assert_eq!(metadata_name("Contoso_Prod").as_deref(), Some("contoso-prod"));
        assert_eq!(metadata_name("Contoso Ltd.").as_deref(), Some("contoso-ltd"));
        assert_eq!(metadata_name("-x-").as_deref(), Some("x"));
        assert_eq!(metadata_name("__"), None);
    }

    #[test]
    fn unknown_paths_match_inside_and_around() {
        let native = Native {
            format: "f",
            unknown: vec!["spec.adminConsentWorkflow"],
            part: None,
            root: PathBuf::new(),
            tenant: None,
            run: None,
            reasons: Vec::new(),
        };
        let path = |text: &str| text.split('.').map(str::to_owned).collect::<Vec<_>>();
        assert!(native.unknown_in(&path("spec.adminConsentWorkflow.enabled")).is_some());
        assert!(native.unknown_in(&path("spec")).is_some());
        assert!(native.unknown_in(&path("spec.userConsent.enabled")).is_none());
    }

    #[test]
    fn the_export_root_is_above_the_layout_folders() {
        let root = |path: &str| export_root(Path::new(path));
        assert_eq!(
            root("x/contoso/Policies/AuthorizationPolicy/authorizationPolicy.json"),
            Path::new("x/contoso")
        );
        assert_eq!(
            root(
                "contoso/Applications/0b6ad0d4-5a36-4f70-a3fb-b6c4b1d9a1f0/0b6ad0d4-5a36-4f70-a3fb-b6c4b1d9a1f0.json"
            ),
            Path::new("contoso")
        );
        assert_eq!(root("saved/policy.json"), Path::new("saved"));
        assert_eq!(
            root("t/ServicePrincipals/0b6ad0d4-5a36-4f70-a3fb-b6c4b1d9a1f0/Classifications/low.json"),
            Path::new("t"),
            "any folder under a layout folder"
        );
        assert_eq!(root("Policies/a/b/c/d/policy.json"), Path::new("Policies/a/b/c/d"), "too far above");
        assert_eq!(root("policy.json"), Path::new(""));
    }

    #[test]
    fn every_folder_of_entra_exporter_belongs_to_the_export_root() {
        // The folders of EntraExporter's default schema, with the depth its files are written at.
        let id = "0b6ad0d4-5a36-4f70-a3fb-b6c4b1d9a1f0";
        for file in [
            format!("GroupSettings/{id}/{id}.json"),
            format!("Applications/{id}/{id}.json"),
            format!("Applications/{id}/Owners/{id}.json"),
            format!("ServicePrincipals/{id}/{id}.json"),
            format!("ServicePrincipals/{id}/Oauth2PermissionGrants/{id}.json"),
            format!("ServicePrincipals/{id}/AppRoleAssignments/{id}.json"),
            format!("ServicePrincipals/{id}/DelegatedPermissionClassifications/{id}.json"),
            "Policies/AuthorizationPolicy/authorizationPolicy.json".to_owned(),
            "Policies/AdminConsentRequestPolicy/adminConsentRequestPolicy.json".to_owned(),
            format!("Policies/PermissionGrantPolicies/{id}.json"),
            "Organization/Organization.json".to_owned(),
            format!("Users/{id}/{id}.json"),
            format!("Groups/{id}/Owners/{id}.json"),
            format!("DirectoryRoles/{id}/Members/{id}.json"),
            "Directory/OnPremisesSynchronization.json".to_owned(),
            format!("Domains/{id}/{id}.json"),
            "Admin/Teams/settings.json".to_owned(),
        ] {
            assert_eq!(
                export_root(&Path::new("nightly/contoso").join(&file)),
                Path::new("nightly/contoso"),
                "{file}"
            );
        }
    }

    #[test]
    fn configured_directories_win_and_the_deepest_one_counts() {
        let tenants = [
            (PathBuf::from("/r/exports"), "all".to_owned()),
            (PathBuf::from("/r/exports/prod"), "prod".to_owned()),
        ];
        let context = Context { tenants: &tenants, ..Context::default() };
        let (root, name) = context.root_of(Path::new("/r/exports/prod/Policies/a.json"));
        assert_eq!((root.as_path(), name.as_deref()), (Path::new("/r/exports/prod"), Some("prod")));
        let (root, name) = context.root_of(Path::new("/r/other/Policies/a.json"));
        assert_eq!((root.as_path(), name), (Path::new("/r/other"), None));
    }

    #[test]
    fn a_list_whose_items_lack_a_field_is_not_within_it() {
        let native = Native {
            format: "f",
            unknown: vec!["spec.permissions.justification"],
            part: None,
            root: PathBuf::new(),
            tenant: None,
            run: None,
            reasons: Vec::new(),
        };
        let path = |text: &str| text.split('.').map(str::to_owned).collect::<Vec<_>>();
        assert!(native.unknown_in(&path("spec.permissions")).is_some(), "it holds the unknown field");
        assert!(native.within_unknown(&path("spec.permissions")).is_none());
        assert!(native.within_unknown(&path("spec.permissions.justification")).is_some());
        assert!(native.within_unknown(&path("spec.permissions.name")).is_none());
    }
}
