//! Catalog files: the bundled one and the users' (`--catalog FILE`), in one shape, validated by
//! `schemas/catalog.v1.schema.json`.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, Span};
use crate::yaml::Limits;

/// The catalog schema, as JSON text.
pub(super) const SCHEMA: &str = include_str!("../../schemas/catalog.v1.schema.json");

/// One catalog file: facts about the permissions of one API. `sources` is allowed by the schema
/// and not kept.
#[derive(Debug, Deserialize)]
pub struct CatalogFile {
    /// The API, such as `Microsoft Graph`.
    pub resource: String,
    /// The API's application id, which app registrations name it by.
    #[serde(rename = "appId", default)]
    pub app_id: Option<String>,
    /// Its permissions by name.
    pub permissions: HashMap<String, PermissionEntry>,
}

/// Facts for one permission name.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct PermissionEntry {
    /// As a delegated permission, when it exists as one.
    pub delegated: Option<TypeFacts>,
    /// As an application permission, when it exists as one.
    pub application: Option<TypeFacts>,
}

/// Facts for one permission of one type, as the catalog states them. A fact the catalog leaves out
/// takes the default documented in the schema: admin consent required, not limited to the user's
/// own data, no privilege or risk level. `hidden` is allowed and not kept.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TypeFacts {
    /// The permission's id, which app registrations name it by.
    #[serde(default)]
    pub id: Option<String>,
    /// Whether granting it requires an administrator.
    #[serde(default = "required")]
    pub admin_consent: bool,
    /// Whether it reaches only the signed-in user's own data.
    #[serde(default)]
    pub own_data_only: bool,
    /// Microsoft's privilege level, 1 to 4.
    pub privilege: Option<u8>,
    /// How risky granting it is.
    pub risk: Option<Risk>,
    /// Whether CISA ScubaGear's `RiskyAppPermissions` list names it.
    #[serde(default)]
    pub scuba_risky: bool,
}

/// The default of `adminConsent`: required, the cautious answer when a catalog does not say.
fn required() -> bool {
    true
}

/// A risk level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    /// `low`.
    Low,
    /// `medium`.
    Medium,
    /// `high`.
    High,
    /// `critical`.
    Critical,
}

impl Risk {
    /// The level as written in catalogs and rules.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }
}

/// Reads a user catalog file (YAML or JSON, one document) and validates it by the catalog schema.
///
/// # Errors
/// Every problem in the file, each a `CL-C006` diagnostic at its place: YAML errors, schema
/// violations with "did you mean", an empty file at its start.
pub fn load_file(path: &Path, base: &Path) -> Result<CatalogFile, Vec<Diagnostic>> {
    let loaded = crate::load::load_any(path, crate::discover::display_name(path, base), Limits::default());
    let source = loaded.source;
    if !loaded.diagnostics.is_empty() {
        return Err(loaded
            .diagnostics
            .into_iter()
            .map(|mut problem| {
                problem.code = Code::InvalidCatalog.into();
                problem.url = Some(Code::InvalidCatalog.url());
                problem
            })
            .collect());
    }
    let mut documents = loaded.documents.into_iter();
    let Some(document) = documents.next() else {
        let problem = Diagnostic::about_file(Code::InvalidCatalog, "the catalog file is empty", &source)
            .with_help(
                "a catalog has `resource: API` and `permissions: {NAME: {delegated: {…}, application: {…}}}`",
            );
        return Err(vec![problem]);
    };
    let mut problems: Vec<Diagnostic> = documents
        .map(|extra| {
            catalog_error(&source, extra.root.span, "a catalog file holds one document".into())
                .in_document(extra.index)
                .with_label("another document")
                .with_help("give each API's catalog its own file, with its own `--catalog`")
        })
        .collect();
    let (schema, validator) = crate::schema::compile(SCHEMA, "catalog")
        .map_err(|e| vec![catalog_error(&source, document.root.span, e)])?;
    let root = &document.root;
    match crate::schema::validate_with(
        &validator,
        &schema,
        root,
        document.index,
        &source,
        Code::InvalidCatalog,
    ) {
        Ok(json) if problems.is_empty() => serde_json::from_value(json).map_err(|e| {
            vec![catalog_error(
                &source,
                root.span,
                format!("the catalog does not have the expected shape: {e}"),
            )]
        }),
        Ok(_) => Err(problems),
        Err(found) => {
            problems.extend(found);
            crate::diagnostic::sort(&mut problems);
            Err(problems)
        }
    }
}

fn catalog_error(source: &Arc<SourceFile>, span: Span, message: String) -> Diagnostic {
    Diagnostic::tool(Code::InvalidCatalog, message, source, span)
}
