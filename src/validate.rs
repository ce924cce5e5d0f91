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
    /// For a tenant assembled from several files, which file each part of the tree was read from
    /// (empty: all of it from the file that holds the document).
    pub origins: Origins,
}

/// Where a subtree of an assembled document was read.
#[derive(Clone, Debug)]
pub struct Origin {
    /// The subtree's path, as keys and indexes.
    pub path: Vec<String>,
    /// The file it was read from.
    pub source: Arc<SourceFile>,
}

/// The [`Origin`]s of an assembled document, found by path in time that does not grow with their
/// number (a tenant may be assembled from tens of thousands of exported files).
#[derive(Clone, Debug, Default)]
pub struct Origins {
    list: Vec<Origin>,
    /// Each origin's path, to its place in `list`; of two with one path, the later.
    by_path: std::collections::HashMap<Vec<String>, usize>,
}

impl Origins {
    /// Records that the subtree at `origin.path` was read from `origin.source`.
    pub fn push(&mut self, origin: Origin) {
        self.by_path.insert(origin.path.clone(), self.list.len());
        self.list.push(origin);
    }

    /// Whether the whole document was read from one file.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Every origin, in the order recorded.
    pub fn iter(&self) -> impl Iterator<Item = &Origin> {
        self.list.iter()
    }

    /// The origin with the longest path that holds `path`.
    fn holding(&self, path: &[String]) -> Option<&Origin> {
        (0..=path.len()).rev().find_map(|length| {
            let at = self.by_path.get(path.get(..length)?)?;
            self.list.get(*at)
        })
    }
}

impl CheckedDocument {
    /// The file the value at `path` (keys and indexes from the root) was read from: the origin
    /// with the longest path that holds it, else `own`, the file holding the document.
    #[must_use]
    pub fn source_at<'a, S: AsRef<str>>(
        &'a self,
        own: &'a Arc<SourceFile>,
        path: &[S],
    ) -> &'a Arc<SourceFile> {
        if self.origins.is_empty() {
            return own;
        }
        let path: Vec<String> = path.iter().map(|segment| segment.as_ref().to_owned()).collect();
        self.origins.holding(&path).map_or(own, |origin| &origin.source)
    }

    /// [`Self::source_at`] for a JSON pointer.
    #[must_use]
    pub fn source_at_pointer<'a>(&'a self, own: &'a Arc<SourceFile>, pointer: &str) -> &'a Arc<SourceFile> {
        if self.origins.is_empty() {
            return own;
        }
        let path: Vec<String> = pointer.split('/').skip(1).map(crate::yaml::unescape_pointer_token).collect();
        self.source_at(own, &path)
    }

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
    /// Why documents that are neither ours nor native were skipped, by index.
    pub skipped: Vec<(usize, crate::native::Skipped)>,
    /// The APIs its service principals publish.
    pub resources: Vec<crate::native::Resource>,
}

impl CheckedFile {
    /// Why the file is not read at all, when it holds no document of ours or native, no problem
    /// and was readable: the reason its native recognition gave, or that it is empty or not YAML.
    #[must_use]
    pub fn skipped_because(&self) -> Option<&'static str> {
        // A service principal is read, for the facts of the API it publishes: not skipped.
        if self.ours > 0
            || !self.documents.is_empty()
            || !self.diagnostics.is_empty()
            || self.unreadable
            || !self.resources.is_empty()
        {
            return None;
        }
        let name = self.source.path().file_name().and_then(|name| name.to_str());
        if name.is_some_and(|name| crate::discover::CONFIG_FILE_NAMES.contains(&name)) {
            return Some(
                "it is consentlint's configuration file, which configures the run and is not judged",
            );
        }
        Some(match self.skipped.first() {
            Some((_, why)) => why,
            None if self.source.text().trim().is_empty() => "it is empty",
            None => "it could not be parsed as YAML or JSON, and it never mentions `consentlint/`",
        })
    }
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
        skipped: loaded.skipped,
        resources: loaded.resources,
    };
    for LoadedDocument { index, kind, root, native } in loaded.documents {
        // A part of a native tenant is validated once its tenant is assembled from its parts.
        if native.as_ref().is_some_and(|n| n.part.is_some()) {
            file.documents.push(CheckedDocument { index, kind, root, native, origins: Origins::default() });
            continue;
        }
        // A document of ours that marks values as not stated is judged as the native one was, and
        // need not state those values.
        let stating = if native.is_none() { crate::native::not_stated(&root) } else { None };
        let checked = match (&native, &stating) {
            (Some(_), _) => schemas.validate_native(kind, &root, index, &file.source),
            (None, Some(marked)) => {
                schemas.validate_stating(kind, &root, index, &file.source, &marked.unknown)
            }
            (None, None) => schemas.validate(kind, &root, index, &file.source),
        };
        let native = native.or(stating);
        match checked {
            Ok(_) => file.documents.push(CheckedDocument {
                index,
                kind,
                root,
                native,
                origins: Origins::default(),
            }),
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
