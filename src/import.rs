//! `consentlint import`: native inputs as `consentlint/v1` YAML, one tenant file per assembled tenant
//! and one file per app, so that a team can start a reviewed desired-state repository from a real
//! tenant. Each value carries a comment naming the native file, line, column and JSON pointer it was
//! read from; what the native files do not state is listed in `metadata.notStated`, so that checking
//! the import judges exactly what checking the native files judges.

mod emit;
mod grants;
mod output;

pub use output::{Refused, write_all};

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::assemble;
use crate::check;
use crate::diagnostic::Diagnostic;
use crate::discover;
use crate::error::Error;
use crate::kind::Kind;
use crate::load;
use crate::native::{self, Lookup};
use crate::options::Options;
use crate::source::{SourceFile, Span};
use crate::validate::{CheckedDocument, CheckedFile};
use crate::yaml::{Entry, Node, Value};

/// One file the import writes.
#[derive(Debug)]
pub struct ImportedFile {
    /// Where, relative to the output directory: `tenants/<name>.yaml` or `apps/<tenant>/<name>.yaml`.
    pub path: PathBuf,
    /// The YAML.
    pub text: String,
}

/// What an import gives.
#[derive(Debug, Default)]
pub struct Imported {
    /// The files to write, tenants first, each group by path.
    pub files: Vec<ImportedFile>,
    /// Problems in the native inputs: their documents are not imported.
    pub diagnostics: Vec<Diagnostic>,
    /// How many files were read.
    pub read: usize,
    /// The files that gave nothing to import, by name, and why: neither native nor ours, or
    /// already `consentlint/v1` documents.
    pub skipped: Vec<(String, &'static str)>,
}

/// Why a file of `consentlint/v1` documents is not imported.
pub const ALREADY_OURS: &str = "it holds `consentlint/v1` documents already: there is nothing to import";

/// Whether a document was read from a native export (an earlier import's documents are ours).
fn read_natively(document: &CheckedDocument) -> bool {
    document.native.as_ref().is_some_and(|n| n.format != native::IMPORTED)
}

/// Where synthesized values point: they were not read from any file.
const ADDED: Span = Span { start: usize::MAX, end: usize::MAX };

/// Reads the native documents under `options.paths` as `check` does (tenants assembled from their
/// parts, apps' permission ids named through the catalog and the exported service principals) and
/// writes each tenant and app as a document of ours.
///
/// # Errors
/// When the paths, the configuration or the catalogs cannot be used.
pub fn import(options: &Options) -> Result<Imported, Error> {
    let setup = check::load_setup(options)?;
    let found = discover::discover(&options.paths, options.filter.as_ref(), &options.base)?;
    let paths: Vec<PathBuf> = found.files.into_iter().map(|input| input.path).collect();
    let load_with = |path: &PathBuf, lookup: &dyn Lookup| {
        check::read_file(options, path, load::read(path), lookup, &setup.schemas)
    };
    let mut files: Vec<(usize, CheckedFile)> =
        paths.iter().enumerate().map(|(index, path)| (index, load_with(path, &setup.catalog))).collect();
    let catalog = check::with_resources(&setup.catalog, files.iter().flat_map(|(_, file)| &file.resources));
    let catalog = catalog.into_owned();
    for (index, file) in &mut files {
        let native_app = |d: &CheckedDocument| d.kind == Kind::AppManifest && read_natively(d);
        if file.documents.iter().any(native_app)
            && let Some(path) = paths.get(*index)
        {
            *file = load_with(path, &catalog);
        }
    }
    // Before assembling, which takes the tenant parts out of their files' documents.
    let mut imported = Imported { read: paths.len(), skipped: skipped(&files), ..Imported::default() };
    let tenants = assemble::assemble(&mut files, &setup.schemas, &setup.catalog, options.complete_exports);
    let mut pointers = emit::Pointers::default();
    let mut roots: HashMap<PathBuf, String> = HashMap::new();
    let mut taken = Taken::default();
    // An export root whose objects conflict (two authorization policies, say) is not imported: which
    // copy is right is the user's call, and an import of one would hide the conflict that checking
    // the export reports. Its apps wait with it.
    let mut conflicted: BTreeSet<PathBuf> = BTreeSet::new();
    for (_, file) in &tenants {
        imported.diagnostics.extend(file.diagnostics.iter().cloned());
        let conflict =
            file.diagnostics.iter().any(|d| d.code == crate::codes::Code::ConflictingTenantParts.as_str());
        if conflict {
            conflicted
                .extend(file.documents.iter().filter_map(|d| d.native.as_ref()).map(|n| n.root.clone()));
            continue;
        }
        for document in &file.documents {
            let name = document.metadata("name").unwrap_or("tenant").to_owned();
            if let Some(native) = &document.native {
                roots.insert(native.root.clone(), name.clone());
            }
            let path = unique(&mut taken, Path::new("tenants"), &name, "yaml");
            imported.files.push(write(document, &file.source, None, path, &mut pointers));
        }
    }
    // The grants: each app's become the consents its manifest approves.
    let mut held = grants::read(&files, &tenants, &catalog);
    imported.diagnostics.append(&mut held.diagnostics);
    for (_, file) in &files {
        let natives: Vec<&CheckedDocument> =
            file.documents.iter().filter(|d| d.kind == Kind::AppManifest && read_natively(d)).collect();
        // Errors in any input are reported, whether or not its file gave something to import.
        imported.diagnostics.extend(
            file.diagnostics.iter().filter(|d| d.severity == crate::severity::Severity::Error).cloned(),
        );
        for document in natives {
            if document.native.as_ref().is_some_and(|n| conflicted.contains(&n.root)) {
                continue;
            }
            let tenant = document.native.as_ref().and_then(|n| roots.get(&n.root)).cloned();
            let name = document.metadata("name").unwrap_or("app").to_owned();
            let dir = Path::new("apps").join(file_stem(tenant.as_deref().unwrap_or("")).as_ref());
            let path = unique(&mut taken, &dir, &name, "yaml");
            let mut document = CheckedDocument {
                index: document.index,
                kind: document.kind,
                root: document.root.clone(),
                native: document.native.clone(),
                origins: document.origins.clone(),
            };
            held.merge(&mut document);
            imported.files.push(write(&document, &file.source, tenant.as_deref(), path, &mut pointers));
        }
    }
    for (root, document, source) in held.manifests() {
        if conflicted.contains(&root) {
            continue;
        }
        let tenant = roots.get(&root).cloned();
        let name = document.metadata("name").unwrap_or("app").to_owned();
        let dir = Path::new("apps").join(file_stem(tenant.as_deref().unwrap_or("")).as_ref());
        let path = unique(&mut taken, &dir, &name, "yaml");
        imported.files.push(write(&document, &source, tenant.as_deref(), path, &mut pointers));
    }
    catalogs(&files, &setup.catalog, &mut taken, &mut imported.files);
    crate::diagnostic::sort(&mut imported.diagnostics);
    imported
        .diagnostics
        .dedup_by(|a, b| a.code == b.code && a.span == b.span && Arc::ptr_eq(&a.source, &b.source));
    Ok(imported)
}

/// The files that give nothing to import, sorted by name: those neither ours nor native nor an
/// exported API (with the reason `check --show-skipped` gives), and those of ours only.
fn skipped(files: &[(usize, CheckedFile)]) -> Vec<(String, &'static str)> {
    let mut skipped: Vec<(String, &'static str)> = files
        .iter()
        .filter(|(_, file)| file.resources.is_empty())
        .filter_map(|(_, file)| {
            let failed = file.diagnostics.iter().any(|d| d.severity == crate::severity::Severity::Error);
            let ours = !failed && !file.documents.is_empty() && !file.documents.iter().any(read_natively);
            let why = file.skipped_because().or(ours.then_some(ALREADY_OURS))?;
            Some((file.source.name().to_owned(), why))
        })
        .collect();
    skipped.sort_unstable();
    skipped
}

/// A permission catalog per API whose service principal was exported (`catalogs/<api>.json`, with
/// the facts the principal states that `known`, the run's own catalogs, lack: as when checking, the
/// stated facts win), and a `.consentlint.yaml` that loads them, so that checking the import names and
/// judges those permissions as checking the native files does.
fn catalogs(
    files: &[(usize, CheckedFile)],
    known: &dyn Lookup,
    taken: &mut Taken,
    out: &mut Vec<ImportedFile>,
) {
    let mut seen = BTreeSet::new();
    let mut written = Vec::new();
    for resource in files.iter().flat_map(|(_, file)| &file.resources) {
        if !seen.insert(resource.app_id.to_ascii_lowercase()) {
            continue;
        }
        let mut permissions = serde_json::Map::new();
        let lists = [
            ("delegated", native::Grant::Delegated, &resource.scopes),
            ("application", native::Grant::Application, &resource.roles),
        ];
        for (kind, grant, list) in lists {
            for permission in list {
                if known.permission_name(&resource.app_id, &permission.id, grant).is_some() {
                    continue;
                }
                // Only what the principal states: the catalog's defaults (admin consent required, not
                // limited to the user's own data) stand for the rest, as when checking the export.
                let mut facts = serde_json::json!({ "id": permission.id });
                if let (Some(admin), Some(object)) = (permission.admin_consent, facts.as_object_mut()) {
                    object.insert("adminConsent".into(), admin.into());
                }
                let entry =
                    permissions.entry(permission.value.clone()).or_insert_with(|| serde_json::json!({}));
                if let Some(entry) = entry.as_object_mut() {
                    entry.insert(kind.to_owned(), facts);
                }
            }
        }
        if permissions.is_empty() {
            continue;
        }
        let api = known.resource_name(&resource.app_id).unwrap_or(&resource.name);
        let catalog = serde_json::json!({
            "resource": api,
            "appId": resource.app_id,
            "permissions": permissions,
        });
        let name = native::metadata_name(&resource.name).unwrap_or_else(|| resource.app_id.clone());
        let path = unique(taken, Path::new("catalogs"), &name, "json");
        let text = serde_json::to_string_pretty(&catalog).unwrap_or_default() + "\n";
        written.push(path.clone());
        out.push(ImportedFile { path, text });
    }
    if !written.is_empty() {
        let mut text = String::from(
            "# Written by `consentlint import`: the APIs whose service principals were exported beside the\n\
             # apps, so that their permissions are named and judged as in the native files.\ncatalog:\n",
        );
        for path in &written {
            text.push_str("  - ");
            text.push_str(&path.display().to_string());
            text.push('\n');
        }
        out.push(ImportedFile { path: PathBuf::from(".consentlint.yaml"), text });
    }
}

/// The paths given out so far, and for each name how many times it was asked for.
#[derive(Default)]
struct Taken {
    paths: BTreeSet<PathBuf>,
    asked: HashMap<PathBuf, usize>,
}

/// `dir/<name>.<extension>`, or `dir/<name>-2.<extension>` and so on when it is taken; each name
/// resumes counting where it stopped, so many apps of one name cost no more than distinct ones.
fn unique(taken: &mut Taken, dir: &Path, name: &str, extension: &str) -> PathBuf {
    let name = &file_stem(name);
    let first = dir.join(format!("{name}.{extension}"));
    let count = taken.asked.entry(first.clone()).or_insert(0);
    loop {
        *count += 1;
        let path = if *count == 1 { first.clone() } else { dir.join(format!("{name}-{count}.{extension}")) };
        if taken.paths.insert(path.clone()) {
            return path;
        }
    }
}

/// Longest file or directory name written, in bytes, before the `-N` of a repeat and the extension:
/// file systems refuse names over 255 bytes.
const MAX_STEM: usize = 200;

/// `name` as a file or directory name: itself when short enough, else its first bytes and a hash
/// of the whole, so that long names that share a beginning stay apart (the full name stays in
/// `metadata.name`).
fn file_stem(name: &str) -> std::borrow::Cow<'_, str> {
    if name.len() <= MAX_STEM {
        return name.into();
    }
    // FNV-1a: the same name gives the same file name on every run and platform.
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    let mut end = MAX_STEM - 17;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}-{hash:016x}", name.get(..end).unwrap_or_default()).into()
}

/// The YAML of one document: a header naming its native files, then the tree with `tenant` (for an
/// app) and `notStated` added to its metadata.
fn write(
    document: &CheckedDocument,
    own: &Arc<SourceFile>,
    tenant: Option<&str>,
    path: PathBuf,
    pointers: &mut emit::Pointers,
) -> ImportedFile {
    write_within(document, own, tenant, path, pointers, load::MAX_FILE_SIZE)
}

/// [`write`], with values left without comments when with them the file would pass `limit` bytes.
fn write_within(
    document: &CheckedDocument,
    own: &Arc<SourceFile>,
    tenant: Option<&str>,
    path: PathBuf,
    pointers: &mut emit::Pointers,
    limit: u64,
) -> ImportedFile {
    let mut copy = CheckedDocument {
        index: document.index,
        kind: document.kind,
        root: document.root.clone(),
        native: None,
        origins: document.origins.clone(),
    };
    let mut unknown: Vec<&str> = document.native.as_ref().map(|n| n.unknown.clone()).unwrap_or_default();
    if document.kind == Kind::TenantConfig && document.metadata("tenantId").is_none() {
        unknown.push("metadata.tenantId");
    }
    add_metadata(&mut copy.root, tenant, &unknown);
    let mut sources: Vec<&str> = vec![own.name()];
    sources.extend(document.origins.iter().map(|o| o.source.name()));
    sources.sort_unstable();
    sources.dedup();
    let mut text = String::from("# Imported by `consentlint import` from:\n");
    for source in sources {
        text.push_str("#   ");
        text.push_str(&emit::comment_text(source));
        text.push('\n');
    }
    let annotated = emit::document(&copy, own, pointers, true);
    // A file `check` would refuse is no import: past the size limit, values go without comments.
    let (note, body) = if (text.len() + annotated.len() + 200) as u64 > limit {
        let note = "# Values carry no comment naming where they were read: with them this file would pass\n\
                    # the size limit `check` reads.\n";
        (note, emit::document(&copy, own, pointers, false))
    } else {
        (
            "# Each value's comment names the file, line, column and JSON pointer it was read from.\n",
            annotated,
        )
    };
    text.push_str(note);
    text.push_str(
        "# `metadata.notStated` lists what those files do not state: write a value and remove its path.\n",
    );
    text.push_str(&body);
    ImportedFile { path, text }
}

/// Adds `metadata.tenant` and `metadata.notStated` to a document's tree.
fn add_metadata(root: &mut Node, tenant: Option<&str>, unknown: &[&str]) {
    let Value::Map(entries) = &mut root.value else { return };
    let Some(metadata) = entries.iter_mut().find(|e| e.key == "metadata") else { return };
    let Value::Map(fields) = &mut metadata.value.value else { return };
    let added = |value: Value| Node { value, span: ADDED };
    if let Some(tenant) = tenant {
        fields.retain(|f| f.key != "tenant");
        fields.push(Entry {
            key: "tenant".into(),
            key_span: ADDED,
            value: added(Value::String(tenant.into())),
        });
    }
    let stated: Vec<Node> = unknown
        .iter()
        .filter(|path| native::stateable(path))
        .map(|path| added(Value::String((*path).to_owned())))
        .collect();
    if !stated.is_empty() {
        fields.push(Entry { key: "notStated".into(), key_span: ADDED, value: added(Value::Seq(stated)) });
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a test fails loudly when its setup fails")]

    use std::path::PathBuf;
    use std::sync::Arc;

    use super::{emit, write_within};
    use crate::kind::Kind;
    use crate::source::SourceFile;
    use crate::validate::{CheckedDocument, Origins};

    /// A file `check` would refuse is never written: past the limit, values go without the comment
    /// naming where they were read, and the file says so.
    #[test]
    fn values_go_without_comments_past_the_size_limit() {
        let text = "{\"metadata\": {\"name\": \"t\"}, \"spec\": {\"usersCanRegisterApps\": false}}\n";
        let source = Arc::new(SourceFile::new(PathBuf::from("t.json"), "t.json".into(), text));
        let root = crate::yaml::parse(text, crate::yaml::Limits::default()).documents.remove(0).root;
        let document = CheckedDocument {
            index: 0,
            kind: Kind::TenantConfig,
            root,
            native: None,
            origins: Origins::default(),
        };
        let write = |limit| {
            let mut pointers = emit::Pointers::default();
            write_within(&document, &source, None, PathBuf::from("t.yaml"), &mut pointers, limit).text
        };
        let annotated = write(10 * 1024 * 1024);
        assert!(annotated.contains("usersCanRegisterApps: false  # t.json:1:"), "{annotated}");
        let plain = write(annotated.len() as u64 - 1);
        assert!(plain.contains("  usersCanRegisterApps: false\n"), "{plain}");
        assert!(!plain.contains("# t.json:1:") && plain.contains("would pass\n# the size limit"), "{plain}");
    }
}
