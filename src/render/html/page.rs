//! The page around a report's sections: the document head (inline style, inline script, a content
//! security policy that lets the page load nothing), the header (what was checked, the verdict,
//! the counts), a table of contents built from the sections, the sections, and a footer.
//!
//! A report is a [`Page`] to which each part adds a [`Section`] with [`Page::section`]: the
//! sections are written in the order they were added, each under its `<h2>` and listed in the
//! contents, so that a new part of a report is one more call.

use std::io::{self, Write};

use super::About;
use super::markup::{Badge, Html};

/// The style sheet, inline: no file, font or image is loaded.
const STYLE: &str = include_str!("report.css");
/// The script, inline: filtering the findings, sorting tables, opening collapsed parts to print.
/// The page is complete without it.
const SCRIPT: &str = include_str!("report.js");
/// The SHA-256 of [`SCRIPT`], base64, which the content security policy names so that no other
/// script can run; `tests/html.rs` checks it against the script.
const SCRIPT_HASH: &str = "sha256-1dQJB+UmKCgjk/w0wQoBMbSFUs8749ne5i8CKirAU6Y=";

/// A part of the report: its anchor, its heading and its content.
#[derive(Debug)]
pub(crate) struct Section {
    id: &'static str,
    title: String,
    body: Html,
}

/// A report page under construction.
#[derive(Debug)]
pub(crate) struct Page<'a> {
    title: &'static str,
    about: &'a About,
    verdict: (Badge, String),
    counts: Vec<(usize, &'static str)>,
    sections: Vec<Section>,
}

impl<'a> Page<'a> {
    /// A page titled `title` about the run `about`, with its one-line verdict and its counts.
    pub(crate) fn new(
        title: &'static str,
        about: &'a About,
        verdict: (Badge, String),
        counts: Vec<(usize, &'static str)>,
    ) -> Self {
        Self { title, about, verdict, counts, sections: Vec::new() }
    }

    /// Adds a section: `id` is its anchor, `title` its heading (user text allowed), and `write`
    /// writes its content.
    pub(crate) fn section(&mut self, id: &'static str, title: &str, write: impl FnOnce(&mut Html)) {
        let mut body = Html::new();
        write(&mut body);
        self.sections.push(Section { id, title: title.to_owned(), body });
    }

    /// Writes the page.
    pub(crate) fn write(self, out: &mut dyn Write) -> io::Result<()> {
        let mut html = Html::new();
        html.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .raw("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src '")
            .raw(SCRIPT_HASH)
            .raw("'; img-src data:; base-uri 'none'; form-action 'none'\">\n")
            .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .raw("<meta name=\"color-scheme\" content=\"light dark\">\n<meta name=\"generator\" content=\"consentlint\">\n<title>")
            .raw(self.title)
            .raw("</title>\n<style>\n")
            .raw(STYLE)
            .raw("</style>\n</head>\n<body>\n");
        self.header(&mut html);
        if self.sections.len() > 1 {
            html.raw("<nav aria-label=\"Contents\"><h2>Contents</h2>\n<ol>\n");
            for section in &self.sections {
                html.raw("<li><a").attr("href", &format!("#{}", section.id)).raw(">");
                html.prose(&section.title).raw("</a></li>\n");
            }
            html.raw("</ol>\n</nav>\n");
        }
        html.raw("<main>\n");
        for section in self.sections {
            html.raw("<section").attr("id", section.id).raw(">\n<h2>").prose(&section.title).raw("</h2>\n");
            html.append(&section.body).raw("</section>\n");
        }
        html.raw("</main>\n<footer><p>Made by consentlint ").text(&self.about.version);
        html.raw(
            " from the files named above; it reads no network and loads nothing.</p></footer>\n<script>",
        )
        .raw(SCRIPT)
        .raw("</script>\n</body>\n</html>\n");
        out.write_all(html.into_string().as_bytes())
    }

    fn header(&self, html: &mut Html) {
        let about = self.about;
        html.raw("<header>\n<h1>").raw(self.title).raw("</h1>\n<p class=\"verdict\">");
        html.badge(self.verdict.0).raw(" ").prose(&self.verdict.1).raw("</p>\n");
        if !self.counts.is_empty() {
            html.raw("<ul class=\"counts\">\n");
            for (count, what) in &self.counts {
                html.raw("<li><strong>").number(*count).raw("</strong> ").raw(what).raw("</li>\n");
            }
            html.raw("</ul>\n");
        }
        html.raw("<dl class=\"about\">\n");
        // A fact the caller left empty (a library caller's default `About`) is left out.
        let mut fact = |term: &'static str, values: &[String]| {
            if values.iter().all(String::is_empty) {
                return;
            }
            html.raw("<div><dt>").raw(term).raw("</dt><dd>");
            for (index, value) in values.iter().enumerate() {
                if index > 0 {
                    html.raw(", ");
                }
                html.code(value);
            }
            html.raw("</dd></div>\n");
        };
        fact("Command", std::slice::from_ref(&about.command));
        fact("Paths", &about.paths);
        fact("Tenants", &about.tenants);
        fact("Profile", about.profile.as_slice());
        fact("consentlint", std::slice::from_ref(&about.version));
        fact("Catalogs", &about.catalogs);
        html.raw("</dl>\n");
        // The one line that differs between two runs on the same inputs (`SOURCE_DATE_EPOCH` fixes it).
        html.raw("<p class=\"time\">Made <time").attr("datetime", &about.time).raw(">").text(&about.time);
        html.raw("</time></p>\n</header>\n");
    }
}
