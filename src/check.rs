//! The `check` pipeline: discover, read and parse, identify, validate, evaluate, report.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::catalog::{self, Catalog};
use crate::codes;
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::{self, MissingPaths};
use crate::engine::{self, Engine};
use crate::kind::Kind;
use crate::load::{self, LoadedDocument};
use crate::model::Model;
use crate::policy::{self, PolicySet};
use crate::report::Report;
use crate::schema::Schemas;
use crate::source::{SourceFile, Span};
use crate::suppress;
use crate::yaml::{Limits, Node};

/// How to run a check.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Files and directories to check.
    pub paths: Vec<PathBuf>,
    /// Paths are shown relative to this directory.
    pub base: PathBuf,
    /// Worker threads; all cores when `None`.
    pub threads: Option<usize>,
    /// Parser limits.
    pub limits: Limits,
    /// Where the rules come from; none by default (the command line adds the built-in pack).
    pub policies: policy::Sources,
    /// Extra permission catalogs.
    pub catalogs: Vec<PathBuf>,
    /// Which codes to report.
    pub selection: Selection,
    /// Files and directories loaded only for cross-document rules (the tenants).
    pub context: Vec<PathBuf>,
    /// Severity changes by code; `None` turns a code off.
    pub severities: std::collections::BTreeMap<String, Option<Severity>>,
    /// The configuration file, whose include and exclude patterns filter the files.
    pub config: Option<Arc<crate::config::Config>>,
    /// A baseline whose findings are hidden.
    pub baseline: Option<PathBuf>,
}

/// Why a check could not run.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// A named path does not exist.
    #[error(transparent)]
    Missing(#[from] MissingPaths),
    /// A `--select` or `--ignore` entry that matches no code.
    #[error("unknown rule or code `{code}`")]
    UnknownCode {
        /// As given.
        code: String,
        /// A suggestion.
        help: String,
    },
    /// A bug or an environment problem.
    #[error("{0}")]
    Internal(String),
}

/// A schema-valid document of ours.
#[derive(Debug)]
pub struct CheckedDocument {
    /// 0-based position in the file.
    pub index: usize,
    /// Its kind.
    pub kind: Kind,
    /// The located tree.
    pub root: Node,
    /// The typed model.
    pub model: Model,
}

/// One file after reading and validation.
#[derive(Debug)]
pub struct CheckedFile {
    /// The text.
    pub source: Arc<SourceFile>,
    /// Its valid documents.
    pub documents: Vec<CheckedDocument>,
    /// Problems found so far.
    pub diagnostics: Vec<Diagnostic>,
    /// How many of its documents are ours.
    pub ours: usize,
    /// Whether it could not be read.
    pub unreadable: bool,
    /// Names of its tenants that failed their schema: apps naming them are told why they are not
    /// judged against them.
    pub invalid_tenants: Vec<String>,
}

/// Which codes to report: `select` (all when empty) minus `ignore`; entries match codes or
/// prefixes of codes (`CL-A` selects every app rule).
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Codes or prefixes to report; everything when empty.
    pub select: Vec<String>,
    /// Codes or prefixes never to report.
    pub ignore: Vec<String>,
}

impl Selection {
    /// Whether findings with this code are reported. Files that are not valid YAML or fail their
    /// schema (`CL-P…`, `CL-S…`) could not be checked, so `select` never hides them; only an
    /// explicit `ignore` does.
    #[must_use]
    pub fn allows(&self, code: &str) -> bool {
        let matches = |entry: &String| code.starts_with(entry.as_str());
        let always = code.starts_with("CL-P") || code.starts_with("CL-S");
        (always || self.select.is_empty() || self.select.iter().any(matches))
            && !self.ignore.iter().any(matches)
    }
}

/// Loads the policies and catalogs of a run.
///
/// # Errors
/// Every problem in a policy or catalog file, each at its node.
pub fn load_setup(options: &Options, schemas: &Schemas) -> Result<(PolicySet, Catalog), Vec<Diagnostic>> {
    let mut catalog = Catalog::bundled().map_err(|e| vec![internal(&e)])?;
    let mut problems = Vec::new();
    for path in &options.catalogs {
        match catalog::load_file(path, &options.base) {
            Ok(file) => catalog.add(file),
            Err(found) => problems.extend(found),
        }
    }
    let policies = PolicySet::load(&options.policies, schemas, &options.base);
    match policies {
        Ok(policies) if problems.is_empty() => Ok((policies, catalog)),
        Ok(_) => Err(problems),
        Err(mut found) => {
            found.extend(problems);
            Err(found)
        }
    }
}

fn internal(message: &str) -> Diagnostic {
    let source = Arc::new(SourceFile::new(PathBuf::new(), "consentlint".into(), ""));
    Diagnostic::new("internal", Severity::Error, message, &source, Span::point(0))
}

/// Checks that every `--select` and `--ignore` entry matches a known code, then drops the rules
/// that are not selected.
fn check_selection(options: &Options, policies: &PolicySet) -> Result<(), CheckError> {
    let known: Vec<&str> = policies
        .rules
        .iter()
        .map(|r| r.id.as_str())
        .chain(codes::ALL.iter().map(|(code, _, _)| *code))
        .collect();
    for entry in options.selection.select.iter().chain(&options.selection.ignore) {
        if !known.iter().any(|code| code.starts_with(entry.as_str())) {
            let help = crate::suggest::did_you_mean(entry, known.iter().copied()).map_or_else(
                || "`consentlint rules` lists the rule ids".to_owned(),
                |best| format!("did you mean `{best}`?"),
            );
            return Err(CheckError::UnknownCode { code: entry.clone(), help });
        }
    }
    Ok(())
}

/// What judging one file gave.
struct FileResult {
    documents: usize,
    unreadable: bool,
    diagnostics: Vec<Diagnostic>,
    pending: Vec<engine::Pending>,
    /// Suppression comments, only for files that have some (holding a file's text costs memory).
    comments: Option<(Arc<SourceFile>, Vec<suppress::Comment>)>,
}

/// Files holding these bytes may hold a tenant, and are parsed before the others.
const TENANT_KIND: &[u8] = b"TenantConfig";

/// Runs `work` on `threads` worker threads, or on the global pool.
fn in_pool<T: Send>(threads: Option<usize>, work: impl FnOnce() -> T + Send) -> Result<T, CheckError> {
    match threads {
        Some(threads) => Ok(rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| CheckError::Internal(format!("cannot start {threads} threads: {e}")))?
            .install(work)),
        None => Ok(work()),
    }
}

/// Runs the pipeline.
///
/// # Errors
/// When a named path does not exist, or the thread pool or bundled data cannot be set up.
/// Mistakes in policy and catalog files are not errors: they come back as an incomplete report.
pub fn run(options: &Options) -> Result<Report, CheckError> {
    let mut found = discover::discover(&options.paths)?;
    if let Some(config) = &options.config {
        let explicit: Vec<PathBuf> = options.paths.iter().filter(|p| !p.is_dir()).cloned().collect();
        found.files.retain(|file| config.allows(file, &options.base, !explicit.contains(file)));
    }
    if !options.context.is_empty() {
        let context = discover::discover(&options.context)?;
        found.context = context.files.into_iter().filter(|file| !found.files.contains(file)).collect();
    }
    let schemas = Schemas::new().map_err(CheckError::Internal)?;
    let (mut policies, catalog) = match load_setup(options, &schemas) {
        Ok(setup) => setup,
        Err(problems) => return Ok(Report::new(problems, 0, 0, true)),
    };
    if let Some(config) = &options.config {
        let known: Vec<&str> = policies
            .rules
            .iter()
            .map(|r| r.id.as_str())
            .chain(codes::ALL.iter().map(|(c, _, _)| *c))
            .collect();
        let unknown = config.unknown_rules(&known);
        if !unknown.is_empty() {
            return Ok(Report::new(unknown, 0, 0, true));
        }
    }
    check_selection(options, &policies)?;
    policies
        .rules
        .retain(|rule| options.selection.allows(&rule.id) && options.severities.get(&rule.id) != Some(&None));
    let mut report = run_with(options, &found, &schemas, &policies, &catalog)?;
    report.rules = rule_metas(&policies);
    if let Some(baseline) = &options.baseline
        && let Err(problem) = crate::baseline::apply(baseline, &mut report, &options.base, &found.files)
    {
        return Ok(Report::new(vec![*problem], 0, 0, true));
    }
    Ok(report)
}

/// What the output formats say about the rules that ran, and about the tool's own codes.
#[must_use]
pub fn rule_metas(policies: &PolicySet) -> Vec<crate::report::RuleMeta> {
    let mut metas: Vec<crate::report::RuleMeta> = policies
        .rules
        .iter()
        .map(|rule| crate::report::RuleMeta {
            id: rule.id.clone(),
            name: rule.name.clone(),
            severity: rule.severity,
            summary: rule.summary.clone(),
            description: rule.description.clone(),
            url: engine::rule_url(rule),
        })
        .collect();
    metas.extend(codes::rule_metas());
    metas.sort_by(|a, b| a.id.cmp(&b.id));
    metas
}

/// Runs the pipeline over discovered files with policies and catalogs already loaded.
///
/// # Errors
/// When the thread pool cannot be started.
pub fn run_with(
    options: &Options,
    found: &discover::Discovered,
    schemas: &Schemas,
    policies: &PolicySet,
    catalog: &Catalog,
) -> Result<Report, CheckError> {
    let checked = found.files.len();
    let all: Vec<&PathBuf> = found.files.iter().chain(&found.context).collect();
    let (documents, mut incomplete, mut diagnostics, comments) = in_pool(options.threads, || {
        let name = |path: &Path| discover::display_name(path, &options.base);
        let read: Vec<Result<Vec<u8>, load::ReadProblem>> =
            all.par_iter().map(|path| load::read(path)).collect();
        // Tenants first: app rules need them in context. Only files that mention the kind are
        // parsed in this pass, and they are not parsed again.
        let tenant_files: Vec<(usize, CheckedFile)> = read
            .par_iter()
            .enumerate()
            .filter(|(_, bytes)| {
                bytes.as_ref().is_ok_and(|b| b.windows(TENANT_KIND.len()).any(|w| w == TENANT_KIND))
            })
            .map(|(index, bytes)| {
                let path = all[index];
                let loaded = load::from_read(path, name(path), bytes.clone(), options.limits);
                (index, check_loaded(loaded, schemas))
            })
            .collect();
        let mut engine = Engine::new(policies, catalog, tenant_files.iter().map(|(_, file)| file));
        let duplicate_tenants = std::mem::take(&mut engine.duplicate_tenants);
        let judge = |index: usize, file: &CheckedFile, mut diagnostics: Vec<Diagnostic>| {
            let found = engine.evaluate_file(file);
            let reported = index < checked;
            diagnostics.extend(found.diagnostics);
            FileResult {
                documents: if reported { file.ours } else { 0 },
                unreadable: reported && file.unreadable,
                diagnostics: if reported { diagnostics } else { Vec::new() },
                pending: found.pending,
                comments: Some(suppress::scan(&file.source))
                    .filter(|comments| reported && !comments.is_empty())
                    .map(|comments| (Arc::clone(&file.source), comments)),
            }
        };
        let results: Vec<FileResult> = read
            .into_par_iter()
            .enumerate()
            .map(|(index, bytes)| match tenant_files.binary_search_by_key(&index, |(i, _)| *i) {
                Ok(position) => {
                    let file = &tenant_files[position].1;
                    judge(index, file, file.diagnostics.clone())
                }
                Err(_) => {
                    let path = all[index];
                    // Parsed, validated, judged and freed on this worker.
                    let mut file =
                        check_loaded(load::from_read(path, name(path), bytes, options.limits), schemas);
                    let diagnostics = std::mem::take(&mut file.diagnostics);
                    judge(index, &file, diagnostics)
                }
            })
            .collect();
        let documents = results.iter().map(|r| r.documents).sum::<usize>();
        let unreadable = results.iter().any(|r| r.unreadable);
        let mut diagnostics: Vec<Diagnostic> = duplicate_tenants
            .into_iter()
            .filter(|d| !found.context.iter().any(|c| c == d.source.path()))
            .collect();
        let mut pending = Vec::new();
        let mut comments = Vec::new();
        for result in results {
            diagnostics.extend(result.diagnostics);
            pending.extend(result.pending);
            comments.extend(result.comments);
        }
        let context: std::collections::HashSet<&Path> = found.context.iter().map(PathBuf::as_path).collect();
        diagnostics.extend(
            engine::resolve_unique(pending).into_iter().filter(|d| !context.contains(d.source.path())),
        );
        (documents, unreadable, diagnostics, comments)
    })?;
    incomplete |= settle(options, found, policies, &mut diagnostics, &comments);
    let count = checked;
    diagnostics.retain(|d| options.selection.allows(&d.code));
    Ok(Report::new(diagnostics, count, documents, incomplete))
}

/// Adds the paths that could not be walked, applies severities, selection and inline
/// suppressions; returns whether some input could not be read.
fn settle(
    options: &Options,
    found: &discover::Discovered,
    policies: &PolicySet,
    diagnostics: &mut Vec<Diagnostic>,
    comments: &[(Arc<SourceFile>, Vec<suppress::Comment>)],
) -> bool {
    let mut incomplete = false;
    for (path, reason) in &found.problems {
        let source = Arc::new(SourceFile::new(path.clone(), discover::display_name(path, &options.base), ""));
        let message = format!("cannot read the path: {reason}");
        diagnostics.push(
            Diagnostic::new(codes::READ, Severity::Error, message, &source, Span::point(0))
                .with_url(codes::url(codes::READ)),
        );
        incomplete = true;
    }
    diagnostics
        .retain(|d| options.selection.allows(&d.code) && options.severities.get(&d.code) != Some(&None));
    for diagnostic in diagnostics.iter_mut() {
        if let Some(Some(severity)) = options.severities.get(&diagnostic.code) {
            diagnostic.severity = *severity;
        }
    }
    let known: Vec<&str> =
        policies.ids.iter().map(String::as_str).chain(codes::ALL.iter().map(|(c, _, _)| *c)).collect();
    let reported = |code: &str| options.selection.allows(code) && options.severities.get(code) != Some(&None);
    let about_comments = suppress::apply(diagnostics, comments, &known, &reported);
    diagnostics.extend(about_comments.into_iter().filter_map(|mut d| {
        match options.severities.get(&d.code) {
            Some(None) => return None,
            Some(Some(severity)) => d.severity = *severity,
            None => {}
        }
        options.selection.allows(&d.code).then_some(d)
    }));
    incomplete
}

/// Reads, parses and validates one file.
#[must_use]
pub fn check_file(path: &Path, base: &Path, limits: Limits, schemas: &Schemas) -> CheckedFile {
    check_loaded(load::load(path, discover::display_name(path, base), limits), schemas)
}

/// Validates a loaded file's documents and builds their models.
#[must_use]
pub fn check_loaded(loaded: load::LoadedFile, schemas: &Schemas) -> CheckedFile {
    let mut file = CheckedFile {
        ours: loaded.documents.len(),
        source: loaded.source,
        documents: Vec::new(),
        diagnostics: loaded.diagnostics,
        unreadable: loaded.unreadable,
        invalid_tenants: Vec::new(),
    };
    for LoadedDocument { index, kind, root } in loaded.documents {
        let validated = schemas.validate(kind, &root, index, &file.source);
        if kind == Kind::TenantConfig
            && validated.is_err()
            && let Some(name) = root.get("metadata").and_then(|m| m.get("name")).and_then(Node::as_str)
        {
            file.invalid_tenants.push(name.to_owned());
        }
        match validated {
            Ok(json) => match build_model(kind, json) {
                Ok(model) => file.documents.push(CheckedDocument { index, kind, root, model }),
                Err(error) => file.diagnostics.push(
                    Diagnostic::new(
                        codes::SCHEMA,
                        Severity::Error,
                        format!("the document could not be read: {error}"),
                        &file.source,
                        root.span,
                    )
                    .in_document(index),
                ),
            },
            Err(found) => file.diagnostics.extend(found),
        }
    }
    file
}

fn build_model(kind: Kind, json: serde_json::Value) -> Result<Model, serde_json::Error> {
    Ok(match kind {
        Kind::TenantConfig => Model::Tenant(serde_json::from_value(json)?),
        Kind::AppManifest => Model::App(serde_json::from_value(json)?),
        Kind::Policy | Kind::PolicyTest => Model::Other,
    })
}
