//! The `check` pipeline: discover, read and parse, identify, validate, evaluate, report.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::codes;
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::{self, MissingPaths};
use crate::kind::Kind;
use crate::load::{self, LoadedDocument};
use crate::model::Model;
use crate::report::Report;
use crate::schema::Schemas;
use crate::source::{SourceFile, Span};
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
}

/// Why a check could not run.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// A named path does not exist.
    #[error(transparent)]
    Missing(#[from] MissingPaths),
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
}

/// Runs the pipeline.
///
/// # Errors
/// When a named path does not exist, or the thread pool or bundled schemas cannot be set up.
pub fn run(options: &Options) -> Result<Report, CheckError> {
    let found = discover::discover(&options.paths)?;
    let schemas = Schemas::new().map_err(CheckError::Internal)?;
    let work = || -> Vec<CheckedFile> {
        found
            .files
            .par_iter()
            .map(|path| {
                let mut file = check_file(path, &options.base, options.limits, &schemas);
                // Release each tree on the worker that built it: holding ten thousand trees until
                // the end costs more in fresh memory pages than parsing them.
                file.documents = Vec::new();
                file
            })
            .collect()
    };
    let files = match options.threads {
        Some(threads) => rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| CheckError::Internal(format!("cannot start {threads} threads: {e}")))?
            .install(work),
        None => work(),
    };
    let mut diagnostics = Vec::new();
    let mut incomplete = false;
    for (path, reason) in &found.problems {
        let source = Arc::new(SourceFile::new(path.clone(), discover::display_name(path, &options.base), ""));
        diagnostics.push(
            Diagnostic::new(
                codes::READ,
                Severity::Error,
                format!("cannot read the path: {reason}"),
                &source,
                Span::point(0),
            )
            .with_url(codes::url(codes::READ)),
        );
        incomplete = true;
    }
    let documents = files.iter().map(|f| f.ours).sum();
    let count = files.len();
    for file in files {
        incomplete |= file.unreadable;
        diagnostics.extend(file.diagnostics);
    }
    Ok(Report::new(diagnostics, count, documents, incomplete))
}

/// Reads, parses and validates one file.
#[must_use]
pub fn check_file(path: &Path, base: &Path, limits: Limits, schemas: &Schemas) -> CheckedFile {
    let loaded = load::load(path, discover::display_name(path, base), limits);
    let mut file = CheckedFile {
        ours: loaded.documents.len(),
        source: loaded.source,
        documents: Vec::new(),
        diagnostics: loaded.diagnostics,
        unreadable: loaded.unreadable,
    };
    for LoadedDocument { index, kind, root } in loaded.documents {
        match schemas.validate(kind, &root, index, &file.source) {
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
        Kind::Policy => Model::Policy,
    })
}
