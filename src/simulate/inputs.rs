//! Reading the tenant and the apps the way `check` reads them (discover, load, validate), and
//! taking from `check`'s report the diagnostics that make an input unusable.

use std::path::Path;
use std::sync::Arc;

use crate::check::Setup;
use crate::codes::Code;
use crate::discover;
use crate::error::Error;
use crate::kind::Kind;
use crate::load;
use crate::options::Options;
use crate::report::Report;
use crate::source::SourceFile;
use crate::validate::{self, CheckedDocument, CheckedFile};

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

/// The tenant and the apps of a simulation.
pub(super) struct Read {
    tenant: Option<Document>,
    apps: Vec<Document>,
}

impl Read {
    /// The tenant, unless its file is not usable.
    pub(super) fn tenant(&self) -> Option<&Document> {
        self.tenant.as_ref()
    }

    /// Every valid app, in file order.
    pub(super) fn apps(&self) -> &[Document] {
        &self.apps
    }
}

/// Reads the tenant at `tenant` and the apps of `options.paths`.
///
/// # Errors
/// A path that does not exist; a usable tenant file that holds no tenant or several; app paths
/// that hold no app and no unusable file.
pub(super) fn read(options: &Options, tenant: &Path, setup: &Setup) -> Result<Read, Error> {
    let shown = discover::display_name(tenant, &options.base);
    let tenant_files = files(options, &[tenant.to_path_buf()], setup)?;
    let unusable = tenant_files.iter().any(|file| !file.diagnostics.is_empty());
    let mut tenants = documents(tenant_files, Kind::TenantConfig);
    let tenant = match tenants.len() {
        0 if unusable => None,
        0 => {
            return Err(Error::Usage {
                message: format!("`{shown}` holds no tenant"),
                help: "name a file with a `kind: TenantConfig` document (or a tenant consentlint reads natively) \
                       with `--tenant`"
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
                help: "name the file of one tenant with `--tenant`".to_owned(),
            });
        }
    };
    let app_files = files(options, &options.paths, setup)?;
    let unusable = app_files.iter().any(|file| !file.diagnostics.is_empty());
    let apps = documents(app_files, Kind::AppManifest);
    if apps.is_empty() && !unusable {
        let paths: Vec<String> =
            options.paths.iter().map(|p| format!("`{}`", discover::display_name(p, &options.base))).collect();
        return Err(Error::Usage {
            message: format!("no app manifest in {}", paths.join(", ")),
            help: "name files or directories that hold `kind: AppManifest` documents".to_owned(),
        });
    }
    Ok(Read { tenant, apps })
}

/// Discovers, reads and validates the files of `paths`, as `check` does.
fn files(options: &Options, paths: &[std::path::PathBuf], setup: &Setup) -> Result<Vec<CheckedFile>, Error> {
    let found = discover::discover(paths, options.filter.as_ref(), &options.base)?;
    Ok(found
        .files
        .iter()
        .map(|input| {
            let name = discover::display_name(&input.path, &options.base);
            validate::validate(load::load(&input.path, name, options.limits), &setup.schemas)
        })
        .collect())
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
