//! `--format human`: one block per app, saying what a user meets, why, who can grant each
//! permission, the rules behind it and the changes that would let the user consent; then, for a
//! directory, how many apps have each outcome. Text from the user's files is made safe for a
//! terminal.

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::render::neutralise;
use crate::simulate::{AppOutcome, Change, Grantor, Outcome, Permission, Side, Simulation};

pub(super) fn render(simulation: &Simulation, out: &mut dyn Write) -> io::Result<()> {
    let mut text = String::new();
    match &simulation.tenant {
        Some(tenant) => {
            let _ = writeln!(text, "consent simulation in tenant `{}`", neutralise(tenant));
        }
        None => {
            let _ = writeln!(text, "no simulation: the tenant is not valid");
        }
    }
    for app in &simulation.apps {
        text.push('\n');
        block(&mut text, app);
    }
    if simulation.summarise || simulation.apps.len() > 1 {
        text.push('\n');
        let _ = writeln!(text, "{}", summary(simulation));
    }
    out.write_all(text.as_bytes())
}

/// `7 apps: 1 consent-prompt, 6 approval-required`.
pub(super) fn summary(simulation: &Simulation) -> String {
    let apps = simulation.apps.len();
    let counts: Vec<String> =
        simulation.counts().iter().map(|(outcome, count)| format!("{count} {}", outcome.as_str())).collect();
    let noun = if apps == 1 { "app" } else { "apps" };
    if counts.is_empty() { format!("{apps} {noun}") } else { format!("{apps} {noun}: {}", counts.join(", ")) }
}

fn block(text: &mut String, app: &AppOutcome) {
    let document = if app.document > 0 { format!(", document {}", app.document) } else { String::new() };
    let _ = writeln!(text, "{} ({}{document})", neutralise(&app.app), neutralise(&app.file));
    if let Some(named) = &app.names_tenant {
        let _ = writeln!(
            text,
            "  note: the app names tenant `{}`; it is simulated in this one",
            neutralise(named)
        );
    }
    let _ = writeln!(text, "  outcome: {}", app.outcome.as_str());
    let _ = writeln!(text, "  why: {}", neutralise(&app.reason));
    if let Some(owner) = &app.group_owner {
        let _ =
            writeln!(text, "  for a team owner: {}: {}", owner.outcome.as_str(), neutralise(&owner.reason));
    }
    if !app.reviewers.is_empty() {
        let reviewers: Vec<String> = app
            .reviewers
            .iter()
            .map(|r| format!("{} `{}`{}", r.kind, neutralise(&r.name), approves(r.can_approve)))
            .collect();
        let _ = writeln!(text, "  reviewers: {}", reviewers.join(", "));
    }
    if !app.rules.is_empty() {
        let _ = writeln!(text, "  rules: {}", app.rules.join(", "));
    }
    // Their messages are in `why`; what would remove them is not.
    for help in app.app_reasons.iter().filter_map(|r| r.help.as_ref()) {
        let _ = writeln!(text, "  help: {}", neutralise(help));
    }
    for help in app.recourse.iter().filter_map(|r| r.help.as_ref()) {
        let _ = writeln!(text, "  to let users ask for approval instead: {}", neutralise(help));
    }
    if !app.permissions.is_empty() {
        let _ = writeln!(text, "  permissions:");
        for permission in &app.permissions {
            self::permission(text, permission);
        }
    }
    if !app.changes.is_empty() {
        let _ = writeln!(text, "  to make it a consent prompt, change:");
        for change in &app.changes {
            self::change(text, change);
        }
    } else if matches!(app.outcome, Outcome::ApprovalRequired | Outcome::Blocked) {
        let _ = writeln!(text, "  {}", super::no_change(app));
    }
}

fn permission(text: &mut String, permission: &Permission) {
    let own = super::reach(permission);
    let granted = match permission.grantable_by {
        Grantor::User => "a user can grant it",
        Grantor::Admin => "only an administrator can grant it",
        Grantor::Unknown => "who can grant it is not known",
    };
    let _ = writeln!(
        text,
        "    `{}` ({}, {}): {granted}; {own}",
        neutralise(&permission.name),
        neutralise(&permission.kind),
        neutralise(&permission.resource)
    );
    for reason in &permission.reasons {
        let _ = writeln!(text, "      - {}: {}", reason.label, neutralise(&reason.message));
    }
    for label in &permission.undecided {
        let _ = writeln!(text, "      - {label}: not stated in the tenant's files");
    }
}

fn change(text: &mut String, change: &Change) {
    let whom = match change.on {
        Side::Tenant => "the tenant",
        Side::App => "the app",
        Side::Both => "the tenant and the app",
    };
    let _ = writeln!(text, "    {whom}:");
    for step in &change.steps {
        let _ = writeln!(text, "      - {}", neutralise(&step.text));
        if let Some(cost) = &step.cost {
            let _ = writeln!(text, "        cost: {}", neutralise(cost));
        }
    }
    for (word, listed) in [("then", &change.trade_offs), ("resolves", &change.resolves)] {
        for finding in listed {
            let _ = writeln!(
                text,
                "      {word} {}[{}]: {}",
                finding.severity.as_str(),
                finding.rule,
                neutralise(&finding.message)
            );
        }
    }
}

/// Whether a reviewer can approve, in words.
pub(super) const fn approves(can: Option<bool>) -> &'static str {
    match can {
        Some(true) => " (can approve)",
        Some(false) => " (cannot approve: the role may not grant what is asked)",
        None => " (whether they can approve is not in the files)",
    }
}
