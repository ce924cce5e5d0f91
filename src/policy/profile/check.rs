//! The mistakes a profile can hold, each a diagnostic at its node: a second profile of one name,
//! `extends` naming no loaded profile or looping, a rule or parameter that does not exist (with
//! "did you mean"), a parameter value of the wrong type, a control naming a rule the profile
//! does not run.

use std::sync::Arc;

use super::{Profile, resolve};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::policy::Rule;
use crate::source::{SourceFile, Span};
use crate::suggest;
use crate::yaml::{Node, Value};

/// Every mistake of every profile in `profiles`, given the rules loaded.
#[must_use]
pub(crate) fn check(profiles: &[Profile], rules: &[Rule]) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut push = |code: Code,
                    profile: &Profile,
                    source: &Arc<SourceFile>,
                    span: Span,
                    message: String,
                    help: Option<String>| {
        found.push(
            Diagnostic::tool(code, message, source, span)
                .with_optional_help(help)
                .in_document(profile.document),
        );
    };
    let names: Vec<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
    let ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
    for (index, profile) in profiles.iter().enumerate() {
        let source = &profile.source;
        if let Some(first) = profiles.iter().take(index).find(|p| p.name == profile.name) {
            let at = first.source.position(first.span.start);
            let help = format!("it is first defined at {}:{}:{}", first.source.name(), at.line, at.column);
            let message = format!("profile `{}` is defined twice", profile.name);
            push(Code::DuplicateRuleId, profile, source, profile.span, message, Some(help));
            continue;
        }
        if let Some((parent, span)) = &profile.extends {
            if !names.contains(&parent.as_str()) {
                let help = suggest::help_for(parent, names.iter().copied());
                let message = format!("profile `{parent}` is not loaded");
                push(Code::UnknownPolicyPath, profile, source, *span, message, Some(help));
            } else if loops(profiles, profile) {
                let message = format!("`extends: {parent}` leads back to profile `{}`", profile.name);
                let help = Some("a profile cannot extend itself, directly or through others".to_owned());
                push(Code::MalformedPolicy, profile, source, *span, message, help);
            }
        }
        for setting in &profile.rules {
            let Some(rule) = rules.iter().find(|r| r.id == setting.rule) else {
                let help = suggest::help_for(&setting.rule, ids.iter().copied());
                let message = format!("rule `{}` is not loaded", setting.rule);
                push(Code::UnknownPolicyPath, profile, source, setting.span, message, Some(help));
                continue;
            };
            for (name, span, value, _) in &setting.parameters {
                let Some(parameter) = rule.parameter(name) else {
                    let help = if rule.parameters.is_empty() {
                        format!("`{}` has no parameters", rule.id)
                    } else {
                        suggest::help_for(name, rule.parameters.iter().map(|p| p.name.as_str()))
                    };
                    let message = format!("rule `{}` has no parameter `{name}`", rule.id);
                    push(Code::UnknownPolicyPath, profile, source, *span, message, Some(help));
                    continue;
                };
                for (span, message, help) in unoffered(&rule.id, parameter, value) {
                    push(Code::UnknownPolicyPath, profile, source, span, message, Some(help));
                }
                if type_of(&value.value) != type_of(&parameter.default.value) {
                    let message = format!(
                        "parameter `{name}` of `{}` is {}, and this value is {}",
                        rule.id,
                        type_of(&parameter.default.value),
                        type_of(&value.value)
                    );
                    let help = Some(format!("`consentlint explain {}` describes its parameters", rule.id));
                    push(Code::MalformedPolicy, profile, source, value.span, message, help);
                }
            }
        }
        for (at, control) in profile.controls.iter().enumerate() {
            if profile.controls.iter().take(at).any(|c| c.id == control.id) {
                let span = control.rules.first().map_or(profile.span, |(_, span)| *span);
                let message =
                    format!("control `{}` is listed twice in profile `{}`", control.id, profile.name);
                let help = Some("list each control once, with every rule it rests on".to_owned());
                push(Code::DuplicateRuleId, profile, source, span, message, help);
            }
        }
        if loops(profiles, profile) {
            continue;
        }
        let Some(resolved) = resolve(profiles, &profile.name) else { continue };
        for control in &profile.controls {
            for (id, span) in control.rules.iter().chain(&control.stricter) {
                if !resolved.rules.contains_key(id) {
                    let message =
                        format!("control `{}` names rule `{id}`, which the profile does not run", control.id);
                    let help = Some(format!("add `{id}: {{}}` under `rules:`, or name another rule"));
                    push(Code::MalformedPolicy, profile, source, *span, message, help);
                }
            }
        }
    }
    found
}

/// The values of `value` (its items, for a list) that `parameter` does not offer, each with its
/// message and a "did you mean" help; none when the rule lists no values.
fn unoffered(rule: &str, parameter: &crate::policy::Parameter, value: &Node) -> Vec<(Span, String, String)> {
    if parameter.values.is_empty() {
        return Vec::new();
    }
    let shown = |v: &Value| match v {
        Value::String(text) => text.clone(),
        other => format!("{other:?}"),
    };
    let allowed: Vec<String> = parameter.values.iter().map(shown).collect();
    let given: Vec<&Node> = match &value.value {
        Value::Seq(items) => items.iter().collect(),
        _ => vec![value],
    };
    given
        .into_iter()
        .filter(|item| !parameter.values.contains(&item.value))
        .map(|item| {
            let text = shown(&item.value);
            let help = suggest::help_for(&text, allowed.iter().map(String::as_str));
            let message = format!("`{text}` is not a value of parameter `{}` of `{rule}`", parameter.name);
            (item.span, message, help)
        })
        .collect()
}

/// Whether following `extends` from `profile` comes back to a profile already seen.
fn loops(profiles: &[Profile], profile: &Profile) -> bool {
    let mut seen = vec![profile.name.as_str()];
    let mut next = profile.extends.as_ref().map(|(n, _)| n.as_str());
    while let Some(name) = next {
        if seen.contains(&name) {
            return true;
        }
        seen.push(name);
        next = profiles
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.extends.as_ref().map(|(n, _)| n.as_str()));
    }
    false
}

/// The type of a parameter value, as messages name it.
fn type_of(value: &Value) -> &'static str {
    match value {
        Value::Bool(_) => "a boolean",
        Value::Int(_) | Value::Float(_) => "a number",
        Value::String(_) => "a string",
        Value::Seq(_) => "a list",
        Value::Map(_) => "a mapping",
        Value::Null => "null",
    }
}
