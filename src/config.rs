//! `.consentlint.yaml`: found from the inputs' directory (then the working directory) upwards to
//! the repository root, validated by `schemas/config.v1.schema.json`, with paths relative to its
//! own directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::{Filter, absolute};
use crate::load;
use crate::source::{SourceFile, Span};
use crate::yaml::{Limits, Node};

/// The names a configuration file may have, in order of preference.
pub const FILE_NAMES: [&str; 2] = crate::discover::CONFIG_FILE_NAMES;

const SCHEMA: &str = include_str!("../schemas/config.v1.schema.json");

/// The JSON Schema of `.consentlint.yaml`, as `consentlint schema Config` prints it.
#[must_use]
pub fn schema_text() -> &'static str {
    SCHEMA
}

/// The settings as written.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Raw {
    include: Option<Vec<String>>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    context: Vec<String>,
    #[serde(default)]
    tenants: BTreeMap<String, String>,
    #[serde(default)]
    policies: Vec<String>,
    builtin_policies: Option<bool>,
    profile: Option<String>,
    fail_on: Option<String>,
    #[serde(default)]
    fail_on_unjudged: bool,
    #[serde(default)]
    complete_exports: bool,
    #[serde(default)]
    rules: BTreeMap<String, String>,
    baseline: Option<String>,
    #[serde(default)]
    catalog: Vec<String>,
}

/// A loaded configuration, with paths resolved against its directory.
#[derive(Debug)]
pub struct Config {
    /// The file it was read from.
    pub source: Arc<SourceFile>,
    /// Its located tree, for pointing at `rules` entries.
    root: Node,
    /// Its `include` and `exclude` patterns.
    pub filter: Filter,
    /// The `include` patterns as written (`None`: every file), for `--show-config`.
    pub include_patterns: Option<Vec<String>>,
    /// The `exclude` patterns as written.
    pub exclude_patterns: Vec<String>,
    /// Documents always loaded for cross-document rules.
    pub context: Vec<PathBuf>,
    /// Directories of native exports, each with the name of its tenant.
    pub tenants: Vec<(PathBuf, String)>,
    /// Extra policy directories.
    pub policies: Vec<PathBuf>,
    /// Whether to load the built-in pack.
    pub builtin_policies: bool,
    /// The lowest severity that fails a run (`error`, `warning`, `info`, `never`).
    pub fail_on: Option<String>,
    /// Whether a run that did not judge everything fails (`failOnUnjudged: true`).
    pub fail_on_unjudged: bool,
    /// Whether native exports hold every object of their tenants (`completeExports: true`).
    pub complete_exports: bool,
    /// The profile named by `profile:`, with the span of its value.
    pub profile: Option<(String, Span)>,
    /// Rule severities (`None` turns a rule off), with the span of each setting.
    pub rules: BTreeMap<String, (Option<Severity>, Span)>,
    /// The baseline file.
    pub baseline: Option<PathBuf>,
    /// Where `baseline` is set, for pointing at it.
    pub baseline_span: Option<Span>,
    /// Extra permission catalogs.
    pub catalogs: Vec<PathBuf>,
}

/// The configuration file that applies in `start`: the first found from `start` upwards to the
/// repository root (the nearest directory holding `.git`). Outside a repository only `start` itself
/// is searched, so that a configuration in some parent directory is never picked up unawares.
/// Anything with the name counts, even a directory or a broken link, so that loading it reports why
/// it cannot be used.
#[must_use]
pub fn discover(start: &Path) -> Option<PathBuf> {
    let exists = |path: &PathBuf| std::fs::symlink_metadata(path).is_ok();
    let in_repository = start.ancestors().any(|dir| exists(&dir.join(".git")));
    for dir in start.ancestors() {
        if let Some(found) = FILE_NAMES.iter().map(|name| dir.join(name)).find(exists) {
            return Some(found);
        }
        if !in_repository || exists(&dir.join(".git")) {
            return None;
        }
    }
    None
}

impl Config {
    /// Reads and validates a configuration file; `base` is the working directory.
    ///
    /// # Errors
    /// Every problem in the file, each at its node (`CL-C007`).
    pub fn load(path: &Path, base: &Path) -> Result<Self, Vec<Diagnostic>> {
        let absolute = absolute(path, base);
        // Parsed once, every YAML error reported: a configuration that cannot be read must stop
        // the run, never count as empty.
        let loaded = load::load_any(path, crate::discover::display_name(path, base), Limits::default());
        let source = loaded.source;
        let mut problems: Vec<Diagnostic> = loaded.diagnostics;
        let mut documents = loaded.documents.into_iter();
        let root = documents.next().map_or_else(
            || Node { value: crate::yaml::Value::Map(Vec::new()), span: Span::point(source.text().len()) },
            |d| d.root,
        );
        problems.extend(documents.map(|extra| {
            config_error(&source, extra.root.span, "a configuration file holds one document".into(), None)
                .in_document(extra.index)
                .with_label("another document")
                .with_help("merge the settings into the first document, or remove the `---` separator")
        }));
        for problem in &mut problems {
            problem.code = Code::InvalidConfiguration.into();
            problem.url = Some(Code::InvalidConfiguration.url());
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let (raw_schema, validator) = crate::schema::compile(SCHEMA, "configuration")
            .map_err(|e| vec![config_error(&source, root.span, e, None)])?;
        let json = crate::schema::validate_with(
            &validator,
            &raw_schema,
            &root,
            0,
            &source,
            Code::InvalidConfiguration,
        )?;
        let raw: Raw = serde_json::from_value(json)
            .map_err(|e| vec![config_error(&source, root.span, e.to_string(), None)])?;
        let dir = absolute.parent().map_or_else(|| base.to_path_buf(), Path::to_path_buf);
        let include =
            raw.include.as_ref().map(|globs| globset(globs, "include", &root, &source)).transpose()?;
        let exclude = if raw.exclude.is_empty() {
            None
        } else {
            Some(globset(&raw.exclude, "exclude", &root, &source)?)
        };
        let mut missing = Vec::new();
        let mut resolve = |key: &str, paths: &[String]| {
            let mut resolved = Vec::new();
            for (index, path) in paths.iter().enumerate() {
                let full = dir.join(path);
                if std::fs::symlink_metadata(&full).is_err() {
                    let span = root.pointer(&format!("/{key}/{index}")).map_or(root.span, |(n, _)| n.span);
                    let message = format!("`{path}` does not exist");
                    let help = format!("paths in `{key}` are relative to the configuration file's directory");
                    missing.push(config_error(&source, span, message, Some(help)).with_label("not found"));
                }
                resolved.push(full);
            }
            resolved
        };
        let context = resolve("context", &raw.context);
        let policies = resolve("policies", &raw.policies);
        let catalogs = resolve("catalog", &raw.catalog);
        let tenants = tenant_dirs(&raw.tenants, &dir, &root, &source, &mut missing);
        if !missing.is_empty() {
            return Err(missing);
        }
        let rules = severities(&raw.rules, &root);
        Ok(Self {
            context,
            tenants,
            policies,
            catalogs,
            baseline: raw.baseline.as_ref().map(|b| dir.join(b)),
            baseline_span: root.get("baseline").map(|node| node.span),
            builtin_policies: raw.builtin_policies.unwrap_or(true),
            fail_on: raw.fail_on,
            fail_on_unjudged: raw.fail_on_unjudged,
            complete_exports: raw.complete_exports,
            profile: raw.profile.map(|name| (name, root.get("profile").map_or(root.span, |n| n.span))),
            filter: Filter { dir: dir.clone(), include, exclude },
            include_patterns: raw.include.clone(),
            exclude_patterns: raw.exclude.clone(),
            rules,
            source,
            root,
        })
    }

    /// `rules` entries that name no known code, as diagnostics at their key.
    #[must_use]
    pub fn unknown_rules(&self, known: &[&str]) -> Vec<Diagnostic> {
        let Some(rules) = self.root.get("rules").and_then(Node::as_map) else { return Vec::new() };
        rules
            .iter()
            .filter(|entry| !known.contains(&entry.key.as_str()))
            .map(|entry| {
                let help = crate::suggest::did_you_mean(&entry.key, known.iter().copied()).map_or_else(
                    || "`consentlint rules` lists the rule ids".to_owned(),
                    |best| format!("did you mean `{best}`?"),
                );
                config_error(
                    &self.source,
                    entry.key_span,
                    format!("unknown rule `{}`", entry.key),
                    Some(help),
                )
                .at(0, format!("/rules/{}", crate::yaml::escape_pointer_token(&entry.key)))
            })
            .collect()
    }
}

impl Config {
    /// `profile:` naming no loaded profile, as a diagnostic at its value with "did you mean".
    #[must_use]
    pub fn unknown_profile(&self, known: &[&str]) -> Option<Diagnostic> {
        let (name, span) = self.profile.as_ref().filter(|(name, _)| !known.contains(&name.as_str()))?;
        let help = crate::suggest::did_you_mean(name, known.iter().copied()).map_or_else(
            || "`consentlint profiles` lists the profiles".to_owned(),
            |best| format!("did you mean `{best}`?"),
        );
        Some(
            config_error(&self.source, *span, format!("unknown profile `{name}`"), Some(help))
                .at(0, "/profile"),
        )
    }
}

fn config_error(source: &Arc<SourceFile>, span: Span, message: String, help: Option<String>) -> Diagnostic {
    Diagnostic::tool(Code::InvalidConfiguration, message, source, span).with_optional_help(help)
}

fn globset(
    globs: &[String],
    key: &str,
    root: &Node,
    source: &Arc<SourceFile>,
) -> Result<GlobSet, Vec<Diagnostic>> {
    let mut builder = GlobSetBuilder::new();
    let mut problems = Vec::new();
    for (index, glob) in globs.iter().enumerate() {
        // Patterns are relative to this file's directory; a leading `./` says the same thing.
        let pattern = glob.trim_start_matches("./");
        match Glob::new(pattern) {
            Ok(glob) => {
                builder.add(glob);
            }
            Err(error) => {
                let node = root.pointer(&format!("/{key}/{index}")).map_or(root.span, |(n, _)| n.span);
                let message = format!("`{glob}` is not a valid glob pattern: {}", error.kind());
                problems.push(config_error(
                    source,
                    node,
                    message,
                    Some("patterns look like `vendor/**` or `**/*.yaml`".into()),
                ));
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    builder.build().map_err(|e| vec![config_error(source, root.span, e.to_string(), None)])
}

/// The severity each entry of `rules:` sets (`None`: off), with the span of the entry.
fn severities(rules: &BTreeMap<String, String>, root: &Node) -> BTreeMap<String, (Option<Severity>, Span)> {
    rules
        .iter()
        .map(|(code, level)| {
            let severity = match level.as_str() {
                "error" => Some(Severity::Error),
                "warning" => Some(Severity::Warning),
                "info" => Some(Severity::Info),
                _ => None,
            };
            let span = root
                .get("rules")
                .and_then(Node::as_map)
                .and_then(|entries| entries.iter().find(|e| e.key == *code))
                .map_or(root.span, |entry| entry.key_span.join(entry.value.span));
            (code.clone(), (severity, span))
        })
        .collect()
}

/// The directories of `tenants:`, joined to the configuration's directory `dir`, each with its
/// tenant's name; a path that is not a directory is reported at its value.
fn tenant_dirs(
    tenants: &BTreeMap<String, String>,
    dir: &Path,
    root: &Node,
    source: &Arc<SourceFile>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<(PathBuf, String)> {
    let mut resolved = Vec::new();
    for (name, path) in tenants {
        let full = dir.join(path);
        if !full.is_dir() {
            let pointer = format!("/tenants/{}", crate::yaml::escape_pointer_token(name));
            let span = root.pointer(&pointer).map_or(root.span, |(n, _)| n.span);
            let message = format!("`{path}` is not a directory");
            let help = "`tenants` maps a tenant's name to the directory of its export, relative to the \
                        configuration file's directory";
            problems
                .push(config_error(source, span, message, Some(help.into())).with_label("not a directory"));
        }
        resolved.push((full, name.clone()));
    }
    resolved
}
