//! Profiles: which rules a run uses, with which severities and parameters, and which baseline
//! controls they implement. A profile is data (`kind: Profile`, `schemas/profile.v1.schema.json`);
//! this module reads, checks, resolves (`extends`) and applies them, and knows nothing of any
//! baseline. The built-in profiles are `profiles/*.yaml`.

mod check;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::diagnostic::Severity;
use crate::error::Error;
use crate::policy::Rule;
use crate::source::{SourceFile, Span};
use crate::yaml::{Node, Value};

pub(crate) use check::check;

/// The profile a run uses when none is chosen and the built-in pack is loaded.
pub const DEFAULT: &str = "consentlint";

/// The built-in profiles: (path shown in diagnostics, YAML text).
pub(crate) const BUILTIN_PROFILES: &[(&str, &str)] = &[
    ("profiles/cis.yaml", include_str!("../../profiles/cis.yaml")),
    ("profiles/consentlint.yaml", include_str!("../../profiles/consentlint.yaml")),
    ("profiles/eidsca.yaml", include_str!("../../profiles/eidsca.yaml")),
    ("profiles/scuba.yaml", include_str!("../../profiles/scuba.yaml")),
];

/// The names of the built-in profiles: their file names, which are their `metadata.name`
/// (`each_builtin_profile_is_named_as_its_file` keeps them so), for shell completion.
#[must_use]
pub fn builtin_names() -> Vec<&'static str> {
    BUILTIN_PROFILES
        .iter()
        .filter_map(|(path, _)| path.strip_prefix("profiles/")?.strip_suffix(".yaml"))
        .collect()
}

/// A profile as written.
#[derive(Clone, Debug)]
pub struct Profile {
    /// `metadata.name`.
    pub name: String,
    /// The baseline it follows, in one line.
    pub title: Option<String>,
    /// Markdown.
    pub description: Option<String>,
    /// Where to read the baseline.
    pub url: Option<String>,
    /// The profile it starts from, with the span of the name.
    pub extends: Option<(String, Span)>,
    /// Whether rules it does not list that are not built in run too.
    pub other_rules: Option<bool>,
    /// How it runs each rule it lists, in written order.
    pub rules: Vec<Setting>,
    /// The baseline's controls.
    pub controls: Vec<Control>,
    /// The file it is written in.
    pub source: Arc<SourceFile>,
    /// The span of its name.
    pub span: Span,
    /// The document's index in its file.
    pub document: usize,
    /// Whether it is one of the built-in profiles.
    pub builtin: bool,
}

/// How a profile runs one rule.
#[derive(Clone, Debug)]
pub struct Setting {
    /// The rule's id.
    pub rule: String,
    /// The span of the id (the key).
    pub span: Span,
    /// `off`: the rule is left out (of a profile extended).
    pub off: bool,
    /// The severity of its findings.
    pub severity: Option<Severity>,
    /// Parameter values: name, the span of the name, the value, and the file it is written in (a
    /// profile that extends another inherits values written in the other's file).
    pub parameters: Vec<(String, Span, Node, Arc<SourceFile>)>,
    /// The file the setting is written in.
    pub source: Arc<SourceFile>,
}

/// A control of the baseline and the rules that implement it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Control {
    /// As the baseline writes it.
    pub id: String,
    /// What it requires.
    pub title: Option<String>,
    /// Where the baseline states it.
    pub url: Option<String>,
    /// The rules whose verdicts make up its verdict, each with the span of its id.
    pub rules: Vec<(String, Span)>,
    /// Rules stricter than what the baseline's own tool reads: a finding of theirs fails the
    /// control, but when the inputs do not let them be judged, `rules` decide and the control's
    /// reason says what was not judged.
    pub stricter: Vec<(String, Span)>,
}

/// A profile with what it extends folded in: what a run applies.
#[derive(Clone, Debug, Default)]
pub struct Resolved {
    /// Its name.
    pub name: String,
    /// The baseline it follows.
    pub title: Option<String>,
    /// Where to read the baseline: its own `metadata.url`, else that of the nearest profile it
    /// extends that has one.
    pub url: Option<String>,
    /// Whether rules it does not list that are not built in run too.
    pub other_rules: bool,
    /// How it runs each rule it selects, by id.
    pub rules: BTreeMap<String, Setting>,
    /// The controls, in the order of the baseline.
    pub controls: Vec<Control>,
}

impl Profile {
    /// Reads a profile document that passed its schema.
    pub(crate) fn read(
        root: &Node,
        source: &Arc<SourceFile>,
        document: usize,
        builtin: bool,
    ) -> Option<Self> {
        let metadata = root.get("metadata")?;
        let name_node = metadata.get("name")?;
        let text = |node: &Node, key: &str| node.get(key).and_then(Node::as_str).map(str::to_owned);
        let rules = root
            .get("rules")
            .and_then(Node::as_map)
            .map(|entries| {
                entries
                    .iter()
                    .map(|entry| Setting {
                        rule: entry.key.clone(),
                        span: entry.key_span,
                        off: entry.value.as_str() == Some("off"),
                        severity: entry.value.get("severity").and_then(Node::as_str).and_then(severity),
                        parameters: entry
                            .value
                            .get("parameters")
                            .and_then(Node::as_map)
                            .map(|ps| {
                                ps.iter()
                                    .map(|p| (p.key.clone(), p.key_span, p.value.clone(), Arc::clone(source)))
                                    .collect()
                            })
                            .unwrap_or_default(),
                        source: Arc::clone(source),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let controls = match root.get("controls").map(|n| &n.value) {
            Some(Value::Seq(items)) => items
                .iter()
                .filter_map(|item| {
                    let ids = |key: &str| match item.get(key).map(|n| &n.value) {
                        Some(Value::Seq(ids)) => {
                            ids.iter().filter_map(|id| Some((id.as_str()?.to_owned(), id.span))).collect()
                        }
                        _ => Vec::new(),
                    };
                    let (rules, stricter) = (ids("rules"), ids("stricter"));
                    Some(Control {
                        id: text(item, "id")?,
                        title: text(item, "title"),
                        url: text(item, "url"),
                        rules,
                        stricter,
                    })
                })
                .collect(),
            _ => Vec::new(),
        };
        Some(Self {
            name: name_node.as_str()?.to_owned(),
            title: text(metadata, "title"),
            description: text(metadata, "description"),
            url: text(metadata, "url"),
            extends: root.get("extends").and_then(|n| Some((n.as_str()?.to_owned(), n.span))),
            other_rules: root.get("otherRules").and_then(|n| match n.value {
                Value::Bool(b) => Some(b),
                _ => None,
            }),
            rules,
            controls,
            source: Arc::clone(source),
            span: name_node.span,
            document,
            builtin,
        })
    }
}

/// The profile named `name` among `profiles`, with what it extends folded in. A chain that
/// loops or names a profile that is not loaded stops where it breaks ([`check`] reports it).
#[must_use]
pub fn resolve(profiles: &[Profile], name: &str) -> Option<Resolved> {
    let mut chain: Vec<&Profile> = Vec::new();
    let mut next = Some(name);
    while let Some(wanted) = next {
        let Some(profile) = profiles.iter().find(|p| p.name == wanted) else { break };
        if chain.iter().any(|p| p.name == profile.name) {
            break;
        }
        chain.push(profile);
        next = profile.extends.as_ref().map(|(n, _)| n.as_str());
    }
    let first = chain.first()?;
    let mut resolved = Resolved {
        name: first.name.clone(),
        title: first.title.clone(),
        url: chain.iter().find_map(|p| p.url.clone()),
        ..Resolved::default()
    };
    for profile in chain.iter().rev() {
        if let Some(other) = profile.other_rules {
            resolved.other_rules = other;
        }
        for setting in &profile.rules {
            if setting.off {
                resolved.rules.remove(&setting.rule);
                continue;
            }
            match resolved.rules.get_mut(&setting.rule) {
                Some(known) => {
                    known.severity = setting.severity.or(known.severity);
                    for (name, span, value, source) in &setting.parameters {
                        known.parameters.retain(|(n, _, _, _)| n != name);
                        known.parameters.push((name.clone(), *span, value.clone(), Arc::clone(source)));
                    }
                    known.source = Arc::clone(&setting.source);
                }
                None => {
                    resolved.rules.insert(setting.rule.clone(), setting.clone());
                }
            }
        }
        for control in &profile.controls {
            match resolved.controls.iter_mut().find(|c| c.id == control.id) {
                Some(known) => *known = control.clone(),
                None => resolved.controls.push(control.clone()),
            }
        }
    }
    // A control whose rule a profile turned off stays, and is judged not judgeable: a profile that
    // extends a baseline never loses one of its controls silently.
    Some(resolved)
}

impl Resolved {
    /// Applies the profile to the rules of a run: rules it does not select are dropped (those not
    /// built in stay when `otherRules` says so); the others get its severity and parameters.
    pub fn apply(&self, rules: &mut Vec<Rule>) {
        rules.retain(|rule| self.rules.contains_key(&rule.id) || (self.other_rules && !rule.builtin));
        for rule in rules.iter_mut() {
            let Some(setting) = self.rules.get(&rule.id) else { continue };
            if let Some(severity) = setting.severity {
                rule.severity = severity;
                rule.severity_from_profile = true;
            }
            for (name, _, value, source) in &setting.parameters {
                if let Some(parameter) = rule.parameters.iter_mut().find(|p| &p.name == name) {
                    parameter.value = value.clone();
                    parameter.source = Arc::clone(source);
                }
            }
        }
    }
}

/// The profile named `name`, or an error with "did you mean" naming the profiles loaded.
///
/// # Errors
/// When no profile of that name is loaded.
pub fn find(profiles: &[Profile], name: &str) -> Result<Resolved, Error> {
    resolve(profiles, name).ok_or_else(|| {
        let names: Vec<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
        Error::Usage {
            message: format!("unknown profile `{name}`"),
            help: match crate::suggest::did_you_mean(name, names.iter().copied()) {
                Some(best) => format!("did you mean `{best}`? `consentlint profiles` lists the profiles"),
                None => "`consentlint profiles` lists the profiles".to_owned(),
            },
        }
    })
}

fn severity(name: &str) -> Option<Severity> {
    [Severity::Error, Severity::Warning, Severity::Info].into_iter().find(|s| s.as_str() == name)
}
