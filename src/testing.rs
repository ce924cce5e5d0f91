//! `consentlint test`: runs `kind: PolicyTest` files, like `opa test` or `kyverno test`.
//!
//! Each case loads its fixture documents with the test file's policies and compares the findings of
//! the compared codes (plus any YAML or schema error) with the expected ones by rule, file and line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use walkdir::WalkDir;

use crate::check;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::discover::{self, Input};
use crate::error::Error;
use crate::kind::Kind;
use crate::load;
use crate::options::Options;
use crate::policy;
use crate::schema::Schemas;
use crate::source::SourceFile;
use crate::yaml::{Limits, Node, Value};

/// A finding, as compared: code, file (relative to the test file) and line.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// Rule id or diagnostic code.
    pub code: String,
    /// Fixture file, relative to the test file's directory.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// The message, for found findings (empty for expected ones).
    pub message: String,
}

/// The outcome of one case.
#[derive(Debug)]
pub struct CaseResult {
    /// The test file, as shown.
    pub file: String,
    /// The case's name.
    pub name: String,
    /// Expected and not found.
    pub missing: Vec<Finding>,
    /// Found and not expected.
    pub unexpected: Vec<Finding>,
}

impl CaseResult {
    /// Whether the case passed.
    #[must_use]
    pub fn passed(&self) -> bool {
        self.missing.is_empty() && self.unexpected.is_empty()
    }
}

/// Everything a test run found.
#[derive(Debug, Default)]
pub struct TestReport {
    /// One result per case, in file and case order.
    pub cases: Vec<CaseResult>,
    /// Test files, policies or catalogs that could not be used.
    pub problems: Vec<Diagnostic>,
}

/// Finds every `*.test.yaml` / `*.test.yml` below `dirs` (files are taken as they are).
#[must_use]
pub fn find(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in dirs {
        if dir.is_file() {
            files.push(dir.clone());
            continue;
        }
        for entry in
            WalkDir::new(dir).follow_links(true).sort_by_file_name().into_iter().filter_map(Result::ok)
        {
            let name = entry.file_name().to_string_lossy();
            if entry.file_type().is_file() && (name.ends_with(".test.yaml") || name.ends_with(".test.yml")) {
                files.push(entry.into_path());
            }
        }
    }
    files.sort();
    files.dedup();
    files
}

/// Runs every test file.
///
/// # Errors
/// When consentlint's own data is broken or worker threads cannot start; problems in test files,
/// policies and catalogs are in the report.
pub fn run(files: &[PathBuf], base: &Path) -> Result<TestReport, Error> {
    let mut report = TestReport::default();
    let schemas = Schemas::new();
    for file in files {
        run_file(file, base, &schemas, &mut report)?;
    }
    Ok(report)
}

fn run_file(path: &Path, base: &Path, schemas: &Schemas, report: &mut TestReport) -> Result<(), Error> {
    let loaded = load::load(path, discover::display_name(path, base), Limits::default());
    report.problems.extend(loaded.diagnostics.iter().cloned());
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    for document in loaded.documents.iter().filter(|d| d.kind == Kind::PolicyTest) {
        if let Err(found) = schemas.validate(Kind::PolicyTest, &document.root, document.index, &loaded.source)
        {
            report.problems.extend(found.into_iter().map(|mut d| {
                d.code = Code::InvalidPolicy.into();
                d.url = Some(Code::InvalidPolicy.url());
                d
            }));
            continue;
        }
        let root = &document.root;
        let strings = |key: &str| -> Option<Vec<PathBuf>> {
            match &root.get(key)?.value {
                Value::Seq(items) => {
                    Some(items.iter().filter_map(Node::as_str).map(|s| dir.join(s)).collect())
                }
                _ => None,
            }
        };
        let policy_files = strings("policies");
        let options = Options {
            base: base.to_path_buf(),
            threads: Some(1),
            policies: policy::Sources {
                builtin: policy_files.is_none(),
                dirs: Vec::new(),
                files: policy_files.unwrap_or_default(),
            },
            catalogs: strings("catalogs").unwrap_or_default(),
            profile: root.get("profile").and_then(Node::as_str).map(str::to_owned),
            ..Options::default()
        };
        let setup = match check::load_setup(&options) {
            Ok(setup) => setup,
            Err(Error::Inputs(problems)) => {
                report.problems.extend(problems);
                continue;
            }
            Err(error) => return Err(error),
        };
        let compared: Vec<String> = match root.get("rules").map(|n| &n.value) {
            Some(Value::Seq(items)) => items.iter().filter_map(Node::as_str).map(str::to_owned).collect(),
            _ => setup.policies.rules.iter().map(|r| r.id.clone()).collect(),
        };
        let Some(Value::Seq(cases)) = root.get("cases").map(|n| &n.value) else { continue };
        let test = Test { source: &loaded.source, dir: &dir, setup: &setup, compared: &compared };
        for case in cases {
            if let Some(result) = run_case(&test, case, report)? {
                report.cases.push(result);
            }
        }
    }
    Ok(())
}

/// One test document, around its cases.
struct Test<'a> {
    source: &'a Arc<SourceFile>,
    dir: &'a Path,
    setup: &'a check::Setup,
    compared: &'a [String],
}

/// Runs one case; `None` when the case itself is broken (reported as a problem).
fn run_case(test: &Test<'_>, case: &Node, report: &mut TestReport) -> Result<Option<CaseResult>, Error> {
    let Test { source, dir, setup, compared } = *test;
    let name = case.get("name").and_then(Node::as_str).unwrap_or_default().to_owned();
    let documents: Vec<&Node> = match case.get("documents").map(|n| &n.value) {
        Some(Value::Seq(items)) => items.iter().collect(),
        _ => Vec::new(),
    };
    let paths: Vec<PathBuf> = documents.iter().filter_map(|n| n.as_str()).map(|s| dir.join(s)).collect();
    for (node, path) in documents.iter().zip(&paths) {
        if !path.exists() {
            let message = format!("fixture `{}` does not exist", node.as_str().unwrap_or_default());
            report.problems.push(
                Diagnostic::tool(Code::UnreadableInput, message, source, node.span)
                    .with_help("fixture paths are relative to the test file"),
            );
            return Ok(None);
        }
    }
    let only_file = match paths.as_slice() {
        [one] => Some(discover::display_name(one, dir)),
        _ => None,
    };
    let mut expected = Vec::new();
    if let Some(Value::Seq(items)) = case.get("expect").map(|n| &n.value) {
        for item in items {
            let code = item.get("rule").and_then(Node::as_str).unwrap_or_default().to_owned();
            let line = item
                .get("line")
                .and_then(|n| if let Value::Int(i) = n.value { usize::try_from(i).ok() } else { None });
            let file =
                item.get("file").and_then(Node::as_str).map(str::to_owned).or_else(|| only_file.clone());
            match (file, line) {
                (Some(file), Some(line)) => {
                    expected.push(Finding { code, file, line, message: String::new() });
                }
                (None, _) => {
                    let message = "the expected finding does not say which fixture file it is in".to_owned();
                    report.problems.push(
                        Diagnostic::tool(Code::MalformedPolicy, message, source, item.span)
                            .with_help("add `file:` when a case has several documents"),
                    );
                    return Ok(None);
                }
                (Some(_), None) => {
                    let message = "the expected finding does not say on which line it is".to_owned();
                    report.problems.push(
                        Diagnostic::tool(Code::MalformedPolicy, message, source, item.span)
                            .with_help("add `line:` with the 1-based line of the finding"),
                    );
                    return Ok(None);
                }
            }
        }
    }
    let options = Options { base: dir.to_path_buf(), threads: Some(1), ..Options::default() };
    let inputs: Vec<Input> = paths.into_iter().map(|path| Input { path, named: true }).collect();
    let outcome = check::judge(&options, &inputs, &[], setup)?;
    let counts = |code: &str| {
        code.starts_with("CL-P") || code.starts_with("CL-S") || compared.iter().any(|c| c == code)
    };
    let mut actual: Vec<Finding> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.suppression.is_none() && counts(&d.code))
        .map(|d| Finding {
            code: d.code.clone(),
            file: d.source.name().to_owned(),
            line: d.start().map_or(0, |at| at.line),
            message: d.message.clone(),
        })
        .collect();
    actual.sort();
    expected.sort();
    let (missing, unexpected) = difference(&expected, &actual);
    Ok(Some(CaseResult { file: source.name().to_owned(), name, missing, unexpected }))
}

/// Multiset difference by (code, file, line): expected and not found, found and not expected.
fn difference(expected: &[Finding], actual: &[Finding]) -> (Vec<Finding>, Vec<Finding>) {
    let key = |f: &Finding| (f.code.clone(), f.file.clone(), f.line);
    let mut left: BTreeMap<(String, String, usize), usize> = BTreeMap::new();
    for finding in actual {
        *left.entry(key(finding)).or_default() += 1;
    }
    let mut missing = Vec::new();
    for finding in expected {
        match left.get_mut(&key(finding)) {
            Some(count) if *count > 0 => *count -= 1,
            _ => missing.push(finding.clone()),
        }
    }
    let mut unexpected = Vec::new();
    for finding in actual.iter().rev() {
        if let Some(count) = left.get_mut(&key(finding))
            && *count > 0
        {
            *count -= 1;
            unexpected.push(finding.clone());
        }
    }
    unexpected.reverse();
    (missing, unexpected)
}
