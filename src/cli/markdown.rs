//! Markdown made readable on a terminal, for `explain`: headings and `**strong**` text bold, code
//! spans highlighted, text wrapped to the width; fenced code blocks and tables as written. Piped
//! output stays Markdown.

use unicode_width::UnicodeWidthStr;

const BOLD: &str = "\u{1b}[1m";
const CODE: &str = "\u{1b}[36m";
const RESET: &str = "\u{1b}[0m";

/// `markdown` laid out for a terminal of `width` columns, with colour when `color`.
pub(super) fn render(markdown: &str, width: usize, color: bool) -> String {
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 8);
    let mut fenced = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced || line.trim_start().starts_with('|') || line.trim().is_empty() {
            let indent = if fenced { "    " } else { "" };
            out.push_str(indent);
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let hashes = line.chars().take_while(|c| *c == '#').count();
        if let Some(title) = line.get(hashes..).filter(|rest| hashes > 0 && rest.starts_with(' ')) {
            let title = title.trim();
            if color {
                out.push_str(BOLD);
                out.push_str(&plain_spans(title));
                out.push_str(RESET);
            } else {
                out.push_str(title);
            }
            out.push('\n');
            continue;
        }
        wrap(line, width, color, &mut out);
    }
    out
}

/// The text without backticks, for headings.
fn plain_spans(text: &str) -> String {
    text.replace('`', "")
}

/// One source line, wrapped; list items hang under their text.
fn wrap(line: &str, width: usize, color: bool, out: &mut String) {
    let lead = line.len() - line.trim_start().len();
    let body = line.trim_start();
    let marker = ["- ", "* "].iter().find(|m| body.starts_with(**m)).map_or(0, |m| m.len());
    let hang = " ".repeat(lead + marker);
    let mut column = 0;
    let mut first = true;
    out.push_str(line.get(..lead + marker).unwrap_or_default());
    column += lead + marker;
    // Inside `**strong**` text, across words; with colour the markers become bold.
    let mut strong = false;
    for (word, code) in words(body.get(marker..).unwrap_or_default()) {
        let bold = !code && color && (strong || word.starts_with("**"));
        if !code {
            strong ^= word.matches("**").count() % 2 == 1;
        }
        let shown = match (code, color) {
            (true, false) => format!("`{word}`"),
            (false, true) => word.replace("**", ""),
            _ => word.clone(),
        };
        let size = shown.width();
        if !first && column + 1 + size > width {
            out.push('\n');
            out.push_str(&hang);
            column = hang.len();
        } else if !first {
            out.push(' ');
            column += 1;
        }
        if code && color {
            out.push_str(CODE);
            out.push_str(&shown);
            out.push_str(RESET);
        } else if bold {
            out.push_str(BOLD);
            out.push_str(&shown);
            out.push_str(RESET);
        } else {
            out.push_str(&shown);
        }
        column += size;
        first = false;
    }
    out.push('\n');
}

/// The words of a line, each marked whether it is (part of) a code span; a code span's spaces
/// are kept inside one word, so that it is never broken.
fn words(text: &str) -> Vec<(String, bool)> {
    let mut words = Vec::new();
    for (index, piece) in text.split('`').enumerate() {
        let code = index % 2 == 1;
        if code {
            if !piece.is_empty() {
                words.push((piece.to_owned(), true));
            }
        } else {
            words.extend(piece.split_whitespace().map(|w| (w.to_owned(), false)));
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_and_styles() {
        let text = "# CL-A001: `name`\n\nsome words and a `code span` here\n- an item that wraps\n";
        let plain = render(text, 18, false);
        assert_eq!(plain, "CL-A001: `name`\n\nsome words and a\n`code span` here\n- an item that\n  wraps\n");
        let styled = render(text, 80, true);
        assert!(styled.starts_with("\u{1b}[1mCL-A001: name\u{1b}[0m\n"));
        assert!(styled.contains("\u{1b}[36mcode span\u{1b}[0m"));
        let strong = render("a **very strong** word\n", 80, true);
        assert_eq!(strong, "a \u{1b}[1mvery\u{1b}[0m \u{1b}[1mstrong\u{1b}[0m word\n");
        assert_eq!(render("a **b** c\n", 80, false), "a **b** c\n", "Markdown stays without colour");
    }
}
