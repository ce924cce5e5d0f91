//! Reading the tenant and the apps the way `check` reads them (discover, load, validate), and
//! taking from `check`'s report the diagnostics that make an input unusable.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::catalog::Catalog;
use crate::check::Setup;
use crate::codes::Code;
use crate::discover;
use crate::error::Error;
use crate::kind::Kind;
use crate::load;
use crate::options::Options;
use crate::report::Report;
use crate::source::SourceFile;
use crate::validate::{CheckedDocument, CheckedFile};

/// The codes that make an input unusable: not readable, not YAML, an unknown kind, or not valid
/// against its schema. Rule findings do not: they are part of what a simulation explains.
const UNUSABLE: [Code; 4] =
    [Code::InvalidYaml, Code::UnknownKind, Code::UnreadableInput, Code::SchemaViolation];

/// `check`'s report of the inputs, less everything but the diagnostics that make an input unusable.
pub(super) fn problems(report: &Report) -> Report {
    let unusable = |code: &str| UNUSABLE.iter().any(|c| c.as_str() == code);
    // Suppressed and baselined ones are left out, as `check` leaves them out of its exit status.
    let diagnostics = report.visible().filter(|d| unusable(&d.code)).cloned().collect();
    let mut problems =
        Report::new(diagnostics, report.summary.files, report.summary.documents, report.incomplete);
    problems.rules.clone_from(&report.rules);
    problems
}

/// A valid document and the file it is in.
pub(super) struct Document {
    /// The file's text.
    pub source: Arc<SourceFile>,
    /// The tree.
    pub document: CheckedDocument,
}

impl Document {
    /// `metadata.name`.
    pub(super) fn name(&self) -> Option<&str> {
        self.document.metadata("name")
    }
}

/// The tenant and the apps of a simulation, and the catalog to judge them with.
pub(super) struct Read {
    tenant: Option<Document>,
    apps: Vec<Document>,
    catalog: Catalog,
}

impl Read {
    /// The tenant, unless its files are not usable.
    pub(super) fn tenant(&self) -> Option<&Document> {
        self.tenant.as_ref()
    }

    /// Every valid app, in file order.
    pub(super) fn apps(&self) -> &[Document] {
        &self.apps
    }

    /// The run's catalog, with the APIs that exported service principals publish.
    pub(super) fn catalog(&self) -> &Catalog {
        &self.catalog
    }
}

/// Reads the tenant at `tenant` and the apps of `options.paths` as `check` does: native tenant
/// parts under one export root are assembled into one tenant, and the APIs exported beside them
/// name the permissions apps request by id.
///
/// # Errors
/// A path that does not exist; usable tenant files that hold no tenant or several; app paths that
/// hold no app and no unusable file.
pub(super) fn read(options: &Options, tenant: &Path, setup: &Setup) -> Result<Read, Error> {
    let shown = discover::display_name(tenant, &options.base);
    let tenant_paths = found(options, &[tenant.to_path_buf()])?;
    let app_paths = found(options, &options.paths)?;
    let mut tenant_files: Vec<(usize, CheckedFile)> =
        tenant_paths.iter().map(|path| load(options, path, &setup.catalog, setup)).enumerate().collect();
    let assembled = crate::assemble::assemble(
        &mut tenant_files,
        &setup.schemas,
        &setup.catalog,
        options.complete_exports,
    );
    tenant_files.extend(assembled);
    let mut app_files: Vec<CheckedFile> =
        app_paths.iter().map(|path| load(options, path, &setup.catalog, setup)).collect();
    let tenant_resources = tenant_files.iter().flat_map(|(_, file)| &file.resources);
    let resources = tenant_resources.chain(app_files.iter().flat_map(|file| &file.resources));
    let catalog = crate::check::with_resources(&setup.catalog, resources);
    let catalog = match catalog {
        std::borrow::Cow::Borrowed(catalog) => catalog.clone(),
        std::borrow::Cow::Owned(catalog) => {
            // The apps are read again, now naming the permissions those APIs publish.
            app_files = app_paths.iter().map(|path| load(options, path, &catalog, setup)).collect();
            catalog
        }
    };
    let tenant_files: Vec<CheckedFile> = tenant_files.into_iter().map(|(_, file)| file).collect();
    let assignment: std::collections::HashMap<String, bool> = tenant_files
        .iter()
        .chain(&app_files)
        .flat_map(|file| &file.resources)
        .filter_map(|r| Some((r.app_id.clone(), r.assignment_required?)))
        .collect();
    let unusable = tenant_files.iter().any(|file| !file.diagnostics.is_empty());
    let mut tenants = documents(tenant_files, Kind::TenantConfig);
    let tenant = match tenants.len() {
        0 if unusable => None,
        0 => {
            return Err(Error::Usage {
                message: format!("`{shown}` holds no tenant"),
                help: "name a file with a `kind: TenantConfig` document, or the export of a tenant \
                       consentlint reads natively, with `--tenant`"
                    .to_owned(),
            });
        }
        1 => tenants.pop(),
        count => {
            let names: Vec<String> =
                tenants.iter().map(|t| format!("`{}`", t.name().unwrap_or("?"))).collect();
            return Err(Error::Usage {
                message: format!(
                    "`{shown}` holds {count} tenants ({}), and a simulation has one",
                    names.join(", ")
                ),
                help: "name the file or export directory of one tenant with `--tenant`".to_owned(),
            });
        }
    };
    let unusable = app_files.iter().any(|file| !file.diagnostics.is_empty());
    let mut apps = documents(app_files, Kind::AppManifest);
    for app in &mut apps {
        join_assignment(&mut app.document, &assignment);
    }
    if apps.is_empty() && !unusable {
        let paths: Vec<String> =
            options.paths.iter().map(|p| format!("`{}`", discover::display_name(p, &options.base))).collect();
        return Err(Error::Usage {
            message: format!("no app manifest in {}", paths.join(", ")),
            help: "name files or directories that hold `kind: AppManifest` documents or app registrations"
                .to_owned(),
        });
    }
    Ok(Read { tenant, apps, catalog })
}

/// States whether a native app requires assignment where its own service principal is exported
/// beside it (an application object does not hold it; its service principal does).
fn join_assignment(app: &mut CheckedDocument, exported: &std::collections::HashMap<String, bool>) {
    const PATH: &str = "spec.assignmentRequired";
    let Some(native) = app.native.as_mut().filter(|n| n.unknown.contains(&PATH)) else { return };
    let Some(required) = app
        .root
        .get("metadata")
        .and_then(|m| m.get("appId"))
        .and_then(crate::yaml::Node::as_str)
        .and_then(|id| exported.get(&id.to_ascii_lowercase()))
        .copied()
    else {
        return;
    };
    native.unknown.retain(|path| *path != PATH);
    if let Some(crate::yaml::Node { value: crate::yaml::Value::Map(entries), span }) = spec_mut(&mut app.root)
    {
        let value = crate::yaml::Node { value: crate::yaml::Value::Bool(required), span: *span };
        entries.push(crate::yaml::Entry { key: "assignmentRequired".to_owned(), key_span: *span, value });
    }
}

fn spec_mut(root: &mut crate::yaml::Node) -> Option<&mut crate::yaml::Node> {
    match &mut root.value {
        crate::yaml::Value::Map(entries) => {
            entries.iter_mut().find(|e| e.key == "spec").map(|e| &mut e.value)
        }
        _ => None,
    }
}

/// The files discovery finds in `paths`, as `check` finds them.
fn found(options: &Options, paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let found = discover::discover(paths, options.filter.as_ref(), &options.base)?;
    Ok(found.files.into_iter().map(|input| input.path).collect())
}

/// Reads and validates one file as `check` does, naming permissions by id with `lookup`.
fn load(options: &Options, path: &Path, lookup: &Catalog, setup: &Setup) -> CheckedFile {
    crate::check::read_file(options, path, load::read(path), lookup, &setup.schemas)
}

/// The valid documents of `kind` in `files`, in file order.
fn documents(files: Vec<CheckedFile>, kind: Kind) -> Vec<Document> {
    files
        .into_iter()
        .flat_map(|file| {
            let source = file.source;
            file.documents
                .into_iter()
                .filter(|document| document.kind == kind)
                .map(move |document| Document { source: Arc::clone(&source), document })
        })
        .collect()
}
