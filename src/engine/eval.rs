//! Evaluating conditions in a scope, and building the finding of a failed assertion.

use std::borrow::Cow;
use std::sync::Arc;

use super::unique;
use crate::catalog::{Catalog, GRAPH, PermissionKey, PermissionKind};
use crate::diagnostic::Diagnostic;
use crate::policy::{Condition, Op, Part, Path, Root, Rule, Template};
use crate::source::{SourceFile, Span};
use crate::validate::CheckedDocument;
use crate::yaml::{self, Node, Value};

/// Everything a rule sees while judging one document.
pub(super) struct Ctx<'a> {
    pub source: &'a Arc<SourceFile>,
    pub document: &'a CheckedDocument,
    pub tenant: Option<&'a Node>,
    /// The tenant's document and the file holding it, to find the text its values are written in.
    pub tenant_document: Option<(&'a CheckedDocument, &'a Arc<SourceFile>)>,
    pub catalog: &'a Catalog,
    pub rule: &'a Rule,
}

/// Where relative paths start: the document, or an element under `for-each`.
pub(super) struct Scope<'a> {
    pub node: &'a Node,
    /// The pointer of the list under `for-each`, or of the document (empty).
    pub list: &'a str,
    /// The element's index under `for-each`.
    pub index: Option<usize>,
}

/// What a path led to.
enum Found<'a> {
    /// A node; `judged` when it is in the document being judged; `text` is its file's text.
    Node { node: &'a Node, judged: bool, text: &'a str },
    /// A catalog fact.
    Fact(Value),
    /// Nothing. In the judged document, `head` is the key holding the mapping that lacks the path,
    /// and `depth` the number of the path's steps that were found.
    Missing { head: Option<Span>, depth: usize },
}

/// Where a condition failed, kept cheap until a finding needs it: the pointer is built from the
/// scope's pointer and the path's first `depth` steps only then.
#[derive(Clone, Default)]
pub(super) struct At<'s> {
    span: Option<Span>,
    base: &'s str,
    index: Option<usize>,
    path: Option<&'s Path>,
    depth: usize,
    value: Option<Cow<'s, Value>>,
    /// The node the value is, with its file's text, to quote numbers as written.
    node: Option<(&'s Node, &'s str)>,
}

impl At<'_> {
    fn pointer(&self) -> String {
        let mut pointer = self.base.to_owned();
        if let Some(index) = self.index {
            pointer.push('/');
            pointer.push_str(&index.to_string());
        }
        for segment in self.path.map_or(&[][..], |p| p.segments.get(..self.depth).unwrap_or(&p.segments)) {
            pointer.push('/');
            pointer.push_str(&yaml::escape_pointer_token(segment));
        }
        pointer
    }
}

/// Whether a condition held, and where it failed.
pub(super) struct Outcome<'s> {
    pub holds: bool,
    at: At<'s>,
}

impl<'a> Ctx<'a> {
    /// The base pointer of a path's root in the judged document.
    fn base<'s>(scope: &'s Scope<'a>, path: &Path) -> (&'s str, Option<usize>) {
        if path.root == Root::Scope { (scope.list, scope.index) } else { ("", None) }
    }

    /// A place in the judged document: the first `depth` steps of `path` from its root.
    fn place<'s>(scope: &'s Scope<'a>, path: &'s Path, depth: usize) -> At<'s> {
        let (base, index) = Self::base(scope, path);
        At { base, index, path: Some(path), depth, ..At::default() }
    }

    fn resolve(&self, scope: &Scope<'a>, path: &Path) -> Found<'a> {
        let (mut node, judged, text) = match path.root {
            Root::Scope => (scope.node, true, self.scope_text(scope)),
            Root::Document => {
                (&self.document.root, true, self.document.source_at(self.source, &path.segments).text())
            }
            Root::Tenant => match (self.tenant, self.tenant_document) {
                (Some(tenant), Some((document, source))) => {
                    (tenant, false, document.source_at(source, &path.segments).text())
                }
                _ => return Found::Missing { head: None, depth: 0 },
            },
            Root::Profile => {
                let parameter = path.segments.first().and_then(|name| self.rule.parameter(name));
                return parameter.map_or(Found::Missing { head: None, depth: 0 }, |p| Found::Node {
                    node: &p.value,
                    judged: false,
                    text: p.source.text(),
                });
            }
            Root::Catalog => {
                let fact = path.segments.first().and_then(|fact| self.fact(scope.node, fact));
                return fact.map_or(Found::Missing { head: None, depth: 0 }, Found::Fact);
            }
        };
        let mut head = head_of(node);
        for (depth, segment) in path.segments.iter().enumerate() {
            let next = match &node.value {
                Value::Map(entries) => {
                    entries.iter().find(|e| &e.key == segment).map(|e| (e.key_span, &e.value))
                }
                Value::Seq(items) => {
                    segment.parse::<usize>().ok().and_then(|i| items.get(i)).map(|n| (n.span, n))
                }
                _ => None,
            };
            let Some((key_span, child)) = next else {
                return Found::Missing { head: judged.then_some(head), depth };
            };
            head = key_span;
            node = child;
        }
        Found::Node { node, judged, text }
    }

    /// The text of the file a scope's values were read from.
    fn scope_text(&self, scope: &Scope<'a>) -> &'a str {
        if self.document.origins.is_empty() {
            return self.source.text();
        }
        let pointer = match scope.index {
            Some(index) => format!("{}/{index}", scope.list),
            None => scope.list.to_owned(),
        };
        self.document.source_at_pointer(self.source, &pointer).text()
    }

    /// The node at a path in the judged document or the tenant, with its pointer.
    pub(super) fn resolve_node(&self, scope: &Scope<'a>, path: &Path) -> Option<(&'a Node, String)> {
        match self.resolve(scope, path) {
            Found::Node { node, .. } => Some((node, Self::place(scope, path, path.segments.len()).pointer())),
            _ => None,
        }
    }

    /// The API of the permission in scope when no catalog describes it: its catalog facts are then
    /// not known, unless [`Self::answered`] finds them.
    pub(super) fn undescribed_api(&self, scope: &Node) -> Option<String> {
        let resource = match &scope.value {
            Value::Map(_) => scope.get("resource").and_then(Node::as_str).unwrap_or(GRAPH),
            _ => return None,
        };
        (!self.catalog.describes(resource)).then(|| resource.to_owned())
    }

    /// Whether what the catalogs say of the permission in scope answers the `facts` a rule reads
    /// (for an API no catalog describes, only the risk ScubaGear's lists give it): else the rule
    /// cannot judge the permission.
    pub(super) fn answered(&self, scope: &Node, facts: &[&str]) -> bool {
        Self::key(scope).is_some_and(|key| self.catalog.answers(&key, facts))
    }

    fn fact(&self, scope: &Node, fact: &str) -> Option<Value> {
        self.catalog.fact(&Self::key(scope)?, fact)
    }

    /// The permission a scope names: a Microsoft Graph delegated permission by its name, or an item
    /// with `name`, `type` and `resource`.
    fn key(scope: &Node) -> Option<PermissionKey<'_>> {
        let key = match &scope.value {
            Value::String(name) => PermissionKey::graph_delegated(name),
            Value::Map(_) => PermissionKey {
                name: scope.get("name")?.as_str()?,
                kind: match scope.get("type").and_then(Node::as_str) {
                    Some("application") => PermissionKind::Application,
                    _ => PermissionKind::Delegated,
                },
                resource: scope.get("resource").and_then(Node::as_str).unwrap_or(GRAPH),
            },
            _ => return None,
        };
        Some(key)
    }

    /// Evaluates a condition.
    pub(super) fn eval<'s>(&self, scope: &'s Scope<'a>, condition: &'s Condition) -> Outcome<'s>
    where
        'a: 's,
    {
        match condition {
            Condition::All(items) => {
                let mut last = Outcome { holds: true, at: At::default() };
                for item in items {
                    last = self.eval(scope, item);
                    if !last.holds {
                        return last;
                    }
                }
                last
            }
            Condition::Any(items) => {
                let mut last = Outcome { holds: false, at: At::default() };
                for item in items {
                    last = self.eval(scope, item);
                    if last.holds {
                        return last;
                    }
                }
                last
            }
            Condition::Not(inner) => {
                let outcome = self.eval(scope, inner);
                Outcome { holds: !outcome.holds, at: outcome.at }
            }
            Condition::Test { path, default, op } => self.test(scope, path, default.as_ref(), op),
        }
    }

    /// The value at a path (or its default), and where it is.
    fn value<'s>(
        &self,
        scope: &'s Scope<'a>,
        path: &'s Path,
        default: Option<&'s Value>,
    ) -> (At<'s>, Option<Cow<'s, Value>>)
    where
        'a: 's,
    {
        let mut at = Self::place(scope, path, path.segments.len());
        let value: Option<Cow<'s, Value>> = match self.resolve(scope, path) {
            Found::Node { node, judged, text } => {
                at.span = judged.then_some(node.span);
                at.value = Some(Cow::Borrowed(&node.value));
                at.node = Some((node, text));
                Some(Cow::Borrowed(&node.value))
            }
            Found::Fact(value) => {
                at.value = Some(Cow::Owned(value.clone()));
                Some(Cow::Owned(value))
            }
            Found::Missing { head, depth } => {
                at.span = head;
                at.depth = depth;
                default.map(Cow::Borrowed)
            }
        };
        (at, value)
    }

    /// What a `unique` test on `path` records in a scope: the comparison key of the value, where
    /// it is, and the outcome a finding about a repeated value is built from. `None` when the
    /// value is absent or not a scalar, where the test itself fails.
    pub(super) fn occurrence<'s>(
        &self,
        scope: &'s Scope<'a>,
        path: &'s Path,
        default: Option<&'s Value>,
    ) -> Option<(String, Span, Outcome<'s>)>
    where
        'a: 's,
    {
        let (at, value) = self.value(scope, path, default);
        let key = unique::key(value.as_deref()?)?;
        Some((key, at.span.unwrap_or_default(), Outcome { holds: false, at }))
    }

    /// Tests the value at a path. `unique` holds here for every comparable value: whether it is
    /// repeated is decided once every document is judged ([`super::resolve_unique`]).
    fn test<'s>(
        &self,
        scope: &'s Scope<'a>,
        path: &'s Path,
        default: Option<&'s Value>,
        op: &Op,
    ) -> Outcome<'s>
    where
        'a: 's,
    {
        let (at, value) = self.value(scope, path, default);
        let present = value.is_some();
        let holds = match (op, value.as_deref()) {
            (Op::Exists, _) => present,
            (Op::Absent, _) => !present,
            (Op::Equals(expected), Some(v)) => same(v, expected),
            (Op::NotEquals(expected), Some(v)) => !same(v, expected),
            (Op::In(options), Some(v)) => options.iter().any(|o| same(v, o)),
            (Op::NotIn(options), Some(v)) => !options.iter().any(|o| same(v, o)),
            (Op::InList(list), Some(v)) => self.in_list(scope, list, v),
            (Op::NotInList(list), Some(v)) => !self.in_list(scope, list, v),
            (Op::Matches(regex), Some(Value::String(s))) => regex.is_match(s),
            (Op::GreaterThan(n), Some(v)) => number(v).is_some_and(|x| x > *n),
            (Op::GreaterOrEqual(n), Some(v)) => number(v).is_some_and(|x| x >= *n),
            (Op::LessThan(n), Some(v)) => number(v).is_some_and(|x| x < *n),
            (Op::LessOrEqual(n), Some(v)) => number(v).is_some_and(|x| x <= *n),
            (Op::MinItems(n), Some(Value::Seq(items))) => items.len() >= *n,
            (Op::MaxItems(n), Some(Value::Seq(items))) => items.len() <= *n,
            (Op::Contains(needle), Some(Value::Seq(items))) => {
                items.iter().any(|item| same(&item.value, needle))
            }
            (Op::Contains(Value::String(needle)), Some(Value::String(s))) => s.contains(needle.as_str()),
            (Op::Unique, Some(v)) => unique::comparable(v),
            _ => false,
        };
        Outcome { holds, at }
    }

    /// Whether `value` is an element of the list at `list` (an absent list, or a value there that is
    /// not a list, holds nothing). A permission element `{name, resource}` (a classification of
    /// another API) holds a name only for a scope of the same API (`resource`, Microsoft Graph when
    /// absent on either side); a plain element is a Microsoft Graph name, and holds a value only for a
    /// scope of Microsoft Graph.
    /// Whether the list at `path` is there and empty: no value is in it, stated or not.
    pub(super) fn empty_list(&self, scope: &Scope<'a>, path: &Path) -> bool {
        matches!(self.resolve(scope, path), Found::Node { node: Node { value: Value::Seq(items), .. }, .. } if items.is_empty())
    }

    fn in_list(&self, scope: &Scope<'a>, list: &Path, value: &Value) -> bool {
        let api = |node: &Node| node.get("resource").and_then(Node::as_str).unwrap_or(GRAPH).to_owned();
        let own = match &scope.node.value {
            Value::Map(_) => api(scope.node),
            _ => GRAPH.to_owned(),
        };
        match self.resolve(scope, list) {
            Found::Node { node: Node { value: Value::Seq(items), .. }, .. } => {
                items.iter().any(|item| match &item.value {
                    Value::Map(_) => {
                        item.get("name").is_some_and(|name| same(&name.value, value))
                            && api(item).eq_ignore_ascii_case(&own)
                    }
                    plain => own.eq_ignore_ascii_case(GRAPH) && same(plain, value),
                })
            }
            _ => false,
        }
    }

    /// The diagnostic for a scope whose assertion failed.
    pub(super) fn finding(&self, scope: &Scope<'a>, outcome: &Outcome<'_>) -> Diagnostic {
        let rule = self.rule;
        let reported = rule.report.as_ref().and_then(|path| {
            let at = |depth, span| (span, Self::place(scope, path, depth).pointer());
            match self.resolve(scope, path) {
                Found::Node { node, judged: true, .. } => Some(at(path.segments.len(), node.span)),
                Found::Missing { head: Some(head), depth } => Some(at(depth, head)),
                _ => None,
            }
        });
        let (span, pointer) = reported
            .or_else(|| outcome.at.span.map(|span| (span, outcome.at.pointer())))
            .unwrap_or_else(|| {
                (head_of(scope.node), At { base: scope.list, index: scope.index, ..At::default() }.pointer())
            });
        let mut severity = rule.severity;
        // A document read from another tool's export holds that tool's keys and is changed in the
        // tenant: the rule's `native` wording, where it gives one.
        let native = self.document.native.as_ref().is_some_and(|n| n.format != crate::native::IMPORTED);
        let mut message = rule.native_message.as_ref().filter(|_| native).unwrap_or(&rule.message);
        let mut help = rule.native_help.as_ref().filter(|_| native).or(rule.help.as_ref());
        if let Some(over) = rule.overrides.iter().find(|o| self.eval(scope, &o.when).holds) {
            // A severity the profile sets holds for every finding of the rule.
            if !rule.severity_from_profile {
                severity = over.severity;
            }
            message =
                over.native_message.as_ref().filter(|_| native).or(over.message.as_ref()).unwrap_or(message);
            help = over.native_help.as_ref().filter(|_| native).or(over.help.as_ref()).or(help);
        }
        let source = self.document.source_at_pointer(self.source, &pointer);
        let mut diagnostic =
            Diagnostic::new(&rule.id, severity, self.render(scope, message, &outcome.at), source, span)
                .at(self.document.index, pointer.clone())
                .with_stable_pointer(self.document.root.stable_pointer(&pointer))
                .with_label(rule.name.clone())
                .with_optional_help(help.map(|h| self.render(scope, h, &outcome.at)));
        if let Some(url) = &rule.url {
            diagnostic = diagnostic.with_url(url.clone());
        }
        if scope.index.is_some()
            && let Some(Value::String(risk)) = self.fact(scope.node, "risk")
        {
            diagnostic.risk = Some(risk);
        }
        diagnostic
    }

    fn render(&self, scope: &Scope<'a>, template: &Template, at: &At<'_>) -> String {
        let mut text = String::new();
        for part in &template.parts {
            match part {
                Part::Text(literal) => text.push_str(literal),
                Part::Value => text.push_str(&match (at.node, at.value.as_deref()) {
                    (Some((node, source)), _) => display_node(node, source),
                    (None, Some(value)) => display(value),
                    (None, None) => "absent".to_owned(),
                }),
                Part::First => text.push_str(unique::FIRST_MARK),
                Part::Path(path, _) => text.push_str(&match self.resolve(scope, path) {
                    Found::Node { node, text, .. } => display_node(node, text),
                    Found::Fact(value) => display(&value),
                    Found::Missing { .. } => "absent".to_owned(),
                }),
            }
        }
        text
    }
}

/// The span that stands for a node when something in or about it is reported: the first entry of
/// a mapping (key and scalar value), else the node.
fn head_of(node: &Node) -> Span {
    match node.as_map().and_then(<[yaml::Entry]>::first) {
        Some(first) if !matches!(first.value.value, Value::Map(_) | Value::Seq(_)) => {
            first.key_span.join(first.value.span)
        }
        Some(first) => first.key_span,
        None => node.span,
    }
}

/// Equality of YAML values, ignoring where they are written; numbers compare by value.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(&p.value, &q.value))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter().all(|e| y.iter().any(|f| f.key == e.key && same(&e.value.value, &f.value.value)))
        }
        _ => match (number(a), number(b)) {
            (Some(x), Some(y)) => (x - y).abs() < f64::EPSILON * x.abs().max(1.0),
            _ => a == b,
        },
    }
}

#[expect(clippy::cast_precision_loss, reason = "settings are small integers, exact in an f64")]
fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

/// A node's value as it appears in a message, numbers as written in `text`, its file's text.
fn display_node(node: &Node, text: &str) -> String {
    match (&node.value, node.written(text)) {
        (_, Some(written)) => written.to_owned(),
        (Value::Seq(items), None) => {
            items.iter().map(|n| display_node(n, text)).collect::<Vec<_>>().join(", ")
        }
        (value, None) => display(value),
    }
}

/// A value as it appears in a message.
pub(super) fn display(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::String(s) => s.clone(),
        Value::Seq(items) => items.iter().map(|n| display(&n.value)).collect::<Vec<_>>().join(", "),
        Value::Map(_) => "a mapping".into(),
    }
}
