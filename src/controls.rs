//! Judging the controls of a profile from a settled report: each control's verdict is the worst
//! of its rules' (fail, then not judgeable, then pass), and a control whose rules applied to
//! nothing is not applicable. Nothing here knows a baseline: the controls and their rules are the
//! profile's data.

use crate::kind::Kind;
use crate::policy::PolicySet;
use crate::policy::profile::Resolved;
use crate::report::{ControlFinding, ControlVerdict, Controls, Report, Status};

/// The controls view of `report` under `profile`; `policies` are the rules that ran.
#[must_use]
pub fn judge(profile: &Resolved, report: &Report, policies: &PolicySet, chosen: bool) -> Controls {
    let controls = profile
        .controls
        .iter()
        .map(|control| {
            let rules: Vec<String> = control.rules.iter().map(|(id, _)| id.clone()).collect();
            let findings: Vec<ControlFinding> = report
                .diagnostics
                .iter()
                .filter(|d| rules.contains(&d.code))
                .map(|d| ControlFinding {
                    code: d.code.clone(),
                    file: d.source.name().to_owned(),
                    line: d.start().map(|p| p.line),
                    suppressed: d.suppression.is_some(),
                })
                .collect();
            let (status, reason) =
                if findings.is_empty() { verdict(&rules, report, policies) } else { (Status::Fail, None) };
            ControlVerdict {
                id: control.id.clone(),
                title: control.title.clone(),
                status,
                rules,
                reason,
                findings,
            }
        })
        .collect();
    Controls { profile: profile.name.clone(), title: profile.title.clone(), controls, chosen }
}

/// The verdict of a control none of whose rules found anything, and why when it is not a pass.
fn verdict(rules: &[String], report: &Report, policies: &PolicySet) -> (Status, Option<String>) {
    let coverage = &report.coverage;
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
        (Status::NotApplicable, Some("no document checked is one its rules apply to".to_owned()))
    }
}
