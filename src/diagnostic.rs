//! The one diagnostic type every stage produces and every renderer reads.

use std::sync::Arc;

use crate::codes::Code;
pub use crate::severity::Severity;
use crate::source::{Position, SourceFile, Span};

/// Why a finding is not reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuppressionKind {
    /// A `# consentlint-ignore` comment in the source.
    Inline,
    /// An entry of the baseline file.
    Baseline,
}

/// A finding's suppression, kept so that SARIF can show it with its justification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// Where it comes from.
    pub kind: SuppressionKind,
    /// Why, as the user wrote it.
    pub justification: String,
}

/// A secondary span that explains the primary one, in the same file or in another (the other
/// manifest of a duplicate, the tenant an app is judged against, the configuration line that set
/// a severity).
#[derive(Clone, Debug)]
pub struct Label {
    /// The file it is in.
    pub source: Arc<SourceFile>,
    /// Where.
    pub span: Span,
    /// What it shows, in a few words.
    pub message: String,
}

/// A finding or an error, located in a source file.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// Stable code: a rule id such as `CL-T001`, or a tool code such as `CL-S001`.
    pub code: String,
    /// How serious it is.
    pub severity: Severity,
    /// One sentence: lowercase, no trailing period, user input in backticks.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// The file it is in.
    pub source: Arc<SourceFile>,
    /// The node it is about; `None` when it is about the file as a whole (a file that cannot be
    /// read has no line to point at).
    pub span: Option<Span>,
    /// A few words shown under the span.
    pub label: Option<String>,
    /// Other places that explain it.
    pub related: Vec<Label>,
    /// JSON Pointer to the node in its document.
    pub pointer: Option<String>,
    /// 0-based index of the document in its file.
    pub document: Option<usize>,
    /// Documentation of the code.
    pub url: Option<String>,
    /// Set when the finding is suppressed: it is then left out of every format but SARIF with
    /// `--sarif-include-suppressed`.
    pub suppression: Option<Suppression>,
    /// The pointer with list elements named rather than numbered, where they have names: the key
    /// of baselines and fingerprints, so that inserting an element does not change it.
    pub stable_pointer: Option<String>,
    /// The catalog's risk level (`low`, `medium`, `high`, `critical`) of the permission the finding
    /// is about, set by the engine for findings of a rule run `for-each` permission whose catalog
    /// entry has a risk; SARIF raises the result's `security-severity` from it.
    pub risk: Option<String>,
    /// The tenant a rule's finding is about (the tenant judged, or the app's tenant), for the
    /// controls view of a run over several tenants.
    pub tenant: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with the required parts; the `with_*` methods add the rest.
    #[must_use]
    pub fn new(
        code: impl Into<String>,
        severity: Severity,
        message: impl Into<String>,
        source: &Arc<SourceFile>,
        span: Span,
    ) -> Self {
        Self {
            code: code.into(),
            severity,
            message: message.into(),
            help: None,
            source: Arc::clone(source),
            span: Some(span),
            label: None,
            related: Vec::new(),
            pointer: None,
            document: None,
            url: None,
            suppression: None,
            stable_pointer: None,
            risk: None,
            tenant: None,
        }
    }

    /// A diagnostic of one of the tool's own codes, with its default severity and documentation
    /// link.
    #[must_use]
    pub fn tool(code: Code, message: impl Into<String>, source: &Arc<SourceFile>, span: Span) -> Self {
        Self::new(code, code.default_severity(), message, source, span).with_url(code.url())
    }

    /// A diagnostic of one of the tool's own codes about a file as a whole, with no position in it.
    #[must_use]
    pub fn about_file(code: Code, message: impl Into<String>, source: &Arc<SourceFile>) -> Self {
        let mut diagnostic = Self::tool(code, message, source, Span::point(0));
        diagnostic.span = None;
        diagnostic
    }

    /// Adds help text.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds help text when there is some.
    #[must_use]
    pub fn with_optional_help(mut self, help: Option<String>) -> Self {
        self.help = help.or(self.help);
        self
    }

    /// Adds the label under the primary span.
    #[must_use]
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a secondary span in the same file.
    #[must_use]
    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        let source = Arc::clone(&self.source);
        self.related.push(Label { source, span, message: message.into() });
        self
    }

    /// Adds a secondary span in any file.
    #[must_use]
    pub fn with_related_in(
        mut self,
        source: &Arc<SourceFile>,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        self.related.push(Label { source: Arc::clone(source), span, message: message.into() });
        self
    }

    /// Places the diagnostic in a document at a JSON Pointer.
    #[must_use]
    pub fn at(mut self, document: usize, pointer: impl Into<String>) -> Self {
        self.document = Some(document);
        self.pointer = Some(pointer.into());
        self
    }

    /// Sets the pointer with list elements named (see [`Diagnostic::stable_pointer`]).
    #[must_use]
    pub fn with_stable_pointer(mut self, pointer: String) -> Self {
        self.stable_pointer = Some(pointer);
        self
    }

    /// The key of the finding's node for baselines and fingerprints.
    #[must_use]
    pub fn node_key(&self) -> &str {
        self.stable_pointer.as_deref().or(self.pointer.as_deref()).unwrap_or("")
    }

    /// Places the diagnostic in a document.
    #[must_use]
    pub fn in_document(mut self, document: usize) -> Self {
        self.document = Some(document);
        self
    }

    /// Adds the documentation link.
    #[must_use]
    pub fn with_url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// Where the span starts, when it has one.
    #[must_use]
    pub fn start(&self) -> Option<Position> {
        self.span.map(|span| self.source.position(span.start))
    }

    /// Where the span ends (exclusive), when it has one.
    #[must_use]
    pub fn end(&self) -> Option<Position> {
        self.span.map(|span| self.source.position(span.end))
    }

    /// The order of every output: file, position (file-wide diagnostics first), code, message.
    #[must_use]
    pub fn sort_key(&self) -> (&str, Option<(usize, usize)>, &str, &str) {
        (self.source.name(), self.span.map(|s| (s.start, s.end)), &self.code, &self.message)
    }
}

/// Sorts diagnostics into output order and drops exact repeats.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup_by(|a, b| a.sort_key() == b.sort_key());
}
