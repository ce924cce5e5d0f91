//! The policy language: rules as data, compiled once per run.
//!
//! A `kind: Policy` document is validated against `schemas/policy.v1.schema.json`, then compiled by
//! [`compile`] into [`Rule`]s: paths are checked against the target kind's schema, regular
//! expressions compiled, templates parsed. Every mistake is a `CL-C…` diagnostic at its node.

mod compile;
mod path;
mod template;

use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;

use regex::Regex;

pub use path::{Path, Root};
pub use template::{Part, Template};

use crate::diagnostic::{Diagnostic, Severity};
use crate::kind::Kind;
use crate::load::{self, LoadedFile};
use crate::schema::Schemas;
use crate::source::{SourceFile, Span};
use crate::yaml::{Limits, Value};

include!(concat!(env!("OUT_DIR"), "/builtin_policies.rs"));

/// The policy document violates the policy schema.
pub const SCHEMA_ERROR: &str = "CL-C001";
/// A path or placeholder that does not exist.
pub const PATH_ERROR: &str = "CL-C002";
/// A regular expression that does not compile.
pub const REGEX_ERROR: &str = "CL-C003";
/// A rule id defined twice.
pub const DUPLICATE_ID: &str = "CL-C004";
/// A condition or rule whose parts do not fit together.
pub const SHAPE_ERROR: &str = "CL-C005";
/// A catalog file that cannot be used.
pub const CATALOG_ERROR: &str = "CL-C006";

/// A compiled rule.
#[derive(Debug)]
pub struct Rule {
    /// Stable code.
    pub id: String,
    /// kebab-case name.
    pub name: String,
    /// Default severity.
    pub severity: Severity,
    /// The kind of document judged.
    pub target: Kind,
    /// One line.
    pub summary: String,
    /// Markdown.
    pub description: String,
    /// Baseline controls and documentation.
    pub references: Vec<Reference>,
    /// Evaluate once per element of this list.
    pub for_each: Option<Path>,
    /// Applies only where this holds.
    pub when: Option<Condition>,
    /// Must hold.
    pub assert: Condition,
    /// Where findings point, when set.
    pub report: Option<Path>,
    /// The finding's message.
    pub message: Template,
    /// What to do.
    pub help: Option<Template>,
    /// Severity changes, first match wins.
    pub overrides: Vec<Override>,
    /// Whether any path reaches the tenant in context.
    pub uses_tenant: bool,
    /// Whether `assert` tests `unique`: once, as the assertion or a condition of its `all`s.
    pub uses_unique: bool,
    /// Where the rule is defined.
    pub source: Arc<SourceFile>,
    /// The span of its `id` value.
    pub span: Span,
    /// Whether it comes from the built-in pack.
    pub builtin: bool,
}

/// A baseline control or document a rule rests on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// Such as `MS.AAD.5.3v1`.
    pub id: String,
    /// Human-readable title.
    pub title: Option<String>,
    /// Where to read it.
    pub url: Option<String>,
}

/// A severity change for findings where a condition holds.
#[derive(Debug)]
pub struct Override {
    /// When it applies.
    pub when: Condition,
    /// The severity to use.
    pub severity: Severity,
    /// The message to use instead.
    pub message: Option<Template>,
    /// The help to use instead.
    pub help: Option<Template>,
}

/// A condition over a document.
#[derive(Debug)]
pub enum Condition {
    /// Every one holds.
    All(Vec<Condition>),
    /// At least one holds.
    Any(Vec<Condition>),
    /// Does not hold.
    Not(Box<Condition>),
    /// A test of the value at a path.
    Test {
        /// Where the value is.
        path: Path,
        /// The value used when the path is absent.
        default: Option<Value>,
        /// What is tested.
        op: Op,
    },
}

/// The operators of a test.
#[derive(Debug)]
pub enum Op {
    /// Equal to.
    Equals(Value),
    /// Present and not equal to.
    NotEquals(Value),
    /// One of.
    In(Vec<Value>),
    /// Present and none of.
    NotIn(Vec<Value>),
    /// Present.
    Exists,
    /// Absent.
    Absent,
    /// A string matching.
    Matches(Regex),
    /// A number greater than.
    GreaterThan(f64),
    /// A number greater than or equal to.
    GreaterOrEqual(f64),
    /// A number less than.
    LessThan(f64),
    /// A number less than or equal to.
    LessOrEqual(f64),
    /// A list with at least this many elements.
    MinItems(usize),
    /// A list with at most this many elements.
    MaxItems(usize),
    /// A list holding, or a string containing.
    Contains(Value),
    /// Not shared with another document of the target kind.
    Unique,
}

impl Condition {
    /// The `unique` test of an assertion, with its default: the whole condition or a condition of
    /// its `all`s, the only places a policy may test it.
    #[must_use]
    pub fn unique_test(&self) -> Option<(&Path, Option<&Value>)> {
        match self {
            Self::All(items) => items.iter().find_map(Self::unique_test),
            Self::Test { path, default, op: Op::Unique } => Some((path, default.as_ref())),
            Self::Any(_) | Self::Not(_) | Self::Test { .. } => None,
        }
    }
}

/// Where policies come from.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    /// Whether to load the built-in pack.
    pub builtin: bool,
    /// Directories whose `kind: Policy` documents are loaded.
    pub dirs: Vec<PathBuf>,
    /// Policy files, loaded whatever else they hold.
    pub files: Vec<PathBuf>,
}

/// Every rule of a run, sorted by id.
#[derive(Debug, Default)]
pub struct PolicySet {
    /// The rules.
    pub rules: Vec<Rule>,
    /// The id of every rule loaded, also of those a selection turned off.
    pub ids: Vec<String>,
}

impl PolicySet {
    /// Loads and compiles the policies of `sources`; paths are shown relative to `base`.
    ///
    /// # Errors
    /// Every problem of every policy file, each at its node.
    pub fn load(sources: &Sources, schemas: &Schemas, base: &FsPath) -> Result<Self, Vec<Diagnostic>> {
        let mut files: Vec<LoadedFile> = Vec::new();
        let builtin_count = if sources.builtin { BUILTIN_POLICIES.len() } else { 0 };
        if sources.builtin {
            for (name, text) in BUILTIN_POLICIES {
                files.push(load::from_bytes(
                    FsPath::new(name),
                    (*name).to_owned(),
                    text.as_bytes().to_vec(),
                    Limits::default(),
                ));
            }
        }
        let mut diagnostics = Vec::new();
        match crate::discover::discover(&sources.dirs) {
            Ok(found) => {
                for path in &found.files {
                    files.push(load::load(
                        path,
                        crate::discover::display_name(path, base),
                        Limits::default(),
                    ));
                }
            }
            Err(missing) => return Err(vec![missing_path(&missing, base)]),
        }
        for path in &sources.files {
            files.push(load::load(path, crate::discover::display_name(path, base), Limits::default()));
        }
        let mut compiler = compile::Compiler::new(schemas);
        for (index, file) in files.iter().enumerate() {
            diagnostics.extend(file.diagnostics.iter().cloned());
            for document in file.documents.iter().filter(|d| d.kind == Kind::Policy) {
                match schemas.validate(Kind::Policy, &document.root, document.index, &file.source) {
                    Ok(_) => {
                        compiler.policy(&file.source, document.index, &document.root, index < builtin_count);
                    }
                    Err(found) => diagnostics.extend(found.into_iter().map(|mut d| {
                        d.code = SCHEMA_ERROR.into();
                        d.url = Some(crate::codes::url(SCHEMA_ERROR));
                        d
                    })),
                }
            }
        }
        let (mut rules, compile_errors) = compiler.finish();
        diagnostics.extend(compile_errors);
        for d in &mut diagnostics {
            d.severity = Severity::Error;
        }
        if !diagnostics.is_empty() {
            crate::diagnostic::sort(&mut diagnostics);
            return Err(diagnostics);
        }
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        let ids = rules.iter().map(|r| r.id.clone()).collect();
        Ok(Self { rules, ids })
    }

    /// The rule with this id.
    #[must_use]
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|rule| rule.id == id)
    }
}

fn missing_path(missing: &crate::discover::MissingPaths, base: &FsPath) -> Diagnostic {
    let name = missing.0.first().map(|p| crate::discover::display_name(p, base)).unwrap_or_default();
    let source = Arc::new(SourceFile::new(PathBuf::from(&name), name, ""));
    Diagnostic::new(crate::codes::READ, Severity::Error, format!("policy {missing}"), &source, Span::point(0))
        .with_url(crate::codes::url(crate::codes::READ))
}
