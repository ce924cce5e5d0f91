//! The `check` pipeline, wiring only: discover → read and parse (`load`) → `validate` → `engine`
//! → settle (selection, severities, suppressions, baseline) → [`Report`]. Each stage's types live
//! in its own module.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::catalog::{self, Catalog};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::discover::{self, Input};
use crate::engine::{self, Engine};
use crate::error::Error;
use crate::load::{self, ReadProblem};
use crate::options::Options;
use crate::policy::PolicySet;
use crate::report::{Report, RuleMeta};
use crate::schema::Schemas;
use crate::source::SourceFile;
use crate::suppress;
use crate::validate::{self, CheckedFile};

/// Files holding these bytes may hold a tenant, and are parsed before the others.
const TENANT_KIND: &[u8] = b"TenantConfig";

/// How many bytes of files read in the tenant pass are kept for the judging pass; the rest are
/// read again then. This bounds memory whatever the number and size of the files.
const READ_AHEAD: usize = 16 * 1024 * 1024;

/// The rules, catalog and schemas of a run.
pub(crate) struct Setup {
    /// The compiled schemas.
    pub schemas: Schemas,
    /// The rules that run.
    pub policies: PolicySet,
    /// Every permission catalog.
    pub catalog: Catalog,
}

/// Runs the pipeline.
///
/// # Errors
/// A named path that does not exist, problems in the policies, catalogs or baseline (as
/// [`Error::Inputs`]), an unknown `--select` or `--ignore` entry, or threads that cannot start.
pub fn run(options: &Options) -> Result<Report, Error> {
    let (found, context) = discover_all(options)?;
    run_on(options, &found, &context, &load_setup(options)?)
}

/// Runs the pipeline with the rules, catalog and schemas already loaded (by [`load_setup`] with the
/// same options), for callers that check many times.
///
/// # Errors
/// As [`run`], less the problems of loading the setup.
pub(crate) fn run_with(options: &Options, setup: &Setup) -> Result<Report, Error> {
    let (found, context) = discover_all(options)?;
    run_on(options, &found, &context, setup)
}

/// The files to check, and the context files that are not among them.
fn discover_all(options: &Options) -> Result<(discover::Discovered, Vec<PathBuf>), Error> {
    let found = discover::discover(&options.paths, options.filter.as_ref(), &options.base)?;
    let context = if options.context.is_empty() {
        Vec::new()
    } else {
        discover::discover(&options.context, None, &options.base)?.files
    };
    let context: Vec<PathBuf> = context
        .into_iter()
        .map(|input| input.path)
        .filter(|path| found.files.binary_search_by(|f| f.path.cmp(path)).is_err())
        .collect();
    Ok((found, context))
}

/// Judges what discovery found and settles the report.
fn run_on(
    options: &Options,
    found: &discover::Discovered,
    context: &[PathBuf],
    setup: &Setup,
) -> Result<Report, Error> {
    let mut report = judge(options, &found.files, context, setup)?;
    for (path, reason) in &found.problems {
        let source = Arc::new(SourceFile::new(path.clone(), discover::display_name(path, &options.base), ""));
        let problem =
            Diagnostic::about_file(Code::UnreadableInput, format!("cannot read the path: {reason}"), &source);
        report.diagnostics.push(problem);
        report.incomplete = true;
    }
    options.apply(&mut report.diagnostics);
    if let Some(baseline) = &options.baseline {
        let checked: Vec<PathBuf> = found.files.iter().map(|f| f.path.clone()).collect();
        crate::baseline::apply(baseline, &mut report, &options.base, &checked)
            .map_err(|problem| Error::Inputs(vec![*problem]))?;
    }
    report.finish();
    Ok(report)
}

/// Loads the rules (less those the options turn off) and the catalogs of a run.
///
/// # Errors
/// Every problem in a policy, catalog or configuration `rules` entry, each at its node.
pub(crate) fn load_setup(options: &Options) -> Result<Setup, Error> {
    let schemas = Schemas::new().map_err(Error::Internal)?;
    let mut catalog = Catalog::bundled().map_err(Error::Internal)?;
    let mut problems = Vec::new();
    for path in &options.catalogs {
        match catalog::load_file(path, &options.base) {
            Ok(file) => catalog.add(file),
            Err(found) => problems.extend(found),
        }
    }
    let mut policies = match PolicySet::load(&options.policies, &schemas, &options.base) {
        Ok(policies) => policies,
        Err(Error::Inputs(found)) => {
            problems.splice(0..0, found);
            return Err(Error::Inputs(problems));
        }
        Err(error) => return Err(error),
    };
    let known: Vec<&str> =
        policies.ids.iter().map(String::as_str).chain(Code::ALL.iter().map(|c| c.as_str())).collect();
    if let Some(config) = &options.config {
        problems.extend(config.unknown_rules(&known));
    }
    if !problems.is_empty() {
        return Err(Error::Inputs(problems));
    }
    for entry in options.selection.select.iter().chain(&options.selection.ignore) {
        if !known.iter().any(|code| code.starts_with(entry.as_str())) {
            let help = crate::suggest::did_you_mean(entry, known.iter().copied()).map_or_else(
                || "`consentlint rules` lists the rule ids".to_owned(),
                |best| format!("did you mean `{best}`?"),
            );
            return Err(Error::UnknownCode { code: entry.clone(), help });
        }
    }
    policies.rules.retain(|rule| options.reports(&rule.id));
    Ok(Setup { schemas, policies, catalog })
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

/// What the tenant pass left for the judging pass: the bytes of a file that holds no tenant, kept
/// within [`READ_AHEAD`], or `None` to read it again.
type Kept = Option<Result<Vec<u8>, ReadProblem>>;

/// Judges `files` (reported) with `context` (loaded for their tenants only): the tenant pass
/// validates the files that may hold tenants; the judging pass reads, parses, validates, judges
/// and frees every other file on its worker, so memory does not grow with the number of files.
/// Suppressions are applied; selection, severities and the baseline are the caller's.
///
/// # Errors
/// When the worker threads cannot be started.
pub(crate) fn judge(
    options: &Options,
    files: &[Input],
    context: &[PathBuf],
    setup: &Setup,
) -> Result<Report, Error> {
    let checked = files.len();
    let all: Vec<&PathBuf> = files.iter().map(|f| &f.path).chain(context).collect();
    let load_checked = |path: &PathBuf, read| {
        let name = discover::display_name(path, &options.base);
        validate::validate(load::from_read(path, name, read, options.limits), &setup.schemas)
    };
    let (documents, unreadable, mut diagnostics, comments) = in_pool(options.threads, || {
        let budget = AtomicUsize::new(READ_AHEAD);
        let (tenants, others): (Vec<_>, Vec<_>) = all
            .par_iter()
            .enumerate()
            .map(|(index, path)| {
                let read = load::read(path);
                match &read {
                    Ok(bytes) if bytes.windows(TENANT_KIND.len()).any(|w| w == TENANT_KIND) => {
                        (index, Ok(load_checked(path, read)))
                    }
                    Ok(bytes) if !take(&budget, bytes.len()) => (index, Err(None)),
                    _ => (index, Err(Some(read))),
                }
            })
            .partition_map(|(index, slot)| match slot {
                Ok(file) => rayon::iter::Either::Left((index, file)),
                Err(kept) => rayon::iter::Either::Right((index, kept)),
            });
        let engine = Engine::new(&setup.policies, &setup.catalog, tenants.iter().map(|(_, file)| file));
        let judge_one = |index: usize, file: &CheckedFile, mut diagnostics: Vec<Diagnostic>| {
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
        let mut results: Vec<FileResult> = tenants
            .par_iter()
            .map(|(index, file)| judge_one(*index, file, file.diagnostics.clone()))
            .collect();
        results.par_extend(others.into_par_iter().filter_map(|(index, kept): (usize, Kept)| {
            let path = all.get(index)?;
            let read = kept.unwrap_or_else(|| load::read(path));
            let mut file = load_checked(path, read);
            let diagnostics = std::mem::take(&mut file.diagnostics);
            Some(judge_one(index, &file, diagnostics))
        }));
        let context: std::collections::HashSet<&std::path::Path> =
            context.iter().map(PathBuf::as_path).collect();
        let in_context = |d: &Diagnostic| context.contains(d.source.path());
        let mut diagnostics: Vec<Diagnostic> =
            engine.duplicate_tenants.iter().filter(|d| !in_context(d)).cloned().collect();
        let mut pending = Vec::new();
        let mut comments = Vec::new();
        let mut documents = 0;
        let mut unreadable = false;
        for result in results {
            documents += result.documents;
            unreadable |= result.unreadable;
            diagnostics.extend(result.diagnostics);
            pending.extend(result.pending);
            comments.extend(result.comments);
        }
        diagnostics.extend(engine::resolve_unique(pending).into_iter().filter(|d| !in_context(d)));
        (documents, unreadable, diagnostics, comments)
    })?;
    let known: Vec<&str> =
        setup.policies.ids.iter().map(String::as_str).chain(Code::ALL.iter().map(|c| c.as_str())).collect();
    let about_comments = suppress::apply(&mut diagnostics, &comments, &known, &|code| options.reports(code));
    diagnostics.extend(about_comments);
    let mut report = Report::new(diagnostics, checked, documents, unreadable);
    report.rules = rule_metas(&setup.policies);
    Ok(report)
}

/// Takes `amount` from the read-ahead budget, if it holds that much.
fn take(budget: &AtomicUsize, amount: usize) -> bool {
    budget.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| left.checked_sub(amount)).is_ok()
}

/// Runs `work` on `threads` worker threads, or on the global pool.
fn in_pool<T: Send>(threads: Option<usize>, work: impl FnOnce() -> T + Send) -> Result<T, Error> {
    match threads {
        Some(threads) => Ok(rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| Error::Threads { threads, reason: e.to_string() })?
            .install(work)),
        None => Ok(work()),
    }
}

/// What the output formats say about the rules that ran, and about the tool's own codes.
#[must_use]
pub fn rule_metas(policies: &PolicySet) -> Vec<RuleMeta> {
    let mut metas: Vec<RuleMeta> = policies
        .rules
        .iter()
        .map(|rule| RuleMeta {
            id: rule.id.clone(),
            name: rule.name.clone(),
            severity: rule.severity,
            summary: rule.summary.clone(),
            description: rule.description.clone(),
            url: rule.url.clone(),
        })
        .collect();
    metas.extend(crate::codes::rule_metas());
    metas.sort_by(|a, b| a.id.cmp(&b.id));
    metas
}
