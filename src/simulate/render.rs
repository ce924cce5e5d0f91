//! Writes a [`Simulation`], one module per format: `human` explains each app in a block, `markdown`
//! is a table for pull-request comments and job summaries, `json` is for programs, `html` is a page
//! to open or share. Inputs that are
//! not valid come first, as `check` renders them in the same format (in JSON, its diagnostics).

mod html;
pub(super) mod human;
mod json;
mod markdown;

use std::io::{self, Write};

use super::{AppOutcome, Simulation};
use crate::render::{About, Style};

/// The output formats of `simulate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable explanation: one block per app, and a summary of outcomes for a directory.
    Human,
    /// A Markdown table, for pull-request comments and job summaries.
    Markdown,
    /// One JSON object with every app.
    Json,
    /// One self-contained HTML page: the apps, their outcomes and the smallest changes.
    Html,
}

/// Writes `simulation` to `out` in `format`; `style` is for the diagnostics of invalid inputs, and
/// `about` what the HTML page's header says of the run.
///
/// # Errors
/// When writing fails.
pub fn render(
    simulation: &Simulation,
    format: Format,
    style: Style,
    about: &About,
    out: &mut dyn Write,
) -> io::Result<()> {
    let problems = !simulation.problems.diagnostics.is_empty();
    match format {
        Format::Human => {
            if problems {
                crate::render::render(&simulation.problems, crate::render::Format::Human, style, out)?;
                writeln!(out)?;
            }
            human::render(simulation, out)
        }
        Format::Markdown => {
            if problems {
                crate::render::render(&simulation.problems, crate::render::Format::Markdown, style, out)?;
                writeln!(out)?;
            }
            markdown::render(simulation, out)
        }
        Format::Json => json::render(simulation, out),
        Format::Html => html::render(simulation, about, out),
    }
}

/// What the text formats say of an app that needs an administrator when no change was found.
fn no_change(app: &AppOutcome) -> &'static str {
    if app.undecided() {
        "no change found: the tenant's files do not state what decides whether a user may grant some of its permissions"
    } else {
        "no change to the tenant or the app lets a user consent: an administrator must grant it"
    }
}

/// What a permission reaches, in words: a permission a user may grant that reaches beyond their own
/// data says which rule of the pack reports it (Entra lets the user grant it; the organisation's
/// own-data policy is the rule pack's).
fn reach(permission: &super::Permission) -> &'static str {
    match (permission.own_data_only, permission.grantable_by) {
        (Some(true), _) => "own data only",
        (Some(false), super::Grantor::User) => "reaches beyond the user's own data, which CL-A001 reports",
        (Some(false), _) => "reaches other users' data",
        (None, _) => "not in the catalog",
    }
}
