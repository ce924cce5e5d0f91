//! The consent model: `data/simulate/consent-model.yaml`, rules in the policy language compiled
//! once, and what they say of one app in one tenant.
//!
//! Each rule is a reason that applies where its assertion fails. Rules `SIM-P…` judge each
//! permission (`for-each: spec.permissions`), `SIM-A…` the app as a whole, `SIM-R…` whether a
//! request for approval reaches a reviewer. This module only runs them and sorts what they say;
//! the decisions are in the file.

use std::sync::Arc;

use crate::catalog::Catalog;
use crate::consent::Bundled;
use crate::engine::probe::{self, Given};
use crate::error::Error;
use crate::policy::{PolicySet, Rule};
use crate::schema::Schemas;
use crate::source::SourceFile;
use crate::validate::CheckedDocument;
use crate::yaml::Value;

use super::Reason;

/// Where the model is, as diagnostics about it name it.
const NAME: &str = "data/simulate/consent-model.yaml";
const TEXT: &str = include_str!("../../data/simulate/consent-model.yaml");

/// What a rule of the model is about, from its id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    /// `SIM-P…`: one permission needs an administrator.
    Permission,
    /// `SIM-A…`: the app as a whole needs an administrator.
    App,
    /// `SIM-R…`: a request for approval reaches no reviewer.
    Recourse,
}

/// The compiled model.
pub(super) struct Model {
    policies: PolicySet,
    /// The consent facts: built-in grant policies, step-up, approvers.
    consent: &'static Bundled,
    parts: Vec<Part>,
    /// For each rule, the rules of the built-in pack among its references.
    rules: Vec<Vec<String>>,
}

/// What the model says of one permission.
#[derive(Clone, Debug, Default)]
pub(super) struct PermissionVerdict {
    /// The reasons that apply.
    pub reasons: Vec<Reason>,
    /// The labels of the reasons that could not be decided.
    pub undecided: Vec<String>,
}

impl PermissionVerdict {
    /// Whether a user may grant the permission.
    pub(super) fn user_grantable(&self) -> bool {
        self.reasons.is_empty() && self.undecided.is_empty()
    }
}

/// What the model says of one app in one tenant.
#[derive(Clone, Debug, Default)]
pub(super) struct Verdict {
    /// One per permission, in manifest order.
    pub permissions: Vec<PermissionVerdict>,
    /// Why the app as a whole needs an administrator.
    pub app: Vec<Reason>,
    /// Why no request reaches a reviewer.
    pub recourse: Vec<Reason>,
    /// Labels of app reasons that could not be decided.
    pub app_undecided: Vec<String>,
    /// Labels of recourse reasons that could not be decided.
    pub recourse_undecided: Vec<String>,
}

impl Model {
    /// Compiles the bundled model.
    ///
    /// # Errors
    /// When the bundled model does not compile or breaks its conventions: a bug in consentlint.
    pub(super) fn load(schemas: &Schemas) -> Result<Self, Error> {
        let policies = PolicySet::bundled(NAME, TEXT, schemas).map_err(|error| match error {
            Error::Inputs(found) => {
                let first = found.first().map_or_else(String::new, |d| d.message.clone());
                Error::Internal(format!("the consent model does not compile: {first}"))
            }
            other => other,
        })?;
        let builtin: Vec<&str> = PolicySet::builtin_names().into_iter().map(|(id, _)| id).collect();
        let mut parts = Vec::new();
        let mut rules = Vec::new();
        for rule in &policies.rules {
            parts.push(part(rule)?);
            let mut explaining: Vec<String> = rule
                .references
                .iter()
                .filter(|r| builtin.contains(&r.id.as_str()))
                .map(|r| r.id.clone())
                .collect();
            explaining.sort();
            rules.push(explaining);
        }
        let consent = crate::consent::bundled().map_err(Error::Internal)?;
        Ok(Self { policies, consent, parts, rules })
    }

    /// Judges `app` (read from `source`) in `tenant`. With `only`, permissions other than that one
    /// are not judged and keep empty verdicts.
    pub(super) fn judge(
        &self,
        catalog: &Catalog,
        source: &Arc<SourceFile>,
        app: &CheckedDocument,
        tenant: Given<'_>,
        only: Option<usize>,
    ) -> Verdict {
        let count = match app.root.get("spec").and_then(|s| s.get("permissions")).map(|p| &p.value) {
            Some(Value::Seq(items)) => items.len(),
            _ => 0,
        };
        let mut verdict =
            Verdict { permissions: vec![PermissionVerdict::default(); count], ..Verdict::default() };
        let judged = probe::judge(&self.policies, catalog, source, app, Some(tenant), only);
        for found in judged.found {
            let (Some(rule), Some(part)) = (self.policies.rules.get(found.rule), self.parts.get(found.rule))
            else {
                continue;
            };
            let reason = Reason {
                id: rule.name.clone(),
                label: rule.summary.clone(),
                message: found.diagnostic.message,
                help: found.diagnostic.help,
                rules: self.rules.get(found.rule).cloned().unwrap_or_default(),
            };
            match (part, found.element.and_then(|e| verdict.permissions.get_mut(e))) {
                (Part::Permission, Some(permission)) => permission.reasons.push(reason),
                (Part::Permission, None) => {}
                (Part::App, _) => verdict.app.push(reason),
                (Part::Recourse, _) => verdict.recourse.push(reason),
            }
        }
        for (index, element) in judged.unknown {
            let (Some(rule), Some(part)) = (self.policies.rules.get(index), self.parts.get(index)) else {
                continue;
            };
            let label = rule.summary.clone();
            match (part, element.and_then(|e| verdict.permissions.get_mut(e))) {
                (Part::Permission, Some(permission)) => permission.undecided.push(label),
                (Part::Permission, None) => {}
                (Part::App, _) => verdict.app_undecided.push(label),
                (Part::Recourse, _) => verdict.recourse_undecided.push(label),
            }
        }
        super::policies::judge(self.consent, catalog, app, tenant.document, only, &mut verdict);
        verdict
    }

    /// The bundled consent facts.
    pub(super) const fn consent(&self) -> &'static Bundled {
        self.consent
    }
}

/// What a rule of the model is about, from its id; every rule must say.
fn part(rule: &Rule) -> Result<Part, Error> {
    let part = match rule.id.get(..5) {
        Some("SIM-P") => Part::Permission,
        Some("SIM-A") => Part::App,
        Some("SIM-R") => Part::Recourse,
        _ => return Err(Error::Internal(format!("consent model rule `{}` has no part", rule.id))),
    };
    if (part == Part::Permission) != rule.for_each.is_some() {
        return Err(Error::Internal(format!("consent model rule `{}` and its `for-each` disagree", rule.id)));
    }
    Ok(part)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_model_compiles_and_names_existing_rules() {
        let model = Model::load(&Schemas::new()).unwrap();
        assert_eq!(model.parts.iter().filter(|p| **p == Part::Permission).count(), 4);
        let builtin: Vec<&str> = PolicySet::builtin_names().into_iter().map(|(id, _)| id).collect();
        for (rule, explaining) in model.policies.rules.iter().zip(&model.rules) {
            let named: Vec<&str> =
                rule.references.iter().map(|r| r.id.as_str()).filter(|id| id.starts_with("CL-")).collect();
            assert_eq!(named.len(), explaining.len(), "{} names a rule that is not built in", rule.id);
            assert!(explaining.iter().all(|id| builtin.contains(&id.as_str())));
        }
    }
}
