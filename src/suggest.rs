//! "Did you mean" suggestions for unknown names.

/// The candidate closest to `input`, when one is close enough to be a likely typo.
#[must_use]
pub fn did_you_mean<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let lowered = input.to_lowercase();
    let length = input.chars().count();
    let limit = (length / 3).max(1) + 1;
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
            (distance, candidate)
        })
        .filter(|&(distance, _)| distance < limit)
        .min()
        .map(|(_, candidate)| candidate)
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
    fn lists_in_prose() {
        assert_eq!(list(["a", "b", "c"]), "`a`, `b` or `c`");
        assert_eq!(help_for("x", ["alpha", "beta"]), "expected one of `alpha` or `beta`");
    }
}
