//! The rule engine: evaluates every rule on every document of its target kind, apps with the
//! tenant they are consented in, and turns failed assertions into diagnostics.

mod eval;
mod unique;

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

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
pub use unique::UniqueIndex;

/// One document of the run, with its file.
#[derive(Clone, Copy)]
struct Doc<'a> {
    source: &'a Arc<SourceFile>,
    document: &'a CheckedDocument,
}

/// Evaluates `policies` over every document of `files`.
#[must_use]
pub fn evaluate(policies: &PolicySet, catalog: &Catalog, files: &[CheckedFile]) -> Vec<Diagnostic> {
    let docs: Vec<Doc<'_>> = files
        .iter()
        .flat_map(|file| file.documents.iter().map(move |document| Doc { source: &file.source, document }))
        .collect();
    let tenants: HashMap<&str, &Node> = docs
        .iter()
        .filter_map(|doc| match &doc.document.model {
            Model::Tenant(tenant) => Some((tenant.metadata.name.as_str(), &doc.document.root)),
            _ => None,
        })
        .collect();
    let pairs: Vec<(&Arc<SourceFile>, &CheckedDocument)> =
        docs.iter().map(|d| (d.source, d.document)).collect();
    let unique = UniqueIndex::build(policies, &pairs);
    docs.par_iter()
        .flat_map_iter(|doc| {
            let mut found = Vec::new();
            let tenant = match doc.document.kind {
                Kind::AppManifest => resolve_tenant(doc, &tenants, &mut found),
                _ => None,
            };
            for rule in policies.rules.iter().filter(|rule| rule.target == doc.document.kind) {
                if rule.uses_tenant && tenant.is_none() {
                    continue;
                }
                let ctx = Ctx {
                    source: doc.source,
                    document: doc.document,
                    tenant,
                    catalog,
                    unique: &unique,
                    rule,
                };
                evaluate_rule(&ctx, &mut found);
            }
            found
        })
        .collect()
}

/// The tenant an app is consented in: the one it names, or the only one. Reports a name that is
/// not in the run, or silence among several tenants.
fn resolve_tenant<'a>(
    doc: &Doc<'_>,
    tenants: &HashMap<&str, &'a Node>,
    found: &mut Vec<Diagnostic>,
) -> Option<&'a Node> {
    let Model::App(app) = &doc.document.model else { return None };
    let root = &doc.document.root;
    let problem = match &app.metadata.tenant {
        Some(name) => match tenants.get(name.as_str()) {
            Some(tenant) => return Some(tenant),
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
            let help = "set `metadata.tenant` to the name of the tenant that consents to this app".to_owned();
            (
                "the app does not say which of several tenants consents to it".to_owned(),
                span,
                "/metadata",
                help,
            )
        }
    };
    let (message, span, pointer, help) = problem;
    found.push(
        Diagnostic::new(codes::TENANT, Severity::Error, message, doc.source, span)
            .at(doc.document.index, pointer)
            .with_help(help)
            .with_url(codes::url(codes::TENANT)),
    );
    None
}

fn evaluate_rule(ctx: &Ctx<'_>, found: &mut Vec<Diagnostic>) {
    let root = &ctx.document.root;
    let document_scope = Scope { node: root, pointer: String::new() };
    let scopes: Vec<Scope<'_>> = match &ctx.rule.for_each {
        None => vec![document_scope],
        Some(path) => match ctx.resolve_node(&document_scope, path) {
            Some((Node { value: Value::Seq(items), .. }, pointer)) => items
                .iter()
                .enumerate()
                .map(|(index, node)| Scope { node, pointer: format!("{pointer}/{index}") })
                .collect(),
            _ => Vec::new(),
        },
    };
    for scope in &scopes {
        if let Some(when) = &ctx.rule.when
            && !ctx.eval(scope, when).holds
        {
            continue;
        }
        let outcome = ctx.eval(scope, &ctx.rule.assert);
        if !outcome.holds {
            found.push(ctx.finding(scope, &outcome));
        }
    }
}

/// The documentation link of a rule: the rule reference for built-in rules, else its first
/// reference with a link.
#[must_use]
pub fn rule_url(rule: &Rule) -> Option<String> {
    if rule.builtin { Some(codes::url(&rule.id)) } else { rule.references.iter().find_map(|r| r.url.clone()) }
}
