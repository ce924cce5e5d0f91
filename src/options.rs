//! The options of a `check` run, resolved once: the command line's flags merged with
//! `.consentlint.yaml` in [`resolve`], into one [`Options`] value that every later stage reads.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{self, Config};
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::Filter;
use crate::error::Error;
use crate::policy;
use crate::source::{SourceFile, Span};
use crate::yaml::Limits;

/// What the command line says; `None` and empty values leave the choice to the configuration.
#[derive(Clone, Debug, Default)]
#[allow(clippy::struct_excessive_bools, reason = "each is one command-line switch, named as the flag")]
pub struct Flags {
    /// Files and directories to check.
    pub paths: Vec<PathBuf>,
    /// `--config FILE`.
    pub config: Option<PathBuf>,
    /// `--no-config`.
    pub no_config: bool,
    /// `--fail-on`.
    pub fail_on: Option<FailOn>,
    /// `--baseline FILE`.
    pub baseline: Option<PathBuf>,
    /// `--write-baseline FILE`: no baseline is applied while one is written.
    pub writing_baseline: bool,
    /// `--policy DIR`.
    pub policies: Vec<PathBuf>,
    /// `--no-builtin-policies`.
    pub no_builtin_policies: bool,
    /// `--catalog FILE`.
    pub catalogs: Vec<PathBuf>,
    /// `--select`.
    pub select: Vec<String>,
    /// `--ignore`.
    pub ignore: Vec<String>,
    /// `--threads`.
    pub threads: Option<usize>,
    /// `--show-skipped`.
    pub show_skipped: bool,
    /// `--profile NAME`.
    pub profile: Option<String>,
    /// `--fail-on-unjudged`.
    pub fail_on_unjudged: bool,
    /// `--pre-commit`.
    pub pre_commit: bool,
}

/// The lowest severity that fails a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    /// Errors fail the run.
    Error,
    /// Warnings and errors fail the run.
    Warning,
    /// Any finding fails the run.
    Info,
    /// Findings never fail the run.
    Never,
}

impl FailOn {
    /// The value named as in `failOn` or `--fail-on`.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "error" => Some(Self::Error),
            "warning" => Some(Self::Warning),
            "info" => Some(Self::Info),
            "never" => Some(Self::Never),
            _ => None,
        }
    }

    /// The lowest severity that fails, or `None` when nothing does.
    #[must_use]
    pub fn threshold(self) -> Option<Severity> {
        match self {
            Self::Error => Some(Severity::Error),
            Self::Warning => Some(Severity::Warning),
            Self::Info => Some(Severity::Info),
            Self::Never => None,
        }
    }
}

/// Which codes to report: `select` (all when empty) minus `ignore`; entries match codes or
/// prefixes of codes (`CL-A` selects every app rule).
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Codes or prefixes to report; everything when empty.
    pub select: Vec<String>,
    /// Codes or prefixes never to report.
    pub ignore: Vec<String>,
}

impl Selection {
    /// Whether findings with this code are reported. Files that are not valid YAML or fail their
    /// schema (`CL-P…`, `CL-S…`) could not be checked, so `select` never hides them; only an
    /// explicit `ignore` does.
    #[must_use]
    pub fn allows(&self, code: &str) -> bool {
        let matches = |entry: &String| code.starts_with(entry.as_str());
        let always = code.starts_with("CL-P") || code.starts_with("CL-S");
        (always || self.select.is_empty() || self.select.iter().any(matches))
            && !self.ignore.iter().any(matches)
    }
}

/// A severity the configuration sets for a code, and where it says so.
#[derive(Clone, Debug)]
pub struct SeverityChange {
    /// The new severity; `None` turns the code off.
    pub severity: Option<Severity>,
    /// The configuration file and the span of the setting, shown beside the findings it changes.
    pub set_at: Option<(Arc<SourceFile>, Span)>,
}

/// Everything a check run needs, resolved.
#[derive(Clone, Debug, Default)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent switches, each resolved once from flags and configuration"
)]
pub struct Options {
    /// Files and directories to check.
    pub paths: Vec<PathBuf>,
    /// Paths are shown relative to this directory.
    pub base: PathBuf,
    /// Worker threads; all cores when `None`.
    pub threads: Option<usize>,
    /// Parser limits.
    pub(crate) limits: Limits,
    /// Where the rules come from.
    pub policies: policy::Sources,
    /// Extra permission catalogs.
    pub catalogs: Vec<PathBuf>,
    /// Which codes to report.
    pub selection: Selection,
    /// Files and directories loaded only for cross-document rules (the tenants).
    pub context: Vec<PathBuf>,
    /// Severity changes by code.
    pub severities: BTreeMap<String, SeverityChange>,
    /// Which files walked directories yield, and which are never checked.
    pub(crate) filter: Option<Filter>,
    /// A baseline whose findings are hidden.
    pub baseline: Option<PathBuf>,
    /// Where the configuration names the baseline, when it does: a missing baseline is reported
    /// there.
    pub baseline_set_at: Option<(Arc<SourceFile>, Span)>,
    /// The lowest severity that fails the run.
    pub fail_on: Option<FailOn>,
    /// Whether the run fails when anything was not judged (a note says so).
    pub fail_on_unjudged: bool,
    /// Whether the paths are the files a pre-commit hook received: those outside what consentlint
    /// reads, or excluded by the configuration, are expected there, and pass without a note.
    pub pre_commit: bool,
    /// The configuration file used, if any.
    pub(crate) config: Option<Arc<Config>>,
    /// A document read from standard input, checked with the files.
    pub piped: Option<crate::discover::Piped>,
    /// Directories the configuration names as tenants (`tenants:`), absolute, with the names.
    pub tenant_dirs: Vec<(PathBuf, String)>,
    /// Whether every native export holds each object its tenant has (`completeExports: true`), so
    /// that an object it lacks is one the tenant does not have (see `docs/inputs.md`).
    pub complete_exports: bool,
    /// Whether the report says why each file that was not judged was skipped.
    pub show_skipped: bool,
    /// The profile named by `--profile` or `profile:`; `None`: the default profile when the
    /// built-in pack is loaded, else none (every rule loaded runs).
    pub profile: Option<String>,
}

impl Options {
    /// The name of the profile the run judges by, if any: the one chosen, else the default
    /// profile when the built-in pack is loaded.
    #[must_use]
    pub fn profile_name(&self) -> Option<&str> {
        self.profile.as_deref().or(self.policies.builtin.then_some(crate::policy::profile::DEFAULT))
    }

    /// Options for checking `paths` with the built-in rules and nothing else configured.
    #[must_use]
    pub fn new(paths: Vec<PathBuf>, base: PathBuf) -> Self {
        Self {
            paths,
            base,
            policies: policy::Sources { builtin: true, ..policy::Sources::default() },
            ..Self::default()
        }
    }

    /// Whether diagnostics of `code` are reported at all: selected, and not turned off.
    #[must_use]
    pub fn reports(&self, code: &str) -> bool {
        self.selection.allows(code) && self.severities.get(code).is_none_or(|c| c.severity.is_some())
    }

    /// Applies selection and severity changes to `diagnostics`: drops what is not reported, and
    /// gives each changed diagnostic its new severity with the configuration line beside it.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.retain(|d| self.reports(&d.code));
        for diagnostic in diagnostics.iter_mut() {
            let Some(SeverityChange { severity: Some(severity), set_at }) =
                self.severities.get(&diagnostic.code)
            else {
                continue;
            };
            if *severity != diagnostic.severity
                && let Some((source, span)) = set_at
            {
                diagnostic.related.push(crate::diagnostic::Label {
                    source: Arc::clone(source),
                    span: *span,
                    message: format!("severity set to {} here", severity.as_str()),
                });
            }
            diagnostic.severity = *severity;
        }
    }
}

/// Merges the flags with the configuration file (the one `--config` names, or the one found from
/// `base` upwards): the one place where a setting's value is decided.
///
/// # Errors
/// A `--config` file that does not exist, or the configuration's problems, each at its node.
pub fn resolve(flags: Flags, base: PathBuf) -> Result<Options, Error> {
    let config = load_config(&flags, &base)?;
    let Flags { paths, baseline, policies, catalogs, select, ignore, threads, profile, .. } = flags;
    let mut options = Options {
        paths,
        threads,
        policies: policy::Sources {
            builtin: !flags.no_builtin_policies && config.as_ref().is_none_or(|c| c.builtin_policies),
            dirs: policies,
            files: Vec::new(),
        },
        catalogs,
        selection: Selection { select, ignore },
        baseline,
        fail_on: flags.fail_on,
        fail_on_unjudged: flags.fail_on_unjudged,
        pre_commit: flags.pre_commit,
        show_skipped: flags.show_skipped,
        base,
        profile,
        ..Options::default()
    };
    if let Some(config) = config {
        options.policies.dirs.splice(0..0, config.policies.iter().cloned());
        options.catalogs.splice(0..0, config.catalogs.iter().cloned());
        options.context.clone_from(&config.context);
        options.tenant_dirs.clone_from(&config.tenants);
        options.complete_exports = config.complete_exports;
        options.severities = config
            .rules
            .iter()
            .map(|(code, (severity, span))| {
                let set_at = Some((Arc::clone(&config.source), *span));
                (code.clone(), SeverityChange { severity: *severity, set_at })
            })
            .collect();
        if options.baseline.is_none() && !flags.writing_baseline {
            options.baseline.clone_from(&config.baseline);
            options.baseline_set_at = config.baseline_span.map(|span| (Arc::clone(&config.source), span));
        }
        options.fail_on = options.fail_on.or_else(|| config.fail_on.as_deref().and_then(FailOn::from_name));
        options.fail_on_unjudged |= config.fail_on_unjudged;
        if options.profile.is_none() {
            options.profile = config.profile.as_ref().map(|(name, _)| name.clone());
        }
        options.filter = Some(config.filter.clone());
        options.config = Some(Arc::new(config));
    }
    Ok(options)
}

/// The directory every input lies in (a file's own directory, a directory itself), absolute; `None`
/// without inputs.
fn inputs_dir(paths: &[PathBuf], base: &Path) -> Option<PathBuf> {
    let dirs = paths.iter().map(|path| {
        let absolute = base.join(path);
        if absolute.is_dir() {
            absolute
        } else {
            absolute.parent().map_or_else(|| absolute.clone(), Path::to_path_buf)
        }
    });
    dirs.reduce(|shared, dir| {
        shared
            .ancestors()
            .find(|ancestor| dir.starts_with(ancestor))
            .map_or_else(PathBuf::new, Path::to_path_buf)
    })
    .filter(|dir| !dir.as_os_str().is_empty())
}

/// The configuration named by `--config`, or found from the inputs' directory or `base` up; `None`
/// with `--no-config`.
fn load_config(flags: &Flags, base: &Path) -> Result<Option<Config>, Error> {
    if flags.no_config {
        return Ok(None);
    }
    let path = match &flags.config {
        Some(path) if std::fs::symlink_metadata(path).is_err() => {
            return Err(Error::MissingConfig(path.clone()));
        }
        Some(path) => path.clone(),
        // As ruff does, the configuration nearest the inputs: searched from the directory they
        // share (up to the repository root), then from the working directory.
        None => match inputs_dir(&flags.paths, base)
            .and_then(|dir| config::discover(&dir))
            .or_else(|| config::discover(base))
        {
            Some(path) => path,
            None => return Ok(None),
        },
    };
    Config::load(&path, base).map(Some).map_err(Error::Inputs)
}
