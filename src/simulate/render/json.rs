//! `--format json`: one object, `{"version": 1, "tenant", "apps": […], "outcomes", "diagnostics"}`.
//! `diagnostics` holds the invalid inputs exactly as `check --format json` lists them.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::simulate::{AppOutcome, Change, Outcome, Permission, Reason, Simulation};

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    tenant: Option<&'a str>,
    apps: Vec<Entry<'a>>,
    outcomes: BTreeMap<&'static str, usize>,
    diagnostics: serde_json::Value,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Entry<'a> {
    app: &'a str,
    file: &'a str,
    document: usize,
    outcome: &'static str,
    reason: &'a str,
    reviewers: Vec<Reviewer<'a>>,
    permissions: Vec<Item<'a>>,
    app_reasons: Vec<Why<'a>>,
    recourse: Vec<Why<'a>>,
    rules: &'a [String],
    changes: Vec<Plan<'a>>,
    group_owner: Option<Owner<'a>>,
}

#[derive(Serialize)]
struct Owner<'a> {
    outcome: &'static str,
    reason: &'a str,
}

#[derive(Serialize)]
struct Reviewer<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    name: &'a str,
    #[serde(rename = "canApprove")]
    can_approve: Option<bool>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Item<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    resource: &'a str,
    grantable_by: &'static str,
    own_data_only: Option<bool>,
    reasons: Vec<Why<'a>>,
    undecided: &'a [String],
}

#[derive(Serialize)]
struct Why<'a> {
    id: &'a str,
    label: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    rules: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Plan<'a> {
    on: &'static str,
    steps: Vec<Step<'a>>,
    trade_offs: Vec<TradeOff<'a>>,
    resolves: Vec<TradeOff<'a>>,
}

#[derive(Serialize)]
struct Step<'a> {
    on: &'static str,
    action: &'static str,
    permission: Option<&'a str>,
    text: &'a str,
    cost: Option<&'a str>,
}

#[derive(Serialize)]
struct TradeOff<'a> {
    rule: &'a str,
    severity: &'static str,
    message: &'a str,
}

pub(super) fn render(simulation: &Simulation, out: &mut dyn Write) -> io::Result<()> {
    let diagnostics = crate::render::json_diagnostics(&simulation.problems)?;
    let output = Output {
        version: 1,
        tenant: simulation.tenant.as_deref(),
        apps: simulation.apps.iter().map(app).collect(),
        outcomes: Outcome::ALL
            .into_iter()
            .map(|outcome| {
                (outcome.as_str(), simulation.apps.iter().filter(|a| a.outcome == outcome).count())
            })
            .collect(),
        diagnostics,
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    writeln!(out)
}

fn app(app: &AppOutcome) -> Entry<'_> {
    Entry {
        group_owner: app
            .group_owner
            .as_ref()
            .map(|o| Owner { outcome: o.outcome.as_str(), reason: &o.reason }),
        app: &app.app,
        file: &app.file,
        document: app.document,
        outcome: app.outcome.as_str(),
        reason: &app.reason,
        reviewers: app
            .reviewers
            .iter()
            .map(|r| Reviewer { kind: &r.kind, name: &r.name, can_approve: r.can_approve })
            .collect(),
        permissions: app.permissions.iter().map(item).collect(),
        app_reasons: app.app_reasons.iter().map(why).collect(),
        recourse: app.recourse.iter().map(why).collect(),
        rules: &app.rules,
        changes: app.changes.iter().map(plan).collect(),
    }
}

fn item(permission: &Permission) -> Item<'_> {
    Item {
        name: &permission.name,
        kind: &permission.kind,
        resource: &permission.resource,
        grantable_by: permission.grantable_by.as_str(),
        own_data_only: permission.own_data_only,
        reasons: permission.reasons.iter().map(why).collect(),
        undecided: &permission.undecided,
    }
}

fn why(reason: &Reason) -> Why<'_> {
    Why {
        id: &reason.id,
        label: &reason.label,
        message: &reason.message,
        help: reason.help.as_deref(),
        rules: &reason.rules,
    }
}

fn plan(change: &Change) -> Plan<'_> {
    Plan {
        on: change.on.as_str(),
        steps: change
            .steps
            .iter()
            .map(|s| Step {
                on: s.on.as_str(),
                action: s.action,
                permission: s.permission.as_deref(),
                text: &s.text,
                cost: s.cost.as_deref(),
            })
            .collect(),
        trade_offs: change
            .trade_offs
            .iter()
            .map(|t| TradeOff { rule: &t.rule, severity: t.severity.as_str(), message: &t.message })
            .collect(),
        resolves: change
            .resolves
            .iter()
            .map(|t| TradeOff { rule: &t.rule, severity: t.severity.as_str(), message: &t.message })
            .collect(),
    }
}
