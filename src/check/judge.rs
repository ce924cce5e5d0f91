//! Judging the files: a tenant pass, then a judging pass that streams every other file through
//! parse, validation and the engine on its worker, and `unique` settled at the end.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::{Setup, rule_metas};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::discover::{self, Input};
use crate::engine::{self, Engine};
use crate::error::Error;
use crate::load::{self, ReadProblem};
use crate::options::Options;
use crate::report::Report;
use crate::source::SourceFile;
use crate::suppress;
use crate::validate::{self, CheckedFile};

/// Files holding this text (in their encoding) may hold a tenant, and are parsed before the others.
const TENANT_KIND: &str = "TenantConfig";

/// How many bytes of files read in the tenant pass are kept for the judging pass; the rest are
/// read again then. This bounds memory whatever the number and size of the files.
const READ_AHEAD: usize = 16 * 1024 * 1024;

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
