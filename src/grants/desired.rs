//! The desired state (the `AppManifest`s of a tenant: which grants are approved) and the permissions
//! each exported app registration requests, both indexed for the grants of the run.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::catalog::GRAPH;
use crate::native::{Grant, IMPORTED};
use crate::source::Span;
use crate::validate::CheckedDocument;
use crate::yaml::{Node, Value};

/// Who a permission is approved to be granted by (`consent` of an `AppManifest`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Consent {
    /// An administrator, for every user: `consentType: AllPrincipals`, or an application
    /// permission.
    Admin,
    /// Each user, for themselves: `consentType: Principal`.
    User,
}

impl Consent {
    /// The value as written in an `AppManifest`.
    fn parse(text: &str) -> Option<Self> {
        match text {
            "admin" => Some(Self::Admin),
            "user" => Some(Self::User),
            _ => None,
        }
    }
}

/// Where a value of the desired state is: the file (by its index among the run's inputs), the
/// document, the span and its pointer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The file's index among the run's inputs.
    pub file: usize,
    /// The document's index in the file.
    pub document: usize,
    /// The permission's `name` value.
    pub span: Span,
    /// Its JSON pointer.
    pub pointer: String,
}

/// One permission an `AppManifest` approves.
#[derive(Clone, Debug)]
struct Approved {
    /// The API and the name in ASCII lowercase, for comparing.
    resource: String,
    name: String,
    kind: Grant,
    /// The permission's own `consent`, else the app's.
    consent: Option<Consent>,
    /// As written, for messages.
    shown: (String, String),
    place: Place,
}

/// An app of the desired state.
#[derive(Clone, Debug)]
struct App {
    manifest: String,
    permissions: Vec<Approved>,
    /// The file and document, to keep the first of two manifests of one app whatever the order.
    order: (usize, usize),
}

impl App {
    /// Whether the app approves `name` of `resource`, of type `kind`, granted by `consent` (an
    /// application permission is always granted by an administrator).
    fn approves(&self, resource: &str, name: &str, kind: Grant, consent: Consent) -> bool {
        self.permissions.iter().any(|p| {
            p.kind == kind
                && p.name.eq_ignore_ascii_case(name)
                && p.resource.eq_ignore_ascii_case(resource)
                && (kind == Grant::Application || p.consent == Some(consent))
        })
    }
}

/// The approved grants of each tenant that the run holds an `AppManifest` for, by application id.
#[derive(Debug, Default)]
pub struct Desired {
    tenants: HashMap<String, HashMap<String, App>>,
}

impl Desired {
    /// Adds `document`, an `AppManifest` of the desired state (written, or imported) of `tenant`,
    /// read from the input `file`. Native app registrations are not a desired state: they are
    /// [`Registrations`].
    pub fn add(&mut self, document: &CheckedDocument, tenant: &str, file: usize) {
        if document.native.as_ref().is_some_and(|n| n.format != IMPORTED) {
            return;
        }
        let (Some(name), Some(app_id)) = (document.metadata("name"), document.metadata("appId")) else {
            return;
        };
        let spec = document.root.get("spec");
        let app_consent = spec.and_then(|s| s.get("consent")).and_then(Node::as_str).and_then(Consent::parse);
        let permissions = items(spec.and_then(|s| s.get("permissions")))
            .iter()
            .enumerate()
            .filter_map(|(at, item)| {
                let name = item.get("name")?;
                let text = name.as_str()?;
                let kind = kind(item)?;
                let resource = item.get("resource").and_then(Node::as_str).unwrap_or(GRAPH);
                let consent =
                    item.get("consent").and_then(Node::as_str).and_then(Consent::parse).or(app_consent);
                Some(Approved {
                    resource: resource.to_ascii_lowercase(),
                    name: text.to_ascii_lowercase(),
                    kind,
                    consent,
                    shown: (text.to_owned(), resource.to_owned()),
                    place: Place {
                        file,
                        document: document.index,
                        span: name.span,
                        pointer: format!("/spec/permissions/{at}/name"),
                    },
                })
            })
            .collect();
        let app = App { manifest: name.to_owned(), permissions, order: (file, document.index) };
        self.insert(tenant.to_owned(), app_id.to_ascii_lowercase(), app);
    }

    /// Keeps the first (by input and document) of two manifests of one app in one tenant.
    fn insert(&mut self, tenant: String, app_id: String, app: App) {
        let apps = self.tenants.entry(tenant).or_default();
        match apps.get(&app_id) {
            Some(known) if known.order <= app.order => {}
            _ => {
                apps.insert(app_id, app);
            }
        }
    }

    /// Both indexes in one.
    #[must_use]
    pub fn merge(mut self, other: Self) -> Self {
        for (tenant, apps) in other.tenants {
            for (app_id, app) in apps {
                self.insert(tenant.clone(), app_id, app);
            }
        }
        self
    }

    /// Whether the run holds a desired state for `tenant`: any `AppManifest` of it.
    #[must_use]
    pub fn holds(&self, tenant: &str) -> bool {
        self.tenants.contains_key(tenant)
    }

    /// The name of the `AppManifest` of `app_id` in `tenant`.
    #[must_use]
    pub fn manifest(&self, tenant: &str, app_id: &str) -> Option<&str> {
        self.app(tenant, app_id).map(|app| app.manifest.as_str())
    }

    fn app(&self, tenant: &str, app_id: &str) -> Option<&App> {
        self.tenants.get(tenant)?.get(&app_id.to_ascii_lowercase())
    }

    /// Whether the desired state of `tenant` approves the grant of `name` of `resource` to `app_id`.
    #[must_use]
    pub fn approves(
        &self,
        tenant: &str,
        app_id: &str,
        (resource, name, kind): (&str, &str, Grant),
        consent: Consent,
    ) -> bool {
        self.app(tenant, app_id).is_some_and(|app| app.approves(resource, name, kind, consent))
    }

    /// The approved tenant-wide grants (admin consent, and application permissions) of the tenants
    /// whose grants the run holds, that none of those grants gives: the export lacks them. Users'
    /// own consents approved (`consent: user`) are a permission to consent, not a grant that must
    /// exist, and are not listed. Sorted by place.
    #[must_use]
    pub fn missing(&self, granted: &Granted) -> Vec<Missing> {
        let mut missing = Vec::new();
        for tenant in &granted.tenants {
            let Some(apps) = self.tenants.get(tenant) else { continue };
            for (app_id, app) in apps {
                for permission in &app.permissions {
                    let tenant_wide =
                        permission.kind == Grant::Application || permission.consent == Some(Consent::Admin);
                    let key = (
                        tenant.clone(),
                        app_id.clone(),
                        permission.resource.clone(),
                        permission.name.clone(),
                        permission.kind,
                    );
                    if tenant_wide && !granted.keys.contains(&key) {
                        missing.push(Missing {
                            tenant: tenant.clone(),
                            manifest: app.manifest.clone(),
                            name: permission.shown.0.clone(),
                            resource: permission.shown.1.clone(),
                            kind: permission.kind,
                            place: permission.place.clone(),
                        });
                    }
                }
            }
        }
        missing.sort_by(|a, b| {
            (a.place.file, a.place.document, a.place.span.start).cmp(&(
                b.place.file,
                b.place.document,
                b.place.span.start,
            ))
        });
        missing
    }
}

/// An approved tenant-wide grant that the export lacks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Missing {
    /// The tenant.
    pub tenant: String,
    /// The `AppManifest` that approves it.
    pub manifest: String,
    /// The permission and its API, as written.
    pub name: String,
    /// The API.
    pub resource: String,
    /// Delegated or application.
    pub kind: Grant,
    /// Where it is approved.
    pub place: Place,
}

/// The tenant-wide grants the run's exports give, for [`Desired::missing`]: the tenants whose
/// grants were read, and each grant of an app the desired state describes.
#[derive(Debug, Default)]
pub struct Granted {
    tenants: BTreeSet<String>,
    /// The tenants some of whose grants were read from an export that holds only some of them.
    partial: BTreeSet<String>,
    keys: HashSet<(String, String, String, String, Grant)>,
}

impl Granted {
    /// Records that the run holds some grants of `tenant`, from an export that does not hold all
    /// of them: what it lacks cannot be told from it.
    pub fn partial(&mut self, tenant: &str) {
        if !self.partial.contains(tenant) {
            self.partial.insert(tenant.to_owned());
        }
    }

    /// The tenants whose grants the run holds only in part, in order.
    pub fn only_partial(&self) -> impl Iterator<Item = &str> {
        self.partial.difference(&self.tenants).map(String::as_str)
    }

    /// Records that the run holds grants of `tenant`.
    pub fn tenant(&mut self, tenant: &str) {
        if !self.tenants.contains(tenant) {
            self.tenants.insert(tenant.to_owned());
        }
    }

    /// Records a tenant-wide grant of `name` of `resource` to `app_id` in `tenant`.
    pub fn grant(&mut self, tenant: &str, app_id: &str, (resource, name, kind): (&str, &str, Grant)) {
        self.keys.insert((
            tenant.to_owned(),
            app_id.to_ascii_lowercase(),
            resource.to_ascii_lowercase(),
            name.to_ascii_lowercase(),
            kind,
        ));
    }

    /// Both records in one.
    #[must_use]
    pub fn merge(mut self, other: Self) -> Self {
        self.tenants.extend(other.tenants);
        self.partial.extend(other.partial);
        self.keys.extend(other.keys);
        self
    }
}

/// The permissions that the app registrations exported under each export root request, by
/// application id: what an app's grants are compared with (`requested`).
#[derive(Debug, Default)]
pub struct Registrations {
    roots: HashMap<PathBuf, HashMap<String, Requested>>,
}

/// The permissions one registration requests: API and name in ASCII lowercase, and type.
type Requested = HashSet<(String, String, Grant)>;

impl Registrations {
    /// Adds `document` when it is an app registration read from an export.
    pub fn add(&mut self, document: &CheckedDocument) {
        let Some(native) = document.native.as_ref().filter(|n| n.format != IMPORTED) else { return };
        let Some(app_id) = document.metadata("appId") else { return };
        let requested = self
            .roots
            .entry(native.root.clone())
            .or_default()
            .entry(app_id.to_ascii_lowercase())
            .or_default();
        for item in items(document.root.get("spec").and_then(|s| s.get("permissions"))) {
            let (Some(name), Some(kind)) = (item.get("name").and_then(Node::as_str), kind(item)) else {
                continue;
            };
            let resource = item.get("resource").and_then(Node::as_str).unwrap_or(GRAPH);
            requested.insert((resource.to_ascii_lowercase(), name.to_ascii_lowercase(), kind));
        }
    }

    /// Both indexes in one.
    #[must_use]
    pub fn merge(mut self, other: Self) -> Self {
        for (root, apps) in other.roots {
            let known = self.roots.entry(root).or_default();
            for (app_id, requested) in apps {
                known.entry(app_id).or_default().extend(requested);
            }
        }
        self
    }

    /// Whether the registration of `app_id` exported under `root` requests the permission; `None`
    /// when no registration of the app is exported there.
    #[must_use]
    pub fn requests(
        &self,
        root: &Path,
        app_id: &str,
        (resource, name, kind): (&str, &str, Grant),
    ) -> Option<bool> {
        let requested = self.roots.get(root)?.get(&app_id.to_ascii_lowercase())?;
        Some(requested.contains(&(resource.to_ascii_lowercase(), name.to_ascii_lowercase(), kind)))
    }
}

/// The items of a list node.
fn items(node: Option<&Node>) -> &[Node] {
    match node.map(|n| &n.value) {
        Some(Value::Seq(items)) => items,
        _ => &[],
    }
}

/// A permission's type.
fn kind(item: &Node) -> Option<Grant> {
    match item.get("type").and_then(Node::as_str)? {
        "delegated" => Some(Grant::Delegated),
        "application" => Some(Grant::Application),
        _ => None,
    }
}
