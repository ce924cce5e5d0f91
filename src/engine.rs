//! The rule engine: evaluates every rule on every document of its target kind, apps with the
//! tenant they are consented in, and turns failed assertions into diagnostics.
//!
//! The engine works one file at a time, so that each file's tree can be freed as soon as it is
//! judged; only the tenants are held for the whole run. `unique` is the one cross-document test,
//! and a policy may test it only as a condition of the assertion's conjunction: a rule that uses it
//! is evaluated once per scope, with `unique` holding, and the value's occurrence waits with the
//! scope's finding in a [`Pending`] until every file has been seen ([`resolve_unique`]).

mod eval;
mod unique;

use std::collections::HashMap;
use std::sync::Arc;

use crate::catalog::Catalog;
use crate::check::{CheckedDocument, CheckedFile};
use crate::codes;
use crate::diagnostic::{Diagnostic, Severity};
use crate::kind::Kind;
use crate::model::Model;
use crate::policy::{PolicySet, Rule};
use crate::source::SourceFile;
use crate::yaml::{Node, Value};

use eval::{Ctx, Scope};
pub use unique::{Pending, resolve_unique};

/// Rules, catalog and tenants, shared by every worker.
pub struct Engine<'a> {
    policies: &'a PolicySet,
    catalog: &'a Catalog,
    tenants: HashMap<&'a str, &'a Node>,
    /// Names of tenants that failed their schema.
    invalid: Vec<&'a str>,
    /// Tenants whose name an earlier tenant already has (`CL-S002`); the first one is used.
    pub duplicate_tenants: Vec<Diagnostic>,
}

/// What judging one file gave.
#[derive(Debug, Default)]
pub struct FileFindings {
    /// Findings that stand.
    pub diagnostics: Vec<Diagnostic>,
    /// Findings that depend on other documents (`unique`).
    pub pending: Vec<Pending>,
}

impl<'a> Engine<'a> {
    /// An engine with the tenants of `files` in context.
    #[must_use]
    pub fn new(
        policies: &'a PolicySet,
        catalog: &'a Catalog,
        files: impl IntoIterator<Item = &'a CheckedFile>,
    ) -> Self {
        let mut tenants: HashMap<&'a str, &'a Node> = HashMap::new();
        let mut first: HashMap<&'a str, String> = HashMap::new();
        let mut duplicate_tenants = Vec::new();
        let mut invalid = Vec::new();
        for file in files {
            invalid.extend(file.invalid_tenants.iter().map(String::as_str));
            for doc in &file.documents {
                let Model::Tenant(tenant) = &doc.model else { continue };
                let name = tenant.metadata.name.as_str();
                let span =
                    doc.root.get("metadata").and_then(|m| m.get("name")).map_or(doc.root.span, |n| n.span);
                if let Some(where_first) = first.get(name) {
                    let message = format!("tenant name `{name}` is already used by {where_first}");
                    duplicate_tenants.push(
                        Diagnostic::new(codes::TENANT, Severity::Error, message, &file.source, span)
                            .at(doc.index, "/metadata/name")
                            .with_label("used twice")
                            .with_help(
                                "tenant names must be unique: apps name their tenant in `metadata.tenant`",
                            )
                            .with_url(codes::url(codes::TENANT)),
                    );
                    continue;
                }
                let at = file.source.position(span.start);
                first.insert(name, format!("the tenant at {}:{}", file.source.name(), at.line));
                tenants.insert(name, &doc.root);
            }
        }
        Self { policies, catalog, tenants, invalid, duplicate_tenants }
    }

    /// Judges every document of one file.
    #[must_use]
    pub fn evaluate_file(&self, file: &CheckedFile) -> FileFindings {
        let mut found = FileFindings::default();
        for document in &file.documents {
            let tenant = match document.kind {
                Kind::AppManifest => self.resolve_tenant(&file.source, document, &mut found.diagnostics),
                _ => None,
            };
            for rule in self.policies.rules.iter().filter(|rule| rule.target == document.kind) {
                if rule.uses_tenant && tenant.is_none() {
                    continue;
                }
                let ctx = Ctx { source: &file.source, document, tenant, catalog: self.catalog, rule };
                evaluate_rule(&ctx, &mut found);
            }
        }
        found
    }

    /// The tenant an app is consented in: the one it names, or the only one. Reports a name that
    /// is not in the run, or silence among several tenants.
    fn resolve_tenant(
        &self,
        source: &Arc<SourceFile>,
        document: &CheckedDocument,
        found: &mut Vec<Diagnostic>,
    ) -> Option<&'a Node> {
        let Model::App(app) = &document.model else { return None };
        let root = &document.root;
        let tenants = &self.tenants;
        let (message, span, pointer, help) = match &app.metadata.tenant {
            Some(name) => match tenants.get(name.as_str()) {
                Some(tenant) => return Some(tenant),
                None if self.invalid.contains(&name.as_str()) => {
                    let node = root.get("metadata").and_then(|m| m.get("tenant")).unwrap_or(root);
                    let message = format!(
                        "tenant `{name}` does not pass its schema, so this app is not judged against it"
                    );
                    (message, node.span, "/metadata/tenant", "fix the tenant's own errors first".to_owned())
                }
                None if tenants.is_empty() => return None,
                None => {
                    let mut names: Vec<&str> = tenants.keys().copied().collect();
                    names.sort_unstable();
                    let node = root.get("metadata").and_then(|m| m.get("tenant")).unwrap_or(root);
                    let help = crate::suggest::help_for(name, names.iter().copied());
                    (
                        format!("tenant `{name}` is not among the documents checked"),
                        node.span,
                        "/metadata/tenant",
                        help,
                    )
                }
            },
            None if tenants.len() == 1 => return tenants.values().next().copied(),
            None if tenants.is_empty() => return None,
            None => {
                let span = root.entry("metadata").map_or(root.span, |e| e.key_span);
                let help =
                    "set `metadata.tenant` to the name of the tenant that consents to this app".to_owned();
                (
                    "the app does not say which of several tenants consents to it".to_owned(),
                    span,
                    "/metadata",
                    help,
                )
            }
        };
        found.push(
            Diagnostic::new(codes::TENANT, Severity::Error, message, source, span)
                .at(document.index, pointer)
                .with_help(help)
                .with_url(codes::url(codes::TENANT)),
        );
        None
    }
}

/// Evaluates `policies` over every document of `files` at once: the convenience form of
/// [`Engine::evaluate_file`] and [`resolve_unique`].
#[must_use]
pub fn evaluate(policies: &PolicySet, catalog: &Catalog, files: &[CheckedFile]) -> Vec<Diagnostic> {
    let engine = Engine::new(policies, catalog, files);
    let mut diagnostics = Vec::new();
    let mut pending = Vec::new();
    for file in files {
        let found = engine.evaluate_file(file);
        diagnostics.extend(found.diagnostics);
        pending.extend(found.pending);
    }
    diagnostics.extend(resolve_unique(pending));
    diagnostics
}

fn evaluate_rule(ctx: &Ctx<'_>, found: &mut FileFindings) {
    let root = &ctx.document.root;
    let document_scope = Scope { node: root, list: "", index: None };
    let list = ctx.rule.for_each.as_ref().and_then(|path| ctx.resolve_node(&document_scope, path));
    let scopes: Vec<Scope<'_>> = match &list {
        None if ctx.rule.for_each.is_none() => vec![document_scope],
        Some((Node { value: Value::Seq(items), .. }, pointer)) => items
            .iter()
            .enumerate()
            .map(|(index, node)| Scope { node, list: pointer, index: Some(index) })
            .collect(),
        _ => Vec::new(),
    };
    for scope in &scopes {
        if let Some(when) = &ctx.rule.when
            && !ctx.eval(scope, when).holds
        {
            continue;
        }
        let outcome = ctx.eval(scope, &ctx.rule.assert);
        // The assertion is a conjunction with `unique` in it, which held above for any comparable
        // value. The occurrence is recorded whether or not another condition failed, so that
        // "repeated" means the same whatever the rule's other conditions say.
        let unique = ctx.rule.uses_unique.then(|| ctx.rule.assert.unique_test()).flatten();
        match unique.and_then(|(path, default)| ctx.occurrence(scope, path, default)) {
            Some((key, span, if_repeated)) => {
                // When another condition failed too, the finding points where it failed.
                let stands = !outcome.holds;
                let diagnostic = ctx.finding(scope, if stands { &outcome } else { &if_repeated });
                found.pending.push(Pending::new(ctx, &key, span, stands, diagnostic));
            }
            None if !outcome.holds => {
                found.diagnostics.push(unique::settle(ctx.finding(scope, &outcome), None));
            }
            None => {}
        }
    }
}

/// The documentation link of a rule: the rule reference for built-in rules, else its first
/// reference with a link.
#[must_use]
pub fn rule_url(rule: &Rule) -> Option<String> {
    if rule.builtin { Some(codes::url(&rule.id)) } else { rule.references.iter().find_map(|r| r.url.clone()) }
}
