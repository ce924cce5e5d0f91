//! The controls view of a run: each control of the profile's baseline with its verdict and the
//! findings behind it, and what the engine saw of each rule to decide it ([`Coverage`]).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

/// The verdict on one control.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Every rule of the control ran and found nothing.
    Pass,
    /// A rule of the control has a finding (suppressed and baselined findings count).
    Fail,
    /// No rule of the control applied to anything in the run.
    NotApplicable,
    /// A rule of the control could not be run: a value it reads is not in the inputs, no document
    /// it judges is in the run, or the run turned it off. Never a pass.
    NotJudgeable,
}

impl Status {
    /// As the outputs write it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::NotApplicable => "not applicable",
            Self::NotJudgeable => "not judgeable",
        }
    }
}

/// A finding behind a control's verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ControlFinding {
    /// The rule.
    pub code: String,
    /// The file, as the diagnostics name it.
    pub file: String,
    /// 1-based line, when the finding has a place.
    pub line: Option<usize>,
    /// Whether an inline suppression or the baseline hides it.
    pub suppressed: bool,
}

/// One control and its verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ControlVerdict {
    /// As the baseline writes it.
    pub id: String,
    /// What it requires.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Where the baseline states it: the control's own `url`, else the profile's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The verdict.
    pub status: Status,
    /// The rules behind it.
    pub rules: Vec<String>,
    /// Why it is not judgeable or not applicable, one sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The findings that fail it.
    pub findings: Vec<ControlFinding>,
}

/// The controls of the profile a run judged by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Controls {
    /// The profile's name.
    pub profile: String,
    /// The baseline it follows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// In the baseline's order; over every tenant of the run, each control as its worst verdict.
    pub controls: Vec<ControlVerdict>,
    /// When the run judged several tenants, the controls of each, by name: how a compliance
    /// reviewer reads one tenant.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tenants: Vec<TenantControls>,
    /// Whether the run chose the profile (`--profile`, `profile:`): the text and JSON formats
    /// then show the controls; `--format controls` shows them always.
    #[serde(skip)]
    pub chosen: bool,
}

/// The controls of one tenant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TenantControls {
    /// The tenant's name.
    pub tenant: String,
    /// Its controls, in the baseline's order.
    pub controls: Vec<ControlVerdict>,
}

impl Controls {
    /// How many controls have `status`.
    #[must_use]
    pub fn count(&self, status: Status) -> usize {
        self.controls.iter().filter(|c| c.status == status).count()
    }

    /// One line: `controls (scuba): 1 pass, 1 fail, 1 not judgeable`.
    #[must_use]
    pub fn sentence(&self) -> String {
        let counts: Vec<String> = [Status::Pass, Status::Fail, Status::NotApplicable, Status::NotJudgeable]
            .into_iter()
            .filter(|s| self.count(*s) > 0)
            .map(|s| format!("{} {}", self.count(s), s.as_str()))
            .collect();
        let counts = if counts.is_empty() { "none".to_owned() } else { counts.join(", ") };
        format!("controls ({}): {counts}", self.profile)
    }
}

/// What the engine saw of each rule on the documents checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Rules run on at least one document.
    pub judged: BTreeSet<String>,
    /// Rules whose `when` held in at least one scope.
    pub applied: BTreeSet<String>,
    /// Rules not run on some document for lack of a value, with that value.
    pub not_judged: BTreeMap<String, String>,
    /// The same, for each tenant by name (a tenant, and the apps judged against it).
    pub tenants: BTreeMap<String, Coverage>,
}
