//! Mapping keys compared as YAML values, as the YAML 1.2 core schema resolves them: `~` and `null`
//! are one key, `0x10` and `16` are one key, `1` and `"1"` are two.
//!
//! consentlint reads a mapping as a JSON object, whose keys are text, so two keys that differ as
//! YAML values but have the same text (`1` and `"1"`) cannot both be kept: that is reported too, in
//! its own words.

use std::collections::HashMap;

use saphyr_parser::Tag;

use super::super::{Entry, Value};
use crate::source::Span;

/// From this many entries on, a mapping's keys are found through hash maps.
const INDEX_FROM: usize = 16;

/// What a key is as a YAML value, beyond its text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) struct KeyValue {
    kind: Kind,
    /// A tag outside the core schema (`!foo`): a key with it is another value than one without.
    tag: Option<Box<str>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kind {
    /// A string: its value is the key's text.
    Text,
    Null,
    Bool(bool),
    Int(i64),
    /// The bits of the float, with every zero and every NaN made one.
    Float(u64),
}

impl KeyValue {
    /// The key value of a resolved scalar with `tag`.
    pub(super) fn of(value: &Value, tag: Option<&Tag>) -> Self {
        let kind = match value {
            Value::Null => Kind::Null,
            Value::Bool(b) => Kind::Bool(*b),
            Value::Int(i) => Kind::Int(*i),
            Value::Float(f) if f.is_nan() => Kind::Float(f64::NAN.to_bits()),
            Value::Float(f) if *f == 0.0 => Kind::Float(0),
            Value::Float(f) => Kind::Float(f.to_bits()),
            Value::String(_) | Value::Seq(_) | Value::Map(_) => Kind::Text,
        };
        let tag = tag.filter(|t| !t.is_yaml_core_schema()).map(|t| t.to_string().into_boxed_str());
        Self { kind, tag }
    }

    /// Whether the key is an untagged string, whose value is its text.
    fn is_plain_text(&self) -> bool {
        self.kind == Kind::Text && self.tag.is_none()
    }

    /// What the key is, in words: "a string key", "an integer key", "a `!foo` key".
    fn words(&self) -> String {
        if let Some(tag) = &self.tag {
            return format!("a `{tag}` key");
        }
        let kind = match self.kind {
            Kind::Text => "a string",
            Kind::Null => "a null",
            Kind::Bool(_) => "a boolean",
            Kind::Int(_) => "an integer",
            Kind::Float(_) => "a number",
        };
        format!("{kind} key")
    }
}

/// A scalar key: its text (the scalar's content), where it is written and its value.
pub(super) struct Key {
    pub text: String,
    pub span: Span,
    pub value: KeyValue,
}

/// A key waiting for its value.
pub(super) enum Slot {
    Scalar(Key),
    /// A list or a mapping, already reported: its entry is not kept.
    Complex,
}

/// How a new key clashes with an earlier one, by the earlier one's index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Clash {
    /// The same YAML value.
    Duplicate(usize),
    /// Another value with the same text.
    SameText(usize),
}

/// The keys of one mapping being built, for finding clashes: one by one in short mappings,
/// through hash maps in long ones.
#[derive(Default)]
pub(super) struct Keys {
    /// The value of each entry's key, in entry order.
    values: Vec<KeyValue>,
    index: Option<Index>,
}

struct Index {
    by_text: HashMap<String, usize>,
    /// Keys other than untagged strings, whose value is not just their text.
    by_value: HashMap<KeyValue, usize>,
}

impl Keys {
    /// The earlier key `key` clashes with, if any: one with the same value first, else one with
    /// the same text.
    pub(super) fn clash(&self, entries: &[Entry], key: &Key) -> Option<Clash> {
        let same_text = match &self.index {
            Some(index) => index.by_text.get(&key.text).copied(),
            None => entries.iter().position(|entry| entry.key == key.text),
        };
        let same_value = if key.value.is_plain_text() {
            // An untagged string is its text.
            same_text.filter(|&at| self.values.get(at) == Some(&key.value))
        } else {
            match &self.index {
                Some(index) => index.by_value.get(&key.value).copied(),
                None => self.values.iter().position(|value| *value == key.value),
            }
        };
        same_value.map(Clash::Duplicate).or_else(|| same_text.map(Clash::SameText))
    }

    /// Records `key`, which is about to become entry `entries.len()`.
    pub(super) fn add(&mut self, entries: &[Entry], key: &Key) {
        let at = self.values.len();
        self.values.push(key.value.clone());
        match &mut self.index {
            Some(index) => index.insert(&key.text, &key.value, at),
            None if at + 1 >= INDEX_FROM => {
                let mut index = Index { by_text: HashMap::new(), by_value: HashMap::new() };
                for (i, (entry, value)) in entries.iter().zip(&self.values).enumerate() {
                    index.insert(&entry.key, value, i);
                }
                index.insert(&key.text, &key.value, at);
                self.index = Some(index);
            }
            None => {}
        }
    }

    /// Words for a clash: the message, the labels of the new key and of the earlier one, and the
    /// help. `written` gives a key as written in the source.
    pub(super) fn describe(
        &self,
        clash: Clash,
        key: &Key,
        earlier: &Entry,
        written: &dyn Fn(Span) -> String,
    ) -> [String; 4] {
        const DUPLICATE_HELP: &str = "a key must not repeat in a mapping or JSON object; parsers disagree on which value wins, so remove one";
        let (first, second) = (written(earlier.key_span), written(key.span));
        match clash {
            Clash::Duplicate(_) => [
                if earlier.key == key.text {
                    format!("duplicate key `{}`", key.text)
                } else {
                    format!("duplicate key `{second}`, the same value as `{first}`")
                },
                "defined again here".into(),
                "first defined here".into(),
                DUPLICATE_HELP.into(),
            ],
            Clash::SameText(at) => [
                format!("the key `{second}` has the same text as the key `{first}`"),
                key.value.words(),
                format!(
                    "{} with the same text",
                    self.values.get(at).map_or_else(|| "a key".to_owned(), KeyValue::words)
                ),
                "YAML tells these keys apart, but consentlint reads a mapping as a JSON object, whose keys are text; rename or remove one".into(),
            ],
        }
    }
}

impl Index {
    fn insert(&mut self, text: &str, value: &KeyValue, at: usize) {
        self.by_text.insert(text.to_owned(), at);
        if !value.is_plain_text() {
            self.by_value.insert(value.clone(), at);
        }
    }
}

/// A key as written at `span` of `text` (after its anchor and tag), shortened when long.
pub(super) fn written(text: &str, span: Span) -> String {
    let mut chars = super::super::scalar_text(text, span).chars();
    let short: String = chars.by_ref().take(60).collect();
    if chars.next().is_some() { format!("{short}…") } else { short }
}
