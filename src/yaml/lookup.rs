//! Following JSON Pointers through a located tree, once or many times over.
//!
//! Mappings are vectors in document order, so finding a key is a scan. A schema error per key of
//! a mapping with 100,000 keys would make that scan quadratic; a [`Lookup`] made with
//! [`Lookup::new`] indexes each large mapping the first time it is looked into, so any number of
//! pointers costs time linear in their length.

use std::collections::HashMap;

use super::{Entry, Node, Value, escape_pointer_token};

/// Mappings with fewer entries than this are scanned rather than indexed.
const INDEX_FROM: usize = 16;

/// A mapping's key index, keyed by the mapping node's address (the tree is borrowed, so nodes
/// do not move).
type Indexes<'a> = HashMap<*const Node, HashMap<&'a str, &'a Entry>>;

/// Follows pointers from one root.
#[derive(Debug)]
pub struct Lookup<'a> {
    root: &'a Node,
    /// Key indexes of the large mappings looked into so far; `None` for a single lookup, where
    /// building an index would cost more than the scan it saves.
    indexes: Option<Indexes<'a>>,
}

impl<'a> Lookup<'a> {
    /// A lookup for many pointers from `root`.
    #[must_use]
    pub fn new(root: &'a Node) -> Self {
        Self { root, indexes: Some(HashMap::new()) }
    }

    /// A lookup for one pointer: nothing is indexed.
    #[must_use]
    pub(super) fn once(root: &'a Node) -> Self {
        Self { root, indexes: None }
    }

    /// The root.
    #[must_use]
    pub fn root(&self) -> &'a Node {
        self.root
    }

    /// The entry for `key` of the mapping `map`.
    fn entry(&mut self, map: &'a Node, key: &str) -> Option<&'a Entry> {
        let entries = map.as_map()?;
        match &mut self.indexes {
            Some(indexes) if entries.len() >= INDEX_FROM => indexes
                .entry(std::ptr::from_ref(map))
                .or_insert_with(|| entries.iter().map(|entry| (entry.key.as_str(), entry)).collect())
                .get(key)
                .copied(),
            _ => entries.iter().find(|entry| entry.key == key),
        }
    }

    /// Follows a JSON Pointer (RFC 6901) from the root. Returns the node and, when the last step
    /// was a mapping key, that key's entry.
    pub fn pointer(&mut self, pointer: &str) -> Option<(&'a Node, Option<&'a Entry>)> {
        let mut node = self.root;
        let mut last_entry = None;
        if pointer.is_empty() {
            return Some((node, None));
        }
        for token in pointer.strip_prefix('/')?.split('/') {
            let token = unescape(token);
            match &node.value {
                Value::Map(_) => {
                    let entry = self.entry(node, &token)?;
                    last_entry = Some(entry);
                    node = &entry.value;
                }
                Value::Seq(items) => {
                    node = items.get(token.parse::<usize>().ok()?)?;
                    last_entry = None;
                }
                _ => return None,
            }
        }
        Some((node, last_entry))
    }

    /// The stable form of `pointer` (see [`Node::stable_pointer`]).
    pub fn stable_pointer(&mut self, pointer: &str) -> String {
        let mut node = self.root;
        let mut stable = String::with_capacity(pointer.len());
        for token in pointer.split('/').skip(1) {
            stable.push('/');
            let key = unescape(token);
            match &node.value {
                Value::Seq(items) => match key.parse::<usize>().ok().and_then(|i| items.get(i)) {
                    Some(item) => {
                        let name = self.entry(item, "name").and_then(|entry| entry.value.as_str());
                        match (&item.value, name) {
                            (Value::Map(_), Some(name)) => {
                                stable.push_str("[name=");
                                stable.push_str(&escape_pointer_token(name));
                                stable.push(']');
                            }
                            (Value::String(text), _) => {
                                stable.push_str("[=");
                                stable.push_str(&escape_pointer_token(text));
                                stable.push(']');
                            }
                            _ => stable.push_str(token),
                        }
                        node = item;
                    }
                    None => stable.push_str(token),
                },
                Value::Map(_) => {
                    stable.push_str(token);
                    if let Some(entry) = self.entry(node, &key) {
                        node = &entry.value;
                    }
                }
                _ => stable.push_str(token),
            }
        }
        stable
    }
}

/// A pointer token as the key it names.
pub(crate) fn unescape(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains('~') {
        std::borrow::Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        std::borrow::Cow::Borrowed(token)
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;
    use crate::yaml::{Limits, parse};

    fn root(text: &str) -> Node {
        parse(text, Limits::default()).documents.remove(0).root
    }

    #[test]
    fn indexed_and_scanned_lookups_agree() {
        let keys = (0..40).fold(String::new(), |mut keys, i| {
            let _ = writeln!(keys, "  k{i}: {i}");
            keys
        });
        let text = format!("spec:\n  list:\n  - name: a/b\n    x: 1\n  - plain\n{keys}  \"t~/x\": 2\n");
        let root = root(&text);
        let pointers = [
            "",
            "/spec",
            "/spec/k39",
            "/spec/t~0~1x",
            "/spec/list/0/x",
            "/spec/list/1",
            "/spec/nope",
            "/x/y",
        ];
        let mut many = Lookup::new(&root);
        for pointer in pointers {
            let once = Lookup::once(&root).pointer(pointer).map(|(n, e)| (n.span, e.map(|e| e.key_span)));
            let indexed = many.pointer(pointer).map(|(n, e)| (n.span, e.map(|e| e.key_span)));
            assert_eq!(once, indexed, "{pointer}");
            assert_eq!(Lookup::once(&root).stable_pointer(pointer), many.stable_pointer(pointer));
        }
        assert_eq!(many.stable_pointer("/spec/list/0/x"), "/spec/list/[name=a~1b]/x");
        assert_eq!(many.stable_pointer("/spec/list/1"), "/spec/list/[=plain]");
        assert_eq!(many.pointer("/spec/k39").map(|(n, _)| n.value.clone()), Some(Value::Int(39)));
    }
}
