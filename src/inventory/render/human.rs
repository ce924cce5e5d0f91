//! The terminal view: a block per app and a table of what it holds.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{consent, kind, partial, publisher, users, yes_no};
use crate::inventory::Inventory;
use crate::render::neutralise;

/// The columns of the table, and their headings.
const HEADINGS: [&str; 9] =
    ["PERMISSION", "API", "TYPE", "CONSENT", "USERS", "RISK", "APPROVED", "REQUESTED", "USER MAY GRANT"];

pub(super) fn render(inventory: &Inventory, out: &mut dyn Write) -> io::Result<()> {
    let mut text = String::new();
    if inventory.apps.is_empty() {
        text.push_str("no grants found in the inputs\n");
    }
    for app in &inventory.apps {
        let tenant = app
            .tenant
            .as_deref()
            .map_or_else(|| "no tenant in the run".to_owned(), |t| format!("tenant {t}"));
        let id = app.app_id.as_deref().unwrap_or("app id not resolved");
        let _ = writeln!(text, "{} ({id}), {tenant}", neutralise(&app.name));
        let _ = writeln!(text, "  publisher: {}", neutralise(&publisher(app)));
        if let Some(format) = app.partial {
            let _ = writeln!(text, "  grants: {}", partial(format));
        }
        let rows: Vec<[String; 9]> = app
            .permissions
            .iter()
            .map(|p| {
                [
                    neutralise(&p.name).into_owned(),
                    neutralise(&p.resource).into_owned(),
                    kind(p).to_owned(),
                    consent(p).to_owned(),
                    users(p),
                    p.risk.clone().unwrap_or_else(|| "-".to_owned()),
                    yes_no(p.approved, "-").to_owned(),
                    yes_no(p.requested, "-").to_owned(),
                    yes_no(p.user_may_grant, "-").to_owned(),
                ]
            })
            .collect();
        let mut widths = HEADINGS.map(str::len);
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let line = |text: &mut String, cells: &[&str]| {
            text.push_str("  ");
            let last = cells.len().saturating_sub(1);
            for (at, (cell, width)) in cells.iter().zip(widths).enumerate() {
                text.push_str(cell);
                if at < last {
                    text.push_str(&" ".repeat(width.saturating_sub(cell.chars().count()) + 2));
                }
            }
            text.push('\n');
        };
        line(&mut text, &HEADINGS);
        for row in &rows {
            line(&mut text, &row.each_ref().map(String::as_str));
        }
        text.push('\n');
    }
    let permissions: usize = inventory.apps.iter().map(|a| a.permissions.len()).sum();
    let _ = writeln!(
        text,
        "{} {} holding {permissions} {}; APPROVED: the desired state (`AppManifest`) approves it, REQUESTED: the \
         app's registration requests it, USER MAY GRANT: the tenant's current user consent policies would let a \
         user grant it, `-`: the run does not say",
        inventory.apps.len(),
        if inventory.apps.len() == 1 { "app" } else { "apps" },
        if permissions == 1 { "permission" } else { "permissions" },
    );
    out.write_all(text.as_bytes())
}
