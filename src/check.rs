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
use crate::report::{Note, Report, RuleMeta};
use crate::schema::Schemas;
use crate::severity::Severity;
use crate::source::SourceFile;
use crate::suppress;
use crate::validate::{self, CheckedFile};

/// Files holding this text (in their encoding) may hold a tenant, and are parsed before the others.
const TENANT_KIND: &str = "TenantConfig";

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
    let (found, context, fixtures) = discover_all(options)?;
    run_on(options, &found, &context, fixtures, &load_setup(options)?)
}

/// Runs the pipeline with the rules, catalog and schemas already loaded (by [`load_setup`] with the
/// same options), for callers that check many times.
///
/// # Errors
/// As [`run`], less the problems of loading the setup.
pub(crate) fn run_with(options: &Options, setup: &Setup) -> Result<Report, Error> {
    let (found, context, fixtures) = discover_all(options)?;
    run_on(options, &found, &context, fixtures, setup)
}

/// The files to check, the context files that are not among them, and how many walked files were
/// left out as policy-test fixtures.
fn discover_all(options: &Options) -> Result<(discover::Discovered, Vec<PathBuf>, usize), Error> {
    let mut found = discover::discover(&options.paths, options.filter.as_ref(), &options.base)?;
    if let Some(piped) = &options.piped {
        found.add_piped(piped, options.filter.as_ref(), &options.base);
    }
    let fixtures = crate::fixtures::skip_walked_fixtures(&mut found.files, &options.base);
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
    Ok((found, context, fixtures))
}

/// Judges what discovery found and settles the report.
fn run_on(
    options: &Options,
    found: &discover::Discovered,
    context: &[PathBuf],
    fixtures: usize,
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
        if let Some((config, span)) = &options.baseline_set_at
            && std::fs::symlink_metadata(baseline).is_err()
        {
            let name = discover::display_name(baseline, &options.base);
            let problem = Diagnostic::tool(
                Code::InvalidConfiguration,
                format!("the baseline `{name}` does not exist"),
                config,
                *span,
            )
            .with_label("not found")
            .with_help(format!(
                "write it with `consentlint check --write-baseline {name}`, or remove `baseline:`"
            ));
            return Err(Error::Inputs(vec![problem]));
        }
        let checked: Vec<PathBuf> = found.files.iter().map(|f| f.path.clone()).collect();
        crate::baseline::apply(baseline, &mut report, &options.base, &checked)
            .map_err(|problem| Error::Inputs(vec![*problem]))?;
    }
    report.notes = notes(options, found, fixtures, &report);
    report.finish();
    Ok(report)
}

/// What the run says about itself: named files it did not check, fixtures it skipped, and a
/// warning when it judged nothing at all, so that a run over the wrong paths never looks clean.
fn notes(options: &Options, found: &discover::Discovered, fixtures: usize, report: &Report) -> Vec<Note> {
    let info = |message: String| Note { severity: Severity::Info, message };
    let mut notes: Vec<Note> = found
        .excluded
        .iter()
        .map(|path| {
            let name = discover::display_name(path, &options.base);
            info(format!(
                "`{name}` is excluded by the configuration's `exclude` patterns, so it was not checked"
            ))
        })
        .collect();
    if fixtures > 0 {
        let (files, verb) =
            if fixtures == 1 { ("1 file".to_owned(), "was") } else { (format!("{fixtures} files"), "were") };
        notes.push(info(format!(
            "{files} named by policy tests {verb} not judged as documents; `consentlint test` runs them"
        )));
    }
    let nothing = if report.summary.files == 0 {
        Some("no files were checked: the paths hold no `.yaml`, `.yml` or `.json` file that the configuration includes".to_owned())
    } else if report.summary.documents == 0 && report.diagnostics.is_empty() {
        Some(if report.summary.files == 1 {
            "the file checked holds no consentlint document (`apiVersion: consentlint/v1`), so nothing was judged"
                .to_owned()
        } else {
            format!(
                "none of the {} files checked holds a consentlint document (`apiVersion: consentlint/v1`), so nothing was judged",
                report.summary.files
            )
        })
    } else {
        None
    };
    notes.extend(nothing.map(|message| Note { severity: Severity::Warning, message }));
    notes
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

/// What judging the files gave so far: each worker folds its files into one, so that nothing is
/// kept per clean file but its `unique` occurrences.
#[derive(Default)]
struct Tally {
    documents: usize,
    unreadable: bool,
    diagnostics: Vec<Diagnostic>,
    pending: Vec<engine::Pending>,
    /// Suppression comments, only for files that have some (holding a file's text costs memory).
    comments: Vec<(Arc<SourceFile>, Vec<suppress::Comment>)>,
}

impl Tally {
    fn merge(mut self, other: Self) -> Self {
        self.documents += other.documents;
        self.unreadable |= other.unreadable;
        self.diagnostics.extend(other.diagnostics);
        self.pending.extend(other.pending);
        self.comments.extend(other.comments);
        self
    }
}

/// What the tenant pass left for the judging pass: the bytes of a file that holds no tenant, kept
/// within [`READ_AHEAD`] (boxed, so that a file to read again costs a pointer), or `None`.
type Kept = Option<Box<Result<Vec<u8>, ReadProblem>>>;

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
    let mut tally = in_pool(options.threads, || {
        let budget = AtomicUsize::new(READ_AHEAD);
        let (tenants, others): (Vec<_>, Vec<_>) = all
            .par_iter()
            .enumerate()
            .map(|(index, path)| {
                let read = read_input(options, path);
                match &read {
                    Ok(bytes) if load::may_hold_tenant(bytes, TENANT_KIND) => {
                        // Only files that hold a tenant are kept for the whole run; one that merely
                        // mentions the kind is read again when it is judged, like any other.
                        let file = load_checked(path, read);
                        let holds_tenant = !file.invalid_tenants.is_empty()
                            || file.documents.iter().any(|d| d.kind == crate::kind::Kind::TenantConfig);
                        if holds_tenant { (index, Ok(file)) } else { (index, Err(None)) }
                    }
                    Ok(bytes) if !take(&budget, bytes.len()) => (index, Err(None)),
                    _ => (index, Err(Some(Box::new(read)))),
                }
            })
            .partition_map(|(index, slot)| match slot {
                Ok(file) => rayon::iter::Either::Left((index, file)),
                Err(kept) => rayon::iter::Either::Right((index, kept)),
            });
        let engine = Engine::new(&setup.policies, &setup.catalog, tenants.iter().map(|(_, file)| file));
        let judge_one = |mut tally: Tally, index: usize, file: &CheckedFile, diagnostics: Vec<Diagnostic>| {
            let found = engine.evaluate_file(file);
            tally.pending.extend(found.pending.into_iter().map(|p| p.in_file(index)));
            if index < checked {
                tally.documents += file.ours;
                tally.unreadable |= file.unreadable;
                let comments = suppress::scan(&file.source);
                let start = tally.diagnostics.len();
                tally.diagnostics.extend(diagnostics);
                tally.diagnostics.extend(found.diagnostics);
                if comments.is_empty() {
                    shorten_source(&file.source, tally.diagnostics.get_mut(start..).unwrap_or_default());
                } else {
                    tally.comments.push((Arc::clone(&file.source), comments));
                }
            }
            tally
        };
        let tenant_tally = tenants
            .par_iter()
            .fold(Tally::default, |tally, (index, file)| {
                judge_one(tally, *index, file, file.diagnostics.clone())
            })
            .reduce(Tally::default, Tally::merge);
        let other_tally = others
            .into_par_iter()
            .fold(Tally::default, |tally, (index, kept): (usize, Kept)| {
                let Some(path) = all.get(index) else { return tally };
                let read = kept.map_or_else(|| read_input(options, path), |kept| *kept);
                let mut file = load_checked(path, read);
                let diagnostics = std::mem::take(&mut file.diagnostics);
                judge_one(tally, index, &file, diagnostics)
            })
            .reduce(Tally::default, Tally::merge);
        let mut tally = tenant_tally.merge(other_tally);
        let context: std::collections::HashSet<&std::path::Path> =
            context.iter().map(PathBuf::as_path).collect();
        let in_context = |d: &Diagnostic| context.contains(d.source.path());
        tally.diagnostics.extend(engine.duplicate_tenants.iter().filter(|d| !in_context(d)).cloned());
        // Occurrences of `unique` values are kept only where they are; files with a repeat are
        // judged again, now building every occurrence's finding.
        let mut pending = std::mem::take(&mut tally.pending);
        let again = engine::files_to_reevaluate(&pending);
        if !again.is_empty() {
            pending.retain(|p| !again.contains(&p.file()));
            let found: Vec<Vec<engine::Pending>> = again
                .par_iter()
                .filter_map(|&index| {
                    let path = all.get(index)?;
                    let file = load_checked(path, read_input(options, path));
                    let found = engine.reevaluate_file(&file).pending;
                    Some(found.into_iter().map(|p| p.in_file(index)).collect())
                })
                .collect();
            pending.extend(found.into_iter().flatten());
        }
        let name = |index: usize| {
            all.get(index).map(|path| discover::display_name(path, &options.base)).unwrap_or_default()
        };
        tally
            .diagnostics
            .extend(engine::resolve_unique(pending, &name).into_iter().filter(|d| !in_context(d)));
        tally
    })?;
    let known: Vec<&str> =
        setup.policies.ids.iter().map(String::as_str).chain(Code::ALL.iter().map(|c| c.as_str())).collect();
    let reports = |code: &str| options.reports(code);
    let about_comments = suppress::apply(&mut tally.diagnostics, &tally.comments, &known, &reports);
    tally.diagnostics.extend(about_comments);
    let mut report = Report::new(tally.diagnostics, checked, tally.documents, tally.unreadable);
    report.rules = rule_metas(&setup.policies);
    Ok(report)
}

/// A file's bytes: standard input's for the piped document's name, else read from disk.
fn read_input(options: &Options, path: &std::path::Path) -> Result<Vec<u8>, ReadProblem> {
    match &options.piped {
        Some(piped) if discover::clean(&piped.path) == path => Ok(piped.bytes.clone()),
        _ => load::read(path),
    }
}

/// Files larger than this keep, for their findings, only the text up to the last line a finding
/// shows.
const SHORTEN_ABOVE: usize = 1024 * 1024;

/// Lines kept after the last line a finding points at, for the snippets' context.
const CONTEXT_LINES: usize = 3;

/// Lets the findings of a large file hold only the start of its text, up to a few lines past the
/// last place they point at: offsets before that are unchanged, so every position and snippet is
/// the same, and a report with findings in many large files does not hold all of their text.
fn shorten_source(source: &Arc<SourceFile>, diagnostics: &mut [Diagnostic]) {
    let text = source.text();
    if text.len() <= SHORTEN_ABOVE || diagnostics.is_empty() {
        return;
    }
    let same = |other: &Arc<SourceFile>| Arc::ptr_eq(other, source);
    let last = diagnostics
        .iter()
        .flat_map(|d| {
            let primary = d.span.filter(|_| same(&d.source)).map(|span| span.end);
            primary.into_iter().chain(d.related.iter().filter(|l| same(&l.source)).map(|l| l.span.end))
        })
        .max()
        .unwrap_or(0);
    let end = source.line_start(source.line_index(last) + 1 + CONTEXT_LINES);
    let Some(kept) = text.get(..end).filter(|kept| kept.len() < text.len()) else { return };
    let short = Arc::new(SourceFile::new(source.path().to_path_buf(), source.name().to_owned(), kept));
    for diagnostic in diagnostics {
        if same(&diagnostic.source) {
            diagnostic.source = Arc::clone(&short);
        }
        for label in &mut diagnostic.related {
            if same(&label.source) {
                label.source = Arc::clone(&short);
            }
        }
    }
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
    metas.extend(RuleMeta::of_codes());
    metas.sort_by(|a, b| a.id.cmp(&b.id));
    metas
}
