//! Judging the controls of a profile from a settled report: each control's verdict is the worst
//! of its rules' (fail, then not judgeable, then pass), and a control whose rules applied to
//! nothing is not applicable. Over a run of several tenants, each tenant's controls are judged too,
//! from its own findings and what the engine saw of it. Nothing here knows a baseline: the controls
//! and their rules are the profile's data.

use std::collections::BTreeMap;

use crate::diagnostic::Diagnostic;
use crate::kind::Kind;
use crate::policy::PolicySet;
use crate::policy::profile::Resolved;
use crate::report::{ControlFinding, ControlVerdict, Controls, Coverage, Report, Status, TenantControls};

/// The controls view of `report` under `profile`; `policies` are the rules that ran.
#[must_use]
pub fn judge(profile: &Resolved, report: &Report, policies: &PolicySet, chosen: bool) -> Controls {
    let all: Vec<&Diagnostic> = report.diagnostics.iter().collect();
    let controls = verdicts(profile, &all, &report.coverage, policies);
    let tenants = if report.coverage.tenants.len() > 1 {
        // Each tenant's findings, gathered in one pass: judging each tenant from all the findings
        // would grow with the square of the tenants.
        let mut by_tenant: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
        for diagnostic in &report.diagnostics {
            if let Some(tenant) = diagnostic.tenant.as_deref() {
                by_tenant.entry(tenant).or_default().push(diagnostic);
            }
        }
        report
            .coverage
            .tenants
            .iter()
            .map(|(tenant, coverage)| {
                let own = by_tenant.get(tenant.as_str()).map_or(&[][..], Vec::as_slice);
                TenantControls {
                    tenant: tenant.clone(),
                    controls: verdicts(profile, own, coverage, policies),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    Controls { profile: profile.name.clone(), title: profile.title.clone(), controls, tenants, chosen }
}

/// Each control's verdict from the findings `counted` and what `coverage` says of its rules.
fn verdicts(
    profile: &Resolved,
    counted: &[&Diagnostic],
    coverage: &Coverage,
    policies: &PolicySet,
) -> Vec<ControlVerdict> {
    profile
        .controls
        .iter()
        .map(|control| {
            let required: Vec<String> = control.rules.iter().map(|(id, _)| id.clone()).collect();
            let stricter: Vec<String> = control.stricter.iter().map(|(id, _)| id.clone()).collect();
            let rules: Vec<String> = required.iter().chain(&stricter).cloned().collect();
            let findings: Vec<ControlFinding> = counted
                .iter()
                .filter(|d| rules.contains(&d.code))
                .map(|d| ControlFinding {
                    code: d.code.clone(),
                    file: d.source.name().to_owned(),
                    line: d.start().map(|p| p.line),
                    suppressed: d.suppression.is_some(),
                })
                .collect();
            let (status, reason) = if findings.is_empty() {
                match verdict(&rules, coverage, policies) {
                    (Status::NotJudgeable, why) => stricter_aside(&required, &stricter, coverage, policies)
                        .unwrap_or((Status::NotJudgeable, why)),
                    decided => decided,
                }
            } else {
                (Status::Fail, None)
            };
            ControlVerdict {
                id: control.id.clone(),
                title: control.title.clone(),
                url: control.url.clone().or_else(|| profile.url.clone()),
                status,
                rules,
                reason,
                findings,
            }
        })
        .collect()
}

/// When only rules stricter than the baseline's own tool could not be judged, the verdict of the
/// others, with a reason naming what was not judged; `None` when a rule the baseline reads itself
/// was not judged either.
fn stricter_aside(
    required: &[String],
    stricter: &[String],
    coverage: &Coverage,
    policies: &PolicySet,
) -> Option<(Status, Option<String>)> {
    let unjudged: Vec<&String> = stricter.iter().filter(|id| coverage.not_judged.contains_key(*id)).collect();
    if unjudged.is_empty() {
        return None;
    }
    let judged: Vec<String> = stricter.iter().filter(|id| !unjudged.contains(id)).cloned().collect();
    let rules: Vec<String> = required.iter().cloned().chain(judged).collect();
    let (status, reason) = verdict(&rules, coverage, policies);
    if status == Status::NotJudgeable {
        return None;
    }
    let why: Vec<&str> =
        unjudged.iter().filter_map(|id| coverage.not_judged.get(*id).map(String::as_str)).collect();
    let aside = format!(
        "judged as the baseline's own tool judges it; the stricter checks were not judged: {}",
        why.join("; ")
    );
    Some((status, Some(reason.map_or(aside.clone(), |reason| format!("{reason}; {aside}")))))
}

/// The verdict of a control none of whose rules found anything, and why when it is not a pass.
fn verdict(rules: &[String], coverage: &Coverage, policies: &PolicySet) -> (Status, Option<String>) {
    for id in rules {
        if let Some(why) = coverage.not_judged.get(id) {
            return (Status::NotJudgeable, Some(why.clone()));
        }
        let Some(rule) = policies.rule(id) else {
            return (Status::NotJudgeable, Some(format!("`{id}` is turned off in this run")));
        };
        if !coverage.judged.contains(id) && rule.target == Kind::TenantConfig {
            return (
                Status::NotJudgeable,
                Some(format!("`{id}` judges tenants, and no valid tenant was judged")),
            );
        }
    }
    if rules.iter().any(|id| coverage.applied.contains(id)) {
        (Status::Pass, None)
    } else {
        let named: Vec<String> = rules.iter().map(|id| format!("`{id}`")).collect();
        let (named, verb) = match named.as_slice() {
            [one] => (one.clone(), "applies"),
            [rest @ .., last] => (format!("{} and {last}", rest.join(", ")), "apply"),
            [] => (String::from("no rule"), "applies"),
        };
        // Its `when` left out every document checked, or the lists it judges are empty.
        (Status::NotApplicable, Some(format!("{named} {verb} to no document checked")))
    }
}
