//! What a run found: the diagnostics, in output order, and the counts.

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};

/// The counts shown at the end of every format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Files read.
    pub files: usize,
    /// consentlint documents found in them.
    pub documents: usize,
    /// Diagnostics of severity error.
    pub errors: usize,
    /// Diagnostics of severity warning.
    pub warnings: usize,
    /// Diagnostics of severity info.
    pub infos: usize,
}

/// The outcome of `check`.
#[derive(Debug, Default)]
pub struct Report {
    /// Sorted by file, position and code.
    pub diagnostics: Vec<Diagnostic>,
    /// Counts.
    pub summary: Summary,
    /// Whether some input could not be read, so the run is incomplete.
    pub incomplete: bool,
}

impl Report {
    /// Sorts the diagnostics and counts them.
    #[must_use]
    pub fn new(mut diagnostics: Vec<Diagnostic>, files: usize, documents: usize, incomplete: bool) -> Self {
        crate::diagnostic::sort(&mut diagnostics);
        let count = |severity| diagnostics.iter().filter(|d| d.severity == severity).count();
        let summary = Summary {
            files,
            documents,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
        };
        Self { diagnostics, summary, incomplete }
    }

    /// The most serious severity found.
    #[must_use]
    pub fn worst(&self) -> Option<Severity> {
        self.diagnostics.iter().map(|d| d.severity).max()
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
        let scope = format!("{} ({})", plural(self.files, "file"), plural(self.documents, "document"));
        if counts.is_empty() {
            format!("no problems found in {scope}")
        } else {
            format!("{} in {scope}", counts.join(", "))
        }
    }
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 { format!("1 {word}") } else { format!("{count} {word}s") }
}
