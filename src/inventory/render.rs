//! Writes an [`Inventory`], one module per format: `human` is a block per app for a terminal,
//! `markdown` a table per app for pull-request comments and job summaries, `json` one object for
//! programs, `csv` one line per permission for spreadsheets, `html` one page to share. The inputs' problems come first, as
//! `check` renders them in the same format (in JSON, its diagnostics; in CSV, on standard error's
//! behalf nothing: a spreadsheet holds rows only, and the exit status says the inputs were read).

mod csv;
mod html;
mod human;
mod json;
mod markdown;

use std::io::{self, Write};

use super::{Consent, Inventory, Permission};
use crate::native::Grant;
use crate::render::Style;

/// The output formats of `grants`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A block per app, with a table of what it holds.
    Human,
    /// A Markdown table per app.
    Markdown,
    /// One JSON object with every app.
    Json,
    /// One line per permission held, with a header line.
    Csv,
    /// One self-contained HTML page to open, share or archive.
    Html,
}

/// Writes `inventory` to `out` in `format`; `style` is for the diagnostics of the inputs, `about`
/// what the HTML page's header says of the run.
///
/// # Errors
/// When writing fails.
pub fn render(
    inventory: &Inventory,
    format: Format,
    style: Style,
    about: &crate::render::About,
    out: &mut dyn Write,
) -> io::Result<()> {
    let problems = !inventory.problems.diagnostics.is_empty();
    match format {
        Format::Human => {
            if problems {
                crate::render::render(&inventory.problems, crate::render::Format::Human, style, out)?;
                writeln!(out)?;
            }
            human::render(inventory, out)
        }
        Format::Markdown => {
            if problems {
                crate::render::render(&inventory.problems, crate::render::Format::Markdown, style, out)?;
                writeln!(out)?;
            }
            markdown::render(inventory, out)
        }
        Format::Json => json::render(inventory, out),
        Format::Csv => csv::render(inventory, out),
        Format::Html => html::render(inventory, about, out),
    }
}

/// What the views say of an app whose grants were read from `format`, an export that lists only
/// some of them.
fn partial(format: &str) -> String {
    format!(
        "read from the {format}, which lists only the application permissions of apps that hold a risky one, \
         on the APIs of ScubaGear's risk list: it may hold more"
    )
}

/// The type of a permission, as the views write it.
fn kind(permission: &Permission) -> &'static str {
    match permission.kind {
        Grant::Delegated => "delegated",
        Grant::Application => "application",
    }
}

/// Who granted a permission, as the views write it.
fn consent(permission: &Permission) -> &'static str {
    match (permission.kind, permission.consent) {
        (Grant::Application, _) => "admin (assigned to the app)",
        (Grant::Delegated, Consent::Admin) => "admin (every user)",
        (Grant::Delegated, Consent::Users) => "users",
    }
}

/// How many users a permission is granted for.
fn users(permission: &Permission) -> String {
    match permission.consent {
        Consent::Admin => "all".to_owned(),
        Consent::Users => permission.users.to_string(),
    }
}

/// A known yes or no, or what is not known.
fn yes_no(value: Option<bool>, unknown: &'static str) -> &'static str {
    match value {
        Some(true) => "yes",
        Some(false) => "no",
        None => unknown,
    }
}

/// The publisher of an app in words.
fn publisher(app: &super::App) -> String {
    let name = app.publisher.as_deref().unwrap_or("publisher not stated");
    let verified = match app.verified {
        Some(true) => "verified",
        Some(false) => "not verified",
        None => "verification not stated",
    };
    let origin = match app.origin.as_deref() {
        Some("organization") => "registered in the tenant",
        Some("microsoft") => "Microsoft's",
        Some("third-party" | "other-organization") => "registered in another tenant",
        _ => "origin not known",
    };
    format!("{name} ({verified}; {origin})")
}
