//! Inline suppressions: `# consentlint-ignore CL-A007: reason` on the line of a finding, or alone on
//! the line above it (stacked comments apply to the first line below them that is not a comment).
//! A reason is required; a suppression that hides nothing is reported.

use std::collections::HashMap;
use std::sync::Arc;

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Suppression, SuppressionKind};
use crate::source::{SourceFile, Span};

const KEYWORD: &str = "consentlint-ignore";

/// One suppression comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The 1-based line whose findings it hides.
    pub target: usize,
    /// The codes it names, with their spans.
    pub codes: Vec<(String, Span)>,
    /// Why, when given.
    pub reason: Option<String>,
    /// The whole comment.
    pub span: Span,
}

/// Every suppression comment of a file.
#[must_use]
pub fn scan(source: &SourceFile) -> Vec<Comment> {
    let text = source.text();
    if !text.contains(KEYWORD) {
        return Vec::new();
    }
    let mut comments = Vec::new();
    // Lines that hold nothing but a comment, by 1-based number: a suppression alone on its line
    // applies to the next line that is not one, so that stacked suppressions combine.
    let mut comment_only = Vec::new();
    // Lines end where the rest of consentlint ends them: at `\n`, `\r\n` or a lone `\r`.
    for (index, (offset, line)) in source.lines().enumerate() {
        if line.trim_start().starts_with('#') {
            comment_only.push(index + 1);
        }
        if let Some(comment) = parse(line, offset, index + 1) {
            comments.push(comment);
        }
    }
    for comment in &mut comments {
        while comment_only.binary_search(&comment.target).is_ok() {
            comment.target += 1;
        }
    }
    if !comments.is_empty() {
        // A `#` inside a quoted string or a block scalar is text, not a comment.
        // Scalars do not overlap; sorted by start, the one that could hold a comment is the last
        // that starts before it, found by binary search (linear scans here were quadratic).
        let mut scalars = crate::yaml::scalar_spans(text);
        scalars.sort_unstable();
        comments.retain(|c| {
            let before = scalars.partition_point(|s| s.start <= c.span.start);
            before.checked_sub(1).and_then(|i| scalars.get(i)).is_none_or(|s| c.span.start >= s.end)
        });
    }
    comments
}

fn parse(line: &str, offset: usize, number: usize) -> Option<Comment> {
    let content = line.trim_end_matches(['\n', '\r']);
    // Offsets come from `match_indices` and `find` of ASCII text, so they are character boundaries;
    // `get` keeps that a checked fact rather than a promise.
    let hash = content.match_indices('#').map(|(i, _)| i).find(|&i| {
        let before = content.get(..i).unwrap_or_default();
        let after = content.get(i + 1..).unwrap_or_default();
        (before.is_empty() || before.ends_with([' ', '\t'])) && after.trim_start().starts_with(KEYWORD)
    })?;
    let after = content.get(hash + 1..)?;
    let keyword_end = hash + 1 + after.find(KEYWORD)? + KEYWORD.len();
    let rest = content.get(keyword_end..)?;
    let (list, reason) = match rest.split_once(':') {
        Some((list, reason)) => (list, Some(reason.trim()).filter(|r| !r.is_empty()).map(str::to_owned)),
        None => (rest, None),
    };
    let mut codes = Vec::new();
    let mut cursor = keyword_end;
    for piece in list.split(',') {
        let code = piece.trim();
        if !code.is_empty() {
            let start = cursor + piece.find(code).unwrap_or(0);
            codes.push((code.to_owned(), Span::new(offset + start, offset + start + code.len())));
        }
        cursor += piece.len() + 1;
    }
    let own_line = content.get(..hash).is_none_or(|before| before.trim().is_empty());
    Some(Comment {
        target: if own_line { number + 1 } else { number },
        codes,
        reason,
        span: Span::new(offset + hash, offset + content.len()),
    })
}

/// A comment and which of its codes hid something.
type Tracked<'a> = (&'a Comment, Vec<bool>);

/// Marks the findings that comments suppress, and returns the diagnostics about the comments
/// themselves: missing reasons (`CL-I001`) and suppressions that hide nothing (`CL-I002`, only for
/// codes that `reported` says were looked for).
pub fn apply(
    diagnostics: &mut [Diagnostic],
    files: &[(Arc<SourceFile>, Vec<Comment>)],
    known: &[&str],
    reported: &dyn Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let mut by_file: HashMap<&str, (&Arc<SourceFile>, Vec<Tracked<'_>>)> = HashMap::new();
    for (source, comments) in files.iter().filter(|(_, c)| !c.is_empty()) {
        let tracked = comments.iter().map(|c| (c, vec![false; c.codes.len()])).collect();
        by_file.insert(source.name(), (source, tracked));
    }
    for diagnostic in
        diagnostics.iter_mut().filter(|d| d.suppression.is_none() && !d.code.starts_with("CL-I"))
    {
        let Some((_, comments)) = by_file.get_mut(diagnostic.source.name()) else { continue };
        let Some(line) = diagnostic.start().map(|at| at.line) else { continue };
        // Comments are in line order: find those for this line by binary search.
        let first = comments.partition_point(|(c, _)| c.target < line);
        for (comment, used) in comments.iter_mut().skip(first).take_while(|(c, _)| c.target == line) {
            let Some(index) = comment.codes.iter().position(|(code, _)| *code == diagnostic.code) else {
                continue;
            };
            if let Some(used) = used.get_mut(index) {
                *used = true;
            }
            if let Some(reason) = &comment.reason {
                diagnostic.suppression =
                    Some(Suppression { kind: SuppressionKind::Inline, justification: reason.clone() });
            }
        }
    }
    let mut found = Vec::new();
    let mut files: Vec<_> = by_file.into_values().collect();
    files.sort_by(|a, b| a.0.name().cmp(b.0.name()));
    for (source, comments) in files {
        for (comment, used) in comments {
            if comment.reason.is_none() {
                let codes =
                    comment.codes.iter().map(|(c, _)| format!("`{c}`")).collect::<Vec<_>>().join(", ");
                let what = if codes.is_empty() {
                    "a suppression".to_owned()
                } else {
                    format!("the suppression of {codes}")
                };
                let named = comment.codes.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>().join(", ");
                let named = if named.is_empty() { "RULE".to_owned() } else { named };
                let help = format!(
                    "write the reason after a colon: `# consentlint-ignore {named}: approved by the security team`; \
                     a suppression without one hides nothing"
                );
                found.push(
                    Diagnostic::tool(
                        Code::SuppressionWithoutReason,
                        format!("{what} gives no reason"),
                        source,
                        comment.span,
                    )
                    .with_label("reason missing")
                    .with_help(help),
                );
                continue;
            }
            for ((code, span), used) in comment.codes.iter().zip(used) {
                if !known.contains(&code.as_str()) {
                    let help = crate::suggest::did_you_mean(code, known.iter().copied()).map_or_else(
                        || "name rule ids exactly, separated by commas: `# consentlint-ignore CL-A007, CL-A008: reason`".to_owned(),
                        |best| format!("did you mean `{best}`?"),
                    );
                    found.push(
                        Diagnostic::tool(
                            Code::UnusedSuppression,
                            format!("the suppression names an unknown rule `{code}`"),
                            source,
                            *span,
                        )
                        .with_label("unknown rule")
                        .with_help(help),
                    );
                } else if !used && reported(code) {
                    found.push(
                        Diagnostic::tool(
                            Code::UnusedSuppression,
                            format!(
                                "`{code}` is not reported on line {}, so its suppression does nothing",
                                comment.target
                            ),
                            source,
                            *span,
                        )
                        .with_label("unused")
                        .with_help(
                            "remove it, or move the comment to the finding's line or the line above it",
                        ),
                    );
                }
            }
        }
    }
    found
}

#[cfg(test)]
#[allow(clippy::string_slice, reason = "the tests cut their own ASCII texts at spans the scanner found")]
mod tests {
    use super::*;

    fn comments(text: &str) -> Vec<Comment> {
        scan(&SourceFile::new("f.yaml".into(), "f.yaml".into(), text))
    }

    #[test]
    fn trailing_comments_target_their_line_and_own_line_comments_the_next() {
        let text = "a: 1 # consentlint-ignore CL-A007: approved\n# consentlint-ignore CL-A008, CL-A001: legacy app\nb: 2\n";
        let found = comments(text);
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].target, found[0].reason.as_deref()), (1, Some("approved")));
        assert_eq!(found[1].target, 3);
        let codes: Vec<&str> = found[1].codes.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(codes, ["CL-A008", "CL-A001"]);
        let (_, span) = &found[1].codes[1];
        assert_eq!(&text[span.start..span.end], "CL-A001");
    }

    #[test]
    fn stacked_suppressions_apply_to_the_first_line_below_them() {
        let text = "# consentlint-ignore CL-A007: approved\n# consentlint-ignore CL-A008: legacy\n  # a note\nb: 2\n";
        let found = comments(text);
        assert_eq!(found.iter().map(|c| c.target).collect::<Vec<_>>(), [4, 4]);
    }

    #[test]
    fn lines_end_at_a_lone_cr_too() {
        let text = "a: 1\r# consentlint-ignore CL-A008: legacy\rb: 2 # consentlint-ignore CL-A007: ok\r\n";
        let found = comments(text);
        assert_eq!(found.iter().map(|c| c.target).collect::<Vec<_>>(), [3, 3]);
        assert_eq!(&text[found[0].span.start..found[0].span.end], "# consentlint-ignore CL-A008: legacy");
        assert_eq!(found[1].reason.as_deref(), Some("ok"));
    }

    #[test]
    fn a_missing_reason_is_kept_as_none_and_strings_are_not_comments() {
        assert_eq!(comments("a: 1 # consentlint-ignore CL-A007\n")[0].reason, None);
        assert_eq!(comments("a: 1 # consentlint-ignore CL-A007:   \n")[0].reason, None);
        assert!(comments("a: \"x#consentlint-ignore CL-A007: no\"\n").is_empty());
        assert!(comments("a: \"yes # consentlint-ignore CL-S001: in a string\"\n").is_empty());
        assert!(comments("a: >\n  text\n  # consentlint-ignore CL-T003: in a block\nb: 1\n").is_empty());
        assert_eq!(comments("a: >\n  text\n# consentlint-ignore CL-T003: real\nb: 1\n").len(), 1);
    }
}
