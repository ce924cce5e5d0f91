//! A Markdown table per app, for pull-request comments and job summaries.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{consent, kind, partial, publisher, users, yes_no};
use crate::inventory::Inventory;
use crate::render::markdown_cell as cell;

pub(super) fn render(inventory: &Inventory, out: &mut dyn Write) -> io::Result<()> {
    let mut text = String::from("## Consents granted\n\n");
    if inventory.apps.is_empty() {
        text.push_str("No grants found in the inputs.\n");
    }
    for app in &inventory.apps {
        let _ = writeln!(text, "### {}\n", cell(&app.name));
        let id = app.app_id.as_deref().map_or_else(|| "not resolved".to_owned(), |id| format!("`{id}`"));
        let tenant = app.tenant.as_deref().map_or_else(|| "not in the run".to_owned(), |t| format!("`{t}`"));
        let _ = writeln!(
            text,
            "App id {}, tenant {}, publisher {}.\n",
            cell(&id),
            cell(&tenant),
            cell(&publisher(app))
        );
        if let Some(format) = app.partial {
            let _ = writeln!(text, "Grants {}.\n", cell(&partial(format)));
        }
        text.push_str(
            "| Permission | API | Type | Consent | Users | Risk | Approved | Requested | User may grant |\n",
        );
        text.push_str("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for p in &app.permissions {
            let _ = writeln!(
                text,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                cell(&format!("`{}`", p.name)),
                cell(&p.resource),
                kind(p),
                consent(p),
                users(p),
                p.risk.as_deref().map_or_else(|| "—".to_owned(), cell),
                yes_no(p.approved, "—"),
                yes_no(p.requested, "—"),
                yes_no(p.user_may_grant, "—"),
            );
        }
        text.push('\n');
    }
    text.push_str(
        "Approved: the desired state (`AppManifest`) approves it; requested: the app's registration \
         requests it; user may grant: the tenant's current user consent policies would let a user grant it to the app, for themselves; —: the run does not say.\n",
    );
    out.write_all(text.as_bytes())
}
