//! What GitHub code scanning reads beyond SARIF itself: a rule's tags, precision and
//! `security-severity`, and its limit on results per run.
//!
//! GitHub documents (docs.github.com, "SARIF support for code scanning", `reportingDescriptor`
//! properties) that `properties.security-severity` is a number from 0.0 to 10.0, written as a
//! string, and that alerts show as critical at 9.0 and above, high from 7.0 to 8.9, medium from
//! 4.0 to 6.9 and low from 0.1 to 3.9; rules with a `security-severity` should carry the `security`
//! tag. Its default pull-request check fails on alerts of high severity or above. The mapping here:
//!
//! | finding                                         | score |
//! |-------------------------------------------------|-------|
//! | severity error                                  | 7.5 (high) |
//! | severity warning                                | 5.0 (medium) |
//! | severity info                                   | 2.0 (low) |
//! | about a permission whose catalog risk is critical | 9.5 (critical), whatever its severity |
//!
//! GitHub takes the severity of an alert from its rule, not from the result, so a rule's own
//! descriptor carries the score of its default severity, and results scored otherwise (a severity
//! changed by the rule or the configuration, a critical-risk permission) refer to a variant
//! descriptor with their score (see the module documentation of `sarif`): each alert shows its own
//! score, never the worst of its rule in the run. Each result also carries its own score in
//! `properties.security-severity`, for tools that read it there.
//!
//! GitHub rejects a run of more than 25,000 results and shows only the top 5,000 of a run, by
//! severity ("About code scanning limits on SARIF results": results per run, maximum 25,000,
//! display limit 5,000); it also rejects SARIF files over 10 MB (gzip-compressed) and shows 10 of a
//! rule's tags (at most 20). [`keep`] chooses which results stay under the 25,000 limit, the most
//! severe first, so that what GitHub shows is what matters most.

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

/// GitHub code scanning's limit on results per run.
pub(crate) const MAX_RESULTS: usize = 25_000;

/// A finding's score in tenths (95 is 9.5), so that scores compare exactly.
pub(super) fn score(severity: Severity, risk: Option<&str>) -> u8 {
    let base = match severity {
        Severity::Error => 75,
        Severity::Warning => 50,
        Severity::Info => 20,
    };
    if risk == Some("critical") { base.max(95) } else { base }
}

/// A score as GitHub reads it: `"7.5"`.
pub(super) fn written(score: u8) -> String {
    format!("{}.{}", score / 10, score % 10)
}

/// The score of a diagnostic.
pub(super) fn of(d: &Diagnostic) -> u8 {
    score(d.severity, d.risk.as_deref())
}

/// The tags of a rule or code: `security`, and its family (`tenant` for `CL-T…` rules, `app` for
/// `CL-A…`, `tool` for the tool's own codes, `policy` for rules of other policies).
pub(super) fn tags(id: &str) -> [&'static str; 2] {
    let family = if Code::parse(id).is_some() {
        "tool"
    } else if id.starts_with("CL-T") {
        "tenant"
    } else if id.starts_with("CL-A") {
        "app"
    } else {
        "policy"
    };
    ["security", family]
}

/// GitHub's precision: `very-high` for the tool's own codes (a file that does not parse or match
/// the schema is certain), `high` for rules.
pub(super) fn precision(id: &str) -> &'static str {
    if Code::parse(id).is_some() { "very-high" } else { "high" }
}

/// Which of the results with these scores to keep under `limit`: the most severe first (higher
/// score, then earlier in report order), returned as indexes in report order.
pub(super) fn keep(scores: &[u8], limit: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    if scores.len() > limit {
        order.sort_by_key(|&i| (std::cmp::Reverse(scores.get(i).copied().unwrap_or(0)), i));
        order.truncate(limit);
        order.sort_unstable();
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_follow_severity_and_critical_risk() {
        assert_eq!(written(score(Severity::Error, None)), "7.5");
        assert_eq!(written(score(Severity::Warning, Some("high"))), "5.0");
        assert_eq!(written(score(Severity::Info, None)), "2.0");
        assert_eq!(written(score(Severity::Warning, Some("critical"))), "9.5");
    }

    #[test]
    fn the_most_severe_are_kept_in_report_order() {
        assert_eq!(keep(&[20, 75, 50, 95, 75], 3), vec![1, 3, 4]);
        assert_eq!(keep(&[20, 75], 3), vec![0, 1]);
        assert_eq!(keep(&[50, 50, 50], 2), vec![0, 1]);
    }

    #[test]
    fn families_and_precision() {
        assert_eq!(tags("CL-T001"), ["security", "tenant"]);
        assert_eq!(tags("CL-A007"), ["security", "app"]);
        assert_eq!(tags("CL-S001"), ["security", "tool"]);
        assert_eq!(tags("ACME-001"), ["security", "policy"]);
        assert_eq!(precision("CL-S001"), "very-high");
        assert_eq!(precision("CL-A007"), "high");
    }
}
