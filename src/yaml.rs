//! The located YAML tree: every key and value knows its byte span.
//!
//! Files are parsed once, with `saphyr-parser`'s event stream, into [`Node`]s. The builder in
//! [`build`] enforces the limits that keep hostile input harmless (nesting depth, alias expansion)
//! and reports duplicate keys, compared as YAML values, which the YAML parser itself accepts.

mod build;
pub(crate) mod chars;
mod lookup;

pub use build::{Limits, YamlError, parse};
pub use lookup::Lookup;

use crate::source::Span;

/// A YAML node with the span of its text.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where the node is written. For a collection, from its first to its last character.
    pub span: Span,
}

/// The value of a node, resolved with the YAML 1.2 core schema.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`, `~` or nothing.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// Any other scalar.
    String(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in document order; keys are unique.
    Map(Vec<Entry>),
}

/// One key and value of a mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key's text: the content of the scalar (`0x10`, `~`, `name`). No two keys of a mapping
    /// have the same text, nor the same YAML value.
    pub key: String,
    /// Where the key is written.
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

/// One document of a file.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// 0-based position of the document in its file.
    pub index: usize,
    /// The root node.
    pub root: Node,
}

impl Value {
    /// The name of the value's type, as users know it.
    #[must_use]
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool(_) => "a boolean",
            Self::Int(_) => "an integer",
            Self::Float(_) => "a number",
            Self::String(_) => "a string",
            Self::Seq(_) => "a list",
            Self::Map(_) => "a mapping",
        }
    }
}

impl Node {
    /// The string, when the node is one.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A number as written in `text`, the source its span points into. Numbers are typed for
    /// comparisons but quoted as written: `-9223372036854775809` is beyond an integer and a thousand
    /// digits beyond a float, and their values would be shown as `-9223372036854776000` and `inf`.
    /// `None` for other values, and where the span holds an alias (`*a`) rather than the number.
    #[must_use]
    pub fn written<'t>(&self, text: &'t str) -> Option<&'t str> {
        if !matches!(self.value, Value::Int(_) | Value::Float(_)) {
            return None;
        }
        let written = scalar_text(text, self.span);
        // A number is a plain scalar: it starts with a sign, a digit or a dot.
        written.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '.')).then_some(written)
    }

    /// The entries, when the node is a mapping.
    #[must_use]
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The entry for `key`, when the node is a mapping holding it.
    #[must_use]
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().find(|entry| entry.key == key)
    }

    /// The value for `key`, when the node is a mapping holding it.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|entry| &entry.value)
    }

    /// Follows a JSON Pointer (RFC 6901) from this node. Returns the node and, when the last step
    /// was a mapping key, that key's entry. For many pointers, use one [`Lookup`].
    #[must_use]
    pub fn pointer(&self, pointer: &str) -> Option<(&Node, Option<&Entry>)> {
        Lookup::once(self).pointer(pointer)
    }

    /// A JSON Pointer that survives insertions into lists: a list index is replaced by
    /// `[name=…]` when the element is a mapping with a string `name`, or by `[=…]` when it is a
    /// string. Used to key baselines and fingerprints. For many pointers, use one [`Lookup`].
    #[must_use]
    pub fn stable_pointer(&self, pointer: &str) -> String {
        Lookup::once(self).stable_pointer(pointer)
    }

    /// Converts the node to JSON for the schema validator. Depth is bounded by [`Limits`].
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::String(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => {
                J::Object(entries.iter().map(|e| (e.key.clone(), e.value.to_json())).collect())
            }
        }
    }

    /// Counts the nodes of this subtree, stopping early once `limit` is passed.
    #[must_use]
    pub fn count_nodes(&self, limit: usize) -> usize {
        let mut count = 1;
        let children: Box<dyn Iterator<Item = &Node>> = match &self.value {
            Value::Seq(items) => Box::new(items.iter()),
            Value::Map(entries) => Box::new(entries.iter().map(|e| &e.value)),
            _ => return 1,
        };
        for child in children {
            if count > limit {
                break;
            }
            count += child.count_nodes(limit - count);
        }
        count
    }
}

/// The byte spans of every scalar in `text` (up to the first syntax error): text inside them is
/// content, never a comment.
#[must_use]
pub fn scalar_spans(text: &str) -> Vec<Span> {
    let mut offsets = chars::CharToByte::new(text);
    let mut spans = Vec::new();
    for event in saphyr_parser::Parser::new_from_str(text) {
        match event {
            Ok((saphyr_parser::Event::Scalar(..), span)) => {
                spans.push(Span::new(offsets.byte(span.start.index()), offsets.byte(span.end.index())));
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    spans
}

/// The text of the scalar at `span` of `text`, without the anchor and tag that a scalar's span
/// starts with when it has them (`&a !!float 1` gives `1`).
pub(crate) fn scalar_text(text: &str, span: Span) -> &str {
    let mut scalar = text.get(span.start..span.end).unwrap_or_default().trim();
    while scalar.starts_with(['&', '!']) {
        scalar = scalar.split_once([' ', '\t']).map_or("", |(_, rest)| rest.trim_start());
    }
    scalar
}

/// A JSON Pointer token (RFC 6901) as the key it names.
#[must_use]
pub fn unescape_pointer_token(token: &str) -> String {
    lookup::unescape(token).into_owned()
}

/// Escapes a JSON Pointer token (RFC 6901).
#[must_use]
pub fn escape_pointer_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains(['~', '/']) {
        std::borrow::Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        std::borrow::Cow::Borrowed(token)
    }
}

#[cfg(test)]
mod tests {
    use super::{Limits, parse};

    #[test]
    fn numbers_are_quoted_as_written() {
        let text = "a: &x 0x1F\nb: !!float 13\nh: !!int &y\t12\nc: *x\nd: -9223372036854775809\ne: 1e999\nf: [+7, .5]\ng: '12'\n";
        let output = parse(text, Limits::default());
        let root = &output.documents[0].root;
        let written = |key: &str| root.get(key).and_then(|node| node.written(text));
        assert_eq!(written("a"), Some("0x1F"));
        assert_eq!(written("b"), Some("13"));
        assert_eq!(written("h"), Some("12"));
        assert_eq!(written("c"), None, "an alias is not the number");
        assert_eq!(written("d"), Some("-9223372036854775809"));
        assert_eq!(written("e"), Some("1e999"));
        assert_eq!(written("g"), None, "a string is shown by its value");
        let Some(super::Value::Seq(items)) = root.get("f").map(|n| &n.value) else { panic!("a list") };
        assert_eq!(items.iter().map(|n| n.written(text)).collect::<Vec<_>>(), [Some("+7"), Some(".5")]);
    }

    /// A document opening with a flow collection (JSON) is parsed from its first bracket: spans
    /// still point into the text as written, after a byte-order mark, blank lines and multi-byte
    /// characters, and errors too.
    #[test]
    fn json_is_located_as_written() {
        let text = "\u{feff}\r\n  {\"é\": \"東京\",\r\n   \"list\": [1, {\"k\": true}]}\n";
        let output = parse(text, Limits::default());
        assert!(output.errors.is_empty(), "{:?}", output.errors);
        let root = &output.documents[0].root;
        let at = |span: crate::source::Span| text.get(span.start..span.end).unwrap();
        assert_eq!(at(root.span).chars().next(), Some('{'));
        let entry = root.entry("é").unwrap();
        assert_eq!((at(entry.key_span), at(entry.value.span)), ("\"é\"", "\"東京\""));
        let list = root.get("list").unwrap();
        assert_eq!(at(list.span), "[1, {\"k\": true}]");
        // The same error as in the text without the blank line before it, one line further.
        let error = |text: &str| {
            let at = parse(text, Limits::default()).errors[0].span.start;
            (text.get(..at).unwrap().matches('\n').count(), text.get(at..).unwrap().to_owned())
        };
        let (line, rest) = error("{\"a\": 1,\n \"b\" 2}");
        assert_eq!(error("\n{\"a\": 1,\n \"b\" 2}"), (line + 1, rest));
        assert_eq!(line, 1);
    }
}
