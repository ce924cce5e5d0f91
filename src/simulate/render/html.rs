//! `--format html`: the simulation as one self-contained page, laid out by `check`'s HTML report
//! (`crate::render::html`): the header, the inputs that are not valid (as `check` shows
//! findings), a table of the apps (outcome, why, the smallest change), then each app: who can grant
//! each permission and why, the reviewers, and every change that would let a user consent with
//! what it costs.

use std::io::{self, Write};

use crate::render::About;
use crate::render::html::markup::{Badge, Cell, Html};
use crate::render::html::page::Page;
use crate::render::html::{severity_badge, write_findings};
use crate::simulate::{AppOutcome, Change, Grantor, Outcome, Simulation};

pub(super) fn render(simulation: &Simulation, about: &About, out: &mut dyn Write) -> io::Result<()> {
    let mut about = about.clone();
    about.tenants = simulation.tenant.iter().cloned().collect();
    let mut counts: Vec<(usize, &'static str)> = vec![(simulation.apps.len(), "apps")];
    for outcome in Outcome::ALL {
        let count = simulation.apps.iter().filter(|app| app.outcome == outcome).count();
        counts.push((count, outcome.as_str()));
    }
    let problems = simulation.problems.visible().count();
    if problems > 0 {
        counts.push((problems, "problems in the inputs"));
    }
    let mut page = Page::new("consentlint simulate", &about, verdict(simulation), counts);
    if problems > 0 {
        let title = format!("Inputs that are not valid ({problems})");
        page.section("findings", &title, |html| write_findings(html, &simulation.problems));
    }
    if !simulation.apps.is_empty() {
        page.section("apps", &format!("Apps ({})", simulation.apps.len()), |html| {
            apps_table(html, simulation);
        });
        page.section("details", "Each app", |html| {
            for (index, app) in simulation.apps.iter().enumerate() {
                app_details(html, index, app);
            }
        });
    }
    page.write(out)
}

/// The badge of an outcome: a word and a symbol.
fn outcome_badge(outcome: Outcome) -> Badge {
    match outcome {
        Outcome::ConsentPrompt => Badge { class: "pass", symbol: "✓", word: "consent-prompt" },
        Outcome::ApprovalRequired => Badge { class: "warn", symbol: "!", word: "approval-required" },
        Outcome::Blocked => Badge { class: "fail", symbol: "✗", word: "blocked" },
        Outcome::Undetermined => Badge { class: "nj", symbol: "?", word: "undetermined" },
    }
}

fn verdict(simulation: &Simulation) -> (Badge, String) {
    let Some(tenant) = &simulation.tenant else {
        return (
            Badge { class: "fail", symbol: "✗", word: "no simulation" },
            "the tenant is not valid".to_owned(),
        );
    };
    let worst = simulation.apps.iter().map(|app| app.outcome).max_by_key(|outcome| match outcome {
        Outcome::ConsentPrompt => 0,
        Outcome::Undetermined => 1,
        Outcome::ApprovalRequired => 2,
        Outcome::Blocked => 3,
    });
    let badge = worst.map_or(Badge { class: "na", symbol: "–", word: "no apps" }, outcome_badge);
    (badge, format!("in tenant `{tenant}`: {}", super::human::summary(simulation)))
}

fn apps_table(html: &mut Html, simulation: &Simulation) {
    let headers = ["App", "File", "Outcome", "Why", "Smallest change to a consent prompt"];
    let caption = "What a user meets on first opening each app, before an administrator has consented";
    html.table("apps sortable", caption, &headers, |html| {
        for (index, app) in simulation.apps.iter().enumerate() {
            let mut name = Html::new();
            name.link(&format!("#app{index}"), &app.app);
            let file = if app.document > 0 {
                format!("{} (document {})", app.file, app.document)
            } else {
                app.file.clone()
            };
            let mut change = Html::new();
            match app.changes.first() {
                Some(first) => write_change(&mut change, first),
                None if matches!(app.outcome, Outcome::ApprovalRequired | Outcome::Blocked) => {
                    change.prose(super::no_change(app));
                }
                None => {
                    change.raw("none needed");
                }
            }
            let badge = outcome_badge(app.outcome);
            html.row(
                badge.class,
                vec![
                    Cell::Html(name),
                    Cell::Code(&file),
                    Cell::Badge(badge),
                    Cell::Text(&app.reason),
                    Cell::Html(change),
                ],
            );
        }
    });
}

fn app_details(html: &mut Html, index: usize, app: &AppOutcome) {
    html.raw("<article class=\"app\" id=\"app").number(index).raw("\">\n<h3>").code(&app.app).raw(" ");
    html.badge(outcome_badge(app.outcome)).raw("</h3>\n<p class=\"at\">").code(&app.file);
    if app.document > 0 {
        html.raw(", document ").number(app.document);
    }
    html.raw("</p>\n");
    if let Some(named) = &app.names_tenant {
        html.raw("<p>The app names tenant ").code(named).raw("; it is simulated in this one.</p>\n");
    }
    html.raw("<p><strong>Why</strong>: ").prose(&app.reason).raw("</p>\n");
    if let Some(owner) = &app.group_owner {
        html.raw("<p><strong>For a team owner</strong>: ").badge(outcome_badge(owner.outcome)).raw(" ");
        html.prose(&owner.reason).raw("</p>\n");
    }
    for help in app.app_reasons.iter().filter_map(|r| r.help.as_ref()) {
        html.raw("<p class=\"help\"><strong>help</strong>: ").prose(help).raw("</p>\n");
    }
    for help in app.recourse.iter().filter_map(|r| r.help.as_ref()) {
        html.raw("<p class=\"help\"><strong>to let users ask for approval instead</strong>: ")
            .prose(help)
            .raw("</p>\n");
    }
    if !app.reviewers.is_empty() {
        html.raw("<p><strong>Reviewers</strong>: ");
        for (at, reviewer) in app.reviewers.iter().enumerate() {
            if at > 0 {
                html.raw(", ");
            }
            html.text(&reviewer.kind)
                .raw(" ")
                .code(&reviewer.name)
                .text(super::human::approves(reviewer.can_approve));
        }
        html.raw("</p>\n");
    }
    if !app.rules.is_empty() {
        html.raw("<p><strong>Rules</strong>: ").text(&app.rules.join(", ")).raw("</p>\n");
    }
    if !app.permissions.is_empty() {
        let caption = format!("Permissions of `{}` and who can grant them", app.app);
        let headers = ["Permission", "Type", "API", "Granted by", "Why"];
        html.table("permissions", &caption, &headers, |html| {
            for permission in &app.permissions {
                let badge = match permission.grantable_by {
                    Grantor::User => Badge { class: "pass", symbol: "✓", word: "user" },
                    Grantor::Admin => Badge { class: "warn", symbol: "!", word: "admin" },
                    Grantor::Unknown => Badge { class: "nj", symbol: "?", word: "unknown" },
                };
                let mut why = Html::new();
                why.text(super::reach(permission));
                for reason in &permission.reasons {
                    why.raw("<br>").text(&reason.label).raw(": ").prose(&reason.message);
                }
                for label in &permission.undecided {
                    why.raw("<br>").text(label).raw(": not stated in the tenant's files");
                }
                html.row(
                    "",
                    vec![
                        Cell::Code(&permission.name),
                        Cell::Text(&permission.kind),
                        Cell::Text(&permission.resource),
                        Cell::Badge(badge),
                        Cell::Html(why),
                    ],
                );
            }
        });
    }
    if app.changes.is_empty() {
        if matches!(app.outcome, Outcome::ApprovalRequired | Outcome::Blocked) {
            html.raw("<p>").prose(super::no_change(app)).raw("</p>\n");
        }
    } else {
        html.raw("<h4>To make it a consent prompt, change</h4>\n<ol class=\"changes\">\n");
        for change in &app.changes {
            html.raw("<li>");
            write_change(html, change);
            html.raw("</li>\n");
        }
        html.raw("</ol>\n");
    }
    html.raw("</article>\n");
}

/// A change: whom it edits, its steps with what each gives up, and what the rules would then report.
fn write_change(html: &mut Html, change: &Change) {
    html.raw("<strong>").raw(change.on.as_str()).raw("</strong>: ");
    for (at, step) in change.steps.iter().enumerate() {
        if at > 0 {
            html.raw("; ");
        }
        html.prose(&step.text);
        if let Some(cost) = &step.cost {
            html.raw(" (cost: ").prose(cost).raw(")");
        }
    }
    for (word, listed) in [("then", &change.trade_offs), ("resolves", &change.resolves)] {
        for finding in listed {
            html.raw("<br>").raw(word).raw(" ").badge(severity_badge(finding.severity)).raw(" ");
            html.code(&finding.rule).raw(" ").prose(&finding.message);
        }
    }
}
