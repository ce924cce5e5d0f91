//! The rule engine: evaluates every rule on every document of its target kind, apps with the
//! tenant they are consented in, and turns failed assertions into diagnostics.
//!
//! The engine works one file at a time, so that each file's tree can be freed as soon as it is
//! judged; only the tenants are held for the whole run. `unique` is the one cross-document test,
//! and a policy may test it only as a condition of the assertion's conjunction: a rule that uses it
//! is evaluated once per scope, with `unique` holding, and the value's occurrence waits with the
//! scope's finding in a [`Pending`] until every file has been seen ([`resolve_unique`]).

mod decided;
mod eval;
mod not_judged;
pub(crate) mod probe;
mod unique;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::catalog::Catalog;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Label};
use crate::kind::Kind;
use crate::native::Native;
use crate::policy::{Condition, Op, Path, PolicySet, Root, Rule};
use crate::source::SourceFile;
use crate::validate::{CheckedDocument, CheckedFile};
use crate::yaml::{Node, Value};

use eval::{Ctx, Scope};
pub use not_judged::NotJudged;
use not_judged::{On, Why};
pub use unique::{Pending, files_to_reevaluate, resolve_unique};

/// Rules, catalog and tenants, shared by every worker.
pub struct Engine<'a> {
    policies: &'a PolicySet,
    catalog: &'a Catalog,
    tenants: HashMap<&'a str, Tenant<'a>>,
    /// Native tenants by export root: native apps and grants under the same root are judged against
    /// them. A tenant read from an export whose name a tenant of ours also has is that tenant's
    /// actual state: reached by its root only, the name being the desired state's.
    roots: HashMap<&'a std::path::Path, Tenant<'a>>,
    /// Names of tenants that failed their schema.
    invalid: std::collections::HashSet<&'a str>,
    /// Tenants whose name an earlier tenant already has (`CL-S002`); the first one is used.
    pub duplicate_tenants: Vec<Diagnostic>,
}

/// A tenant in context: its tree and where its name is written, for related labels.
#[derive(Clone, Copy)]
struct Tenant<'a> {
    root: &'a Node,
    /// Its document and the file holding it.
    document: &'a CheckedDocument,
    file: &'a Arc<SourceFile>,
    /// The file its name is written in.
    source: &'a Arc<SourceFile>,
    name: crate::source::Span,
    /// The format it was read from, when not ours.
    native: Option<&'a Native>,
}

/// Which documents of a file to judge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Documents {
    /// Every one.
    All,
    /// Every one but the grants.
    NotGrants,
    /// The grants only.
    Grants,
}

impl Documents {
    fn holds(self, kind: Kind) -> bool {
        match self {
            Self::All => true,
            Self::NotGrants => kind != Kind::Grant,
            Self::Grants => kind == Kind::Grant,
        }
    }
}

/// What judging one file gave.
#[derive(Debug, Default)]
pub struct FileFindings {
    /// Findings that stand.
    pub diagnostics: Vec<Diagnostic>,
    /// Findings that depend on other documents (`unique`).
    pub pending: Vec<Pending>,
    /// Rules not run on a document because they read what its native format does not state.
    pub not_judged: Vec<NotJudged>,
    /// Indices (in the rule set) of the rules run on some document, each once.
    pub judged: Vec<usize>,
    /// Indices of the rules whose `when` held in some scope, each once: the rest were not
    /// applicable wherever they ran.
    pub applied: Vec<usize>,
    /// The same two lists for each tenant the file's documents concern (the tenant judged, or an
    /// app's tenant), by name.
    pub by_tenant: Vec<(String, Vec<usize>, Vec<usize>)>,
    /// Indices of the rules not run on some app because its tenant is not in the run, each once.
    pub without_tenant: Vec<usize>,
}

impl FileFindings {
    /// Records the rules run and applied on one document, which concerns `tenant`: each rule once,
    /// over the file and for the tenant.
    fn cover(&mut self, tenant: Option<&str>, judged: &[usize], applied: &[usize]) {
        let add = |list: &mut Vec<usize>, items: &[usize]| {
            for item in items {
                if !list.contains(item) {
                    list.push(*item);
                }
            }
        };
        add(&mut self.judged, judged);
        add(&mut self.applied, applied);
        let Some(tenant) = tenant else { return };
        match self.by_tenant.iter_mut().find(|(name, _, _)| name == tenant) {
            Some((_, seen, held)) => {
                add(seen, judged);
                add(held, applied);
            }
            None => self.by_tenant.push((tenant.to_owned(), judged.to_vec(), applied.to_vec())),
        }
    }
}

impl<'a> Engine<'a> {
    /// An engine with the tenants of `files` in context.
    #[must_use]
    pub fn new(
        policies: &'a PolicySet,
        catalog: &'a Catalog,
        files: impl IntoIterator<Item = &'a CheckedFile>,
    ) -> Self {
        let mut tenants: HashMap<&'a str, Tenant<'a>> = HashMap::new();
        let mut roots = HashMap::new();
        let mut duplicate_tenants = Vec::new();
        let mut invalid = std::collections::HashSet::new();
        for file in files {
            invalid.extend(file.invalid_tenants.iter().map(String::as_str));
            for doc in file.documents.iter().filter(|doc| doc.kind == Kind::TenantConfig) {
                let Some(name) = doc.metadata("name") else { continue };
                let span =
                    doc.root.get("metadata").and_then(|m| m.get("name")).map_or(doc.root.span, |n| n.span);
                let source = doc.source_at(&file.source, &["metadata", "name"]);
                let actual = doc.native.as_ref().filter(|n| n.format != crate::native::IMPORTED);
                let tenant = Tenant {
                    root: &doc.root,
                    document: doc,
                    file: &file.source,
                    source,
                    name: span,
                    native: doc.native.as_ref(),
                };
                if let Some(native) = actual {
                    roots.entry(native.root.as_path()).or_insert(tenant);
                }
                if let Some(first) = tenants.get(name) {
                    // The desired state (ours) and the actual one (an export) of one tenant are one
                    // tenant: the desired state holds the name.
                    let first_actual = first.native.is_some_and(|n| n.format != crate::native::IMPORTED);
                    if first_actual != actual.is_some() {
                        if first_actual {
                            tenants.insert(name, tenant);
                        }
                        continue;
                    }
                    let at = first.source.position(first.name.start);
                    let message = format!(
                        "tenant name `{name}` is already used by the tenant at {}:{}",
                        first.source.name(),
                        at.line
                    );
                    duplicate_tenants.push(
                        Diagnostic::tool(Code::UnknownTenant, message, source, span)
                            .at(doc.index, "/metadata/name")
                            .with_label("used twice")
                            .with_related_in(first.source, first.name, "first used here")
                            .with_help(
                                "tenant names must be unique: apps name their tenant in `metadata.tenant`",
                            ),
                    );
                    continue;
                }
                tenants.insert(name, tenant);
            }
        }
        Self { policies, catalog, tenants, roots, invalid, duplicate_tenants }
    }

    /// Judges the documents of one file that `which` names: grants are judged once the desired
    /// state and the registrations of the run are known, the other documents of their file before.
    #[must_use]
    pub fn evaluate_some(&self, file: &CheckedFile, which: Documents) -> FileFindings {
        self.evaluate(file, false, which)
    }

    /// The name of the tenant a document concerns, without reporting anything: an app's or a
    /// grant's tenant (see [`Engine::resolve_tenant`]), a tenant's own name.
    #[must_use]
    pub fn tenant_name<'s>(&'s self, document: &'s CheckedDocument) -> Option<&'s str> {
        match document.kind {
            Kind::TenantConfig => document.metadata("name"),
            _ => self.quiet_tenant(document).and_then(|t| t.root.get("metadata")?.get("name")?.as_str()),
        }
    }

    /// The tenant of an app or a grant: the one of its export root, the one it names, or the only
    /// one.
    fn quiet_tenant(&self, document: &CheckedDocument) -> Option<Tenant<'a>> {
        if let Some(name) = document.metadata("tenant") {
            return self.tenants.get(name).copied();
        }
        if let Some(native) = &document.native
            && let Some(tenant) = self
                .roots
                .get(native.root.as_path())
                .or_else(|| native.tenant.as_deref().and_then(|name| self.tenants.get(name)))
        {
            return Some(*tenant);
        }
        (self.tenants.len() == 1).then(|| self.tenants.values().next().copied()).flatten()
    }

    /// Judges every document of one file again, building the finding of every `unique` occurrence
    /// (a first pass keeps only the findings that stand whatever other files hold, so that memory
    /// does not grow with the number of files).
    #[must_use]
    pub fn reevaluate_file(&self, file: &CheckedFile) -> FileFindings {
        self.evaluate(file, true, Documents::All)
    }

    fn evaluate(&self, file: &CheckedFile, every_occurrence: bool, which: Documents) -> FileFindings {
        let mut found = FileFindings::default();
        for document in file.documents.iter().filter(|d| which.holds(d.kind)) {
            if let Some(native) = document.native.as_ref().filter(|n| n.part.is_some()) {
                // One object of a tenant is never judged alone, without the facts its other objects
                // state; it reaches the engine only when its file was not read with them.
                let rules: Vec<String> = self
                    .policies
                    .rules
                    .iter()
                    .filter(|r| r.target == document.kind)
                    .map(|r| r.id.clone())
                    .collect();
                let name = native.root.display().to_string();
                found.not_judged.push(NotJudged {
                    rules,
                    kind: document.kind,
                    format: native.format,
                    missing: "spec",
                    name,
                    tenant: None,
                    api: None,
                    reason: None,
                });
                continue;
            }
            let tenant = match document.kind {
                Kind::AppManifest => self.resolve_tenant(&file.source, document, &mut found.diagnostics),
                Kind::Grant => self.quiet_tenant(document),
                _ => None,
            };
            let tenant_name: Option<&str> = match document.kind {
                Kind::TenantConfig => document.metadata("name"),
                _ => tenant.and_then(|t| t.root.get("metadata")?.get("name")?.as_str()),
            };
            let (mut judged, mut applied) = (Vec::new(), Vec::new());
            let mut skipped: Vec<NotJudged> = Vec::new();
            let on = On { kind: document.kind, name: document.metadata("name"), tenant: tenant_name };
            for (index, rule) in
                self.policies.rules.iter().enumerate().filter(|(_, rule)| rule.target == document.kind)
            {
                if rule.uses_tenant && tenant.is_none() {
                    // A rule that reads what the document does not state could not run with a
                    // tenant either: it is not judged for that, not for want of a tenant.
                    if let Some((missing, native)) = reads_unknown(rule, document.native.as_ref(), None) {
                        let on =
                            On { kind: document.kind, name: document.metadata("name"), tenant: tenant_name };
                        not_judged::record(&mut skipped, &rule.id, on, Why::Unstated { missing, native });
                        continue;
                    }
                    if !found.without_tenant.contains(&index) {
                        found.without_tenant.push(index);
                    }
                    continue;
                }
                let ctx = Ctx {
                    source: &file.source,
                    document,
                    tenant: tenant.map(|t| t.root),
                    tenant_document: tenant.map(|t| (t.document, t.file)),
                    catalog: self.catalog,
                    rule,
                };
                let natives = (document.native.as_ref(), tenant.and_then(|t| t.native));
                if let Some((missing, native)) = reads_unknown(rule, natives.0, natives.1) {
                    // A `when` that the stated values already decide against makes the rule not
                    // apply, whatever it would read.
                    if excluded_by_when(&ctx, natives) {
                        judged.push(index);
                        continue;
                    }
                    // An assertion the stated values already decide holds, whatever the others.
                    if let Some(applies) = decided::holds_whatever_unknown(&ctx, natives) {
                        judged.push(index);
                        if applies {
                            applied.push(index);
                        }
                        continue;
                    }
                    // Or decides what the rule needs to be judged as written.
                    if !decided::settled(&ctx, natives) {
                        not_judged::record(&mut skipped, &rule.id, on, Why::Unstated { missing, native });
                        continue;
                    }
                }
                let before = found.diagnostics.len();
                judged.push(index);
                let mut undescribed = BTreeSet::new();
                if evaluate_rule(&ctx, &mut found, every_occurrence, &mut undescribed) {
                    applied.push(index);
                }
                not_judged::undescribed(&mut skipped, &rule.id, on, &undescribed, document.native.as_ref());
                for diagnostic in found.diagnostics.iter_mut().skip(before) {
                    diagnostic.tenant = tenant_name.map(str::to_owned);
                }
                if let (true, Some(tenant)) = (rule.uses_tenant, tenant) {
                    for diagnostic in found.diagnostics.iter_mut().skip(before) {
                        diagnostic.related.push(Label {
                            source: Arc::clone(tenant.source),
                            span: tenant.name,
                            message: "the tenant it is judged against".into(),
                        });
                    }
                }
            }
            found.not_judged.append(&mut skipped);
            found.cover(tenant_name, &judged, &applied);
        }
        found
    }

    /// Reports an app judged without any tenant in the run, when rules that need one are skipped
    /// for it: a pass would otherwise be silent.
    fn no_tenant(
        &self,
        source: &Arc<SourceFile>,
        document: &CheckedDocument,
        found: &mut Vec<Diagnostic>,
    ) -> Option<Tenant<'a>> {
        // Rules that read what the document does not state are not judged whatever the tenant.
        let skipped: Vec<&str> = self
            .policies
            .rules
            .iter()
            .filter(|rule| rule.target == document.kind && rule.uses_tenant)
            .filter(|rule| reads_unknown(rule, document.native.as_ref(), None).is_none())
            .map(|rule| rule.id.as_str())
            .collect();
        if skipped.is_empty() {
            return None;
        }
        let root = &document.root;
        let (span, pointer) = match root.get("metadata").and_then(|m| m.entry("tenant")) {
            Some(entry) => (entry.key_span.join(entry.value.span), "/metadata/tenant"),
            None => (root.entry("metadata").map_or(root.span, |e| e.key_span), "/metadata"),
        };
        let name = document.metadata("name").unwrap_or("the app");
        let rules = skipped.iter().map(|id| format!("`{id}`")).collect::<Vec<_>>().join(", ");
        let message = format!(
            "`{name}` is not judged by the rules that need its tenant ({rules}): no tenant is in the run"
        );
        found.push(
            Diagnostic::tool(Code::NoTenant, message, source, span)
                .at(document.index, pointer)
                .with_label("judged without a tenant")
                .with_help(
                    "check the tenant's file in the same run, or list its directory under `context:` in \
                     `.consentlint.yaml` (pre-commit runs see only changed files); `metadata.tenant` names \
                     which tenant consents to the app",
                ),
        );
        None
    }

    /// The tenant an app is consented in: the one it names, or the only one. Reports a name that
    /// is not in the run, or silence among several tenants.
    fn resolve_tenant(
        &self,
        source: &Arc<SourceFile>,
        document: &CheckedDocument,
        found: &mut Vec<Diagnostic>,
    ) -> Option<Tenant<'a>> {
        let root = &document.root;
        let tenants = &self.tenants;
        // A native app is consented in the tenant exported beside it.
        if document.metadata("tenant").is_none()
            && let Some(native) = &document.native
            && let Some(tenant) = self
                .roots
                .get(native.root.as_path())
                .or_else(|| native.tenant.as_deref().and_then(|name| tenants.get(name)))
        {
            // Or in the tenant that `tenants:` in the configuration names for its directory.
            return Some(*tenant);
        }
        let (message, span, pointer, help) = match document.metadata("tenant") {
            Some(name) => match tenants.get(name) {
                Some(tenant) => return Some(*tenant),
                None if self.invalid.contains(name) => {
                    let node = root.get("metadata").and_then(|m| m.get("tenant")).unwrap_or(root);
                    let message = format!(
                        "tenant `{name}` does not pass its schema, so this app is not judged against it"
                    );
                    (message, node.span, "/metadata/tenant", "fix the tenant's own errors first".to_owned())
                }
                None if tenants.is_empty() => return self.no_tenant(source, document, found),
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
            None if tenants.is_empty() => return self.no_tenant(source, document, found),
            None => {
                let span = root.entry("metadata").map_or(root.span, |e| e.key_span);
                let help = if document.native.as_ref().is_some_and(|n| n.format != crate::native::IMPORTED) {
                    "an exported file cannot name its tenant: list its directory under `tenants:` in \
                     `.consentlint.yaml` with the tenant's name (`tenants: {contoso: exports/contoso}`), or \
                     keep it under its tenant's export root"
                        .to_owned()
                } else {
                    "set `metadata.tenant` to the name of the tenant that consents to this app".to_owned()
                };
                (
                    "the app does not say which of several tenants consents to it".to_owned(),
                    span,
                    "/metadata",
                    help,
                )
            }
        };
        found.push(
            Diagnostic::tool(Code::UnknownTenant, message, source, span)
                .at(document.index, pointer)
                .with_help(help),
        );
        None
    }
}

/// Whether the rule's `when` reads only values the inputs state, so that it decides where the rule
/// applies even when the rule reads an unstated value elsewhere (`check` and `simulate`'s probe).
pub(super) fn when_decidable(rule: &Rule, native: Option<&Native>, tenant: Option<&Native>) -> bool {
    let scope = rule.for_each.as_ref().map_or(&[][..], |list| list.segments.as_slice());
    rule.when
        .as_ref()
        .is_some_and(|when| condition_reads_unknown(rule, when, scope, native, tenant).is_none())
}

/// Whether a rule that reads an unstated value still does not apply to the document: its `when`
/// reads only stated values and holds in none of its scopes (the document, or each element of its
/// `for-each` list; none when the list is stated absent). When the list itself is not stated, a
/// `when` that reads its elements cannot be decided, and the rule stays not judged.
fn excluded_by_when(ctx: &Ctx<'_>, (native, tenant): (Option<&Native>, Option<&Native>)) -> bool {
    let Some(when) = ctx.rule.when.as_ref().filter(|_| when_decidable(ctx.rule, native, tenant)) else {
        return false;
    };
    let whole = Scope { node: &ctx.document.root, list: "", index: None };
    let Some(path) = &ctx.rule.for_each else { return !ctx.eval(&whole, when).holds };
    match ctx.resolve_node(&whole, path) {
        Some((Node { value: Value::Seq(items), .. }, pointer)) => items
            .iter()
            .enumerate()
            .all(|(index, node)| !ctx.eval(&Scope { node, list: &pointer, index: Some(index) }, when).holds),
        // A list the inputs state as absent, or as no list, has no element to judge.
        _ if native.is_none_or(|n| n.within_unknown(&path.segments).is_none()) => true,
        _ => !reads_element(when) && !ctx.eval(&whole, when).holds,
    }
}

/// The facts the permission catalog states of a permission that a rule reads, each once (not its
/// `api` and `name`, the names it is listed under, known for any permission).
fn catalog_facts_read(rule: &Rule) -> Vec<&str> {
    fn reads<'r>(condition: &'r Condition, facts: &mut Vec<&'r str>) {
        match condition {
            Condition::All(items) | Condition::Any(items) => items.iter().for_each(|c| reads(c, facts)),
            Condition::Not(inner) => reads(inner, facts),
            Condition::Test { path, op, .. } => {
                for path in std::iter::once(path).chain(op.operand()).filter(|p| p.root == Root::Catalog) {
                    match path.segments.first().map(String::as_str) {
                        Some("api" | "name") | None => {}
                        Some(fact) if facts.contains(&fact) => {}
                        Some(fact) => facts.push(fact),
                    }
                }
            }
        }
    }
    let mut facts = Vec::new();
    for condition in
        rule.when.iter().chain(std::iter::once(&rule.assert)).chain(rule.overrides.iter().map(|o| &o.when))
    {
        reads(condition, &mut facts);
    }
    facts
}

/// Whether a condition reads the element in scope or its catalog facts.
pub(super) fn reads_element(condition: &Condition) -> bool {
    match condition {
        Condition::All(items) | Condition::Any(items) => items.iter().any(reads_element),
        Condition::Not(inner) => reads_element(inner),
        Condition::Test { path, op, .. } => {
            std::iter::once(path).chain(op.operand()).any(|p| matches!(p.root, Root::Scope | Root::Catalog))
        }
    }
}

/// The value `rule` reads that the native format of the judged document (`native`) or of its tenant
/// (`tenant`) does not hold, with that format: such a rule is not run, since no finding may stand on
/// a value the files do not state.
fn reads_unknown<'n>(
    rule: &Rule,
    native: Option<&'n Native>,
    tenant: Option<&'n Native>,
) -> Option<(&'static str, &'n Native)> {
    if native.is_none() && tenant.is_none() {
        return None;
    }
    let scope: &[String] = rule.for_each.as_ref().map_or(&[], |list| list.segments.as_slice());
    let reported = rule.report.as_ref().and_then(|path| path_unknown(path, scope, native, tenant));
    let listed = || {
        let list = rule.for_each.as_ref()?;
        native.and_then(|n| n.within_unknown(&list.segments).map(|m| (m, n)))
    };
    // Severity overrides count: their message may state the value they test. The last condition
    // is searched first, as the notes have always named it.
    reported.or_else(listed).or_else(|| {
        let conditions: Vec<&Condition> = rule
            .when
            .iter()
            .chain(std::iter::once(&rule.assert))
            .chain(rule.overrides.iter().map(|o| &o.when))
            .collect();
        conditions
            .into_iter()
            .rev()
            .find_map(|condition| condition_reads_unknown(rule, condition, scope, native, tenant))
    })
}

/// The value that `condition` of `rule` (whose `for-each` list is at `scope`) reads and that the
/// judged document's format (`native`) or its tenant's (`tenant`) does not state, with that format.
/// A part the profile's parameters decide reads nothing: its outcome is known whatever the document
/// holds (`any: [$profile.x == false, …]` under `x: false`).
pub(super) fn condition_reads_unknown<'n>(
    rule: &Rule,
    condition: &Condition,
    scope: &[String],
    native: Option<&'n Native>,
    tenant: Option<&'n Native>,
) -> Option<(&'static str, &'n Native)> {
    if fixed(rule, condition).is_some() {
        return None;
    }
    match condition {
        Condition::All(items) | Condition::Any(items) => {
            items.iter().rev().find_map(|item| condition_reads_unknown(rule, item, scope, native, tenant))
        }
        Condition::Not(inner) => condition_reads_unknown(rule, inner, scope, native, tenant),
        Condition::Test { path, op, .. } => path_unknown(path, scope, native, tenant)
            .or_else(|| op.operand().and_then(|operand| path_unknown(operand, scope, native, tenant))),
    }
}

/// The unstated value a path reads, with the format that does not state it.
pub(super) fn path_unknown<'n>(
    path: &Path,
    scope: &[String],
    native: Option<&'n Native>,
    tenant: Option<&'n Native>,
) -> Option<(&'static str, &'n Native)> {
    match path.root {
        Root::Document => native.and_then(|n| n.unknown_in(&path.segments).map(|m| (m, n))),
        Root::Scope => {
            let full: Vec<String> = scope.iter().chain(&path.segments).cloned().collect();
            native.and_then(|n| n.unknown_in(&full).map(|m| (m, n)))
        }
        Root::Tenant => tenant.and_then(|t| t.unknown_in(&path.segments).map(|m| (m, t))),
        Root::Catalog | Root::Profile => None,
    }
}

/// The outcome of `condition` when the profile's parameter values alone decide it, whatever the
/// document holds; `None` when it depends on the document.
fn fixed(rule: &Rule, condition: &Condition) -> Option<bool> {
    match condition {
        Condition::Not(inner) => fixed(rule, inner).map(|holds| !holds),
        Condition::All(items) => {
            let outcomes: Vec<Option<bool>> = items.iter().map(|item| fixed(rule, item)).collect();
            if outcomes.contains(&Some(false)) {
                Some(false)
            } else {
                outcomes.iter().all(|o| *o == Some(true)).then_some(true)
            }
        }
        Condition::Any(items) => {
            let outcomes: Vec<Option<bool>> = items.iter().map(|item| fixed(rule, item)).collect();
            if outcomes.contains(&Some(true)) {
                Some(true)
            } else {
                outcomes.iter().all(|o| *o == Some(false)).then_some(false)
            }
        }
        Condition::Test { path, op, .. } => {
            let parameter = |path: &Path| {
                (path.root == Root::Profile)
                    .then(|| path.segments.first().and_then(|name| rule.parameter(name)))
                    .flatten()
                    .map(|p| &p.value.value)
            };
            match (parameter(path), op) {
                (Some(value), Op::Equals(expected)) => Some(value == expected),
                (Some(value), Op::NotEquals(expected)) => Some(value != expected),
                (Some(value), Op::In(options)) => Some(options.contains(value)),
                (Some(value), Op::NotIn(options)) => Some(!options.contains(value)),
                // An empty list of the profile's holds nothing, whatever the value tested.
                (None, Op::InList(list)) => {
                    matches!(parameter(list), Some(Value::Seq(items)) if items.is_empty()).then_some(false)
                }
                _ => None,
            }
        }
    }
}

/// Judges one document with one rule; whether the rule applied (its `when` held) in some scope.
/// Judges one rule on one document; the APIs of the permissions it could not judge, for want of a
/// catalog that describes them, go to `undescribed`.
fn evaluate_rule(
    ctx: &Ctx<'_>,
    found: &mut FileFindings,
    every_occurrence: bool,
    undescribed: &mut BTreeSet<String>,
) -> bool {
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
    let mut applied = false;
    let facts = ctx.rule.for_each.as_ref().map(|_| catalog_facts_read(ctx.rule)).unwrap_or_default();
    for scope in &scopes {
        let unknown = (!facts.is_empty())
            .then(|| scope.index.and_then(|_| ctx.undescribed_api(scope.node)))
            .flatten()
            .filter(|_| !ctx.answered(scope.node, &facts));
        if let Some(api) = unknown {
            undescribed.insert(api);
            continue;
        }
        if let Some(when) = &ctx.rule.when
            && !ctx.eval(scope, when).holds
        {
            continue;
        }
        applied = true;
        let outcome = ctx.eval(scope, &ctx.rule.assert);
        // The assertion is a conjunction with `unique` in it, which held above for any comparable
        // value. The occurrence is recorded whether or not another condition failed, so that
        // "repeated" means the same whatever the rule's other conditions say.
        let unique = ctx.rule.uses_unique.then(|| ctx.rule.assert.unique_test()).flatten();
        match unique.and_then(|(path, default)| ctx.occurrence(scope, path, default)) {
            Some((key, span, if_repeated)) => {
                // When another condition failed too, the finding points where it failed.
                let stands = !outcome.holds;
                let diagnostic = (stands || every_occurrence)
                    .then(|| ctx.finding(scope, if stands { &outcome } else { &if_repeated }));
                found.pending.push(Pending::new(ctx, &key, span, stands, diagnostic));
            }
            None if !outcome.holds => {
                found.diagnostics.push(unique::settle(ctx.finding(scope, &outcome), None));
            }
            None => {}
        }
    }
    applied
}
