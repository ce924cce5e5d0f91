//! What a run says about itself: named files it did not check, fixtures it skipped, and a warning
//! when it judged nothing at all.

use crate::discover;
use crate::options::Options;
use crate::report::{Note, Report};
use crate::severity::Severity;

/// What the run says about itself: named files it did not check, fixtures it skipped, and a
/// warning when it judged nothing at all, so that a run over the wrong paths never looks clean.
pub(super) fn notes(
    options: &Options,
    found: &discover::Discovered,
    fixtures: usize,
    report: &Report,
) -> Vec<Note> {
    let info = |message: String| Note { severity: Severity::Info, message, unjudged: true };
    // A hook receives every changed file: those the configuration excludes are expected there.
    let excluded: &[_] = if options.pre_commit { &[] } else { &found.excluded };
    let mut notes: Vec<Note> = excluded
        .iter()
        .map(|path| {
            let name = discover::display_name(path, &options.base);
            info(format!(
                "`{name}` is excluded by the configuration's `exclude` patterns, so it was not checked"
            ))
        })
        .collect();
    if fixtures > 0 {
        let (files, verb) =
            if fixtures == 1 { ("1 file".to_owned(), "was") } else { (format!("{fixtures} files"), "were") };
        // Judged by `consentlint test` instead: no gap for `--fail-on-unjudged` to fail on.
        notes.push(Note {
            unjudged: false,
            ..info(format!(
                "{files} named by policy tests {verb} not judged as documents; `consentlint test` runs them"
            ))
        });
    }
    let nothing = if options.pre_commit {
        // Files a hook receives that hold nothing of consentlint's are no sign of wrong paths.
        None
    } else if report.summary.files == 0 {
        Some("no files were checked: the paths hold no `.yaml`, `.yml` or `.json` file that the configuration includes".to_owned())
    } else if report.summary.documents == 0 && report.diagnostics.is_empty() {
        Some(if report.summary.files == 1 {
            "the file checked holds no consentlint document (`apiVersion: consentlint/v1`), so nothing was judged"
                .to_owned()
        } else {
            format!(
                "none of the {} files checked holds a consentlint document (`apiVersion: consentlint/v1`), so nothing was judged",
                report.summary.files
            )
        })
    } else {
        None
    };
    notes.extend(nothing.map(|message| Note { severity: Severity::Warning, message, unjudged: true }));
    notes
}
