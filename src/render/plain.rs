//! The deterministic plain renderer: ASCII decorations, no colour, no wrapping, relative paths.
//! Its layout is a stable contract; snapshot tests depend on it.
//!
//! ```text
//! error[CL-S001]: unknown key `notifyReviewer`
//!   --> tenants/contoso.yaml:14:5
//!    |
//! 14 |     notifyReviewer: true
//!    |     ^^^^^^^^^^^^^^ unknown key
//!    |
//!    = help: did you mean `notifyReviewers`?
//! ```
//!
//! The snippet's lines and underlines are laid out by `snippet.rs`, which `html` shares.

use std::io::{self, Write};

use super::neutralise;
use super::snippet;
use crate::diagnostic::Diagnostic;
use crate::report::Report;

/// Writes every diagnostic, then the summary line unless `quiet`.
pub(super) fn render(report: &Report, quiet: bool, out: &mut dyn Write) -> io::Result<()> {
    for diagnostic in report.visible() {
        write_diagnostic(diagnostic, out)?;
        writeln!(out)?;
    }
    super::write_closing(report, out, quiet)
}

/// Writes one diagnostic: its file's snippet, then one for each other file a related span is in.
pub fn write_diagnostic(d: &Diagnostic, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}[{}]: {}", d.severity.as_str(), d.code, neutralise(&d.message))?;
    let groups = snippet::marks(d);
    let blocks = snippet::blocks(d, &groups);
    let gutter = snippet::gutter(&blocks);
    let pad = " ".repeat(gutter);
    for (index, block) in blocks.iter().enumerate() {
        let arrow = if index == 0 { "-->" } else { ":::" };
        writeln!(out, "{pad}{arrow} {}{}", neutralise(block.source.name()), block.at)?;
        if block.lines.is_empty() {
            continue;
        }
        writeln!(out, "{pad} |")?;
        for line in &block.lines {
            writeln!(out, "{:>gutter$} | {}", line.number, line.text)?;
            for underline in &line.underlines {
                let label = underline.mark.label.map(|l| format!(" {}", neutralise(l))).unwrap_or_default();
                writeln!(
                    out,
                    "{pad} | {}{}{label}",
                    " ".repeat(underline.indent),
                    underline.mark.symbol().to_string().repeat(underline.width)
                )?;
            }
        }
        writeln!(out, "{pad} |")?;
    }
    if let Some(help) = &d.help {
        writeln!(out, "{pad} = help: {}", neutralise(help))?;
    }
    if let Some(url) = &d.url {
        writeln!(out, "{pad} = docs: {url}")?;
    }
    Ok(())
}
