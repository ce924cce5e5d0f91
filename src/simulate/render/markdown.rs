//! `--format markdown`: for a pull-request comment or a job summary. A table with one row per app
//! (outcome, why, reviewers, rules, the smallest change), then the permissions that need an
//! administrator, one row each, and how many apps have each outcome. Cells are escaped as `check`'s
//! Markdown escapes them.

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::render::markdown_cell as cell;
use crate::simulate::{AppOutcome, Change, Grantor, Simulation};

pub(super) fn render(simulation: &Simulation, out: &mut dyn Write) -> io::Result<()> {
    let mut text = String::new();
    let Some(tenant) = &simulation.tenant else {
        out.write_all(b"## consentlint simulate\n\nNo simulation: the tenant is not valid.\n")?;
        return Ok(());
    };
    let _ = writeln!(text, "## consentlint simulate: tenant {}\n", cell(&format!("`{tenant}`")));
    let _ = writeln!(text, "**{}**\n", super::human::summary(simulation));
    if simulation.apps.is_empty() {
        return out.write_all(text.as_bytes());
    }
    text.push_str("| App | Outcome | Why | Reviewers | Rules | Smallest change to a consent prompt |\n");
    text.push_str("| --- | --- | --- | --- | --- | --- |\n");
    for app in &simulation.apps {
        row(&mut text, app);
    }
    let rows: Vec<String> = simulation
        .apps
        .iter()
        .flat_map(|app| {
            app.permissions.iter().filter(|p| p.grantable_by != Grantor::User).map(move |p| {
                let mut reasons: Vec<String> = p.reasons.iter().map(|r| cell(&r.message)).collect();
                reasons.extend(
                    p.undecided
                        .iter()
                        .map(|label| cell(&format!("{label}: not stated in the tenant's files"))),
                );
                format!(
                    "| {} | {} | {} | {} | {} |\n",
                    cell(&format!("`{}`", app.app)),
                    cell(&format!("`{}`", p.name)),
                    cell(&p.kind),
                    p.grantable_by.as_str(),
                    reasons.join("<br>")
                )
            })
        })
        .collect();
    if !rows.is_empty() {
        text.push_str("\n### Permissions a user cannot grant\n\n");
        text.push_str("| App | Permission | Type | Granted by | Why |\n| --- | --- | --- | --- | --- |\n");
        text.extend(rows);
    }
    out.write_all(text.as_bytes())
}

fn row(text: &mut String, app: &AppOutcome) {
    let name = cell(&format!("`{}`", app.app));
    let file = cell(&format!("`{}`", app.file));
    let reviewers: Vec<String> = app
        .reviewers
        .iter()
        .map(|r| cell(&format!("{} `{}`{}", r.kind, r.name, super::human::approves(r.can_approve))))
        .collect();
    let changes: Vec<String> = app.changes.iter().map(change).collect();
    let changes = if changes.is_empty() {
        match app.outcome {
            crate::simulate::Outcome::ApprovalRequired | crate::simulate::Outcome::Blocked => {
                super::no_change(app).to_owned()
            }
            _ => "—".to_owned(),
        }
    } else {
        changes.join("<br>")
    };
    let _ = writeln!(
        text,
        "| {name}<br>{file} | **{}** | {} | {} | {} | {changes} |",
        app.outcome.as_str(),
        match &app.group_owner {
            Some(owner) => format!(
                "{}<br>for a team owner: {}: {}",
                cell(&app.reason),
                owner.outcome.as_str(),
                cell(&owner.reason)
            ),
            None => cell(&app.reason),
        },
        if reviewers.is_empty() { "—".to_owned() } else { reviewers.join("<br>") },
        if app.rules.is_empty() { "—".to_owned() } else { app.rules.join(", ") },
    );
}

fn change(change: &Change) -> String {
    let steps: Vec<String> = change.steps.iter().map(|s| cell(&s.text)).collect();
    let mut text = format!("**{}**: {}", change.on.as_str(), steps.join("; "));
    if !change.trade_offs.is_empty() {
        let rules: Vec<String> =
            change.trade_offs.iter().map(|t| format!("{} {}", t.severity.as_str(), cell(&t.rule))).collect();
        let _ = write!(text, " (then {})", rules.join(", "));
    }
    if !change.resolves.is_empty() {
        let rules: Vec<String> =
            change.resolves.iter().map(|t| format!("{} {}", t.severity.as_str(), cell(&t.rule))).collect();
        let _ = write!(text, " (resolves {})", rules.join(", "));
    }
    text
}
