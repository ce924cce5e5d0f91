//! What a run found: the diagnostics, in output order, and the counts.

mod controls;

use serde::Serialize;

pub use controls::{ControlFinding, ControlVerdict, Controls, Coverage, Status, TenantControls};

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

/// The counts shown at the end of every format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Files read.
    pub files: usize,
    /// consentlint documents found in them.
    pub documents: usize,
    /// Files read that held nothing judged (`--show-skipped` says why).
    pub skipped: usize,
    /// Diagnostics of severity error.
    pub errors: usize,
    /// Diagnostics of severity warning.
    pub warnings: usize,
    /// Diagnostics of severity info.
    pub infos: usize,
    /// Findings hidden by inline suppressions or the baseline.
    pub suppressed: usize,
    /// Of those, the findings hidden by the baseline.
    pub baselined: usize,
    /// Baseline entries that matched no finding: fixed since the baseline was written.
    #[serde(rename = "staleBaseline")]
    pub stale_baseline: usize,
}

/// What output formats say about a rule or code (SARIF lists every rule that ran).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleMeta {
    /// Rule id or code.
    pub id: String,
    /// kebab-case name.
    pub name: String,
    /// Default severity.
    pub severity: Severity,
    /// One line.
    pub summary: String,
    /// Markdown documentation.
    pub description: String,
    /// Documentation link.
    pub url: Option<String>,
}

impl RuleMeta {
    /// What the output formats say about one of the tool's own codes.
    #[must_use]
    pub fn of_code(code: Code) -> Self {
        Self {
            id: code.as_str().to_owned(),
            name: code.name().to_owned(),
            severity: code.default_severity(),
            summary: code.summary().to_owned(),
            description: format!("{}. See {}.", code.summary(), code.url()),
            url: Some(code.url()),
        }
    }

    /// The entries of every tool code.
    #[must_use]
    pub fn of_codes() -> Vec<Self> {
        Code::ALL.into_iter().map(Self::of_code).collect()
    }
}

/// Something the run says about itself rather than about a file: what was not checked, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Note {
    /// `warning` when nothing at all was judged, else `info`.
    pub severity: Severity,
    /// One sentence, in the style of diagnostic messages.
    pub message: String,
    /// Whether it says that something was not judged (what `--fail-on-unjudged` fails on); false
    /// for a file that `--show-skipped` names as not consentlint's, which is nothing to judge.
    #[serde(skip)]
    pub unjudged: bool,
}

/// The outcome of `check`.
#[derive(Debug, Default)]
pub struct Report {
    /// Sorted by file, position and code; suppressed findings included (see [`Report::visible`]).
    pub diagnostics: Vec<Diagnostic>,
    /// The rules that ran and the tool's own codes, by id.
    pub rules: Vec<RuleMeta>,
    /// Counts.
    pub summary: Summary,
    /// Whether some input could not be read, so the run is incomplete.
    pub incomplete: bool,
    /// What the run says about itself: files it was given but did not judge.
    pub notes: Vec<Note>,
    /// Whether the diagnostics are about consentlint's own inputs (configuration, policies,
    /// catalogs, baseline), which stopped the run before any file was checked.
    pub setup_failed: bool,
    /// The controls of the run's profile and their verdicts, when the profile has controls.
    pub controls: Option<Controls>,
    /// What the engine saw of each rule, from which the controls are judged.
    pub coverage: Coverage,
}

impl Report {
    /// Sorts the diagnostics and counts them.
    #[must_use]
    pub fn new(mut diagnostics: Vec<Diagnostic>, files: usize, documents: usize, incomplete: bool) -> Self {
        crate::diagnostic::sort(&mut diagnostics);
        let mut report = Self {
            diagnostics,
            rules: Vec::new(),
            summary: Summary { files, documents, ..Summary::default() },
            incomplete,
            notes: Vec::new(),
            setup_failed: false,
            controls: None,
            coverage: Coverage::default(),
        };
        report.recount();
        report
    }

    /// Sorts the diagnostics again and recounts them, after diagnostics were added or dropped.
    pub fn finish(&mut self) {
        crate::diagnostic::sort(&mut self.diagnostics);
        self.recount();
    }

    /// Counts the diagnostics again, after suppressions change.
    pub fn recount(&mut self) {
        let visible: Vec<Severity> = self.visible().map(|d| d.severity).collect();
        let count = |severity| visible.iter().filter(|s| **s == severity).count();
        self.summary.errors = count(Severity::Error);
        self.summary.warnings = count(Severity::Warning);
        self.summary.infos = count(Severity::Info);
        self.summary.suppressed = self.diagnostics.len() - visible.len();
        self.summary.baselined = self
            .diagnostics
            .iter()
            .filter(|d| {
                d.suppression.as_ref().is_some_and(|s| s.kind == crate::diagnostic::SuppressionKind::Baseline)
            })
            .count();
    }

    /// The diagnostics that are reported: all but the suppressed ones.
    pub fn visible(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.suppression.is_none())
    }

    /// The notes that say something was not judged (what the CI formats list as such); the others,
    /// such as why a file was skipped (`--show-skipped`), are information.
    pub fn unjudged_notes(&self) -> impl Iterator<Item = &Note> {
        self.notes.iter().filter(|note| note.unjudged)
    }

    /// The most serious severity reported, notes included: with `--fail-on warning`, a run that
    /// judged nothing fails.
    #[must_use]
    pub fn worst(&self) -> Option<Severity> {
        self.visible().map(|d| d.severity).chain(self.notes.iter().map(|n| n.severity)).max()
    }
}

impl Summary {
    /// One line of prose: `2 errors, 1 warning in 3 files (5 documents)`.
    #[must_use]
    pub fn sentence(&self) -> String {
        let counts: Vec<String> = [(self.errors, "error"), (self.warnings, "warning"), (self.infos, "info")]
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, word)| plural(n, word))
            .collect();
        let mut scope = format!("{} ({}", plural(self.files, "file"), plural(self.documents, "document"));
        if self.skipped > 0 {
            let verb = if self.skipped == 1 { "was" } else { "were" };
            scope = format!("{scope}; {} {verb} skipped", plural(self.skipped, "file"));
        }
        scope.push(')');
        let mut sentence = if counts.is_empty() {
            format!("no problems found in {scope}")
        } else {
            format!("{} in {scope}", counts.join(", "))
        };
        let mut hidden = Vec::new();
        if self.suppressed > self.baselined {
            hidden.push(format!("{} suppressed inline", self.suppressed - self.baselined));
        }
        if self.baselined > 0 {
            hidden.push(format!("{} hidden by the baseline", self.baselined));
        }
        if self.stale_baseline > 0 {
            hidden.push(plural(self.stale_baseline, "stale baseline entry").replace("entrys", "entries"));
        }
        if !hidden.is_empty() {
            sentence.push_str("; ");
            sentence.push_str(&hidden.join(", "));
        }
        sentence
    }
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 { format!("1 {word}") } else { format!("{count} {word}s") }
}
