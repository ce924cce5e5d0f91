//! Words every schema violation in plain language and finds the node it is about.
//!
//! JSON Schema keywords never reach the user: an unknown key is reported at the key with a
//! suggestion, a missing key at the mapping that lacks it, a wrong value at the value, and the
//! field's `description` from the schema becomes the help.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{JsonType, ValidationError};
use serde_json::Value as Json;

use crate::source::Span;
use crate::suggest;
use crate::yaml::{self, Entry, Lookup, Node, Value};

/// One violation, located and worded.
pub(super) struct Described {
    pub span: Span,
    pub pointer: String,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
}

/// Describes one validation error; an error about several unknown keys gives one each. Nodes are
/// found through `lookup`, so errors about every key of a large mapping stay linear. `text` is the
/// source the tree was read from: numbers are quoted as written there.
pub(super) fn describe(
    error: &ValidationError<'_>,
    lookup: &mut Lookup<'_>,
    schema: &Json,
    text: &str,
) -> Vec<Described> {
    let pointer = error.instance_path().as_str().to_owned();
    let root = lookup.root();
    let (node, entry) = lookup.pointer(&pointer).unwrap_or((root, None));
    let parent_path = error.schema_path().as_str().rsplit_once('/').map_or("", |(parent, _)| parent);
    let subschema = schema.pointer(parent_path).unwrap_or(&Json::Null);
    let description = subschema.get("description").and_then(Json::as_str).map(str::to_owned);
    let at_head = |message: String, label: &str, help: Option<String>| Described {
        span: head_span(node, entry),
        pointer: pointer.clone(),
        message,
        label: label.to_owned(),
        help,
    };
    match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let allowed: Vec<&str> = subschema
                .get("properties")
                .and_then(Json::as_object)
                .map(|properties| properties.keys().map(String::as_str).collect())
                .unwrap_or_default();
            // One index of the mapping for all its unknown keys, however many there are.
            let index: std::collections::HashMap<&str, &Entry> =
                node.as_map().unwrap_or_default().iter().map(|e| (e.key.as_str(), e)).collect();
            unexpected
                .iter()
                .map(|key| unknown_key(node, index.get(key.as_str()).copied(), &pointer, key, &allowed))
                .collect()
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            let help =
                property_description(schema, parent_path, name).map(|text| format!("`{name}`: {text}"));
            vec![at_head(
                format!("missing required key `{name}`"),
                &format!("`{name}` is missing here"),
                help,
            )]
        }
        ValidationErrorKind::MinProperties { limit } => {
            let message = if *limit == 1 {
                "the mapping is empty".to_owned()
            } else {
                format!("the mapping needs at least {limit} keys")
            };
            vec![at_head(message, "too few keys", description)]
        }
        ValidationErrorKind::MaxProperties { limit } => {
            let count = node.as_map().map_or(0, <[Entry]>::len);
            vec![at_head(
                format!("the mapping has {count} keys, more than the {limit} allowed"),
                "too many keys",
                description,
            )]
        }
        ValidationErrorKind::UniqueItems => vec![repeated_item(node, &pointer, description, text)],
        kind => {
            let (message, label, help) = value_error(kind, node, description, text).unwrap_or_else(|| {
                let text = error.to_string();
                let mut chars = text.chars();
                let message =
                    chars.next().map(|first| first.to_lowercase().chain(chars).collect()).unwrap_or_default();
                (message, "here".to_owned(), None)
            });
            vec![Described { span: node.span, pointer, message, label, help }]
        }
    }
}

/// Message, label and help for an error about a value itself.
fn value_error(
    kind: &ValidationErrorKind,
    node: &Node,
    description: Option<String>,
    text: &str,
) -> Option<(String, String, Option<String>)> {
    let shown = shown(node, text);
    Some(match kind {
        ValidationErrorKind::Type { kind } => {
            let expected = expected_types(kind);
            let help = yes_no_help(node, kind).or(description);
            (
                format!("expected {expected}, found {}", found(node, text)),
                format!("expected {expected}"),
                help,
            )
        }
        ValidationErrorKind::Enum { options } => {
            let choices: Vec<&str> =
                options.as_array().map(|o| o.iter().filter_map(Json::as_str).collect()).unwrap_or_default();
            let listed = suggest::list(choices.iter().copied());
            let help = match node.as_str().and_then(|value| {
                suggest::spelling(value, &choices)
                    .or_else(|| suggest::did_you_mean(value, choices.iter().copied()))
            }) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("expected {listed}"),
            };
            (format!("{shown} is not one of {listed}"), "not allowed".into(), Some(help))
        }
        ValidationErrorKind::Constant { expected_value } => {
            let expected = match expected_value.as_ref() {
                Json::String(s) => s.clone(),
                other => other.to_string(),
            };
            (
                format!("expected `{expected}`, found {}", found(node, text)),
                format!("must be `{expected}`"),
                description,
            )
        }
        ValidationErrorKind::Format { format } => {
            let (what, example) = format_words(format);
            let example = example.map(|e| format!("example: `{e}`"));
            let help = match (description, example) {
                (Some(text), Some(example)) => {
                    let mut chars = example.chars();
                    let first: String = chars.next().map(|c| c.to_uppercase().collect()).unwrap_or_default();
                    Some(format!("{text} {first}{}", chars.as_str()))
                }
                (text, example) => text.or(example),
            };
            (format!("{shown} is not a valid {what}"), format!("not a valid {what}"), help)
        }
        ValidationErrorKind::Pattern { .. } => {
            (format!("{shown} is not in the expected form"), "not in the expected form".into(), description)
        }
        ValidationErrorKind::Minimum { limit } | ValidationErrorKind::ExclusiveMinimum { limit } => {
            (format!("{shown} is below the minimum of {limit}"), "too small".into(), description)
        }
        ValidationErrorKind::Maximum { limit } | ValidationErrorKind::ExclusiveMaximum { limit } => {
            (format!("{shown} is above the maximum of {limit}"), "too large".into(), description)
        }
        ValidationErrorKind::MinLength { limit } => {
            let message = if *limit == 1 {
                "the value must not be empty".to_owned()
            } else {
                format!("the value is shorter than {limit} characters")
            };
            (message, "too short".into(), description)
        }
        ValidationErrorKind::MaxLength { limit } => {
            (format!("the value is longer than {limit} characters"), "too long".into(), description)
        }
        ValidationErrorKind::MinItems { limit } => (
            format!("the list needs at least {limit} {}", plural(*limit, "item")),
            "too few items".into(),
            description,
        ),
        ValidationErrorKind::MaxItems { limit } => (
            format!("the list holds more than {limit} {}", plural(*limit, "item")),
            "too many items".into(),
            description,
        ),
        _ => return None,
    })
}

fn unknown_key(node: &Node, entry: Option<&Entry>, pointer: &str, key: &str, allowed: &[&str]) -> Described {
    let help = match suggest::did_you_mean(key, allowed.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None if allowed.is_empty() => "no keys are allowed here".to_owned(),
        None => format!("the keys allowed here are {}", suggest::list(allowed.iter().copied())),
    };
    Described {
        span: entry.map_or(node.span, |entry| entry.key_span),
        pointer: format!("{pointer}/{}", yaml::escape_pointer_token(key)),
        message: format!("unknown key `{key}`"),
        label: "unknown key".into(),
        help: Some(help),
    }
}

fn repeated_item(node: &Node, pointer: &str, help: Option<String>, text: &str) -> Described {
    let items = match &node.value {
        Value::Seq(items) => items.as_slice(),
        _ => &[],
    };
    // Items compare by their JSON form, through a set: linear however long the list.
    let mut seen = std::collections::HashSet::new();
    let repeat = items.iter().enumerate().find(|(_, item)| !seen.insert(item.to_json().to_string()));
    match repeat {
        Some((index, item)) => Described {
            span: item.span,
            pointer: format!("{pointer}/{index}"),
            message: format!("{} appears more than once in the list", shown(item, text)),
            label: "repeated".into(),
            help,
        },
        None => Described {
            span: node.span,
            pointer: pointer.to_owned(),
            message: "the list repeats an item".into(),
            label: "repeated".into(),
            help,
        },
    }
}

/// The span that stands for a mapping when something in it is missing: the key that holds it, or
/// its first line.
fn head_span(node: &Node, entry: Option<&Entry>) -> Span {
    if let Some(entry) = entry {
        return entry.key_span;
    }
    match node.as_map().and_then(<[Entry]>::first) {
        Some(first) if !matches!(first.value.value, Value::Map(_) | Value::Seq(_)) => {
            first.key_span.join(first.value.span)
        }
        Some(first) => first.key_span,
        None => node.span,
    }
}

/// The description of property `name` in the schema at `path` or an enclosing one (for `then`).
fn property_description(schema: &Json, mut path: &str, name: &str) -> Option<String> {
    loop {
        let found = schema
            .pointer(path)
            .and_then(|s| s.get("properties"))
            .and_then(|p| p.get(name))
            .and_then(|p| p.get("description"))
            .and_then(Json::as_str);
        if let Some(text) = found {
            return Some(text.to_owned());
        }
        path = path.rsplit_once('/')?.0;
    }
}

fn expected_types(kind: &TypeKind) -> String {
    let names: Vec<&str> = match kind {
        TypeKind::Single(single) => vec![type_word(*single)],
        TypeKind::Multiple(set) => set.iter().map(type_word).collect(),
    };
    match names.as_slice() {
        [rest @ .., last] if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

fn type_word(kind: JsonType) -> &'static str {
    match kind {
        JsonType::Array => "a list",
        JsonType::Boolean => "a boolean",
        JsonType::Integer => "an integer",
        JsonType::Null => "null",
        JsonType::Number => "a number",
        JsonType::Object => "a mapping",
        JsonType::String => "a string",
    }
}

/// The node's type and, for a scalar, its value.
fn found(node: &Node, text: &str) -> String {
    match &node.value {
        Value::Seq(_) | Value::Map(_) | Value::Null => node.value.type_name().to_owned(),
        value => format!("{} {}", value.type_name(), shown(node, text)),
    }
}

/// A scalar in backticks, shortened when long: a number as written in `text`, the source.
fn shown(node: &Node, source: &str) -> String {
    let text = match (&node.value, node.written(source)) {
        (_, Some(written)) => written.to_owned(),
        (Value::Null, _) => "null".to_owned(),
        (Value::Bool(b), _) => b.to_string(),
        (Value::Int(i), _) => i.to_string(),
        (Value::Float(f), _) => f.to_string(),
        (Value::String(s), _) => s.clone(),
        (Value::Seq(_) | Value::Map(_), _) => return node.value.type_name().to_owned(),
    };
    let mut chars = text.chars();
    let short: String = chars.by_ref().take(60).collect();
    if chars.next().is_some() { format!("`{short}…`") } else { format!("`{short}`") }
}

fn yes_no_help(node: &Node, kind: &TypeKind) -> Option<String> {
    let wants_bool = match kind {
        TypeKind::Single(single) => *single == JsonType::Boolean,
        TypeKind::Multiple(set) => set.contains(JsonType::Boolean),
    };
    let text = node.as_str()?;
    let truthy = matches!(text.to_lowercase().as_str(), "yes" | "y" | "on");
    let falsy = matches!(text.to_lowercase().as_str(), "no" | "n" | "off");
    (wants_bool && (truthy || falsy)).then(|| {
        let want = if truthy { "true" } else { "false" };
        format!("YAML 1.2 reads `{text}` as a string; write `{want}`")
    })
}

fn format_words(format: &str) -> (&'static str, Option<&'static str>) {
    match format {
        "uuid" => ("GUID", Some("6f1c2e4a-0b7d-4c1e-9a55-3e2f7d8c9b10")),
        "email" => ("email address", Some("alice@contoso.com")),
        "uri" => ("URL", Some("https://learn.microsoft.com/")),
        _ => ("value", None),
    }
}

fn plural(count: u64, word: &str) -> String {
    if count == 1 { word.to_owned() } else { format!("{word}s") }
}
