//! Writing a located tree as `consentlint/v1` YAML, each value followed by a comment naming where
//! in the native files it was read.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use crate::source::{SourceFile, Span};
use crate::validate::CheckedDocument;
use crate::yaml::{self, Node, Value};

/// Where each node of a native file is, as a JSON pointer, by its span.
#[derive(Default)]
pub(super) struct Pointers {
    by_file: HashMap<usize, HashMap<(usize, usize), String>>,
}

impl Pointers {
    /// The pointer of the node of `source` written at `span`, parsing the file on first use.
    fn of(&mut self, source: &Arc<SourceFile>, span: Span) -> Option<&str> {
        let key = Arc::as_ptr(source) as usize;
        let map = self.by_file.entry(key).or_insert_with(|| {
            let mut map = HashMap::new();
            let output = yaml::parse(source.text(), yaml::Limits::default());
            for document in &output.documents {
                index(&document.root, &mut String::new(), &mut map);
            }
            map
        });
        map.get(&(span.start, span.end)).map(String::as_str)
    }
}

fn index(node: &Node, pointer: &mut String, map: &mut HashMap<(usize, usize), String>) {
    map.entry((node.span.start, node.span.end)).or_insert_with(|| pointer.clone());
    let length = pointer.len();
    match &node.value {
        Value::Map(entries) => {
            for entry in entries {
                pointer.push('/');
                pointer.push_str(&yaml::escape_pointer_token(&entry.key));
                index(&entry.value, pointer, map);
                pointer.truncate(length);
            }
        }
        Value::Seq(items) => {
            for (at, item) in items.iter().enumerate() {
                let _ = write!(pointer, "/{at}");
                index(item, pointer, map);
                pointer.truncate(length);
            }
        }
        _ => {}
    }
}

/// Writes `document` (read from `own`) as YAML; with `annotate`, each value is followed by a comment
/// naming where it was read.
pub(super) fn document(
    document: &CheckedDocument,
    own: &Arc<SourceFile>,
    pointers: &mut Pointers,
    annotate: bool,
) -> String {
    let mut writer = Writer { out: String::new(), document, own, pointers, path: Vec::new(), annotate };
    if let Value::Map(entries) = &document.root.value {
        // The header, then `metadata`, then the rest, as documents of ours are written.
        let rank = |key: &str| ["apiVersion", "kind", "metadata"].iter().position(|k| *k == key).unwrap_or(3);
        let mut ordered: Vec<&yaml::Entry> = entries.iter().collect();
        ordered.sort_by_key(|entry| rank(&entry.key));
        for entry in ordered {
            writer.entry(&entry.key, &entry.value, 0, None);
        }
    }
    writer.out
}

struct Writer<'a> {
    out: String,
    document: &'a CheckedDocument,
    own: &'a Arc<SourceFile>,
    pointers: &'a mut Pointers,
    path: Vec<String>,
    annotate: bool,
}

impl Writer<'_> {
    /// `key: value` at `indent`; `first` is the `- ` that starts the line of a list item's first key.
    fn entry(&mut self, key: &str, value: &Node, indent: usize, first: Option<usize>) {
        self.path.push(key.to_owned());
        match first {
            Some(dash) => {
                self.pad(dash);
                self.out.push_str("- ");
            }
            None => self.pad(indent),
        }
        self.out.push_str(&scalar_text(&Value::String(key.to_owned())));
        self.out.push(':');
        self.value(value, indent);
        self.path.pop();
    }

    /// A value after its key, on the same line when it is a scalar or empty.
    fn value(&mut self, value: &Node, indent: usize) {
        match &value.value {
            Value::Map(entries) if !entries.is_empty() => {
                self.out.push('\n');
                for entry in entries {
                    self.entry(&entry.key, &entry.value, indent + 2, None);
                }
            }
            Value::Seq(items) if !items.is_empty() => {
                self.out.push('\n');
                for (at, item) in items.iter().enumerate() {
                    self.path.push(at.to_string());
                    self.item(item, indent + 2);
                    self.path.pop();
                }
            }
            _ => {
                self.out.push(' ');
                self.out.push_str(&scalar_text(&value.value));
                self.comment(value.span);
            }
        }
    }

    /// A list item at `indent`.
    fn item(&mut self, item: &Node, indent: usize) {
        match &item.value {
            Value::Map(entries) if !entries.is_empty() => {
                for (at, entry) in entries.iter().enumerate() {
                    let first = (at == 0).then_some(indent);
                    self.entry(&entry.key, &entry.value, indent + 2, first);
                }
            }
            _ => {
                self.pad(indent);
                self.out.push_str("- ");
                self.out.push_str(&scalar_text(&item.value));
                self.comment(item.span);
            }
        }
    }

    fn pad(&mut self, indent: usize) {
        self.out.extend(std::iter::repeat_n(' ', indent));
    }

    /// `  # file:line:column pointer` for the value at the current path, and the line end.
    fn comment(&mut self, span: Span) {
        if !self.annotate {
            self.out.push('\n');
            return;
        }
        if span.start == usize::MAX {
            self.out.push_str("  # added by consentlint import\n");
            return;
        }
        let source = Arc::clone(self.document.source_at(self.own, &self.path));
        let at = source.position(span.start);
        let _ = write!(self.out, "  # {}:{}:{}", comment_text(source.name()), at.line, at.column);
        match self.pointers.of(&source, span) {
            // A value no node holds, such as an app's origin, is derived from the whole object.
            Some("") | None => self.out.push_str(" (derived from the object there)"),
            Some(pointer) => {
                let _ = write!(self.out, " {}", comment_text(pointer));
            }
        }
        self.out.push('\n');
    }
}

/// `text` for a `#` comment: control characters (a line break in a file name would end the comment
/// and start YAML) written as escapes.
pub(super) fn comment_text(text: &str) -> String {
    text.chars()
        .flat_map(|c| if c.is_control() { c.escape_default().collect::<Vec<_>>() } else { vec![c] })
        .collect()
}

/// A scalar as YAML: plain when that reads back as the same string, else double-quoted (JSON
/// escaping, which is valid YAML).
fn scalar_text(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) if f.is_finite() => {
            let text = f.to_string();
            if text.contains(['.', 'e', 'E']) { text } else { format!("{text}.0") }
        }
        Value::Float(f) if f.is_nan() => ".nan".into(),
        Value::Float(f) => {
            if *f > 0.0 {
                ".inf".into()
            } else {
                "-.inf".into()
            }
        }
        Value::String(s) if plain(s) => s.clone(),
        Value::String(s) => serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into()),
        Value::Map(_) => "{}".into(),
        Value::Seq(_) => "[]".into(),
    }
}

/// Whether `text` may be written plain: letters, digits and `._-/@ `, not starting with a digit, a
/// space or punctuation, not ending with a space, and not a word YAML reads as another type.
fn plain(text: &str) -> bool {
    let reserved = ["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"];
    let mut chars = text.chars();
    chars.next().is_some_and(char::is_alphabetic)
        && text.chars().all(|c| c.is_alphanumeric() || "._-/@ ".contains(c))
        && !text.ends_with(' ')
        && !reserved.iter().any(|word| word.eq_ignore_ascii_case(text))
}

#[cfg(test)]
mod tests {
    use super::{plain, scalar_text};
    use crate::yaml::Value;

    #[test]
    fn strings_are_plain_only_when_they_read_back_the_same() {
        assert!(plain("User.Read") && plain("Northwind Traders") && plain("northwind-traders"));
        assert!(
            !plain("true") && !plain("No") && !plain("30") && !plain("a: b") && !plain("#x") && !plain("")
        );
        assert_eq!(scalar_text(&Value::String("/users/1".into())), "\"/users/1\"");
        assert_eq!(scalar_text(&Value::String("a\"b".into())), "\"a\\\"b\"");
    }
}
