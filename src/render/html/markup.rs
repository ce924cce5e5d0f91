//! HTML being written. Our own markup enters only as `&'static str` ([`Html::raw`]); every other
//! piece of text goes through [`Html::text`] (user text: terminal hazards shown as `\u{…}` escapes,
//! as in the text formats, then escaped) or [`Html::source`] (source text already made safe by the
//! snippet), and attribute values through [`Html::attr`], which escape `&`, `<`, `>`, `"` and `'`.
//! So a display name holding `<script>` or `</textarea>` is text wherever it lands.

use std::fmt::Write as _;

use crate::render::neutralise;

/// An HTML fragment under construction.
#[derive(Debug, Default)]
pub(crate) struct Html {
    text: String,
}

/// A word with a symbol, so that colour is never the only sign of a verdict: the symbol is hidden
/// from screen readers, the word is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Badge {
    /// The CSS class, which sets the colour: `pass`, `fail`, `warn`, `info`, `na`, `nj`.
    pub class: &'static str,
    /// A symbol such as `✓`.
    pub symbol: &'static str,
    /// The word, such as `pass`.
    pub word: &'static str,
}

/// One cell of a [`Html::table`] row.
pub(crate) enum Cell<'a> {
    /// User text.
    Text(&'a str),
    /// User text in backticks' style: a name, an id.
    Code(&'a str),
    /// A verdict.
    Badge(Badge),
    /// Markup written by the caller.
    Html(Html),
}

impl Html {
    /// An empty fragment.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// The markup written.
    pub(crate) fn into_string(self) -> String {
        self.text
    }

    /// Our own markup, as written in the source code.
    pub(crate) fn raw(&mut self, markup: &'static str) -> &mut Self {
        self.text.push_str(markup);
        self
    }

    /// Another fragment.
    pub(crate) fn append(&mut self, fragment: &Html) -> &mut Self {
        self.text.push_str(&fragment.text);
        self
    }

    /// User text, made safe for a terminal as the text formats do, then escaped.
    pub(crate) fn text(&mut self, text: &str) -> &mut Self {
        escape_into(&mut self.text, &neutralise(text));
        self
    }

    /// User text in which backquoted parts (`` `name` ``, the diagnostics' way of quoting user
    /// input) become `<code>`; an unpaired backquote stays as it is.
    pub(crate) fn prose(&mut self, text: &str) -> &mut Self {
        let safe = neutralise(text);
        let parts: Vec<&str> = safe.split('`').collect();
        for (index, part) in parts.iter().enumerate() {
            if index % 2 == 1 && index + 1 < parts.len() {
                self.text.push_str("<code>");
                escape_into(&mut self.text, part);
                self.text.push_str("</code>");
            } else {
                if index % 2 == 1 {
                    self.text.push('`');
                }
                escape_into(&mut self.text, part);
            }
        }
        self
    }

    /// Source text that [`crate::render::neutralise_source`] already made safe: escaped only.
    pub(crate) fn source(&mut self, text: &str) -> &mut Self {
        escape_into(&mut self.text, text);
        self
    }

    /// A number.
    pub(crate) fn number(&mut self, value: usize) -> &mut Self {
        let _ = write!(self.text, "{value}");
        self
    }

    /// ` name="value"`, the value escaped.
    pub(crate) fn attr(&mut self, name: &'static str, value: &str) -> &mut Self {
        self.text.push(' ');
        self.text.push_str(name);
        self.text.push_str("=\"");
        escape_into(&mut self.text, value);
        self.text.push('"');
        self
    }

    /// `<tag>text</tag>` with user text.
    pub(crate) fn element(&mut self, tag: &'static str, text: &str) -> &mut Self {
        self.text.push('<');
        self.text.push_str(tag);
        self.text.push('>');
        self.text(text);
        self.text.push_str("</");
        self.text.push_str(tag);
        self.text.push('>');
        self
    }

    /// `<code>text</code>`.
    pub(crate) fn code(&mut self, text: &str) -> &mut Self {
        self.element("code", text)
    }

    /// `<code>text</code>` as a link to `href` when there is one and it may be a link (see
    /// [`Html::link`]).
    pub(crate) fn code_link(&mut self, href: Option<&str>, text: &str) -> &mut Self {
        match href.filter(|href| safe_href(href)) {
            Some(href) => self.raw("<a").attr("href", href).raw(">").code(text).raw("</a>"),
            None => self.code(text),
        }
    }

    /// A link to `href` reading `text`; only `http:`, `https:` and `#` links are made links (a
    /// rule's documentation link is the user's text, and `javascript:` must not run): others are
    /// shown as text.
    pub(crate) fn link(&mut self, href: &str, text: &str) -> &mut Self {
        if safe_href(href) {
            self.raw("<a").attr("href", href).raw(">").text(text).raw("</a>")
        } else {
            self.text(text)
        }
    }

    /// A verdict: its symbol (hidden from screen readers) and its word.
    pub(crate) fn badge(&mut self, badge: Badge) -> &mut Self {
        self.raw("<span class=\"badge ")
            .raw(badge.class)
            .raw("\"><span aria-hidden=\"true\">")
            .raw(badge.symbol)
            .raw("</span> ")
            .raw(badge.word)
            .raw("</span>")
    }

    /// A table with a caption, one header per column, and the rows `body` writes with
    /// [`Html::row`]. Tables whose `class` includes `sortable` are sorted by a click on a header
    /// when scripts run.
    pub(crate) fn table(
        &mut self,
        class: &'static str,
        caption: &str,
        headers: &[&'static str],
        body: impl FnOnce(&mut Self),
    ) -> &mut Self {
        self.raw("<table class=\"")
            .raw(class)
            .raw("\">\n<caption>")
            .prose(caption)
            .raw("</caption>\n<thead><tr>");
        for header in headers {
            self.raw("<th scope=\"col\">").raw(header).raw("</th>");
        }
        self.raw("</tr></thead>\n<tbody>\n");
        body(self);
        self.raw("</tbody>\n</table>\n")
    }

    /// One table row; the first cell is the row's header.
    pub(crate) fn row(&mut self, class: &'static str, cells: Vec<Cell<'_>>) -> &mut Self {
        self.raw("<tr");
        if !class.is_empty() {
            self.raw(" class=\"").raw(class).raw("\"");
        }
        self.raw(">");
        for (index, cell) in cells.into_iter().enumerate() {
            let (open, close) = if index == 0 { ("<th scope=\"row\">", "</th>") } else { ("<td>", "</td>") };
            self.raw(open);
            match cell {
                Cell::Text(text) => self.prose(text),
                Cell::Code(text) => self.code(text),
                Cell::Badge(badge) => self.badge(badge),
                Cell::Html(html) => self.append(&html),
            };
            self.raw(close);
        }
        self.raw("</tr>\n")
    }
}

/// Whether `href` may be a link: a web address or a place in the report.
fn safe_href(href: &str) -> bool {
    let lower = href.trim_start().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with('#'))
        && !href.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// Appends `text` with `&`, `<`, `>`, `"` and `'` escaped.
fn escape_into(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
        let (plain, tail) = rest.split_at(at);
        out.push_str(plain);
        let mut chars = tail.chars();
        out.push_str(match chars.next() {
            Some('&') => "&amp;",
            Some('<') => "&lt;",
            Some('>') => "&gt;",
            Some('"') => "&quot;",
            _ => "&#39;",
        });
        rest = chars.as_str();
    }
    out.push_str(rest);
}

/// `text` escaped, for tests and callers outside a fragment.
#[cfg(test)]
pub(crate) fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains(['&', '<', '>', '"', '\'']) {
        let mut out = String::with_capacity(text.len() + 16);
        escape_into(&mut out, text);
        std::borrow::Cow::Owned(out)
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_is_escaped_everywhere() {
        let hostile = "<script>alert('x')</script></textarea>\"&";
        let mut html = Html::new();
        html.text(hostile).attr("title", hostile).prose(hostile).code(hostile).link("#a", hostile);
        let out = html.into_string();
        assert!(!out.contains("<script>") && !out.contains("</textarea>"), "{out}");
        assert_eq!(escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    }

    #[test]
    fn terminal_hazards_are_shown_as_escapes() {
        let mut html = Html::new();
        html.text("a\u{202e}b\u{1b}[31m");
        assert_eq!(html.into_string(), "a\\u{202e}b\\u{1b}[31m");
    }

    #[test]
    fn backquoted_parts_become_code_and_an_unpaired_backquote_stays() {
        let mut html = Html::new();
        html.prose("unknown key `a<b>` near `x");
        assert_eq!(html.into_string(), "unknown key <code>a&lt;b&gt;</code> near `x");
        let mut html = Html::new();
        html.prose("`a` and `b`");
        assert_eq!(html.into_string(), "<code>a</code> and <code>b</code>");
    }

    #[test]
    fn only_web_and_local_links_are_links() {
        let mut html = Html::new();
        html.link("javascript:alert(1)", "docs")
            .link(" JavaScript:x", "d")
            .link("https://e.example/a b", "s");
        assert!(!html.into_string().contains("<a"));
        let mut html = Html::new();
        html.link("https://example.com/?a=1&b=\"2\"", "docs");
        assert_eq!(html.into_string(), "<a href=\"https://example.com/?a=1&amp;b=&quot;2&quot;\">docs</a>");
    }
}
