//! Baselines: the findings of a repository when it adopted consentlint, hidden until they change.
//!
//! Entries are keyed by file, rule and JSON Pointer (never by line), so edits elsewhere in a file do
//! not bring a finding back, while a new finding, even of the same rule, fails the run. File names
//! are relative to the baseline's own directory, so the baseline works from any working directory.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Suppression, SuppressionKind};
use crate::discover::absolute;
use crate::report::Report;
use crate::source::{SourceFile, Span};

/// The file format.
#[derive(Debug, Default, Serialize, Deserialize)]
struct File {
    version: u32,
    findings: Vec<Entry>,
}

/// Findings of one rule at one node.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct Entry {
    file: String,
    rule: String,
    pointer: String,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    count: usize,
    /// The first message, for people reading the file; not used for matching.
    #[serde(default)]
    message: String,
}

fn one() -> usize {
    1
}

#[expect(clippy::trivially_copy_pass_by_ref, reason = "serde's skip_serializing_if passes a reference")]
fn is_one(count: &usize) -> bool {
    *count == 1
}

/// The key of a finding relative to the baseline's directory.
fn key(diagnostic: &Diagnostic, dir: &Path, base: &Path) -> (String, String, String) {
    let path = absolute(diagnostic.source.path(), base);
    let file = crate::discover::display_name(&path, dir);
    (file, diagnostic.code.clone(), diagnostic.node_key().to_owned())
}

fn directory(path: &Path, base: &Path) -> std::path::PathBuf {
    absolute(path, base).parent().map_or_else(|| base.to_path_buf(), Path::to_path_buf)
}

/// Writes the reported findings of `report` to a baseline at `path`; returns how many entries.
///
/// # Errors
/// When the file cannot be written.
pub fn write(path: &Path, report: &Report, base: &Path) -> std::io::Result<usize> {
    refuse_unless_baseline(path)?;
    let dir = directory(path, base);
    let mut entries: BTreeMap<(String, String, String), Entry> = BTreeMap::new();
    for diagnostic in report.visible() {
        let (file, rule, pointer) = key(diagnostic, &dir, base);
        entries
            .entry((file.clone(), rule.clone(), pointer.clone()))
            .and_modify(|e| e.count += 1)
            .or_insert(Entry { file, rule, pointer, count: 1, message: diagnostic.message.clone() });
    }
    let file = File { version: 1, findings: entries.into_values().collect() };
    let mut json = serde_json::to_string_pretty(&file).map_err(std::io::Error::other)?;
    json.push('\n');
    std::fs::write(path, json)?;
    Ok(file.findings.len())
}

/// Refreshing a baseline replaces it; anything else at `path` is the user's and is left alone: a
/// file that is not a baseline, something that is not a regular file, and a symbolic link that
/// leads nowhere (writing through it would create a file wherever it points).
fn refuse_unless_baseline(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(error),
        Ok(_) => match std::fs::metadata(path) {
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                refuse("the path is a symbolic link to nothing")
            }
            Err(error) => Err(error),
            Ok(_) => read_baseline_or_refuse(path),
        },
    }
}

/// A refusal to write over what is at the path, and why.
fn refuse(why: &str) -> std::io::Result<()> {
    Err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, format!("{why}, so it was not overwritten")))
}

/// For [`refuse_unless_baseline`]: the file at `path`, which exists, is replaced only when it is a
/// baseline.
fn read_baseline_or_refuse(path: &Path) -> std::io::Result<()> {
    match crate::load::read_text(path) {
        Ok(existing) if serde_json::from_str::<File>(&existing).is_ok() => Ok(()),
        Ok(_) => refuse("the file exists and is not a consentlint baseline"),
        Err(problem) => refuse(&format!("the path cannot be read as a baseline: {}", problem.reason())),
    }
}

/// Hides the findings of `report` that the baseline at `path` records, and counts the entries that
/// matched nothing (`summary.stale_baseline`) among those this run examined: entries of `checked`
/// files and of rules that ran. A run on a few files (pre-commit) does not call the rest stale.
///
/// # Errors
/// A `CL-C007` diagnostic when the baseline cannot be read.
pub fn apply(
    path: &Path,
    report: &mut Report,
    base: &Path,
    checked: &[std::path::PathBuf],
) -> Result<(), Box<Diagnostic>> {
    let name = crate::discover::display_name(path, base);
    let fail = |message: String, text: &str, at: Option<(usize, usize)>| {
        let source = Arc::new(SourceFile::new(path.to_path_buf(), name.clone(), text));
        let help = "write a baseline with `consentlint check --write-baseline FILE`";
        let diagnostic = match at.map(|(line, column)| source.offset(line, column)) {
            Some(offset) => {
                Diagnostic::tool(Code::InvalidConfiguration, message, &source, Span::point(offset))
            }
            None => Diagnostic::about_file(Code::InvalidConfiguration, message, &source),
        };
        Box::new(diagnostic.with_help(help))
    };
    let text = crate::load::read_text(path)
        .map_err(|problem| fail(format!("cannot read the baseline: {}", problem.reason()), "", None))?;
    let file: File = serde_json::from_str(&text).map_err(|e| {
        let message = format!("the baseline is not valid: {}", baseline_error(&e));
        fail(message, &text, Some((e.line(), e.column())))
    })?;
    if file.version != 1 {
        return Err(fail(format!("baseline version {} is not supported", file.version), &text, None));
    }
    let dir = directory(path, base);
    let mut left: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for entry in file.findings {
        *left.entry((entry.file, entry.rule, entry.pointer)).or_default() += entry.count;
    }
    let justification = format!("recorded in the baseline {name}");
    for diagnostic in report.diagnostics.iter_mut().filter(|d| d.suppression.is_none()) {
        if let Some(count) = left.get_mut(&key(diagnostic, &dir, base))
            && *count > 0
        {
            *count -= 1;
            diagnostic.suppression =
                Some(Suppression { kind: SuppressionKind::Baseline, justification: justification.clone() });
        }
    }
    let files: std::collections::HashSet<String> =
        checked.iter().map(|file| crate::discover::display_name(&absolute(file, base), &dir)).collect();
    let rules: std::collections::HashSet<&str> = report.rules.iter().map(|r| r.id.as_str()).collect();
    report.summary.stale_baseline = left
        .iter()
        .filter(|((file, rule, _), _)| files.contains(file) && rules.contains(rule.as_str()))
        .map(|(_, count)| count)
        .sum();
    report.recount();
    Ok(())
}

/// serde's message without its trailing position, which the diagnostic shows.
fn baseline_error(error: &serde_json::Error) -> String {
    let text = error.to_string();
    text.split(" at line ").next().unwrap_or(&text).to_owned()
}
