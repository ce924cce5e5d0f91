//! Builds [`Node`] trees from `saphyr-parser` events, enforcing [`Limits`].
#![expect(clippy::result_large_err, reason = "an error ends the parse, so it is built at most once per file")]

mod keys;

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr::Scalar;
use saphyr_parser::{Event, Parser, ScalarStyle, Span as EventSpan, Tag};

use self::keys::{Clash, Key, KeyValue, Keys, Slot, written};
use super::chars::CharToByte;
use super::{Document, Entry, Node, Value};
use crate::source::Span;

/// Limits that keep hostile input harmless.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Deepest nesting of collections allowed.
    pub max_depth: usize,
    /// Most nodes that aliases may add to one file by expansion.
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_depth: 64, max_alias_nodes: 100_000 }
    }
}

/// A problem that makes a document unusable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    /// One lowercase sentence.
    pub message: String,
    /// What is wrong, where.
    pub span: Span,
    /// The label under the span.
    pub label: String,
    /// Further explanation.
    pub help: Option<String>,
    /// Other places that explain the error.
    pub related: Vec<(Span, String)>,
    /// 0-based index of the document holding the error.
    pub document: usize,
    /// Whether a limit was reached (depth, alias expansion), as opposed to a mistake in the YAML.
    pub limit: bool,
}

/// The documents of a file that parsed cleanly, and the errors of the others.
#[derive(Debug, Default)]
pub struct ParseOutput {
    /// Documents without errors, in file order (their `index` counts every document).
    pub documents: Vec<Document>,
    /// Errors; after a syntax error or a limit the rest of the file is not read.
    pub errors: Vec<YamlError>,
    /// How many documents the file holds (up to the first fatal error).
    pub count: usize,
}

/// Parses every document of `text`.
#[must_use]
pub fn parse(text: &str, limits: Limits) -> ParseOutput {
    let mut builder = Builder::new(text, limits);
    let fed = feed(text);
    if let Some((_, skipped, prefix)) = &fed {
        builder.offsets = CharToByte::shifted(text, *skipped, *prefix);
    }
    let input = fed.as_ref().map_or(text, |(fed, _, _)| fed.as_str());
    for item in Parser::new_from_str(input) {
        let outcome = match item {
            Ok((event, span)) => builder.event(event, span),
            Err(error) => Err(builder.scan_error(error.info(), error.marker().index())),
        };
        if let Err(error) = outcome {
            builder.output.errors.push(error);
            break;
        }
    }
    builder.output.count = builder.document;
    builder.output
}

/// What the parser is given for text that opens with a flow collection, as JSON does: the text from
/// its first `{` or `[`, after an explicit document start `--- ` on the same line, with how many
/// characters were skipped and how many the start adds (to map positions back).
///
/// The parser keeps every token of a flow collection that may turn out to be the key of a block
/// mapping (`{a: 1}: b`) until the collection ends: for a JSON document, the whole file, about ten
/// times its size in memory. After `--- ` no key may start on that line, so tokens are handed on
/// as they are read. Such a key at the root of a document is the one YAML this refuses.
fn feed(text: &str) -> Option<(String, usize, usize)> {
    const START: &str = "--- ";
    let body = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if !body.starts_with(['{', '[']) {
        return None;
    }
    let skipped = text.len() - body.len();
    let skipped_chars = text.get(..skipped).map_or(0, |lead| lead.chars().count());
    Some((format!("{START}{body}"), skipped_chars, START.len()))
}

enum Frame {
    Seq { start: Span, anchor: usize, items: Vec<Node> },
    Map { start: Span, anchor: usize, entries: Vec<Entry>, key: Option<Slot>, keys: Keys },
}

struct Builder<'a> {
    text: &'a str,
    offsets: CharToByte<'a>,
    limits: Limits,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    alias_nodes: usize,
    document: usize,
    document_failed: bool,
    root: Option<Node>,
    output: ParseOutput,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str, limits: Limits) -> Self {
        Self {
            text,
            offsets: CharToByte::new(text),
            limits,
            stack: Vec::new(),
            anchors: HashMap::new(),
            alias_nodes: 0,
            document: 0,
            document_failed: false,
            root: None,
            output: ParseOutput::default(),
        }
    }

    fn span(&mut self, span: EventSpan) -> Span {
        Span::new(self.offsets.byte(span.start.index()), self.offsets.byte(span.end.index()))
    }

    /// A span covering the character at `offset`, or an empty one at a line end.
    fn char_span(&self, offset: usize) -> Span {
        match self.text.get(offset..).and_then(|rest| rest.chars().next()) {
            Some(c) if c != '\n' && c != '\r' => Span::new(offset, offset + c.len_utf8()),
            _ => Span::point(offset),
        }
    }

    fn error(&self, message: String, span: Span, label: &str, help: Option<&str>) -> YamlError {
        YamlError {
            message,
            span,
            label: label.to_owned(),
            help: help.map(str::to_owned),
            related: Vec::new(),
            document: self.document,
            limit: false,
        }
    }

    fn scan_error(&mut self, info: &str, index: usize) -> YamlError {
        let mut offset = self.offsets.byte(index);
        if info.contains("tab") {
            offset = self.tab_near(offset);
        }
        let span = self.char_span(offset);
        if info.contains("recursion limit") {
            return self.depth_error(span);
        }
        let help = if info.contains("tab") {
            Some("indent with spaces: YAML does not allow tabs for indentation")
        } else if info.contains("while parsing a flow") {
            Some("a bracket or brace opened earlier is not closed")
        } else if info.contains("did not find expected key") {
            Some("check the indentation: a key is not aligned with the keys of its mapping")
        } else {
            None
        };
        self.error(format!("invalid YAML: {info}"), span, "here", help)
    }

    /// The parser reports a tab error after reading past the tab: the tab is earlier on the same
    /// line (which starts after any line break, a lone `\r` included) or, after a plain value, on a
    /// following line.
    fn tab_near(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        let text = |range: std::ops::Range<usize>| self.text.get(range).unwrap_or_default();
        let line_start = text(0..offset).rfind(['\n', '\r']).map_or(0, |i| i + 1);
        if let Some(before) = text(line_start..offset).rfind('\t') {
            return line_start + before;
        }
        text(offset..self.text.len()).find('\t').map_or(offset, |after| offset + after)
    }

    fn depth_error(&self, span: Span) -> YamlError {
        let mut error = self.error(
            "nesting is too deep".to_owned(),
            span,
            "too deep",
            Some("consentlint documents need only a few levels of nesting; deeper input is refused to protect against hostile files"),
        );
        error.limit = true;
        error
    }

    fn event(&mut self, event: Event<'_>, span: EventSpan) -> Result<(), YamlError> {
        let span = self.span(span);
        match event {
            Event::DocumentStart(_) => {
                self.anchors.clear();
                self.document_failed = false;
                self.root = None;
            }
            Event::DocumentEnd => {
                if let Some(root) = self.root.take()
                    && !self.document_failed
                {
                    self.output.documents.push(Document { index: self.document, root });
                }
                self.document += 1;
            }
            Event::Scalar(text, style, anchor, tag) => {
                self.scalar(text, style, anchor, tag.as_deref(), span);
            }
            Event::Alias(id) => self.alias(id, span)?,
            Event::SequenceStart(anchor, _) => {
                self.check_depth(span)?;
                self.stack.push(Frame::Seq { start: span, anchor, items: Vec::new() });
            }
            Event::MappingStart(anchor, _) => {
                self.check_depth(span)?;
                self.stack.push(Frame::Map {
                    start: span,
                    anchor,
                    entries: Vec::new(),
                    key: None,
                    keys: Keys::default(),
                });
            }
            Event::SequenceEnd | Event::MappingEnd => self.end_collection(span),
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
        Ok(())
    }

    fn check_depth(&self, span: Span) -> Result<(), YamlError> {
        if self.stack.len() >= self.limits.max_depth {
            let offset = span.start;
            return Err(self.depth_error(self.char_span(offset)));
        }
        Ok(())
    }

    fn expecting_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { key: None, .. }))
    }

    fn scalar(
        &mut self,
        text: Cow<'_, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        span: Span,
    ) {
        let value = self.resolve(&text, style, tag, span);
        if self.expecting_key() {
            // Keys are compared as the values they resolve to, not as text.
            let key = Key { text: text.into_owned(), span, value: KeyValue::of(&value, tag) };
            if anchor > 0 {
                self.anchors.insert(anchor, Node { value, span });
            }
            self.set_key(Slot::Scalar(key));
            return;
        }
        let node = Node { value, span };
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        self.push(node);
    }

    /// The value of a scalar under the YAML 1.2 core schema; a value that does not match its tag
    /// is reported and kept as a string.
    fn resolve(&mut self, text: &str, style: ScalarStyle, tag: Option<&Tag>, span: Span) -> Value {
        let tag = tag.map(|t| Cow::Owned(t.clone()));
        match Scalar::parse_from_cow_and_metadata(Cow::Borrowed(text), style, tag.as_ref()) {
            Some(scalar) => scalar_value(scalar),
            None => {
                let tag_name = tag
                    .as_ref()
                    .map(|t| if t.is_yaml_core_schema() { format!("!!{}", t.suffix) } else { t.to_string() })
                    .unwrap_or_default();
                let error = self.error(
                    format!("`{text}` is not a valid `{tag_name}` value"),
                    span,
                    "does not match its tag",
                    Some("remove the tag or write a value of the tagged type"),
                );
                self.fail_document(error);
                Value::String(text.to_owned())
            }
        }
    }

    fn alias(&mut self, id: usize, span: Span) -> Result<(), YamlError> {
        let Some(target) = self.anchors.get(&id) else {
            return Err(self.error("alias to an unknown anchor".into(), span, "unknown anchor", None));
        };
        let budget = self.limits.max_alias_nodes.saturating_sub(self.alias_nodes);
        let size = target.count_nodes(budget);
        if size > budget {
            let mut error = self.error(
                format!("aliases expand to more than {} nodes", self.limits.max_alias_nodes),
                span,
                "expansion limit reached here",
                Some("this looks like an alias bomb; expand the anchors by hand if the file is legitimate"),
            );
            error.limit = true;
            return Err(error);
        }
        self.alias_nodes += size;
        let mut node = target.clone();
        if self.expecting_key() {
            let text = match &node.value {
                Value::Seq(_) | Value::Map(_) => {
                    self.complex_key(&node.value, span);
                    return Ok(());
                }
                Value::String(text) => text.clone(),
                Value::Null => "null".to_owned(),
                Value::Bool(b) => b.to_string(),
                Value::Int(_) | Value::Float(_) => node.written(self.text).unwrap_or_default().to_owned(),
            };
            let value = KeyValue::of(&node.value, None);
            self.set_key(Slot::Scalar(Key { text, span, value }));
            return Ok(());
        }
        node.span = span;
        self.push(node);
        Ok(())
    }

    fn end_collection(&mut self, end: Span) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let (start, anchor, value, last) = match frame {
            Frame::Seq { start, anchor, items } => {
                let last = items.last().map(|n| n.span);
                (start, anchor, Value::Seq(items), last)
            }
            Frame::Map { start, anchor, entries, .. } => {
                let last = entries.last().map(|e| e.value.span.join(e.key_span));
                (start, anchor, Value::Map(entries), last)
            }
        };
        // Flow collections end at their bracket; block ones at their last child.
        let stop = if end.is_empty() { last.map_or(start.end, |s| s.end) } else { end.end };
        let node = Node { value, span: Span::new(start.start, stop.max(start.end)) };
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        if self.expecting_key() {
            self.complex_key(&node.value, node.span);
            return;
        }
        self.push(node);
    }

    /// Reports a list or a mapping used as a key; its entry is not kept.
    fn complex_key(&mut self, value: &Value, span: Span) {
        let what = if matches!(value, Value::Seq(_)) { "a list" } else { "a mapping" };
        let error = self.error(
            format!("{what} cannot be a mapping key"),
            span,
            &format!("{what} used as a key"),
            Some("keys in consentlint documents are text, as in JSON; write the key as a string"),
        );
        self.fail_document(error);
        self.set_key(Slot::Complex);
    }

    fn set_key(&mut self, key: Slot) {
        if let Some(Frame::Map { key: slot, .. }) = self.stack.last_mut() {
            *slot = Some(key);
        }
    }

    fn push(&mut self, node: Node) {
        let text = self.text;
        let clash = match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                None
            }
            Some(Frame::Seq { items, .. }) => {
                items.push(node);
                None
            }
            Some(Frame::Map { entries, key, keys, .. }) => match key.take() {
                Some(Slot::Scalar(key)) => match keys.clash(entries, &key) {
                    Some(clash) => {
                        let (Clash::Duplicate(at) | Clash::SameText(at)) = clash;
                        let earlier = entries.get(at);
                        earlier.map(|e| {
                            (keys.describe(clash, &key, e, &|span| written(text, span)), key.span, e.key_span)
                        })
                    }
                    None => {
                        keys.add(entries, &key);
                        entries.push(Entry { key: key.text, key_span: key.span, value: node });
                        None
                    }
                },
                // A list or a mapping as a key was reported when it ended.
                Some(Slot::Complex) | None => None,
            },
        };
        if let Some(([message, label, first_label, help], span, first)) = clash {
            let mut error = self.error(message, span, &label, Some(&help));
            error.related.push((first, first_label));
            self.fail_document(error);
        }
    }

    fn fail_document(&mut self, error: YamlError) {
        self.document_failed = true;
        self.output.errors.push(error);
    }
}

fn scalar_value(scalar: Scalar<'_>) -> Value {
    match scalar {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Bool(b),
        Scalar::Integer(i) => Value::Int(i),
        Scalar::FloatingPoint(f) => Value::Float(f.into_inner()),
        Scalar::String(s) => Value::String(s.into_owned()),
    }
}
