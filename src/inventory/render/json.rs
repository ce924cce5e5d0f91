//! One JSON object: `{"version": 1, "apps": [...], "diagnostics": [...]}`, the diagnostics as
//! `check --format json` writes them.

use std::io::{self, Write};

use serde::Serialize;

use super::kind;
use crate::inventory::{Consent, Inventory};

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    apps: Vec<Listed<'a>>,
    diagnostics: serde_json::Value,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Listed<'a> {
    tenant: Option<&'a str>,
    name: &'a str,
    app_id: Option<&'a str>,
    publisher: Option<&'a str>,
    verified: Option<bool>,
    origin: Option<&'a str>,
    /// The export the app's grants were read from, when it lists only some of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    partial_source: Option<&'static str>,
    permissions: Vec<Permission<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Permission<'a> {
    name: &'a str,
    resource: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    /// `admin` (every user, or assigned to the app) or `user`.
    consent: &'static str,
    /// For users' grants, how many users; `null` for an administrator's.
    users: Option<usize>,
    risk: Option<&'a str>,
    approved: Option<bool>,
    requested: Option<bool>,
    user_may_grant: Option<bool>,
}

pub(super) fn render(inventory: &Inventory, out: &mut dyn Write) -> io::Result<()> {
    let diagnostics = crate::render::json_diagnostics(&inventory.problems)?;
    let apps = inventory
        .apps
        .iter()
        .map(|app| Listed {
            tenant: app.tenant.as_deref(),
            name: &app.name,
            app_id: app.app_id.as_deref(),
            publisher: app.publisher.as_deref(),
            verified: app.verified,
            origin: app.origin.as_deref(),
            partial_source: app.partial,
            permissions: app
                .permissions
                .iter()
                .map(|p| Permission {
                    name: &p.name,
                    resource: &p.resource,
                    kind: kind(p),
                    consent: if p.consent == Consent::Users { "user" } else { "admin" },
                    users: (p.consent == Consent::Users).then_some(p.users),
                    risk: p.risk.as_deref(),
                    approved: p.approved,
                    requested: p.requested,
                    user_may_grant: p.user_may_grant,
                })
                .collect(),
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &Output { version: 1, apps, diagnostics })?;
    writeln!(out)
}
