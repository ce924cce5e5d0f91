//! Judging the files: a tenant pass, then a judging pass that streams every other file through
//! parse, validation and the engine on its worker, and `unique` settled at the end.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::{Setup, rule_metas};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::discover::{self, Input};
use crate::engine::{self, Documents, Engine};
use crate::grants;

mod grants_pass;
use crate::error::Error;
use crate::kind::Kind;
use crate::load::{self, ReadProblem};
use crate::options::Options;
use crate::report::Report;
use crate::source::SourceFile;
use crate::suppress;
use crate::validate::CheckedFile;

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
    /// Files checked that held nothing judged, with why (only with `--show-skipped`).
    skipped: Vec<(String, &'static str)>,
    /// How many files checked held nothing judged.
    skipped_files: usize,
    /// Rules not run for lack of a value, by rule, kind, format and value: how many documents and
    /// the first few names.
    not_judged: BTreeMap<NotJudgedKey, (usize, BTreeSet<String>)>,
    /// Indices of the rules run on some document checked, and of those that applied somewhere.
    judged: BTreeSet<usize>,
    applied: BTreeSet<usize>,
    /// The same, for each tenant by name.
    by_tenant: BTreeMap<String, (BTreeSet<usize>, BTreeSet<usize>)>,
    /// Rules not run for lack of a value, by tenant and rule, with why.
    not_judged_in: BTreeMap<(String, String), String>,
    /// Indices of the rules not run on some app for want of its tenant.
    without_tenant: BTreeSet<usize>,
    /// The desired state and the registrations read so far, for the grants (collected only when
    /// the run holds grants).
    desired: grants::Desired,
    registrations: grants::Registrations,
    /// Inputs whose grants wait for the grants pass, read again then.
    later: Vec<usize>,
    /// The grants read, for finding duplicates, and the tenants and tenant-wide grants read, for
    /// the approved grants the export lacks.
    seen: Vec<grants::Seen>,
    granted: grants::Granted,
    /// The granted permissions, for the `grants` view (only when asked for).
    rows: Vec<grants::Row>,
    /// What the grants pass could not look for.
    notes: Vec<crate::report::Note>,
}

/// What rules that were not run are grouped by: the rules, kind of document, format, missing value,
/// and the API no catalog describes when that is why.
type NotJudgedKey = (Vec<String>, Kind, &'static str, &'static str, Option<String>, Option<&'static str>);

/// How many names of documents a note about rules not run lists.
const NAMES_SHOWN: usize = 3;

impl Tally {
    fn not_judged(&mut self, found: Vec<engine::NotJudged>) {
        for skipped in found {
            if let Some(tenant) = &skipped.tenant {
                for rule in &skipped.rules {
                    let why = why_not_judged(rule, &skipped);
                    self.not_judged_in.entry((tenant.clone(), rule.clone())).or_insert(why);
                }
            }
            let key =
                (skipped.rules, skipped.kind, skipped.format, skipped.missing, skipped.api, skipped.reason);
            let (count, names) = self.not_judged.entry(key).or_default();
            *count += 1;
            names.insert(skipped.name);
            while names.len() > NAMES_SHOWN {
                names.pop_last();
            }
        }
    }

    /// Records what judging a file checked found: its coverage, notes, documents and diagnostics
    /// (`diagnostics` from reading it, then the engine's), with its suppression comments.
    fn checked(
        &mut self,
        file: &CheckedFile,
        mut found: engine::FileFindings,
        diagnostics: Vec<Diagnostic>,
        show_skipped: bool,
    ) {
        self.cover(&found);
        self.not_judged(std::mem::take(&mut found.not_judged));
        // A file's own diagnostics were taken out of it before judging: one with any was read.
        if let Some(why) = file.skipped_because().filter(|_| diagnostics.is_empty()) {
            self.skipped_files += 1;
            if show_skipped {
                self.skipped.push((file.source.name().to_owned(), why));
            }
        }
        self.documents += file.ours;
        self.unreadable |= file.unreadable;
        let comments = suppress::scan(&file.source);
        let start = self.diagnostics.len();
        self.diagnostics.extend(diagnostics);
        self.diagnostics.extend(found.diagnostics);
        if comments.is_empty() {
            shorten_source(&file.source, self.diagnostics.get_mut(start..).unwrap_or_default());
        } else {
            self.comments.push((Arc::clone(&file.source), comments));
        }
    }

    /// Records what judging the grants of a file already recorded found: coverage, notes and
    /// findings (its documents, diagnostics and comments were recorded when it was read first).
    fn more(&mut self, mut found: engine::FileFindings) {
        self.cover(&found);
        self.not_judged(std::mem::take(&mut found.not_judged));
        self.diagnostics.extend(found.diagnostics);
    }

    /// Records which rules ran, applied, or waited for a tenant on a file checked.
    fn cover(&mut self, found: &engine::FileFindings) {
        self.judged.extend(&found.judged);
        self.applied.extend(&found.applied);
        for (tenant, judged, applied) in &found.by_tenant {
            let (seen, held) = match self.by_tenant.get_mut(tenant.as_str()) {
                Some(known) => known,
                None => self.by_tenant.entry(tenant.clone()).or_default(),
            };
            seen.extend(judged);
            held.extend(applied);
        }
        let without_tenant = &found.without_tenant;
        self.without_tenant.extend(without_tenant);
    }

    fn merge(mut self, other: Self) -> Self {
        for (key, (count, names)) in other.not_judged {
            let (total, all) = self.not_judged.entry(key).or_default();
            *total += count;
            all.extend(names);
            while all.len() > NAMES_SHOWN {
                all.pop_last();
            }
        }
        self.documents += other.documents;
        for (key, why) in other.not_judged_in {
            self.not_judged_in.entry(key).or_insert(why);
        }
        self.judged.extend(other.judged);
        self.applied.extend(other.applied);
        for (tenant, (judged, applied)) in other.by_tenant {
            let (seen, held) = self.by_tenant.entry(tenant).or_default();
            seen.extend(judged);
            held.extend(applied);
        }
        self.without_tenant.extend(other.without_tenant);
        self.desired = std::mem::take(&mut self.desired).merge(other.desired);
        self.registrations = std::mem::take(&mut self.registrations).merge(other.registrations);
        self.later.extend(other.later);
        self.seen.extend(other.seen);
        self.granted = std::mem::take(&mut self.granted).merge(other.granted);
        self.rows.extend(other.rows);
        self.notes.extend(other.notes);
        self.skipped.extend(other.skipped);
        self.skipped_files += other.skipped_files;
        self.unreadable |= other.unreadable;
        self.diagnostics.extend(other.diagnostics);
        self.pending.extend(other.pending);
        self.comments.extend(other.comments);
        self
    }
}

/// The files the tenant pass keeps, parsed and validated, the others with their bytes when kept, and
/// the files that may hold grants, with their bytes when kept.
type Passed = (Vec<(usize, CheckedFile)>, Vec<(usize, Kept)>, Vec<(usize, Kept)>);

/// What the tenant pass left for the judging pass: the bytes of a file that holds no tenant, kept
/// within [`READ_AHEAD`] (boxed, so that a file to read again costs a pointer), or `None`.
pub(super) type Kept = Option<Box<Result<Vec<u8>, ReadProblem>>>;

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
    judge_collecting(options, files, context, setup, false).map(|(report, _)| report)
}

/// [`judge`], and when `rows` is set, every granted permission the run read, sorted, for the
/// `grants` view.
///
/// # Errors
/// As [`judge`].
pub(crate) fn judge_collecting(
    options: &Options,
    files: &[Input],
    context: &[PathBuf],
    setup: &Setup,
    rows: bool,
) -> Result<(Report, Vec<grants::Row>), Error> {
    let checked = files.len();
    let all: Vec<&PathBuf> = files.iter().map(|f| &f.path).chain(context).collect();
    let load_with = |path: &PathBuf, read, lookup: &dyn crate::native::Lookup| {
        super::read_file(options, path, read, lookup, &setup.schemas)
    };
    let mut tally = in_pool(options.threads, || {
        let (mut tenants, others, deferred) =
            tenant_pass(&all, options, &|path, read| load_with(path, read, &setup.catalog));
        let assembled =
            crate::assemble::assemble(&mut tenants, &setup.schemas, &setup.catalog, options.complete_exports);
        tenants.extend(assembled);
        // The APIs exported beside the apps name the permissions they request by id.
        let catalog =
            super::with_resources(&setup.catalog, tenants.iter().flat_map(|(_, file)| &file.resources));
        let catalog: &crate::catalog::Catalog = &catalog;
        let load_checked = |path: &PathBuf, read| load_with(path, read, catalog);
        let engine = Engine::new(&setup.policies, catalog, tenants.iter().map(|(_, file)| file));
        // The desired state and the registrations are gathered only for a run that holds grants.
        let holds_grants = !deferred.is_empty()
            || tenants.iter().any(|(_, file)| file.documents.iter().any(|d| d.kind == Kind::Grant));
        let judge_one = |mut tally: Tally, index: usize, file: &CheckedFile, diagnostics: Vec<Diagnostic>| {
            let with_grants = file.documents.iter().any(|d| d.kind == Kind::Grant);
            let which = if with_grants { Documents::NotGrants } else { Documents::All };
            if with_grants {
                tally.later.push(index);
            }
            if holds_grants {
                gather(&mut tally, &engine, index, file);
            }
            let mut found = engine.evaluate_some(file, which);
            tally.pending.extend(std::mem::take(&mut found.pending).into_iter().map(|p| p.in_file(index)));
            if index < checked {
                tally.checked(file, found, diagnostics, options.show_skipped);
            } else if file.unreadable {
                // A context file that cannot be read leaves its tenant out: said, never dropped.
                tally.unreadable = true;
                tally.diagnostics.extend(diagnostics);
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
        if holds_grants || !tally.later.is_empty() {
            let pass = grants_pass::Pass {
                options,
                all: &all,
                checked,
                engine: &engine,
                setup,
                directory: &grants::Directory::new(tenants.iter().map(|(_, file)| file)),
                catalog,
                load_checked: &load_checked,
                rows,
            };
            tally = pass.run(tally, deferred);
        }
        let context: std::collections::HashSet<&std::path::Path> =
            context.iter().map(PathBuf::as_path).collect();
        let in_context = |d: &Diagnostic| context.contains(d.source.path());
        tally.diagnostics.extend(engine.duplicate_tenants.iter().filter(|d| !in_context(d)).cloned());
        settle_unique(&mut tally, &engine, &all, options, &load_checked, &in_context);
        tally
    })?;
    let known: Vec<&str> =
        setup.policies.ids.iter().map(String::as_str).chain(Code::ALL.iter().map(|c| c.as_str())).collect();
    let reports = |code: &str| options.reports(code);
    let about_comments = suppress::apply(&mut tally.diagnostics, &tally.comments, &known, &reports);
    tally.diagnostics.extend(about_comments);
    let coverage = coverage(&tally, setup);
    let mut report = Report::new(tally.diagnostics, checked, tally.documents, tally.unreadable);
    report.coverage = coverage;
    report.summary.skipped = tally.skipped_files;
    report.rules = rule_metas(&setup.policies);
    report.notes = not_judged_notes(&tally.not_judged);
    report.notes.extend(skipped_notes(&mut tally.skipped));
    report.notes.append(&mut tally.notes);
    let mut rows = tally.rows;
    rows.sort();
    Ok((report, rows))
}

/// Settles `unique`: occurrences of its values are kept only where they are; files with a repeat
/// are judged again, now building every occurrence's finding.
fn settle_unique(
    tally: &mut Tally,
    engine: &Engine<'_>,
    all: &[&PathBuf],
    options: &Options,
    load_checked: &(impl Fn(&PathBuf, Result<Vec<u8>, ReadProblem>) -> CheckedFile + Sync),
    in_context: &dyn Fn(&Diagnostic) -> bool,
) {
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
    tally.diagnostics.extend(engine::resolve_unique(pending, &name).into_iter().filter(|d| !in_context(d)));
}

/// Adds the `AppManifest`s of `file` (input `index`) to the desired state of their tenant, and the
/// app registrations it exports to the registrations of its export root.
fn gather(tally: &mut Tally, engine: &Engine<'_>, index: usize, file: &CheckedFile) {
    for document in file.documents.iter().filter(|d| d.kind == Kind::AppManifest) {
        if let Some(tenant) = engine.tenant_name(document) {
            tally.desired.add(document, tenant, index);
        }
        tally.registrations.add(document);
    }
}

/// What `--show-skipped` says about files that are not consentlint's: nothing for them to judge.
fn skipped_notes(skipped: &mut [(String, &'static str)]) -> Vec<crate::report::Note> {
    skipped.sort_unstable();
    skipped
        .iter()
        .map(|(name, why)| crate::report::Note {
            severity: crate::severity::Severity::Info,
            message: format!("`{name}` was skipped: {why}"),
            unjudged: false,
        })
        .collect()
}

/// What the engine saw of each rule, by id, for the controls view: over the run, and per tenant.
fn coverage(tally: &Tally, setup: &Setup) -> crate::report::Coverage {
    let id = |index: &usize| setup.policies.rules.get(*index).map(|rule| rule.id.clone());
    let mut coverage = crate::report::Coverage {
        judged: tally.judged.iter().filter_map(id).collect(),
        applied: tally.applied.iter().filter_map(id).collect(),
        not_judged: BTreeMap::new(),
        tenants: BTreeMap::new(),
    };
    for (tenant, (judged, applied)) in &tally.by_tenant {
        let own = coverage.tenants.entry(tenant.clone()).or_default();
        own.judged.extend(judged.iter().filter_map(id));
        own.applied.extend(applied.iter().filter_map(id));
    }
    for ((tenant, rule), why) in &tally.not_judged_in {
        coverage
            .tenants
            .entry(tenant.clone())
            .or_default()
            .not_judged
            .entry(rule.clone())
            .or_insert(why.clone());
    }
    for (rules, kind, format, missing, api, reason) in tally.not_judged.keys() {
        for rule in rules {
            let skipped = engine::NotJudged {
                rules: Vec::new(),
                kind: *kind,
                format,
                missing,
                name: String::new(),
                tenant: None,
                api: api.clone(),
                reason: *reason,
            };
            let why = why_not_judged(rule, &skipped);
            coverage.not_judged.entry(rule.clone()).or_insert(why);
        }
    }
    for rule in tally.without_tenant.iter().filter_map(|index| setup.policies.rules.get(*index)) {
        let why = format!("`{}` judges apps against their tenant, which is not in the run", rule.id);
        coverage.not_judged.entry(rule.id.clone()).or_insert(why);
    }
    coverage
}

/// Why `rule` was not judged somewhere, in a control's reason.
fn why_not_judged(rule: &str, skipped: &engine::NotJudged) -> String {
    let (missing, format) = (skipped.missing, skipped.format);
    match (&skipped.api, skipped.reason) {
        (Some(api), _) => format!("`{rule}` reads the permission catalog, which does not describe {api}"),
        (None, Some(reason)) => format!("`{rule}` reads `{missing}`, and {reason}"),
        (None, None) => format!("`{rule}` reads `{missing}`, which the {format} does not state"),
    }
}

/// One note per rule that was not run on some documents for lack of a value, so that a document
/// the rule never saw does not pass silently.
fn not_judged_notes(
    not_judged: &BTreeMap<NotJudgedKey, (usize, BTreeSet<String>)>,
) -> Vec<crate::report::Note> {
    not_judged
        .iter()
        .map(|((rules, kind, format, missing, api, reason), (count, names))| {
            let what = match kind {
                Kind::TenantConfig => "tenant",
                Kind::Grant => "grant",
                _ => "app",
            };
            let mut listed: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            if *count > names.len() {
                listed.push(format!("{} more", count - names.len()));
            }
            let documents = if *count == 1 { format!("{what} {}", listed.join(", ")) } else {
                format!("{count} {what}s ({})", listed.join(", "))
            };
            let (rules, they) = match rules.as_slice() {
                [one] => (format!("`{one}`"), "it reads"),
                _ => (rules.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", "), "they read"),
            };
            let verb = if rules.contains(',') { "were" } else { "was" };
            // An app requests its permissions; a grant holds them.
            let (one_does, many_do, beside) =
                if *kind == Kind::Grant { ("holds", "hold", "grants") } else { ("requests", "request", "apps") };
            let message = match api {
                Some(api) => format!(
                    "{rules} {verb} not judged on the permissions of {api} that {documents} {}: \
                     no permission catalog describes them; export the API's service principal beside the \
                     {beside}, or load a catalog of it with `--catalog`",
                    if *count == 1 { one_does } else { many_do }
                ),
                None => match reason {
                    Some(reason) => {
                        format!("{rules} {verb} not judged on {documents}: {they} `{missing}`, and {reason}")
                    }
                    None => format!(
                        "{rules} {verb} not judged on {documents}: {they} `{missing}`, which the {format} does not state"
                    ),
                },
            };
            crate::report::Note { unjudged: true, severity: crate::severity::Severity::Info, message }
        })
        .collect()
}

/// The tenant pass: reads every file, keeps (parsed and validated) those that hold a tenant or part
/// of one, and for the others their bytes within [`READ_AHEAD`], so that the judging pass need not
/// read them again. Files that may hold grants in JSON (`load::may_hold_grant`) are set apart for
/// the grants pass.
fn tenant_pass(
    all: &[&PathBuf],
    options: &Options,
    load_checked: &(impl Fn(&PathBuf, Result<Vec<u8>, ReadProblem>) -> CheckedFile + Sync),
) -> Passed {
    let budget = AtomicUsize::new(READ_AHEAD);
    let slots: Vec<(usize, Slot)> = all
        .par_iter()
        .enumerate()
        .map(|(index, path)| {
            let read = read_input(options, path);
            match &read {
                Ok(bytes) if load::may_hold_tenant(bytes) => {
                    // Only files that hold a tenant are kept for the whole run; one that merely
                    // mentions the kind is read again when it is judged, like any other.
                    let mut file = load_checked(path, read);
                    let holds_tenant = !file.invalid_tenants.is_empty()
                        || !file.resources.is_empty()
                        || file.documents.iter().any(|d| d.kind == Kind::TenantConfig);
                    if holds_tenant {
                        keep_what_is_quoted(&mut file);
                        (index, Slot::Tenant(Box::new(file)))
                    } else {
                        (index, Slot::Other(None))
                    }
                }
                Ok(bytes) if load::may_hold_grant(bytes) => {
                    let kept = take(&budget, bytes.len()).then(|| Box::new(read));
                    (index, Slot::Grants(kept))
                }
                Ok(bytes) if !take(&budget, bytes.len()) => (index, Slot::Other(None)),
                _ => (index, Slot::Other(Some(Box::new(read)))),
            }
        })
        .collect();
    let mut passed: Passed = (Vec::new(), Vec::new(), Vec::new());
    for (index, slot) in slots {
        match slot {
            Slot::Tenant(file) => passed.0.push((index, *file)),
            Slot::Other(kept) => passed.1.push((index, kept)),
            Slot::Grants(kept) => passed.2.push((index, kept)),
        }
    }
    passed
}

/// Where the tenant pass puts a file.
enum Slot {
    /// It holds a tenant: kept, parsed and validated (boxed, so that the others cost a pointer).
    Tenant(Box<CheckedFile>),
    /// Judged in the judging pass, with its bytes when kept.
    Other(Kept),
    /// It may hold grants: judged in the grants pass, with its bytes when kept.
    Grants(Kept),
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

/// A tenant file is kept for the whole run (its apps are judged against it): past
/// [`SHORTEN_ABOVE`] bytes, it keeps its text only up to a few lines past the last node of its
/// documents, place its diagnostics point at or suppression comment, which is all any finding can
/// quote. Offsets before
/// that are unchanged, so every span, snippet and suppression comment stays as it was.
fn keep_what_is_quoted(file: &mut CheckedFile) {
    let text = file.source.text();
    if text.len() <= SHORTEN_ABOVE {
        return;
    }
    let nodes = file.documents.iter().map(|d| last_end(&d.root)).max().unwrap_or(0);
    let same = |other: &Arc<SourceFile>| Arc::ptr_eq(other, &file.source);
    let pointed = file
        .diagnostics
        .iter()
        .flat_map(|d| {
            let primary = d.span.filter(|_| same(&d.source)).map(|span| span.end);
            primary.into_iter().chain(d.related.iter().filter(|l| same(&l.source)).map(|l| l.span.end))
        })
        .max()
        .unwrap_or(0);
    // A suppression comment past the last node is kept too, to be reported as unused.
    let comment = text.rfind("consentlint-ignore").unwrap_or(0);
    let source = &file.source;
    let end = source.line_start(source.line_index(nodes.max(pointed).max(comment)) + 1 + CONTEXT_LINES);
    let Some(kept) = text.get(..end).filter(|kept| kept.len() < text.len()) else { return };
    let short = Arc::new(SourceFile::new(source.path().to_path_buf(), source.name().to_owned(), kept));
    for diagnostic in &mut file.diagnostics {
        if same(&diagnostic.source) {
            diagnostic.source = Arc::clone(&short);
        }
        for label in &mut diagnostic.related {
            if same(&label.source) {
                label.source = Arc::clone(&short);
            }
        }
    }
    file.source = short;
}

/// The end of the last span in `node`'s tree (keys included).
fn last_end(node: &crate::yaml::Node) -> usize {
    let inner = match &node.value {
        crate::yaml::Value::Map(entries) => {
            entries.iter().map(|e| e.key_span.end.max(last_end(&e.value))).max().unwrap_or(0)
        }
        crate::yaml::Value::Seq(items) => items.iter().map(last_end).max().unwrap_or(0),
        _ => 0,
    };
    node.span.end.max(inner)
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
