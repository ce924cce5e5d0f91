//! The grants pass: once the judging pass has read the run's desired state (its `AppManifest`s)
//! and the app registrations of its exports, every grant is resolved (`grants::resolve`) and
//! judged; then grants read twice are said, and the approved tenant-wide grants that the exports
//! lack.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::{Kept, Tally, read_input};
use crate::catalog::Catalog;
use crate::check::Setup;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::{Documents, Engine};
use crate::grants::{self, Joins, Seen, Twins};
use crate::kind::Kind;
use crate::load::ReadProblem;
use crate::native::Grant;
use crate::options::Options;
use crate::report::Note;
use crate::source::SourceFile;
use crate::validate::CheckedFile;

/// What the grants pass needs of the run.
pub(super) struct Pass<'a, L> {
    pub options: &'a Options,
    pub all: &'a [&'a PathBuf],
    /// How many of `all` are reported (the rest are context).
    pub checked: usize,
    pub engine: &'a Engine<'a>,
    pub setup: &'a Setup,
    pub directory: &'a grants::Directory<'a>,
    pub catalog: &'a Catalog,
    pub load_checked: &'a L,
    /// Whether to keep a row per granted permission, for the `grants` view.
    pub rows: bool,
}

impl<L> Pass<'_, L>
where
    L: Fn(&PathBuf, Result<Vec<u8>, ReadProblem>) -> CheckedFile + Sync,
{
    /// Judges the grants: of the files set apart by the tenant pass (`deferred`, judged whole),
    /// and of the files already judged but for their grants (`tally.later`, read again).
    pub fn run(&self, mut tally: Tally, deferred: Vec<(usize, Kept)>) -> Tally {
        let desired = std::mem::take(&mut tally.desired);
        let registrations = std::mem::take(&mut tally.registrations);
        let joins = Joins {
            directory: self.directory,
            desired: &desired,
            registrations: &registrations,
            catalog: self.catalog,
        };
        let twins = Twins::new(self.all);
        let later = std::mem::take(&mut tally.later);
        let whole = deferred
            .into_par_iter()
            .fold(Tally::default, |tally, (index, kept)| self.whole(tally, index, kept, joins, &twins))
            .reduce(Tally::default, Tally::merge);
        let rest = later
            .into_par_iter()
            .fold(Tally::default, |tally, index| self.grants_of(tally, index, joins, Reading::First))
            .reduce(Tally::default, Tally::merge);
        tally = tally.merge(whole).merge(rest);
        let (duplicates, differing) = grants::duplicates(std::mem::take(&mut tally.seen));
        let again = differing
            .par_iter()
            .fold(Tally::default, |tally, twin| self.grants_of(tally, twin.file, joins, Reading::Differing))
            .reduce(Tally::default, Tally::merge);
        tally = tally.merge(again);
        let mut sources = Sources { pass: self, read: HashMap::new() };
        for duplicate in duplicates.iter().filter(|d| d.at.file < self.checked) {
            if let Some(diagnostic) = sources.duplicate(duplicate) {
                tally.diagnostics.push(diagnostic);
            }
        }
        let granted = std::mem::take(&mut tally.granted);
        tally.notes.extend(partial_notes(&granted, &desired));
        if let Some(rule) = self.setup.policies.rules.iter().find(|r| r.id == MISSING_RULE) {
            for missing in desired.missing(&granted).iter().filter(|m| m.place.file < self.checked) {
                if let Some(diagnostic) = sources.missing(missing, rule) {
                    tally.diagnostics.push(diagnostic);
                }
            }
        }
        tally
    }

    /// Reads, resolves and judges a file that may hold grants, whole; an `AppRoleAssignedTo/` twin
    /// is only read, its grants judged later if they differ from the assignment they copy.
    fn whole(&self, mut tally: Tally, index: usize, kept: Kept, joins: Joins<'_>, twins: &Twins) -> Tally {
        let Some(path) = self.all.get(index) else { return tally };
        let read = kept.map_or_else(|| read_input(self.options, path), |kept| *kept);
        let mut file = (self.load_checked)(path, read);
        let mut diagnostics = std::mem::take(&mut file.diagnostics);
        let twin = twins.contains(index);
        tally.seen.extend(file.documents.iter().filter_map(|d| Seen::of(d, index, twin)));
        let which = if twin {
            Documents::NotGrants
        } else {
            diagnostics.extend(grants::resolve(&mut file, joins, &mut tally.granted));
            Documents::All
        };
        let mut found = self.engine.evaluate_some(&file, which);
        if !twin {
            self.keep_rows(&mut tally, &file, index);
        }
        tally.pending.extend(std::mem::take(&mut found.pending).into_iter().map(|p| p.in_file(index)));
        if index < self.checked {
            tally.checked(&file, found, diagnostics, self.options.show_skipped);
        } else if file.unreadable {
            tally.unreadable = true;
            tally.diagnostics.extend(diagnostics);
        }
        tally
    }

    /// Keeps the rows of the grants of `file` (input `index`), when asked to.
    fn keep_rows(&self, tally: &mut Tally, file: &CheckedFile, index: usize) {
        if !self.rows || index >= self.checked {
            return;
        }
        for document in &file.documents {
            tally.rows.extend(grants::rows(document, self.engine.tenant_name(document), self.catalog));
        }
    }

    /// Reads the file of input `index` again and judges its grants only (its other documents were
    /// judged before). The results of a ScubaGear run repeat its export: their grants are judged
    /// only if they differ from the export's, or the export is not in the run.
    fn grants_of(&self, mut tally: Tally, index: usize, joins: Joins<'_>, reading: Reading) -> Tally {
        let Some(path) = self.all.get(index) else { return tally };
        let mut file = (self.load_checked)(path, read_input(self.options, path));
        if reading == Reading::First {
            let repeats = file.documents.iter().any(|d| {
                d.kind == Kind::Grant
                    && d.native.as_ref().and_then(|n| n.run.as_ref()).is_some_and(|r| r.results)
            });
            tally.seen.extend(file.documents.iter().filter_map(|d| Seen::of(d, index, repeats)));
            if repeats {
                return tally;
            }
        }
        let unresolved = grants::resolve(&mut file, joins, &mut tally.granted);
        let found = self.engine.evaluate_some(&file, Documents::Grants);
        self.keep_rows(&mut tally, &file, index);
        if index < self.checked {
            tally.diagnostics.extend(unresolved);
            tally.more(found);
        }
        tally
    }
}

/// How the grants of a file are read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// For the first time.
    First,
    /// Again, as a copy that differs from what it copies (or copies nothing in the run).
    Differing,
}

/// The rule whose note an approved grant that the export lacks is.
const MISSING_RULE: &str = "CL-G004";

/// What the run cannot say of tenants whose desired state it holds but whose grants it reads only
/// from an export that lists some of them (ScubaGear's): which approved grants are missing.
fn partial_notes(granted: &grants::Granted, desired: &grants::Desired) -> Vec<Note> {
    granted
        .only_partial()
        .filter(|tenant| desired.holds(tenant))
        .map(|tenant| Note {
            severity: crate::severity::Severity::Info,
            message: format!(
                "`{MISSING_RULE}` did not look for approved grants that tenant `{tenant}` lacks: its grants are read \
                 only from ScubaGear's export, which lists the application permissions of apps that hold a risky one"
            ),
            unjudged: true,
        })
        .collect()
}

/// The text of the inputs that diagnostics found after the pass point into, each read once.
struct Sources<'p, 'a, L> {
    pass: &'p Pass<'a, L>,
    read: HashMap<usize, Arc<SourceFile>>,
}

impl<L> Sources<'_, '_, L>
where
    L: Fn(&PathBuf, Result<Vec<u8>, ReadProblem>) -> CheckedFile + Sync,
{
    fn source(&mut self, index: usize) -> Option<Arc<SourceFile>> {
        if let Some(source) = self.read.get(&index) {
            return Some(Arc::clone(source));
        }
        let path = self.pass.all.get(index)?;
        let file = (self.pass.load_checked)(path, read_input(self.pass.options, path));
        self.read.insert(index, Arc::clone(&file.source));
        Some(file.source)
    }

    /// `CL-S007` at the later of two grants read.
    fn duplicate(&mut self, duplicate: &grants::Duplicate) -> Option<Diagnostic> {
        let at = self.source(duplicate.at.file)?;
        let first = self.source(duplicate.first.file)?;
        let place = first.position(duplicate.first.span.start);
        let (message, label, help) = if duplicate.same_id {
            (
                format!(
                    "grant `{}` is read again, with other content than at {}:{}",
                    duplicate.at.id,
                    first.name(),
                    place.line
                ),
                "the same grant id",
                "keep one export of the tenant: both copies are judged, since they disagree",
            )
        } else {
            (
                format!(
                    "this grant records the same consent as grant `{}` at {}:{}",
                    duplicate.first.id,
                    first.name(),
                    place.line
                ),
                "the same app, API and consent",
                "two grants of one consent come from two exports in one directory, or from a script that \
                 granted it twice: keep one export, or delete the second grant",
            )
        };
        Some(
            Diagnostic::tool(Code::DuplicateGrant, message, &at, duplicate.at.span)
                .in_document(duplicate.at.document)
                .with_label(label)
                .with_related_in(&first, duplicate.first.span, "first read here")
                .with_help(help),
        )
    }

    /// A note of `rule` at a permission the desired state approves and the export does not grant.
    fn missing(&mut self, missing: &grants::Missing, rule: &crate::policy::Rule) -> Option<Diagnostic> {
        let source = self.source(missing.place.file)?;
        let (kind, grant) = match missing.kind {
            Grant::Delegated => ("delegated", "no administrator's consent for every user holds it"),
            Grant::Application => ("application", "no assignment of it to the app is exported"),
        };
        let message = format!(
            "`{}` approves `{}` of {} ({kind}) for the whole tenant, which tenant `{}` has not granted: {grant}",
            missing.manifest, missing.name, missing.resource, missing.tenant
        );
        let mut diagnostic = Diagnostic::new(&rule.id, Severity::Info, message, &source, missing.place.span)
            .at(missing.place.document, missing.place.pointer.clone())
            .with_label("approved, not granted")
            .with_help(
                "grant it (Entra admin center > Enterprise applications > the app > Permissions > Grant admin \
                 consent), or remove it from the manifest if the app no longer needs it",
            );
        if let Some(url) = &rule.url {
            diagnostic = diagnostic.with_url(url.clone());
        }
        diagnostic.tenant = Some(missing.tenant.clone());
        Some(diagnostic)
    }
}
