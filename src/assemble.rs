//! Assembling native tenants: the parts of a tenant read from Microsoft Graph objects (its
//! authorization policy, admin consent request policy, consent setting, organization, …), found in
//! the files under one export root, joined into one tenant document that the rules read like any
//! other. Each subtree remembers the file it came from ([`Origin`]), so that findings and schema
//! errors point into the native file that states the value.

mod custom;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use crate::catalog::GRAPH;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::kind::Kind;
use crate::native::{self, Lookup, Native, TENANT_FACTS};
use crate::schema::Schemas;
use crate::source::{SourceFile, Span};
use crate::validate::{CheckedDocument, CheckedFile, Origin, Origins};
use crate::yaml::{Entry, Node, Value};

/// One part waiting for its tenant.
struct Part {
    /// The position of its file in the run.
    file: usize,
    source: Arc<SourceFile>,
    document: CheckedDocument,
}

/// Takes every native tenant part out of `files` (each with its position in the run), joins the
/// parts that share an export root into one tenant, validates it, and returns each tenant as a file
/// of its own, positioned at its first part's file. A second part that a tenant has only one of is
/// reported at it, pointing at the first, and left out. With `complete` (`completeExports: true` in
/// the configuration), every export is taken to hold each object its tenant has (see
/// [`complete`]).
#[must_use]
pub fn assemble(
    files: &mut [(usize, CheckedFile)],
    schemas: &Schemas,
    lookup: &dyn Lookup,
    complete: bool,
) -> Vec<(usize, CheckedFile)> {
    // Each exported service principal's API, named as the catalog names it (by application id),
    // else by the principal's own display name, as the catalog will name it once it is added.
    let principals: HashMap<String, String> = files
        .iter()
        .flat_map(|(_, file)| &file.resources)
        .filter_map(|r| {
            let name = lookup.resource_name(&r.app_id).unwrap_or(&r.name);
            Some((r.object_id.clone()?, name.to_owned()))
        })
        .collect();
    let mut roots: BTreeMap<PathBuf, Vec<Part>> = BTreeMap::new();
    for (index, file) in files.iter_mut() {
        let (parts, own): (Vec<_>, Vec<_>) = std::mem::take(&mut file.documents)
            .into_iter()
            .partition(|d| d.native.as_ref().is_some_and(|n| n.part.is_some()));
        file.documents = own;
        for mut document in parts {
            name_classified_apis(&mut document, &principals);
            let root = document.native.as_ref().map(|n| n.root.clone()).unwrap_or_default();
            roots.entry(root).or_default().push(Part {
                file: *index,
                source: Arc::clone(&file.source),
                document,
            });
        }
    }
    roots.into_iter().filter_map(|(root, parts)| tenant(root, parts, schemas, complete)).collect()
}

/// Names the API of each low-impact classification by its service principal, exported in the run:
/// a Microsoft Graph permission by its name alone, another API's as `{name, resource}`. When the
/// principal is not in the run, the classifications cannot be attributed, and the tenant's list is
/// unknown rather than judged incomplete.
fn name_classified_apis(document: &mut CheckedDocument, principals: &HashMap<String, String>) {
    let Some(native) =
        document.native.as_mut().filter(|n| n.part.is_some_and(|p| p.name == native::CLASSIFICATION))
    else {
        return;
    };
    let Some(items) = items_of(&mut document.root) else { return };
    let api_of = |item: &Node| {
        let principal = item.get("resource").and_then(Node::as_str)?.to_ascii_lowercase();
        principals.get(&principal).cloned()
    };
    if !items.iter().all(|item| api_of(item).is_some()) {
        let path = "spec.userConsent.lowImpactPermissions";
        native.unknown.push(path);
        native.reasons.push((path, UNATTRIBUTED));
        return;
    }
    for item in items.iter_mut() {
        let Some(api) = api_of(item) else { continue };
        if api == GRAPH {
            if let Some(name) = item.get("name").cloned() {
                *item = name;
            }
        } else if let Value::Map(entries) = &mut item.value
            && let Some(resource) = entries.iter_mut().find(|e| e.key == "resource")
        {
            resource.value.value = Value::String(api);
        }
    }
}

/// Why classifications are not judged when their API's service principal is not in the run.
const UNATTRIBUTED: &str = "the exported classifications cannot be tied to an API: the service principal they name is not in the run (export it beside them)";

/// The items of `spec.userConsent.lowImpactPermissions` in a part's tree.
fn items_of(root: &mut Node) -> Option<&mut Vec<Node>> {
    let spec = field_mut(root, "spec")?;
    let consent = field_mut(spec, "userConsent")?;
    match &mut field_mut(consent, "lowImpactPermissions")?.value {
        Value::Seq(items) => Some(items),
        _ => None,
    }
}

fn field_mut<'a>(node: &'a mut Node, key: &str) -> Option<&'a mut Node> {
    match &mut node.value {
        Value::Map(entries) => entries.iter_mut().find(|e| e.key == key).map(|e| &mut e.value),
        _ => None,
    }
}

/// The order parts are joined in: the authorization policy first, so that the tenant's file is the
/// one users know it by; a tool's own export before the results that repeat it (whatever the files'
/// names); then by file and position.
fn rank(part: &Part) -> (bool, bool, usize, usize) {
    let native = part.document.native.as_ref();
    let name = native.and_then(|n| n.part).map(|p| p.name);
    let repeated = native.and_then(|n| n.run.as_ref()).is_some_and(|run| run.results);
    (name != Some("authorizationPolicy"), repeated, part.file, part.document.index)
}

fn tenant(
    root: PathBuf,
    mut parts: Vec<Part>,
    schemas: &Schemas,
    complete: bool,
) -> Option<(usize, CheckedFile)> {
    parts.sort_by_key(rank);
    let detected = entra_exporter(&parts);
    let mut diagnostics = Vec::new();
    let mut seen: Vec<(&'static str, Arc<SourceFile>, Span, Option<String>)> = Vec::new();
    let mut kept: Vec<Part> = Vec::new();
    for part in parts {
        let Some(what) = part.document.native.as_ref().and_then(|n| n.part) else { continue };
        let run = part.document.native.as_ref().and_then(|n| n.run.as_ref()).map(|r| r.id.clone());
        let at = opening(&part.document.root);
        // Only the kinds a tenant has one of are remembered: a handful, however many parts.
        match seen.iter().find(|(name, ..)| !what.repeatable && *name == what.name) {
            // The same object written twice by one run of a tool (ScubaGear's export and its
            // results): one object, not two in conflict.
            Some((.., first_run)) if run.is_some() && *first_run == run => {}
            Some((_, first, first_at, _)) => {
                diagnostics.push(second(what.name, &root, &part, at, first, *first_at));
            }
            None => {
                if !what.repeatable {
                    seen.push((what.name, Arc::clone(&part.source), at, run));
                }
                kept.push(part);
            }
        }
    }
    let mut iter = kept.into_iter();
    let first = iter.next()?;
    let file = first.file;
    let source = Arc::clone(&first.source);
    let index = first.document.index;
    let mut natives: Vec<Native> = first.document.native.iter().cloned().collect();
    let mut tree = first.document.root;
    let mut origins = Origins::default();
    let mut conflicts = Vec::new();
    for part in iter {
        natives.extend(part.document.native.iter().cloned());
        let mut path = Vec::new();
        merge(&mut tree, part.document.root, &mut path, &mut origins, &part.source, &mut conflicts);
    }
    let root_dir = place(&root);
    let mut native = joined(&natives, root, complete || detected);
    // Only a configuration that says every export is whole makes the exemptions known: neither
    // tool's default run exports the policies applied to each app (ScubaGear's export lists them
    // with its default policy, which the converter reads).
    if complete {
        native.unknown.retain(|path| *path != native::EXEMPTIONS);
    }
    if custom::judge(&mut tree) {
        native.unknown.retain(|path| *path != "spec.userConsent.policy");
    }
    name_tenant(&mut tree, &native);
    let document =
        CheckedDocument { index, kind: Kind::TenantConfig, root: tree, native: Some(native), origins };
    for conflict in conflicts {
        let kept_in = document.source_at(&source, &conflict.path);
        let key = conflict.path.join(".");
        diagnostics.push(
            Diagnostic::tool(
                Code::ConflictingTenantParts,
                format!(
                    "`{key}` is stated differently by two objects of the tenant exported under {root_dir}"
                ),
                &conflict.source,
                conflict.other,
            )
            .with_label("not used")
            .with_related_in(kept_in, conflict.kept, "the value that is used")
            .with_help(
                "the objects under one export root form one tenant: remove the stale copy, or name each \
                 tenant's directory under `tenants:` in `.consentlint.yaml`",
            ),
        );
    }
    let mut checked = CheckedFile {
        source,
        documents: Vec::new(),
        diagnostics,
        ours: 0,
        unreadable: false,
        invalid_tenants: Vec::new(),
        skipped: Vec::new(),
        resources: Vec::new(),
    };
    let own = Arc::clone(&checked.source);
    let source_at = |pointer: &str| document.source_at_pointer(&own, pointer);
    match schemas.validate_assembled(&document.root, index, &source_at) {
        Ok(_) => checked.documents.push(document),
        Err(found) => {
            checked.diagnostics.extend(found);
            if let Some(name) = document.metadata("name") {
                checked.invalid_tenants.push(name.to_owned());
            }
        }
    }
    Some((file, checked))
}

/// The first character of a part's object: where a problem with the whole object is shown.
fn opening(root: &Node) -> Span {
    Span::new(root.span.start, root.span.start.saturating_add(1).min(root.span.end.max(root.span.start)))
}

/// The finding for a second part of a kind a tenant has one of.
fn second(
    name: &str,
    root: &std::path::Path,
    part: &Part,
    at: Span,
    first: &Arc<SourceFile>,
    first_at: Span,
) -> Diagnostic {
    let place = place(root);
    Diagnostic::tool(
        Code::ConflictingTenantParts,
        format!("a second `{name}` for the tenant exported under {place}"),
        &part.source,
        at,
    )
    .in_document(part.document.index)
    .with_label("not used")
    .with_related_in(first, first_at, format!("the `{name}` that is used"))
    .with_help(
        "a tenant has one of these: remove the copy, or name each tenant's directory under `tenants:` in \
         `.consentlint.yaml`",
    )
}

/// The export root as messages name it.
fn place(root: &std::path::Path) -> String {
    let dir = root.display().to_string();
    if dir.is_empty() { "the current directory".to_owned() } else { format!("`{dir}`") }
}

/// A value two parts of one tenant state differently.
struct Conflict {
    path: Vec<String>,
    /// Where the value that is used is written (in the file `origins` give for `path`).
    kept: Span,
    /// Where the other is written, in `source`.
    other: Span,
    source: Arc<SourceFile>,
}

/// Adds the entries of `from` to `into`: mappings are merged, lists that several parts contribute to
/// are joined, and for any other key the value already there stays. Each added subtree records the
/// file it came from.
fn merge(
    into: &mut Node,
    from: Node,
    path: &mut Vec<String>,
    origins: &mut Origins,
    source: &Arc<SourceFile>,
    conflicts: &mut Vec<Conflict>,
) {
    let (Value::Map(entries), Value::Map(added)) = (&mut into.value, from.value) else { return };
    for entry in added {
        let Entry { key, key_span, value } = entry;
        path.push(key.clone());
        match entries.iter_mut().find(|e| e.key == key) {
            Some(existing) => match (&mut existing.value.value, value) {
                (Value::Map(_), value @ Node { value: Value::Map(_), .. }) => {
                    merge(&mut existing.value, value, path, origins, source, conflicts);
                }
                (Value::Seq(items), Node { value: Value::Seq(more), .. }) => {
                    // Each added item is read from `source`.
                    for item in more {
                        let mut at = path.clone();
                        at.push(items.len().to_string());
                        origins.push(Origin { path: at, source: Arc::clone(source) });
                        items.push(item);
                    }
                }
                // The value already there stays; a different one is a conflict, never dropped silently.
                (kept, value) => {
                    if *kept != value.value {
                        conflicts.push(Conflict {
                            path: path.clone(),
                            kept: existing.value.span,
                            other: value.span,
                            source: Arc::clone(source),
                        });
                    }
                }
            },
            None => {
                origins.push(Origin { path: path.clone(), source: Arc::clone(source) });
                entries.push(Entry { key, key_span, value });
            }
        }
        path.pop();
    }
}

/// Whether the parts come from a run of EntraExporter's `Export-Entra` whole enough that an object
/// it does not hold is one the tenant does not have: its organization file
/// (`Organization/Organization.json`) beside the authorization policy it files under
/// `Policies/AuthorizationPolicy/`. Both are written by every run of its default type (`Config`),
/// which also writes every directory setting under `GroupSettings/` (`Get-EEDefaultSchema.ps1`).
fn entra_exporter(parts: &[Part]) -> bool {
    let named = |name: &'static str| {
        parts
            .iter()
            .filter(move |p| p.document.native.as_ref().and_then(|n| n.part).is_some_and(|x| x.name == name))
    };
    let organization =
        named("organization").any(|p| p.source.path().ends_with("Organization/Organization.json"));
    let policy = named("authorizationPolicy").any(|p| {
        let folders: Vec<&std::ffi::OsStr> = p.source.path().iter().collect();
        folders.windows(2).any(|pair| {
            pair.first().is_some_and(|f| f.eq_ignore_ascii_case("Policies"))
                && pair.get(1).is_some_and(|f| f.eq_ignore_ascii_case("AuthorizationPolicy"))
        })
    });
    organization && policy
}

/// The facts that, in a complete export, are stated as absent rather than unknown when the object
/// that states them is not in it (the tenant has no "Consent Policy Settings"), or when the object
/// leaves them out (an authorization policy without `allowedToCreateApps`): the baselines read such
/// a tenant as one without the values (ScubaGear fails MS.AAD.5.3v1, Maester EIDSCA.CP03 and CP04,
/// and skips CP01), and so does a tenant file that leaves them out.
const ABSENT_WHEN_COMPLETE: [&str; 3] =
    ["spec.consentPolicySettings", "spec.userConsent.groupOwnerConsent", "spec.usersCanRegisterApps"];

/// What the tenant as a whole does not state: every fact no part provides, and what a part that
/// provides it could not say; in a `complete` export, less what it states as absent.
fn joined(natives: &[Native], root: PathBuf, complete: bool) -> Native {
    let provided: Vec<&str> =
        natives.iter().filter_map(|n| n.part).flat_map(|p| p.provides.iter().copied()).collect();
    let has = |name: &str| natives.iter().any(|n| n.part.is_some_and(|p| p.name == name));
    let settings_absent = complete && !provided.contains(&"spec.consentPolicySettings");
    let mut unknown: Vec<&'static str> = TENANT_FACTS
        .iter()
        .copied()
        .filter(|fact| !provided.contains(fact))
        .filter(|fact| !(settings_absent && ABSENT_WHEN_COMPLETE.contains(fact)))
        .collect();
    for native in natives {
        for missing in &native.unknown {
            if !unknown.contains(missing) {
                unknown.push(missing);
            }
        }
    }
    // The authorization policy leaves `allowedToCreateApps` out only when it does not hold it.
    if complete && has("authorizationPolicy") {
        unknown.retain(|path| *path != "spec.usersCanRegisterApps");
    }
    let format = match natives {
        [one] => one.format,
        _ if natives.iter().all(|n| n.format.starts_with("ScubaGear")) => "ScubaGear export",
        _ => "Microsoft Graph export",
    };
    let tenant = natives.iter().find_map(|n| n.tenant.clone());
    let reasons = natives.iter().flat_map(|n| n.reasons.iter().copied()).collect();
    Native { format, unknown, part: None, root, tenant, run: None, reasons }
}

/// Gives the tenant a name when none of its parts did: the one the configuration gives its
/// directory, else the directory's name. A configured name wins over the organization's.
fn name_tenant(tree: &mut Node, native: &Native) {
    let span = opening(tree);
    let from_dir = native
        .root
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(native::metadata_name)
        .unwrap_or_else(|| "tenant".to_owned());
    let Value::Map(entries) = &mut tree.value else { return };
    if !entries.iter().any(|e| e.key == "metadata") {
        let metadata = Node { value: Value::Map(Vec::new()), span };
        entries
            .insert(2.min(entries.len()), Entry { key: "metadata".into(), key_span: span, value: metadata });
    }
    let Some(metadata) = entries.iter_mut().find(|e| e.key == "metadata") else { return };
    let Value::Map(fields) = &mut metadata.value.value else { return };
    let configured = native.tenant.clone();
    let has_name = fields.iter().any(|e| e.key == "name");
    let name = match (configured, has_name) {
        (Some(name), _) => name,
        (None, true) => return,
        (None, false) => from_dir,
    };
    let node = Node {
        value: Value::String(name),
        span: fields.iter().find(|e| e.key == "name").map_or(span, |e| e.value.span),
    };
    fields.retain(|e| e.key != "name");
    fields.insert(0, Entry { key: "name".into(), key_span: node.span, value: node });
}
