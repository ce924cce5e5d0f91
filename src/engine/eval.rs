//! Evaluating conditions in a scope, and building the finding of a failed assertion.

use std::borrow::Cow;
use std::sync::Arc;

use super::UniqueIndex;
use crate::catalog::{Catalog, PermissionKey, PermissionKind};
use crate::check::CheckedDocument;
use crate::diagnostic::Diagnostic;
use crate::model::GRAPH;
use crate::policy::{Condition, Op, Part, Path, Root, Rule, Template};
use crate::source::{SourceFile, Span};
use crate::yaml::{self, Node, Value};

/// Everything a rule sees while judging one document.
pub(super) struct Ctx<'a> {
    pub source: &'a Arc<SourceFile>,
    pub document: &'a CheckedDocument,
    pub tenant: Option<&'a Node>,
    pub catalog: &'a Catalog,
    pub unique: &'a UniqueIndex,
    pub rule: &'a Rule,
}

/// Where relative paths start: the document, or an element under `for-each`.
pub(super) struct Scope<'a> {
    pub node: &'a Node,
    pub pointer: String,
}

/// What a path led to.
enum Found<'a> {
    /// A node; `judged` when it is in the document being judged.
    Node { node: &'a Node, pointer: String, judged: bool },
    /// A catalog fact.
    Fact(Value),
    /// Nothing; `head` is the key holding the mapping that lacks the path, in the judged document.
    Missing { head: Option<(Span, String)> },
}

/// Where a condition failed, for the finding.
#[derive(Clone, Debug, Default)]
pub(super) struct At {
    span: Option<(Span, String)>,
    value: Option<Value>,
    first: Option<String>,
}

/// Whether a condition held, and where it failed.
pub(super) struct Outcome {
    pub holds: bool,
    at: At,
}

impl<'a> Ctx<'a> {
    fn resolve(&self, scope: &Scope<'a>, path: &Path) -> Found<'a> {
        let (mut node, mut pointer, judged) = match path.root {
            Root::Scope => (scope.node, scope.pointer.clone(), true),
            Root::Document => (&self.document.root, String::new(), true),
            Root::Tenant => match self.tenant {
                Some(tenant) => (tenant, String::new(), false),
                None => return Found::Missing { head: None },
            },
            Root::Catalog => {
                let fact = path.segments.first().and_then(|fact| self.fact(scope.node, fact));
                return fact.map_or(Found::Missing { head: None }, Found::Fact);
            }
        };
        let mut head = head_of(node, &pointer);
        for segment in &path.segments {
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
                return Found::Missing { head: judged.then_some((head, pointer)) };
            };
            pointer = format!("{pointer}/{}", yaml::escape_pointer_token(segment));
            head = key_span;
            node = child;
        }
        Found::Node { node, pointer, judged }
    }

    /// The node at a path in the judged document or the tenant, with its pointer.
    pub(super) fn resolve_node(&self, scope: &Scope<'a>, path: &Path) -> Option<(&'a Node, String)> {
        match self.resolve(scope, path) {
            Found::Node { node, pointer, .. } => Some((node, pointer)),
            _ => None,
        }
    }

    fn fact(&self, scope: &Node, fact: &str) -> Option<Value> {
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
        self.catalog.fact(&key, fact)
    }

    /// Evaluates a condition.
    pub(super) fn eval(&self, scope: &Scope<'a>, condition: &Condition) -> Outcome {
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

    fn test(&self, scope: &Scope<'a>, path: &Path, default: Option<&Value>, op: &Op) -> Outcome {
        let found = self.resolve(scope, path);
        let (value, mut at): (Option<Cow<'_, Value>>, At) = match found {
            Found::Node { node, pointer, judged } => {
                let span = judged.then_some((node.span, pointer));
                (Some(Cow::Borrowed(&node.value)), At { span, value: Some(node.value.clone()), first: None })
            }
            Found::Fact(value) => {
                (Some(Cow::Owned(value.clone())), At { span: None, value: Some(value), first: None })
            }
            Found::Missing { head } => {
                (default.map(Cow::Borrowed), At { span: head, value: None, first: None })
            }
        };
        let present = value.is_some();
        let holds = match (op, value.as_deref()) {
            (Op::Exists, _) => present,
            (Op::Absent, _) => !present,
            (Op::Equals(expected), Some(v)) => same(v, expected),
            (Op::NotEquals(expected), Some(v)) => !same(v, expected),
            (Op::In(options), Some(v)) => options.iter().any(|o| same(v, o)),
            (Op::NotIn(options), Some(v)) => !options.iter().any(|o| same(v, o)),
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
            (Op::Unique, Some(v)) => {
                let (span, _) = at.span.clone().unwrap_or_default();
                match self.unique.first_other(&self.rule.id, path, v, self.source, span) {
                    Some(first) => {
                        at.first = Some(first);
                        false
                    }
                    None => true,
                }
            }
            _ => false,
        };
        Outcome { holds, at }
    }

    /// The diagnostic for a scope whose assertion failed.
    pub(super) fn finding(&self, scope: &Scope<'a>, outcome: &Outcome) -> Diagnostic {
        let rule = self.rule;
        let reported = rule.report.as_ref().and_then(|path| match self.resolve(scope, path) {
            Found::Node { node, pointer, judged: true } => Some((node.span, pointer)),
            Found::Missing { head } => head,
            _ => None,
        });
        let (span, pointer) = reported
            .or_else(|| outcome.at.span.clone())
            .unwrap_or_else(|| (head_of(scope.node, &scope.pointer), scope.pointer.clone()));
        let mut severity = rule.severity;
        let mut message = &rule.message;
        let mut help = rule.help.as_ref();
        if let Some(over) = rule.overrides.iter().find(|o| self.eval(scope, &o.when).holds) {
            severity = over.severity;
            message = over.message.as_ref().unwrap_or(message);
            help = over.help.as_ref().or(help);
        }
        let mut diagnostic =
            Diagnostic::new(&rule.id, severity, self.render(scope, message, &outcome.at), self.source, span)
                .at(self.document.index, pointer)
                .with_label(rule.name.clone())
                .with_optional_help(help.map(|h| self.render(scope, h, &outcome.at)));
        if let Some(url) = super::rule_url(rule) {
            diagnostic = diagnostic.with_url(url);
        }
        diagnostic
    }

    fn render(&self, scope: &Scope<'a>, template: &Template, at: &At) -> String {
        let mut text = String::new();
        for part in &template.parts {
            match part {
                Part::Text(literal) => text.push_str(literal),
                Part::Value => text.push_str(&at.value.as_ref().map_or_else(|| "absent".to_owned(), display)),
                Part::First => text.push_str(at.first.as_deref().unwrap_or("elsewhere")),
                Part::Path(path, _) => text.push_str(&match self.resolve(scope, path) {
                    Found::Node { node, .. } => display(&node.value),
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
fn head_of(node: &Node, _pointer: &str) -> Span {
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
