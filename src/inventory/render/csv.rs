//! One line per permission held (RFC 4180), with a header line. A cell that a spreadsheet would
//! take for a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed
//! with `'`, and terminal controls are neutralised.

use std::io::{self, Write};

use super::{kind, users};
use crate::inventory::{Consent, Inventory};
use crate::render::neutralise;

const HEADER: &str = "tenant,app,appId,publisher,verified,origin,resource,permission,type,consent,users,risk,approved,requested,userMayGrant,partialSource";

pub(super) fn render(inventory: &Inventory, out: &mut dyn Write) -> io::Result<()> {
    let mut text = String::from(HEADER);
    text.push_str("\r\n");
    let flag = |value: Option<bool>| value.map_or("", |b| if b { "true" } else { "false" });
    for app in &inventory.apps {
        for p in &app.permissions {
            let cells = [
                app.tenant.as_deref().unwrap_or_default(),
                &app.name,
                app.app_id.as_deref().unwrap_or_default(),
                app.publisher.as_deref().unwrap_or_default(),
                flag(app.verified),
                app.origin.as_deref().unwrap_or_default(),
                &p.resource,
                &p.name,
                kind(p),
                if p.consent == Consent::Users { "user" } else { "admin" },
                &users(p),
                p.risk.as_deref().unwrap_or_default(),
                flag(p.approved),
                flag(p.requested),
                flag(p.user_may_grant),
                app.partial.unwrap_or_default(),
            ];
            let line: Vec<String> = cells.iter().map(|c| field(c)).collect();
            text.push_str(&line.join(","));
            text.push_str("\r\n");
        }
    }
    out.write_all(text.as_bytes())
}

/// One field: neutralised, kept from being read as a formula, quoted when it must be.
fn field(text: &str) -> String {
    let safe = neutralise(text);
    let guarded = if safe.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{safe}")
    } else {
        safe.into_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_and_kept_from_formulas() {
        assert_eq!(field("Contoso, Ltd."), "\"Contoso, Ltd.\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(field("Mail.Read"), "Mail.Read");
    }
}
