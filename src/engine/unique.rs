//! The cross-document facts behind `unique`: for every rule and path, where each value occurs.

use std::collections::HashMap;
use std::sync::Arc;

use crate::check::CheckedDocument;
use crate::policy::{Path, PolicySet, Root};
use crate::source::{SourceFile, Span};
use crate::yaml::{Node, Value};

/// Where a value occurs: file name and span, in output order.
type Occurrences = Vec<(Arc<SourceFile>, Span)>;

/// For each (rule id, path text), the occurrences of each value.
#[derive(Debug, Default)]
pub struct UniqueIndex {
    values: HashMap<(String, String), HashMap<String, Occurrences>>,
}

impl UniqueIndex {
    /// Collects the values at every `unique` path of every rule.
    pub(super) fn build<'a>(
        policies: &PolicySet,
        docs: &[(&'a Arc<SourceFile>, &'a CheckedDocument)],
    ) -> Self {
        let mut index = Self::default();
        for rule in &policies.rules {
            let mut paths = Vec::new();
            rule.assert.unique_paths(&mut paths);
            if let Some(when) = &rule.when {
                when.unique_paths(&mut paths);
            }
            for path in paths {
                let slot = index.values.entry((rule.id.clone(), path.text.clone())).or_default();
                for &(source, document) in docs.iter().filter(|(_, d)| d.kind == rule.target) {
                    let scopes: Vec<&Node> = match &rule.for_each {
                        None => vec![&document.root],
                        Some(list) => match walk(&document.root, &list.segments).map(|n| &n.value) {
                            Some(Value::Seq(items)) => items.iter().collect(),
                            _ => Vec::new(),
                        },
                    };
                    for scope in scopes {
                        let base = if path.root == Root::Document { &document.root } else { scope };
                        if let Some(node) = walk(base, &path.segments)
                            && let Some(key) = key(&node.value)
                        {
                            slot.entry(key).or_default().push((Arc::clone(source), node.span));
                        }
                    }
                }
                for occurrences in slot.values_mut() {
                    occurrences.sort_by(|a, b| (a.0.name(), a.1.start).cmp(&(b.0.name(), b.1.start)));
                }
            }
        }
        index
    }

    /// Where the value was seen first, when that is not here: `file:line`.
    pub(super) fn first_other(
        &self,
        rule: &str,
        path: &Path,
        value: &Value,
        source: &SourceFile,
        span: Span,
    ) -> Option<String> {
        let occurrences = self.values.get(&(rule.to_owned(), path.text.clone()))?.get(&key(value)?)?;
        let (first_source, first_span) = occurrences.first()?;
        if occurrences.len() < 2 || (first_source.name() == source.name() && first_span.start == span.start) {
            return None;
        }
        Some(format!("{}:{}", first_source.name(), first_source.position(first_span.start).line))
    }
}

fn walk<'a>(mut node: &'a Node, segments: &[String]) -> Option<&'a Node> {
    for segment in segments {
        node = match &node.value {
            Value::Map(_) => node.get(segment)?,
            Value::Seq(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// The comparison key of a scalar: strings compare without regard to case, as identifiers such as
/// GUIDs do.
fn key(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.to_lowercase()),
        Value::Int(i) => Some(i.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Float(f) => Some(f.to_string()),
        _ => None,
    }
}
