//! `--format html`: one self-contained HTML file a person opens, shares or archives. Inline style
//! and script, nothing loaded (a content security policy forbids it), complete without the script,
//! printable, in the system's light or dark colours.
//!
//! In reading order: the header (what was checked, the verdict, the counts), the controls of the
//! profile per tenant (`controls.rs`), the findings grouped by tenant and file with their source
//! snippets (`findings.rs`), the suppressed and baselined findings with their reasons, collapsed,
//! and what was not judged. `page.rs` lays out the page from [`page::Section`]s; `markup.rs`
//! escapes every piece of user text. The output is the same for the same inputs, but for the one
//! line with [`About::time`].

mod controls;
mod findings;
pub(crate) mod markup;
pub(crate) mod page;

use std::fmt::Write as _;
use std::io::{self, Write};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::diagnostic::Severity;
use crate::report::{Report, Status};
use markup::Badge;
use page::Page;

pub(crate) use findings::write_findings;

/// What a report says of the run that made it, in its header.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct About {
    /// The command, as in `consentlint check`.
    pub command: String,
    /// The paths checked, as the command line named them.
    pub paths: Vec<String>,
    /// The tenants judged, by name; for `check`, filled from the report when empty.
    pub tenants: Vec<String>,
    /// The profile judged by.
    pub profile: Option<String>,
    /// consentlint's version.
    pub version: String,
    /// The permission catalogs: the bundled one by the sources it was made from (repository and
    /// commit), then the user's files.
    pub catalogs: Vec<String>,
    /// When the report was made, RFC 3339 in UTC (see [`timestamp`]).
    pub time: String,
}

impl About {
    /// The header of a report made by `command` now, or at `SOURCE_DATE_EPOCH` when `epoch` (its
    /// value) is set: consentlint's version and the bundled catalog filled in.
    #[must_use]
    pub fn new(command: &str, epoch: Option<&str>) -> Self {
        Self {
            command: format!("consentlint {command}"),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            catalogs: crate::catalog::bundled_sources(),
            time: timestamp(epoch, SystemTime::now()),
            ..Self::default()
        }
    }
}

/// `SOURCE_DATE_EPOCH` (seconds since 1970, as reproducible builds define it) when it is set and a
/// number, else `now`, as `YYYY-MM-DDTHH:MM:SSZ`.
#[must_use]
pub fn timestamp(epoch: Option<&str>, now: SystemTime) -> String {
    let seconds = epoch
        .and_then(|text| text.trim().parse::<u64>().ok())
        .unwrap_or_else(|| now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()));
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let (year, month, day) = civil(days);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rest / 3600, rest % 3600 / 60, rest % 60)
}

/// The date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`, for days ≥ 0).
fn civil(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// The badge of a severity.
pub(crate) fn severity_badge(severity: Severity) -> Badge {
    match severity {
        Severity::Error => Badge { class: "fail", symbol: "✗", word: "error" },
        Severity::Warning => Badge { class: "warn", symbol: "!", word: "warning" },
        Severity::Info => Badge { class: "info", symbol: "i", word: "info" },
    }
}

/// The badge of a control's verdict.
pub(crate) fn status_badge(status: Status) -> Badge {
    match status {
        Status::Pass => Badge { class: "pass", symbol: "✓", word: "pass" },
        Status::Fail => Badge { class: "fail", symbol: "✗", word: "fail" },
        Status::NotApplicable => Badge { class: "na", symbol: "–", word: "not applicable" },
        Status::NotJudgeable => Badge { class: "nj", symbol: "?", word: "not judgeable" },
    }
}

pub(super) fn render(report: &Report, about: &About, out: &mut dyn Write) -> io::Result<()> {
    let mut about = about.clone();
    if about.tenants.is_empty() {
        about.tenants = report.coverage.tenants.keys().cloned().collect();
    }
    if let Some(view) = &report.controls {
        about.profile = Some(view.profile.clone());
    }
    let summary = &report.summary;
    let mut counts = vec![
        (summary.errors, "errors"),
        (summary.warnings, "warnings"),
        (summary.infos, "infos"),
        (summary.suppressed - summary.baselined, "suppressed inline"),
        (summary.baselined, "baselined"),
        (report.unjudged_notes().count(), "not judged"),
        (summary.files, "files"),
        (summary.documents, "documents"),
    ];
    if let Some(view) = &report.controls {
        for status in [Status::Fail, Status::NotJudgeable, Status::Pass, Status::NotApplicable] {
            counts.push((view.count(status), control_count_word(status)));
        }
    }
    let mut page = Page::new("consentlint report", &about, verdict(report), counts);
    let anchors = findings::Anchors::new(report);
    if let Some(view) = &report.controls {
        let title = format!("Controls of profile `{}`", view.profile);
        page.section("controls", &title, |html| controls::write(html, view, &anchors));
    }
    let visible = report.visible().count();
    let title = if report.setup_failed {
        format!("Problems in consentlint's own inputs ({visible})")
    } else {
        format!("Findings ({visible})")
    };
    page.section("findings", &title, |html| write_findings(html, report));
    if summary.suppressed > 0 || summary.stale_baseline > 0 {
        let title = format!("Suppressed and baselined ({})", summary.suppressed);
        page.section("suppressed", &title, |html| findings::write_suppressed(html, report));
    }
    let unjudged = report.unjudged_notes().count();
    page.section("not-judged", &format!("Not judged ({unjudged})"), |html| {
        findings::write_notes(html, report);
    });
    page.write(out)
}

fn control_count_word(status: Status) -> &'static str {
    match status {
        Status::Pass => "controls pass",
        Status::Fail => "controls fail",
        Status::NotApplicable => "controls not applicable",
        Status::NotJudgeable => "controls not judgeable",
    }
}

/// The one-line verdict: a word with its symbol, then the summary sentence (and the controls').
fn verdict(report: &Report) -> (Badge, String) {
    let summary = &report.summary;
    if report.setup_failed {
        let problems = report.visible().count();
        return (
            Badge { class: "fail", symbol: "✗", word: "not checked" },
            format!(
                "{problems} {} in consentlint's own inputs (configuration, policies, catalogs, baseline); no file was checked",
                if problems == 1 { "problem" } else { "problems" }
            ),
        );
    }
    let failed_controls = report.controls.as_ref().map_or(0, |view| view.count(Status::Fail));
    let unjudged = report.unjudged_notes().count();
    let badge = if report.incomplete {
        Badge { class: "fail", symbol: "✗", word: "incomplete" }
    } else if summary.errors > 0 || failed_controls > 0 {
        Badge { class: "fail", symbol: "✗", word: "fail" }
    } else if summary.warnings > 0 {
        Badge { class: "warn", symbol: "!", word: "warnings" }
    } else if unjudged > 0 {
        Badge { class: "nj", symbol: "?", word: "pass, not all judged" }
    } else {
        Badge { class: "pass", symbol: "✓", word: "pass" }
    };
    let mut sentence = summary.sentence();
    if let Some(view) = &report.controls {
        sentence.push_str("; ");
        sentence.push_str(&view.sentence());
    }
    if unjudged > 0 {
        let what = if unjudged == 1 { "note says" } else { "notes say" };
        let _ = write!(sentence, "; {unjudged} {what} what was not judged");
    }
    (badge, sentence)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_follow_source_date_epoch() {
        let now = UNIX_EPOCH + std::time::Duration::from_secs(951_782_400 + 86_399);
        assert_eq!(timestamp(None, now), "2000-02-29T23:59:59Z");
        assert_eq!(timestamp(Some("0"), now), "1970-01-01T00:00:00Z");
        assert_eq!(timestamp(Some("1700000000"), now), "2023-11-14T22:13:20Z");
        // Not a number: the current time, as if it were not set.
        assert_eq!(timestamp(Some("yesterday"), now), "2000-02-29T23:59:59Z");
        assert_eq!(timestamp(Some("4102444800"), now), "2100-01-01T00:00:00Z");
    }
}
