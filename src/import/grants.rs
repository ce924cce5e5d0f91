//! The grants of an export as the desired state: each app that holds grants gets an `AppManifest`
//! whose permissions approve exactly what it holds (`consent: admin` for a tenant-wide grant or an
//! application permission, `consent: user` for users' own grants). An app whose registration is
//! exported too keeps that manifest: its requested permissions that are granted get their
//! `consent`, and granted ones it does not request are added. Every value points at the grant (or
//! the id in it) it was read from.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::grants::{self, Desired, Directory, Granted, Joins, Registrations};
use crate::kind::{API_VERSION, Kind};
use crate::native::{self, Native};
use crate::source::{SourceFile, Span};
use crate::validate::{CheckedDocument, CheckedFile, Origin, Origins};
use crate::yaml::{Entry, Node, Value};

/// The format named for an app whose manifest is made from its grants.
pub(super) const FROM_GRANTS: &str = "grants of an export";

/// One permission an app holds, and where it is written.
struct Held {
    consent: &'static str,
    /// The permission's `name`, `type` and `resource` nodes, in its grant's file.
    item: Node,
    source: Arc<SourceFile>,
}

impl Held {
    fn key(&self) -> (String, String, String, &'static str) {
        let text =
            |key: &str| self.item.get(key).and_then(Node::as_str).unwrap_or_default().to_ascii_lowercase();
        (text("resource"), text("name"), text("type"), self.consent)
    }
}

/// An app that holds grants under an export root.
struct Client {
    /// The resolved `spec.client` of its first grant, in that grant's file.
    facts: Node,
    source: Arc<SourceFile>,
    held: Vec<Held>,
}

/// What the grants of the run give the import.
#[derive(Default)]
pub(super) struct Imported {
    /// By export root and application id (lowercase).
    clients: BTreeMap<(PathBuf, String), Client>,
    /// What could not be resolved.
    pub diagnostics: Vec<Diagnostic>,
}

/// Resolves the grants of `files` against the service principals and tenants of `files` and
/// `tenants`, and gathers what each app holds.
pub(super) fn read(
    files: &[(usize, CheckedFile)],
    tenants: &[(usize, CheckedFile)],
    catalog: &Catalog,
) -> Imported {
    let mut imported = Imported::default();
    let directory = Directory::new(files.iter().chain(tenants).map(|(_, file)| file));
    // The directory borrows the files; resolving needs them mutably: resolve copies.
    let (desired, registrations) = (Desired::default(), Registrations::default());
    let joins = Joins { directory: &directory, desired: &desired, registrations: &registrations, catalog };
    let mut resolved: Vec<CheckedFile> = Vec::new();
    for (_, file) in files {
        if !file.documents.iter().any(|d| d.kind == Kind::Grant) {
            continue;
        }
        let mut copy = CheckedFile {
            source: Arc::clone(&file.source),
            documents: file
                .documents
                .iter()
                .filter(|d| d.kind == Kind::Grant)
                .map(|d| CheckedDocument {
                    index: d.index,
                    kind: d.kind,
                    root: d.root.clone(),
                    native: d.native.clone(),
                    origins: Origins::default(),
                })
                .collect(),
            diagnostics: Vec::new(),
            ours: 0,
            unreadable: false,
            invalid_tenants: Vec::new(),
            skipped: Vec::new(),
            resources: Vec::new(),
        };
        imported.diagnostics.extend(grants::resolve(&mut copy, joins, &mut Granted::default()));
        resolved.push(copy);
    }
    for file in resolved {
        for document in &file.documents {
            imported.add(document, &file.source);
        }
    }
    imported
}

impl Imported {
    fn add(&mut self, document: &CheckedDocument, source: &Arc<SourceFile>) {
        let (Some(native), Some(spec)) = (&document.native, document.root.get("spec")) else { return };
        let Some(client) = spec.get("client") else { return };
        let Some(app_id) = client.get("appId").and_then(Node::as_str) else { return };
        let consent =
            match (spec.get("type").and_then(Node::as_str), spec.get("consentType").and_then(Node::as_str)) {
                (Some("delegated"), Some("Principal")) => "user",
                _ => "admin",
            };
        let entry =
            self.clients.entry((native.root.clone(), app_id.to_ascii_lowercase())).or_insert_with(|| {
                Client { facts: client.clone(), source: Arc::clone(source), held: Vec::new() }
            });
        let items: &[Node] = match spec.get("permissions").map(|n| &n.value) {
            Some(Value::Seq(items)) => items,
            _ => &[],
        };
        for item in items {
            let held = Held { consent, item: item.clone(), source: Arc::clone(source) };
            if !entry.held.iter().any(|h| h.key() == held.key()) {
                entry.held.push(held);
            }
        }
    }

    /// Adds to `document`, an app registration exported under `root`, the consent of each of its
    /// permissions that is granted, and the granted permissions it does not request; the app's grants
    /// are then written with it and not as a manifest of their own.
    pub(super) fn merge(&mut self, document: &mut CheckedDocument) {
        let (Some(native), Some(app_id)) = (&document.native, document.metadata("appId")) else { return };
        let Some(client) = self.clients.remove(&(native.root.clone(), app_id.to_ascii_lowercase())) else {
            return;
        };
        let Some(list) = permissions_mut(&mut document.root) else { return };
        let mut origins: Vec<(Vec<String>, Arc<SourceFile>)> = Vec::new();
        let mut added: Vec<(Node, Arc<SourceFile>)> = Vec::new();
        for held in client.held {
            let (resource, name, kind, consent) = held.key();
            let same = |item: &Node| {
                let text = |key: &str| item.get(key).and_then(Node::as_str).map(str::to_ascii_lowercase);
                text("name").as_deref() == Some(name.as_str())
                    && text("type").as_deref() == Some(kind.as_str())
                    && text("resource").unwrap_or_else(|| crate::catalog::GRAPH.to_ascii_lowercase())
                        == resource
                    && item.get("consent").is_none()
            };
            match list.iter().position(same) {
                Some(at) => {
                    if let Some(item) = list.get_mut(at) {
                        push(item, "consent", consent, held.item.span);
                        let path =
                            ["spec", "permissions", &at.to_string(), "consent"].map(str::to_owned).to_vec();
                        origins.push((path, held.source));
                    }
                }
                None => {
                    let mut item = held.item;
                    let span = item.span;
                    push(&mut item, "consent", consent, span);
                    added.push((item, held.source));
                }
            }
        }
        for (item, source) in added {
            origins
                .push((["spec", "permissions", &list.len().to_string()].map(str::to_owned).to_vec(), source));
            list.push(item);
        }
        for (path, source) in origins {
            document.origins.push(Origin { path, source });
        }
    }

    /// The manifests of the apps whose registration is not exported: `(root, document, file of
    /// its first grant)`, by root and application id.
    pub(super) fn manifests(self) -> Vec<(PathBuf, CheckedDocument, Arc<SourceFile>)> {
        self.clients
            .into_iter()
            .map(|((root, _), client)| {
                let (document, source) = manifest(&root, client);
                (root, document, source)
            })
            .collect()
    }
}

/// The `AppManifest` of an app made from what it holds.
fn manifest(root: &std::path::Path, client: Client) -> (CheckedDocument, Arc<SourceFile>) {
    let at = client.facts.span;
    let text = |node: &Node, key: &str| node.get(key).and_then(Node::as_str).map(str::to_owned);
    let name = text(&client.facts, "displayName")
        .and_then(|n| native::metadata_name(&n))
        .or_else(|| text(&client.facts, "appId"))
        .unwrap_or_else(|| "app".to_owned());
    let mut unknown = vec!["spec.signInAudience", "spec.consent", "spec.permissions.justification"];
    let mut publisher = Vec::new();
    let given = client.facts.get("publisher");
    for key in ["name", "origin", "verified", "verifiedPublisherId", "tenantId"] {
        match given.and_then(|p| p.entry(key)) {
            Some(entry) if key != "tenantId" || text(&client.facts, "origin").is_none() => {
                publisher.push(entry.clone());
            }
            Some(_) => {}
            None => match key {
                "name" => unknown.push("spec.publisher.name"),
                "verified" => unknown.push("spec.publisher.verified"),
                _ => {}
            },
        }
    }
    // `tenantId` is the publisher's tenant for an app of another organisation only.
    let origin = given.and_then(|p| p.get("origin")).and_then(Node::as_str);
    if origin != Some("other-organization") {
        publisher.retain(|e| e.key != "tenantId");
    }
    if publisher.iter().all(|e| e.key != "origin") {
        publisher.push(entry("origin", string("third-party", at)));
    }
    let mut origins = Origins::default();
    let mut permissions = Vec::new();
    for (index, held) in client.held.into_iter().enumerate() {
        let mut item = held.item;
        let span = item.span;
        push(&mut item, "consent", held.consent, span);
        origins.push(Origin {
            path: vec!["spec".to_owned(), "permissions".to_owned(), index.to_string()],
            source: held.source,
        });
        permissions.push(item);
    }
    let mut spec = Vec::new();
    if let Some(display) = client.facts.entry("displayName") {
        spec.push(display.clone());
    }
    spec.push(entry("publisher", map(publisher, at)));
    spec.push(entry("permissions", Node { value: Value::Seq(permissions), span: at }));
    let mut metadata = vec![entry("name", string(&name, at))];
    if let Some(app_id) = client.facts.entry("appId") {
        metadata.push(Entry { key: "appId".to_owned(), ..app_id.clone() });
    }
    let root_node = map(
        vec![
            entry("apiVersion", string(API_VERSION, at)),
            entry("kind", string(Kind::AppManifest.as_str(), at)),
            entry("metadata", map(metadata, at)),
            entry("spec", map(spec, at)),
        ],
        at,
    );
    let native = Native {
        format: FROM_GRANTS,
        unknown,
        part: None,
        root: root.to_path_buf(),
        tenant: None,
        run: None,
        reasons: Vec::new(),
    };
    let document =
        CheckedDocument { index: 0, kind: Kind::AppManifest, root: root_node, native: Some(native), origins };
    (document, client.source)
}

/// The `spec.permissions` list of a tree.
fn permissions_mut(root: &mut Node) -> Option<&mut Vec<Node>> {
    let Value::Map(entries) = &mut root.value else { return None };
    let spec = entries.iter_mut().find(|e| e.key == "spec")?;
    let Value::Map(fields) = &mut spec.value.value else { return None };
    match &mut fields.iter_mut().find(|e| e.key == "permissions")?.value.value {
        Value::Seq(items) => Some(items),
        _ => None,
    }
}

/// Sets `key` of a mapping node to the string `text` at `span`, and keeps only the fields a
/// manifest's permission has.
fn push(item: &mut Node, key: &str, text: &str, span: Span) {
    let Value::Map(entries) = &mut item.value else { return };
    entries.retain(|e| {
        matches!(e.key.as_str(), "name" | "type" | "resource" | "justification" | "consent") && e.key != key
    });
    entries.push(entry(key, string(text, span)));
}

fn entry(key: &str, value: Node) -> Entry {
    Entry { key: key.to_owned(), key_span: value.span, value }
}

fn string(text: &str, span: Span) -> Node {
    Node { value: Value::String(text.to_owned()), span }
}

fn map(entries: Vec<Entry>, span: Span) -> Node {
    Node { value: Value::Map(entries), span }
}
