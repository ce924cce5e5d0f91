//! The policy language: rules as data, compiled once per run.
//!
//! A `kind: Policy` document is validated against `schemas/policy.v1.schema.json`, then compiled by
//! [`compile`] into [`Rule`]s: paths are checked against the target kind's schema, regular
//! expressions compiled, templates parsed. Every mistake is a `CL-C…` diagnostic at its node.

mod compile;
mod path;
pub mod profile;
mod template;

use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;

use regex::Regex;

pub use path::{Path, Root};
pub use template::{Part, Template};

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::Error;
use crate::kind::Kind;
use crate::load::{self, LoadedFile};
use crate::schema::Schemas;
use crate::source::{SourceFile, Span};
use crate::yaml::{Limits, Node, Value};

include!(concat!(env!("OUT_DIR"), "/builtin_policies.rs"));

/// A compiled rule.
#[derive(Debug)]
#[expect(clippy::struct_excessive_bools, reason = "independent facts about a rule, each read on its own")]
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
    /// The message on a document read from another tool's export (`native:`), when the rule
    /// gives one: that tool's keys.
    pub native_message: Option<Template>,
    /// The help on such a document, when the rule gives one: the remedy in the tenant.
    pub native_help: Option<Template>,
    /// Severity changes, first match wins.
    pub overrides: Vec<Override>,
    /// Values a profile may set, read as `$profile.NAME`, sorted by name.
    pub parameters: Vec<Parameter>,
    /// Whether the profile of the run set the severity, which `severity-overrides` then keep.
    pub severity_from_profile: bool,
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
    /// Its documentation: the rule reference for built-in rules, else its first reference with a
    /// link.
    pub url: Option<String>,
}

/// A value of a rule that a profile may set (`parameters:`), read as `$profile.NAME`.
#[derive(Clone, Debug)]
pub struct Parameter {
    /// Its name.
    pub name: String,
    /// What it decides.
    pub description: String,
    /// The rule's own value.
    pub default: Node,
    /// The value in force: the default, or the profile's.
    pub value: Node,
    /// The file the value in force is written in.
    pub source: Arc<SourceFile>,
    /// The values a profile may give (or, for a list, its items), when the rule says.
    pub values: Vec<Value>,
}

impl Rule {
    /// The parameter named `name`.
    #[must_use]
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }
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
    /// The message on a native document (`native:`), when the override gives one.
    pub native_message: Option<Template>,
    /// The help on a native document, when the override gives one.
    pub native_help: Option<Template>,
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
    /// One of the elements of the list at a path (`in: {path: …}`).
    InList(Path),
    /// Present and none of the elements of the list at a path (`not-in: {path: …}`).
    NotInList(Path),
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

impl Op {
    /// The path an operator compares with (`in: {path: …}`), which a rule reads as well as the
    /// path it tests.
    #[must_use]
    pub fn operand(&self) -> Option<&Path> {
        match self {
            Self::InList(list) | Self::NotInList(list) => Some(list),
            _ => None,
        }
    }
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
    /// Every profile loaded: the built-in ones with the built-in pack, and those of the policy
    /// directories.
    pub profiles: Vec<crate::policy::profile::Profile>,
}

impl PolicySet {
    /// The built-in rules' ids and names, from their folder names
    /// (`policies/CL-A001-user-consent-own-data-only/`), for shell completion.
    #[must_use]
    pub fn builtin_names() -> Vec<(&'static str, &'static str)> {
        BUILTIN_POLICIES
            .iter()
            .filter_map(|(path, _)| {
                let folder = path.strip_prefix("policies/")?.split('/').next()?;
                let mut parts = folder.splitn(3, '-');
                let (family, number, name) = (parts.next()?, parts.next()?, parts.next()?);
                Some((folder.get(..family.len() + 1 + number.len())?, name))
            })
            .collect()
    }

    /// Loads and compiles the policies of `sources`; paths are shown relative to `base`.
    ///
    /// # Errors
    /// Every problem of every policy file, each at its node.
    pub(crate) fn load(sources: &Sources, schemas: &Schemas, base: &FsPath) -> Result<Self, Error> {
        let mut files: Vec<LoadedFile> = Vec::new();
        let builtin_count = if sources.builtin {
            BUILTIN_POLICIES.len() + crate::policy::profile::BUILTIN_PROFILES.len()
        } else {
            0
        };
        if sources.builtin {
            for (name, text) in BUILTIN_POLICIES.iter().chain(crate::policy::profile::BUILTIN_PROFILES) {
                files.push(load::from_bytes(
                    FsPath::new(name),
                    (*name).to_owned(),
                    text.as_bytes().to_vec(),
                    Limits::default(),
                    crate::native::Context::default(),
                ));
            }
        }
        let mut diagnostics = Vec::new();
        let found = crate::discover::discover(&sources.dirs, None, base)?;
        for (path, reason) in &found.problems {
            let name = crate::discover::display_name(path, base);
            let source = Arc::new(SourceFile::new(path.clone(), name, ""));
            let message = format!("cannot read the policy path: {reason}");
            diagnostics.push(Diagnostic::about_file(Code::UnreadableInput, message, &source));
        }
        for input in &found.files {
            let name = crate::discover::display_name(&input.path, base);
            files.push(load::load(&input.path, name, Limits::default()));
        }
        for path in &sources.files {
            files.push(load::load(path, crate::discover::display_name(path, base), Limits::default()));
        }
        Self::compile(&files, builtin_count, schemas, diagnostics)
    }

    /// Compiles a policy of consentlint's own that is not part of the rule pack (such as the
    /// consent model of `simulate`), bundled as `text` and shown as `name`.
    ///
    /// # Errors
    /// Every problem of the policy, each at its node.
    pub(crate) fn bundled(name: &str, text: &str, schemas: &Schemas) -> Result<Self, Error> {
        let file = load::from_bytes(
            FsPath::new(name),
            name.to_owned(),
            text.as_bytes().to_vec(),
            Limits::default(),
            crate::native::Context::default(),
        );
        Self::compile(&[file], 0, schemas, Vec::new())
    }

    /// Compiles the policy documents of `files`, the first `builtin_count` of them from the built-in
    /// pack; `diagnostics` holds the problems met while finding them.
    fn compile(
        files: &[LoadedFile],
        builtin_count: usize,
        schemas: &Schemas,
        mut diagnostics: Vec<Diagnostic>,
    ) -> Result<Self, Error> {
        let mut compiler = compile::Compiler::new(schemas);
        let mut profiles = Vec::new();
        for (index, file) in files.iter().enumerate() {
            diagnostics.extend(file.diagnostics.iter().cloned());
            // The built-in documents are validated by `the_builtin_documents_satisfy_their_schemas`,
            // not on every run: compiling the policy and profile schemas is most of a small run.
            let builtin = index < builtin_count;
            let valid = |kind, document: &crate::load::LoadedDocument| {
                if builtin {
                    Ok(())
                } else {
                    schemas.validate(kind, &document.root, document.index, &file.source).map(drop)
                }
            };
            for document in file.documents.iter().filter(|d| d.kind == Kind::Profile) {
                match valid(Kind::Profile, document) {
                    Ok(()) => profiles.extend(crate::policy::profile::Profile::read(
                        &document.root,
                        &file.source,
                        document.index,
                        builtin,
                    )),
                    Err(found) => diagnostics.extend(found.into_iter().map(|mut d| {
                        d.code = Code::InvalidPolicy.into();
                        d.url = Some(Code::InvalidPolicy.url());
                        d
                    })),
                }
            }
            for document in file.documents.iter().filter(|d| d.kind == Kind::Policy) {
                match valid(Kind::Policy, document) {
                    Ok(()) => compiler.policy(&file.source, document.index, &document.root, builtin),
                    Err(found) => diagnostics.extend(found.into_iter().map(|mut d| {
                        d.code = Code::InvalidPolicy.into();
                        d.url = Some(Code::InvalidPolicy.url());
                        d
                    })),
                }
            }
        }
        let (mut rules, compile_errors) = compiler.finish();
        diagnostics.extend(compile_errors);
        diagnostics.extend(crate::policy::profile::check(&profiles, &rules));
        for d in &mut diagnostics {
            d.severity = Severity::Error;
        }
        if !diagnostics.is_empty() {
            crate::diagnostic::sort(&mut diagnostics);
            return Err(Error::Inputs(diagnostics));
        }
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        let ids = rules.iter().map(|r| r.id.clone()).collect();
        Ok(Self { rules, ids, profiles })
    }

    /// Loads and compiles the policies of `sources` with the bundled schemas; paths are shown
    /// relative to `base`.
    ///
    /// # Errors
    /// Every problem of every policy file, each at its node ([`Error::Inputs`]).
    pub fn from_sources(sources: &Sources, base: &FsPath) -> Result<Self, Error> {
        let schemas = Schemas::new();
        Self::load(sources, &schemas, base)
    }

    /// The rule with this id.
    #[must_use]
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|rule| rule.id == id)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::BUILTIN_POLICIES;
    use crate::kind::Kind;
    use crate::load;
    use crate::policy::profile::BUILTIN_PROFILES;
    use crate::schema::Schemas;
    use crate::yaml::Limits;

    /// A run does not validate the built-in documents (see `PolicySet::compile`): this test does.
    #[test]
    fn the_builtin_documents_satisfy_their_schemas() {
        let schemas = Schemas::new();
        let mut seen = [0, 0];
        for (name, text) in BUILTIN_POLICIES.iter().chain(BUILTIN_PROFILES) {
            let file = load::from_bytes(
                Path::new(name),
                (*name).to_owned(),
                text.as_bytes().to_vec(),
                Limits::default(),
                crate::native::Context::default(),
            );
            assert!(file.diagnostics.is_empty(), "{name}: {:?}", file.diagnostics);
            for document in &file.documents {
                assert!(matches!(document.kind, Kind::Policy | Kind::Profile), "{name}");
                let checked = schemas.validate(document.kind, &document.root, document.index, &file.source);
                assert!(checked.is_ok(), "{name}: {:?}", checked.err());
                seen[usize::from(document.kind == Kind::Profile)] += 1;
            }
        }
        assert_eq!(seen, [BUILTIN_POLICIES.len(), BUILTIN_PROFILES.len()]);
    }

    /// Shell completion offers the built-in profiles by file name (`profile::builtin_names`).
    #[test]
    fn each_builtin_profile_is_named_as_its_file() {
        let names: Vec<String> = BUILTIN_PROFILES
            .iter()
            .flat_map(|(name, text)| {
                let file = load::from_bytes(
                    Path::new(name),
                    (*name).to_owned(),
                    text.as_bytes().to_vec(),
                    Limits::default(),
                    crate::native::Context::default(),
                );
                file.documents
                    .into_iter()
                    .filter_map(|d| d.root.get("metadata")?.get("name")?.as_str().map(str::to_owned))
            })
            .collect();
        assert_eq!(names, crate::policy::profile::builtin_names());
    }
}
