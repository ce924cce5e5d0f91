//! `--format html`: the consent state as one self-contained page, laid out by `check`'s HTML
//! report (`crate::render::html`): the header, the inputs' problems (as `check` shows findings),
//! then a table per app of what it holds, with the same columns as the other views.

use std::io::{self, Write};

use super::{consent, kind, partial, publisher, users, yes_no};
use crate::inventory::Inventory;
use crate::render::About;
use crate::render::html::markup::{Badge, Cell, Html};
use crate::render::html::page::Page;
use crate::render::html::write_findings;

pub(super) fn render(inventory: &Inventory, about: &About, out: &mut dyn Write) -> io::Result<()> {
    let held: usize = inventory.apps.iter().map(|a| a.permissions.len()).sum();
    let mut counts: Vec<(usize, &'static str)> =
        vec![(inventory.apps.len(), "apps"), (held, "permissions held")];
    let out_of_policy = inventory
        .apps
        .iter()
        .flat_map(|a| &a.permissions)
        .filter(|p| p.consent == crate::inventory::Consent::Users && p.user_may_grant == Some(false))
        .count();
    counts.push((out_of_policy, "users' grants out of policy"));
    let problems = inventory.problems.visible().count();
    if problems > 0 {
        counts.push((problems, "problems in the inputs"));
    }
    let verdict = if out_of_policy > 0 {
        (
            Badge { class: "warn", symbol: "!", word: "review" },
            format!(
                "{out_of_policy} permissions users granted for themselves are not theirs to grant under the current policies"
            ),
        )
    } else {
        (
            Badge { class: "pass", symbol: "✓", word: "read" },
            format!("{} apps holding {held} permissions", inventory.apps.len()),
        )
    };
    let mut page = Page::new("consentlint grants", about, verdict, counts);
    if problems > 0 {
        let title = format!("Inputs that are not valid or not resolved ({problems})");
        page.section("findings", &title, |html| write_findings(html, &inventory.problems));
    }
    page.section("grants", &format!("Consent grants ({})", inventory.apps.len()), |html| {
        if inventory.apps.is_empty() {
            html.raw("<p>No grants found in the inputs.</p>\n");
        }
        for app in &inventory.apps {
            html.raw("<h3>").code(&app.name).raw("</h3>\n<p>");
            html.text(app.app_id.as_deref().unwrap_or("app id not resolved")).raw(", ");
            html.text(app.tenant.as_deref().map_or("no tenant in the run", |t| t)).raw("; publisher: ");
            html.text(&publisher(app)).raw("</p>\n");
            if let Some(format) = app.partial {
                html.raw("<p>Grants ").prose(&partial(format)).raw(".</p>\n");
            }
            let caption = format!("What `{}` holds", app.name);
            let headers =
                ["Permission", "API", "Type", "Consent", "Users", "Risk", "Approved", "Requested", "User may grant"];
            html.table("grants sortable", &caption, &headers, |html| {
                for p in &app.permissions {
                    let may = match (p.kind, p.user_may_grant) {
                        (crate::native::Grant::Application, _) => {
                            Badge { class: "na", symbol: "–", word: "application permission" }
                        }
                        (_, Some(true)) => Badge { class: "pass", symbol: "✓", word: "yes" },
                        (_, Some(false)) => Badge { class: "warn", symbol: "!", word: "no" },
                        (_, None) => Badge { class: "nj", symbol: "?", word: "not stated" },
                    };
                    let users = users(p);
                    html.row(
                        "",
                        vec![
                            Cell::Code(&p.name),
                            Cell::Text(&p.resource),
                            Cell::Text(kind(p)),
                            Cell::Text(consent(p)),
                            Cell::Text(&users),
                            Cell::Text(p.risk.as_deref().unwrap_or("—")),
                            Cell::Text(yes_no(p.approved, "—")),
                            Cell::Text(yes_no(p.requested, "—")),
                            Cell::Badge(may),
                        ],
                    );
                }
            });
        }
        let mut note = Html::new();
        note.raw("<p>Approved: the desired state (<code>AppManifest</code>) approves it; requested: the app's registration requests it; user may grant: the tenant's current user consent policies would let a user grant it to the app, for themselves; —: the run does not say.</p>\n");
        html.append(&note);
    });
    page.write(out)
}
