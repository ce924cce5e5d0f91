//! "Did you mean" suggestions for unknown names.

mod index;

pub use index::{Index, is_guid};

/// The candidate closest to `input`, when one is close enough to be a likely typo. Among close
/// candidates, those of the same family (the same first dotted segment, as `Mail` in
/// `Mail.Read.All`) come first, then the smallest edit distance: `Mail.Read.All` suggests
/// `Mail.Read`, not `Chat.Read.All`, though both are four edits away.
#[must_use]
pub fn did_you_mean<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let lowered = input.to_lowercase();
    let family = |name: &str| name.split_once('.').map(|(first, _)| first.to_lowercase());
    let wanted_family = family(input);
    let length = input.chars().count();
    let limit = limit(length);
    candidates
        .into_iter()
        // The edit distance is at least the difference in length: skip what cannot be close.
        .filter(|candidate| {
            candidate.len().abs_diff(input.len()) < limit * 4
                && candidate.chars().count().abs_diff(length) < limit
        })
        .map(|candidate| {
            let distance = if candidate.to_lowercase() == lowered {
                0
            } else {
                strsim::damerau_levenshtein(input, candidate)
            };
            let other_family = wanted_family.is_some() && family(candidate) != wanted_family;
            (other_family, distance, candidate)
        })
        .filter(|&(_, distance, _)| distance < limit)
        .min()
        .map(|(_, _, candidate)| candidate)
}

/// The smallest edit distance too large for a name of `length` characters to be a typo of another.
fn limit(length: usize) -> usize {
    (length / 3).max(1) + 1
}

/// Common other spellings of the severities and switches used in configuration, and the one name
/// each means. The schemas accept one spelling per meaning (so that a search finds every use);
/// these are suggested when another is written.
const SPELLINGS: &[(&str, &str)] = &[
    ("warn", "warning"),
    ("warnings", "warning"),
    ("err", "error"),
    ("errors", "error"),
    ("deny", "error"),
    ("information", "info"),
    ("note", "info"),
    ("hint", "info"),
    ("none", "off"),
    ("disable", "off"),
    ("disabled", "off"),
    ("ignore", "off"),
    ("allow", "off"),
    ("false", "off"),
];

/// The choice that a common other spelling of it means, when that choice is allowed: `warn`
/// means `warning`, `none`, `disable` or `ignore` mean `off`.
#[must_use]
pub fn spelling<'a>(input: &str, choices: &[&'a str]) -> Option<&'a str> {
    let lowered = input.trim().to_lowercase();
    let meant = SPELLINGS.iter().find(|(other, _)| *other == lowered).map(|(_, meant)| *meant)?;
    choices.iter().copied().find(|choice| *choice == meant)
}

/// `help` text for an unknown name: a suggestion, or the list of valid names.
#[must_use]
pub fn help_for<'a, I>(input: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str> + Clone,
{
    match did_you_mean(input, candidates.clone()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("expected one of {}", list(candidates)),
    }
}

/// `a`, `b` or `c`, in backticks.
#[must_use]
pub fn list<'a, I: IntoIterator<Item = &'a str>>(items: I) -> String {
    let items: Vec<String> = items.into_iter().map(|item| format!("`{item}`")).collect();
    match items.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["notifyReviewers", "remindersEnabled", "reviewers"];
        assert_eq!(did_you_mean("notifyReviewer", names), Some("notifyReviewers"));
        assert_eq!(did_you_mean("Reviewers", names), Some("reviewers"));
        assert_eq!(did_you_mean("colour", names), None);
    }

    #[test]
    fn prefers_the_same_family() {
        let names = ["Chat.Read.All", "Mail.Read", "Mail.ReadBasic.All", "Mail.ReadWrite"];
        assert_eq!(did_you_mean("Mail.Read.All", names), Some("Mail.Read"));
        assert_eq!(did_you_mean("Chat.Read.Al", names), Some("Chat.Read.All"));
        assert_eq!(did_you_mean("Mial.Read", ["Mail.Read", "Chat.Read"]), Some("Mail.Read"));
    }

    #[test]
    fn common_spellings_name_the_choice() {
        let levels = ["off", "error", "warning", "info"];
        assert_eq!(spelling("warn", &levels), Some("warning"));
        assert_eq!(spelling("Disable", &levels), Some("off"));
        assert_eq!(spelling("information", &levels), Some("info"));
        assert_eq!(spelling("none", &["error", "warning"]), None);
    }

    #[test]
    fn lists_in_prose() {
        assert_eq!(list(["a", "b", "c"]), "`a`, `b` or `c`");
        assert_eq!(help_for("x", ["alpha", "beta"]), "expected one of `alpha` or `beta`");
    }
}
