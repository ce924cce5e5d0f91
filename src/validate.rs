//! Validation: each loaded document of ours against its kind's schema. Its output, a
//! [`CheckedFile`], holds the documents the engine may judge and the problems found so far.
//!
//! The located tree is the one model: rules, the engine and every later stage read the tree that
//! passed its schema, so every value they look at still knows where it was written.

use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::kind::Kind;
use crate::load::{LoadedDocument, LoadedFile};
use crate::native::Native;
use crate::schema::Schemas;
use crate::source::SourceFile;
use crate::yaml::Node;

/// A schema-valid document of ours.
#[derive(Debug)]
pub struct CheckedDocument {
    /// 0-based position in the file.
    pub index: usize,
    /// Its kind.
    pub kind: Kind,
    /// The located tree.
    pub root: Node,
    /// The format it was read from, when not ours.
    pub native: Option<Native>,
}

impl CheckedDocument {
    /// The string at `metadata.<key>`, which the schemas of both kinds define.
    #[must_use]
    pub fn metadata(&self, key: &str) -> Option<&str> {
        self.root.get("metadata")?.get(key)?.as_str()
    }
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

/// Validates a loaded file's documents.
#[must_use]
pub fn validate(loaded: LoadedFile, schemas: &Schemas) -> CheckedFile {
    let mut file = CheckedFile {
        ours: loaded.documents.len(),
        source: loaded.source,
        documents: Vec::new(),
        diagnostics: loaded.diagnostics,
        unreadable: loaded.unreadable,
        invalid_tenants: Vec::new(),
    };
    for LoadedDocument { index, kind, root, native } in loaded.documents {
        let checked = match native {
            Some(_) => schemas.validate_native(kind, &root, index, &file.source),
            None => schemas.validate(kind, &root, index, &file.source),
        };
        match checked {
            Ok(_) => file.documents.push(CheckedDocument { index, kind, root, native }),
            Err(found) => {
                if kind == Kind::TenantConfig
                    && let Some(name) =
                        root.get("metadata").and_then(|m| m.get("name")).and_then(Node::as_str)
                {
                    file.invalid_tenants.push(name.to_owned());
                }
                file.diagnostics.extend(found);
            }
        }
    }
    file
}
