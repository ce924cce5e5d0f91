//! Compiles `kind: Policy` documents (already valid against the policy schema) into [`Rule`]s.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value as Json;

use super::path::PathError;
use super::{Condition, Op, Override, Parameter, Part, Path, Reference, Root, Rule, Template};
use crate::catalog::FACTS;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::kind::Kind;
use crate::schema::Schemas;
use crate::source::{SourceFile, Span};
use crate::suggest;
use crate::yaml::{Entry, Node, Value};

/// The operators, as written.
const OPERATORS: &[&str] = &[
    "equals",
    "not-equals",
    "in",
    "not-in",
    "exists",
    "absent",
    "matches",
    "greater-than",
    "greater-or-equal",
    "less-than",
    "less-or-equal",
    "min-items",
    "max-items",
    "contains",
    "unique",
];
const COMBINATORS: &[&str] = &["all", "any", "not"];

pub(super) struct Compiler<'a> {
    schemas: &'a Schemas,
    rules: Vec<Rule>,
    seen: HashMap<String, (Arc<SourceFile>, Span)>,
    diagnostics: Vec<Diagnostic>,
}

/// What a rule's paths are checked against.
struct Scope<'a> {
    source: &'a Arc<SourceFile>,
    target: Kind,
    kind_schema: &'a Json,
    here_schema: &'a Json,
    for_each: bool,
    uses_tenant: bool,
    /// Whether `assert` tests `unique` (allowed once).
    uses_unique: bool,
    /// The rule's parameters, which `$profile` paths name.
    parameters: &'a [Parameter],
}

/// Where a condition is written, for the one test whose meaning depends on it: `unique` marks every
/// occurrence of a value after the first, which is sound only as a requirement of every document.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// The assertion, or a condition of an `all` there: `unique` is allowed.
    Conjunct,
    Not,
    Any,
    When,
    Override,
    ForEach,
}

impl Place {
    /// The place of a condition written inside a combinator here: the outermost refusal wins.
    fn under(self, inner: Self) -> Self {
        if self == Self::Conjunct { inner } else { self }
    }

    /// Why `unique` cannot be tested here.
    fn refusal(self) -> Option<&'static str> {
        match self {
            Self::Conjunct => None,
            Self::Not => Some("`unique` cannot be negated with `not`"),
            Self::Any => Some("`unique` cannot be one of the alternatives of `any`"),
            Self::When => Some("`unique` cannot be tested in `when`"),
            Self::Override => Some("`unique` cannot be tested in `severity-overrides`"),
            Self::ForEach => Some("`unique` compares documents, so a rule with `for-each` cannot test it"),
        }
    }
}

/// Where `unique` may be tested, and why.
const UNIQUE_HELP: &str = "`unique` is allowed only in `assert`, as the whole assertion or as a condition of a \
                           top-level `all`: it marks every occurrence of a value after the first, so it can be \
                           required but not negated, offered as an alternative or used to select documents";

impl<'a> Compiler<'a> {
    pub(super) fn new(schemas: &'a Schemas) -> Self {
        Self { schemas, rules: Vec::new(), seen: HashMap::new(), diagnostics: Vec::new() }
    }

    pub(super) fn finish(self) -> (Vec<Rule>, Vec<Diagnostic>) {
        (self.rules, self.diagnostics)
    }

    fn error(
        &mut self,
        code: Code,
        source: &Arc<SourceFile>,
        span: Span,
        message: String,
        help: Option<String>,
    ) {
        let diagnostic = Diagnostic::tool(code, message, source, span).with_optional_help(help);
        self.diagnostics.push(diagnostic);
    }

    /// Compiles every rule of one policy document.
    pub(super) fn policy(&mut self, source: &Arc<SourceFile>, document: usize, root: &Node, builtin: bool) {
        let Some(rules) = root.get("rules") else { return };
        let crate::yaml::Value::Seq(items) = &rules.value else { return };
        let before = self.diagnostics.len();
        for item in items {
            if let Some(rule) = self.rule(source, item, builtin) {
                self.rules.push(rule);
            }
        }
        for diagnostic in self.diagnostics.iter_mut().skip(before) {
            diagnostic.document = Some(document);
        }
    }

    /// The schema of a rule's target. One that does not parse is a bug the schema tests catch; it is
    /// reported rather than leaving the rule out unnoticed.
    fn kind_schema(
        &mut self,
        target: Kind,
        source: &Arc<SourceFile>,
        span: Span,
        id: &str,
    ) -> Option<&'a Json> {
        let schema = self.schemas.raw(target);
        if schema.is_none() {
            let message =
                format!("rule `{id}` cannot be compiled: the bundled schema of its target does not parse");
            self.error(Code::InvalidPolicy, source, span, message, None);
        }
        schema
    }

    fn rule(&mut self, source: &Arc<SourceFile>, node: &Node, builtin: bool) -> Option<Rule> {
        let text = |key: &str| node.get(key).and_then(Node::as_str).map(str::to_owned);
        let id_node = node.get("id")?;
        let id = id_node.as_str()?.to_owned();
        if let Some((first_source, first_span)) = self.seen.get(&id).cloned() {
            let at = first_source.position(first_span.start);
            let help = format!(
                "it is first defined at {}:{}:{}; rule ids must be unique",
                first_source.name(),
                at.line,
                at.column
            );
            self.error(
                Code::DuplicateRuleId,
                source,
                id_node.span,
                format!("rule id `{id}` is defined twice"),
                Some(help),
            );
            return None;
        }
        self.seen.insert(id.clone(), (Arc::clone(source), id_node.span));
        let target = text("target").and_then(|t| Kind::from_name(&t))?;
        let severity = severity(&text("severity")?)?;
        let kind_schema = self.kind_schema(target, source, id_node.span, &id)?;
        let parameters = node.get("parameters").map(|n| parameters(n, source)).unwrap_or_default();
        let mut scope = Scope {
            source,
            target,
            kind_schema,
            here_schema: kind_schema,
            for_each: false,
            uses_tenant: false,
            uses_unique: false,
            parameters: &parameters,
        };
        let for_each = match node.get("for-each") {
            Some(path_node) => {
                let path = self.path(&mut scope, path_node)?;
                let list = if path.root == Root::Scope { path.walk(kind_schema).ok() } else { None };
                match list.and_then(|schema| schema.get("items")) {
                    Some(items) => {
                        scope.here_schema = items;
                        scope.for_each = true;
                        Some(path)
                    }
                    None => {
                        let message = format!(
                            "`for-each` needs a list in the document, and `{}` is not one",
                            path.text
                        );
                        self.error(Code::MalformedPolicy, source, path_node.span, message, None);
                        return None;
                    }
                }
            }
            None => None,
        };
        let when = node.get("when").map(|n| self.condition(&mut scope, n, Place::When));
        let place = if scope.for_each { Place::ForEach } else { Place::Conjunct };
        let assert = self.condition(&mut scope, node.get("assert")?, place);
        let report = node.get("report").map(|n| self.path(&mut scope, n));
        let message = self.template(&mut scope, node.get("message")?);
        let help = node.get("help").map(|n| self.template(&mut scope, n));
        let (native_message, native_help) = self.native_wording(&mut scope, node.get("native"));
        let overrides = self.overrides(&mut scope, node.get("severity-overrides"));
        let references = node.get("references").map(references).unwrap_or_default();
        let uses_tenant = scope.uses_tenant;
        let uses_unique = scope.uses_unique;
        // Built-in rules are documented in the rule reference; others link their first reference.
        let url = if builtin {
            Some(crate::codes::url(&id))
        } else {
            references.iter().find_map(|r| r.url.clone())
        };
        Some(Rule {
            url,
            name: text("name")?,
            summary: text("summary")?,
            description: text("description")?,
            references,
            for_each,
            when: when.flatten(),
            assert: assert?,
            uses_unique,
            report: report.flatten(),
            message: message?,
            help: help.flatten(),
            native_message,
            native_help,
            overrides: overrides?,
            parameters,
            severity_from_profile: false,
            uses_tenant,
            id,
            severity,
            target,
            source: Arc::clone(source),
            span: id_node.span,
            builtin,
        })
    }

    /// The message and help of a rule's `native:` wording, each parsed as a template.
    fn native_wording(
        &mut self,
        scope: &mut Scope<'_>,
        native: Option<&Node>,
    ) -> (Option<Template>, Option<Template>) {
        let mut wording = |key: &str| native.and_then(|n| n.get(key)).and_then(|n| self.template(scope, n));
        (wording("message"), wording("help"))
    }

    fn overrides(&mut self, scope: &mut Scope<'_>, node: Option<&Node>) -> Option<Vec<Override>> {
        let Some(Node { value: Value::Seq(items), .. }) = node else { return Some(Vec::new()) };
        let mut overrides = Vec::new();
        let mut ok = true;
        for item in items {
            let when = item.get("when").and_then(|n| self.condition(scope, n, Place::Override));
            let severity = item.get("severity").and_then(Node::as_str).and_then(severity);
            let message = item.get("message").map(|n| self.template(scope, n));
            let help = item.get("help").map(|n| self.template(scope, n));
            let (native_message, native_help) = self.native_wording(scope, item.get("native"));
            match (when, severity, message, help) {
                (Some(when), Some(severity), Some(None), _) | (Some(when), Some(severity), _, Some(None)) => {
                    let _ = (when, severity);
                    ok = false;
                }
                (Some(when), Some(severity), message, help) => {
                    overrides.push(Override {
                        when,
                        severity,
                        message: message.flatten(),
                        help: help.flatten(),
                        native_message,
                        native_help,
                    });
                }
                _ => ok = false,
            }
        }
        ok.then_some(overrides)
    }

    /// Parses and checks a path written in the string `node`.
    fn path(&mut self, scope: &mut Scope<'_>, node: &Node) -> Option<Path> {
        let text = node.as_str()?;
        let checked = Path::parse(text)
            .map_err(|error| (Code::UnknownPolicyPath, error))
            .and_then(|path| self.check_path(scope, &path).map(|()| path));
        match checked {
            Ok(path) => Some(path),
            Err((code, error)) => {
                let span = sub_span(scope.source, node, error.at.0, error.at.1);
                self.error(code, scope.source, span, error.message, error.help);
                None
            }
        }
    }

    fn check_path(&self, scope: &mut Scope<'_>, path: &Path) -> Result<(), (Code, PathError)> {
        let whole = (0, path.text.len());
        let shape = |message: String, help: &str| {
            (Code::MalformedPolicy, PathError { message, help: Some(help.to_owned()), at: whole })
        };
        let walked = match path.root {
            Root::Scope => path.walk(scope.here_schema),
            Root::Document => path.walk(scope.kind_schema),
            Root::Tenant => {
                if scope.target != Kind::AppManifest {
                    return Err(shape(
                        format!("`{}` reaches the tenant in context, which only app rules have", path.text),
                        "use `$tenant` in rules with `target: AppManifest`",
                    ));
                }
                scope.uses_tenant = true;
                let tenant = self.schemas.raw(Kind::TenantConfig).unwrap_or(&Json::Null);
                path.walk(tenant)
            }
            Root::Profile => return check_parameter(scope, path).map(|_| ()),
            Root::Catalog => {
                if !scope.for_each {
                    return Err(shape(
                        format!("`{}` needs a permission in scope", path.text),
                        "use `$catalog` in a rule with `for-each` over permissions or permission names",
                    ));
                }
                return match path.segments.as_slice() {
                    [fact] if FACTS.contains(&fact.as_str()) => Ok(()),
                    [fact, ..] => Err((
                        Code::UnknownPolicyPath,
                        PathError {
                            message: format!("unknown catalog fact `{fact}`"),
                            help: Some(suggest::help_for(fact, FACTS.iter().copied())),
                            at: whole,
                        },
                    )),
                    [] => Err(shape(format!("`{}` names no fact", path.text), "such as `$catalog.risk`")),
                };
            }
        };
        walked.map(|_| ()).map_err(|e| (Code::UnknownPolicyPath, e))
    }

    fn template(&mut self, scope: &mut Scope<'_>, node: &Node) -> Option<Template> {
        let text = node.as_str()?;
        let template = match Template::parse(text) {
            Ok(template) => template,
            Err(error) => {
                let span = sub_span(scope.source, node, error.at.0, error.at.1);
                self.error(Code::MalformedPolicy, scope.source, span, error.message, error.help);
                return None;
            }
        };
        let mut ok = true;
        for part in &template.parts {
            if let Part::Path(path, start) = part
                && let Err((code, error)) = self.check_path(scope, path)
            {
                let span = sub_span(scope.source, node, start + error.at.0, error.at.1);
                self.error(code, scope.source, span, format!("placeholder: {}", error.message), error.help);
                ok = false;
            }
        }
        ok.then_some(template)
    }

    fn condition(&mut self, scope: &mut Scope<'_>, node: &Node, place: Place) -> Option<Condition> {
        let entries = node.as_map()?;
        let combinator = entries.iter().find(|e| COMBINATORS.contains(&e.key.as_str()));
        if let Some(entry) = combinator {
            if let Some(other) = entries.iter().find(|e| e.key != entry.key) {
                let message = format!("a condition with `{}` cannot also have `{}`", entry.key, other.key);
                let help = "put each test in its own condition inside `all` or `any`".to_owned();
                self.error(Code::MalformedPolicy, scope.source, other.key_span, message, Some(help));
                return None;
            }
            return match (entry.key.as_str(), &entry.value.value) {
                ("not", _) => self
                    .condition(scope, &entry.value, place.under(Place::Not))
                    .map(|c| Condition::Not(Box::new(c))),
                (key, Value::Seq(items)) => {
                    let inner = if key == "all" { place } else { place.under(Place::Any) };
                    let compiled: Vec<Option<Condition>> =
                        items.iter().map(|item| self.condition(scope, item, inner)).collect();
                    let compiled: Option<Vec<Condition>> = compiled.into_iter().collect();
                    compiled
                        .map(|items| if key == "all" { Condition::All(items) } else { Condition::Any(items) })
                }
                _ => None,
            };
        }
        let Some(path_entry) = entries.iter().find(|e| e.key == "path") else {
            let head = entries.first().map_or(node.span, |e| e.key_span);
            let help = format!("add `path:` and one of {}", suggest::list(OPERATORS.iter().copied()));
            self.error(
                Code::MalformedPolicy,
                scope.source,
                head,
                "a condition needs a `path` to test".into(),
                Some(help),
            );
            return None;
        };
        let ops: Vec<&Entry> = entries.iter().filter(|e| e.key != "path" && e.key != "default").collect();
        let op_entry = match ops.as_slice() {
            [one] => *one,
            [] => {
                let help = format!("add one of {}", suggest::list(OPERATORS.iter().copied()));
                self.error(
                    Code::MalformedPolicy,
                    scope.source,
                    path_entry.key_span,
                    "the condition has no operator".into(),
                    Some(help),
                );
                return None;
            }
            [first, second, ..] => {
                let message =
                    format!("the condition has two operators, `{}` and `{}`", first.key, second.key);
                let help = "test one thing per condition; combine conditions with `all` or `any`".to_owned();
                self.error(Code::MalformedPolicy, scope.source, second.key_span, message, Some(help));
                return None;
            }
        };
        let path = self.path(scope, &path_entry.value)?;
        let default = entries.iter().find(|e| e.key == "default").map(|e| e.value.value.clone());
        let op = self.operator(scope, op_entry, &path, place)?;
        Some(Condition::Test { path, default, op })
    }

    fn operator(&mut self, scope: &mut Scope<'_>, entry: &Entry, path: &Path, place: Place) -> Option<Op> {
        let value = &entry.value.value;
        #[expect(clippy::cast_precision_loss, reason = "thresholds are small integers, exact in an f64")]
        let number = || match value {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        };
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "checked to be a small whole number"
        )]
        let count = || match value {
            Value::Int(i) => usize::try_from(*i).ok(),
            Value::Float(f) if f.fract() == 0.0 && *f >= 0.0 && *f < 1e9 => Some(*f as usize),
            _ => None,
        };
        let list = || match value {
            Value::Seq(items) => Some(items.iter().map(|n| n.value.clone()).collect::<Vec<_>>()),
            _ => None,
        };
        Some(match entry.key.as_str() {
            "equals" => Op::Equals(value.clone()),
            "not-equals" => Op::NotEquals(value.clone()),
            "in" | "not-in" if matches!(value, Value::Map(_)) => {
                let list = self.list_operand(scope, &entry.value)?;
                if entry.key == "in" { Op::InList(list) } else { Op::NotInList(list) }
            }
            "in" => Op::In(list()?),
            "not-in" => Op::NotIn(list()?),
            "exists" => Op::Exists,
            "absent" => Op::Absent,
            "contains" => Op::Contains(value.clone()),
            "greater-than" => Op::GreaterThan(number()?),
            "greater-or-equal" => Op::GreaterOrEqual(number()?),
            "less-than" => Op::LessThan(number()?),
            "less-or-equal" => Op::LessOrEqual(number()?),
            "min-items" => Op::MinItems(count()?),
            "max-items" => Op::MaxItems(count()?),
            "matches" => match regex::RegexBuilder::new(entry.value.as_str()?).size_limit(1 << 20).build() {
                Ok(regex) => Op::Matches(regex),
                Err(error) => {
                    let detail = error.to_string();
                    let reason =
                        detail.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("invalid pattern");
                    let message = format!(
                        "the regular expression does not compile: {}",
                        reason.trim().trim_start_matches("error: ")
                    );
                    let help =
                        "consentlint uses Rust `regex` syntax: no look-around or backreferences".to_owned();
                    self.error(Code::InvalidRegex, scope.source, entry.value.span, message, Some(help));
                    return None;
                }
            },
            "unique" => {
                if let Some(message) = place.refusal() {
                    let help = Some(UNIQUE_HELP.to_owned());
                    self.error(Code::MalformedPolicy, scope.source, entry.key_span, message.to_owned(), help);
                    return None;
                }
                if scope.uses_unique {
                    let message = "a rule can test `unique` only once".to_owned();
                    let help = Some("split the rule in two, one `unique` each".to_owned());
                    self.error(Code::MalformedPolicy, scope.source, entry.key_span, message, help);
                    return None;
                }
                scope.uses_unique = true;
                if !matches!(path.root, Root::Scope | Root::Document) {
                    let message = format!(
                        "`unique` compares documents, so `{}` must be in the judged document",
                        path.text
                    );
                    self.error(Code::MalformedPolicy, scope.source, entry.key_span, message, None);
                    return None;
                }
                Op::Unique
            }
            _ => return None,
        })
    }
}

impl Compiler<'_> {
    /// The path of `in: {path: …}` or `not-in: {path: …}`, checked like any path and required to
    /// lead to a list.
    fn list_operand(&mut self, scope: &mut Scope<'_>, node: &Node) -> Option<Path> {
        let path_node = node.get("path")?;
        let path = self.path(scope, path_node)?;
        let walked = match path.root {
            Root::Scope => path.walk(scope.here_schema).ok(),
            Root::Document => path.walk(scope.kind_schema).ok(),
            Root::Tenant => self.schemas.raw(Kind::TenantConfig).and_then(|tenant| path.walk(tenant).ok()),
            Root::Catalog => None,
            Root::Profile => {
                let is_list =
                    check_parameter(scope, &path).is_ok_and(|p| matches!(p.default.value, Value::Seq(_)));
                is_list.then_some(&Json::Null)
            }
        };
        let is_list = path.root == Root::Profile || walked.and_then(|schema| schema.get("items")).is_some();
        if walked.is_none() || !is_list {
            let message = format!("`in` and `not-in` compare with a list, and `{}` is not one", path.text);
            let help = "name a list, such as `$tenant.spec.userConsent.lowImpactPermissions`".to_owned();
            self.error(Code::MalformedPolicy, scope.source, path_node.span, message, Some(help));
            return None;
        }
        Some(path)
    }
}

/// The parameter a `$profile` path names: one step, a parameter of the rule.
fn check_parameter<'p>(scope: &Scope<'p>, path: &Path) -> Result<&'p Parameter, (Code, PathError)> {
    let names = || scope.parameters.iter().map(|p| p.name.as_str());
    match path.segments.as_slice() {
        [name] => scope.parameters.iter().find(|p| &p.name == name).ok_or_else(|| {
            let help = if scope.parameters.is_empty() {
                "declare it under the rule's `parameters:`, with a `default`".to_owned()
            } else {
                suggest::help_for(name, names())
            };
            let at = (path.text.trim().len() - name.len(), name.len());
            (
                Code::UnknownPolicyPath,
                PathError { message: format!("the rule has no parameter `{name}`"), help: Some(help), at },
            )
        }),
        _ => Err((
            Code::MalformedPolicy,
            PathError {
                message: format!("`{}` must name one parameter, with nothing after it", path.text),
                help: Some("a parameter is a value or a list: compare with it as a whole".to_owned()),
                at: (0, path.text.len()),
            },
        )),
    }
}

/// The `parameters:` of a rule, sorted by name, each with its default in force.
fn parameters(node: &Node, source: &Arc<SourceFile>) -> Vec<Parameter> {
    let Some(entries) = node.as_map() else { return Vec::new() };
    let mut found: Vec<Parameter> = entries
        .iter()
        .filter_map(|entry| {
            let default = entry.value.get("default")?.clone();
            Some(Parameter {
                name: entry.key.clone(),
                description: entry.value.get("description").and_then(Node::as_str).unwrap_or("").to_owned(),
                value: default.clone(),
                default,
                source: Arc::clone(source),
                values: match entry.value.get("values").map(|v| &v.value) {
                    Some(Value::Seq(items)) => items.iter().map(|item| item.value.clone()).collect(),
                    _ => Vec::new(),
                },
            })
        })
        .collect();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    found
}

fn severity(text: &str) -> Option<Severity> {
    match text {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "info" => Some(Severity::Info),
        _ => None,
    }
}

fn references(node: &Node) -> Vec<Reference> {
    let Value::Seq(items) = &node.value else { return Vec::new() };
    items
        .iter()
        .filter_map(|item| {
            let text = |key| item.get(key).and_then(Node::as_str).map(str::to_owned);
            Some(Reference { id: text("id")?, title: text("title"), url: text("url") })
        })
        .collect()
}

/// The span of bytes `offset..offset + len` of a string node's value, when the value is written
/// as is (plain or simply quoted); otherwise the whole node.
fn sub_span(source: &SourceFile, node: &Node, offset: usize, len: usize) -> Span {
    let Some(value) = node.as_str() else { return node.span };
    let raw = source.text().get(node.span.start..node.span.end).unwrap_or("");
    let lead = value.len() - value.trim_start().len();
    let start = if raw == value {
        node.span.start
    } else if raw.len() == value.len() + 2
        && (raw.starts_with('"') || raw.starts_with('\''))
        && raw.get(1..raw.len() - 1) == Some(value)
    {
        node.span.start + 1
    } else {
        return node.span;
    };
    Span::new(start + lead + offset, start + lead + offset + len.max(1))
}
