//! The `check` pipeline, wiring only: discover → read and parse (`load`) → `validate` → `engine`
//! → settle (selection, severities, suppressions, baseline) → [`Report`]. Each stage's types live
//! in its own module.

mod judge;
mod notes;
mod reading;

pub(crate) use reading::{read_file, with_resources};

use std::path::PathBuf;
use std::sync::Arc;

use crate::catalog::{self, Catalog};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::discover;
use crate::error::Error;
use crate::options::Options;
use crate::policy::PolicySet;
use crate::report::{Report, RuleMeta};
use crate::schema::Schemas;
use crate::source::SourceFile;

pub(crate) use judge::{judge, judge_collecting};

/// The rules, catalog and schemas of a run.
pub(crate) struct Setup {
    /// The compiled schemas.
    pub schemas: Schemas,
    /// The rules that run.
    pub policies: PolicySet,
    /// Every permission catalog.
    pub catalog: Catalog,
    /// The profile the run judges by, applied to `policies`.
    pub profile: Option<crate::policy::profile::Resolved>,
    /// Rules of the user's policy directories that the profile does not run.
    pub left_out: Vec<String>,
}

/// Runs the pipeline.
///
/// # Errors
/// A named path that does not exist, problems in the policies, catalogs or baseline (as
/// [`Error::Inputs`]), an unknown `--select` or `--ignore` entry, or threads that cannot start.
pub fn run(options: &Options) -> Result<Report, Error> {
    let (found, context, fixtures) = discover_all(options)?;
    run_on(options, &found, &context, fixtures, &load_setup(options)?)
}

/// Runs the pipeline with the rules, catalog and schemas already loaded (by [`load_setup`] with the
/// same options), for callers that check many times.
///
/// # Errors
/// As [`run`], less the problems of loading the setup.
pub(crate) fn run_with(options: &Options, setup: &Setup) -> Result<Report, Error> {
    let (found, context, fixtures) = discover_all(options)?;
    run_on(options, &found, &context, fixtures, setup)
}

/// The files to check, the context files that are not among them, and how many walked files were
/// left out as policy-test fixtures.
fn discover_all(options: &Options) -> Result<(discover::Discovered, Vec<PathBuf>, usize), Error> {
    let mut found = discover::discover(&options.paths, options.filter.as_ref(), &options.base)?;
    if let Some(piped) = &options.piped {
        found.add_piped(piped, options.filter.as_ref(), &options.base);
    }
    let fixtures = crate::fixtures::skip_walked_fixtures(&mut found.files, &options.base);
    skip_own_files(&mut found.files, options);
    let context = if options.context.is_empty() {
        Vec::new()
    } else {
        // A context path that cannot be walked is said like an input's: its tenant would be missing.
        let walked = discover::discover(&options.context, None, &options.base)?;
        found.problems.extend(walked.problems);
        walked.files
    };
    let context: Vec<PathBuf> = context
        .into_iter()
        .map(|input| input.path)
        .filter(|path| found.files.binary_search_by(|f| f.path.cmp(path)).is_err())
        .collect();
    Ok((found, context, fixtures))
}

/// Runs the pipeline and gives, besides the report, every granted permission the inputs hold, for
/// the `grants` view.
///
/// # Errors
/// As [`run`].
pub(crate) fn run_with_grants(options: &Options) -> Result<(Report, Vec<crate::grants::Row>), Error> {
    let setup = load_setup(options)?;
    let (found, context, fixtures) = discover_all(options)?;
    let (report, rows) = judge_collecting(options, &found.files, &context, &setup, true)?;
    Ok((settle(options, &found, fixtures, &setup, report)?, rows))
}

/// Judges what discovery found and settles the report.
fn run_on(
    options: &Options,
    found: &discover::Discovered,
    context: &[PathBuf],
    fixtures: usize,
    setup: &Setup,
) -> Result<Report, Error> {
    let report = judge(options, &found.files, context, setup)?;
    settle(options, found, fixtures, setup, report)
}

/// Adds what discovery could not read, applies selection, severities and the baseline, and says
/// what was not checked.
fn settle(
    options: &Options,
    found: &discover::Discovered,
    fixtures: usize,
    setup: &Setup,
    mut report: Report,
) -> Result<Report, Error> {
    for (path, reason) in &found.problems {
        let source = Arc::new(SourceFile::new(path.clone(), discover::display_name(path, &options.base), ""));
        let problem =
            Diagnostic::about_file(Code::UnreadableInput, format!("cannot read the path: {reason}"), &source);
        report.diagnostics.push(problem);
        report.incomplete = true;
    }
    options.apply(&mut report.diagnostics);
    if let Some(baseline) = &options.baseline {
        if let Some((config, span)) = &options.baseline_set_at
            && std::fs::symlink_metadata(baseline).is_err()
        {
            let name = discover::display_name(baseline, &options.base);
            let problem = Diagnostic::tool(
                Code::InvalidConfiguration,
                format!("the baseline `{name}` does not exist"),
                config,
                *span,
            )
            .with_label("not found")
            .with_help(format!(
                "write it with `consentlint check --write-baseline {name}`, or remove `baseline:`"
            ));
            return Err(Error::Inputs(vec![problem]));
        }
        let checked: Vec<PathBuf> = found.files.iter().map(|f| f.path.clone()).collect();
        crate::baseline::apply(baseline, &mut report, &options.base, &checked)
            .map_err(|problem| Error::Inputs(vec![*problem]))?;
    }
    report.controls =
        setup.profile.as_ref().filter(|profile| !profile.controls.is_empty()).map(|profile| {
            crate::controls::judge(profile, &report, &setup.policies, options.profile.is_some())
        });
    let mut notes = notes::notes(options, found, fixtures, &report);
    if let (Some(profile), false) = (&setup.profile, setup.left_out.is_empty()) {
        let rules: Vec<String> = setup.left_out.iter().map(|id| format!("`{id}`")).collect();
        notes.push(crate::report::Note {
            unjudged: true,
            severity: crate::severity::Severity::Info,
            message: format!(
                "rules of your policy directories did not run, since profile `{}` does not list them: {} \
                 (list them under the profile's `rules:`, or set `otherRules: true`)",
                profile.name,
                rules.join(", ")
            ),
        });
    }
    notes.append(&mut report.notes);
    report.notes = notes;
    report.finish();
    Ok(report)
}

/// Leaves out the walked files that the run reads as its own: its permission catalogs and its
/// baseline, which configure the run and are not documents to check (named ones stay).
fn skip_own_files(files: &mut Vec<discover::Input>, options: &Options) {
    let canonical = |path: &std::path::Path| std::fs::canonicalize(options.base.join(path)).ok();
    let own: Vec<PathBuf> =
        options.catalogs.iter().chain(&options.baseline).filter_map(|path| canonical(path)).collect();
    if own.is_empty() {
        return;
    }
    // Only a file of the same name can be one of them: the others are not looked up.
    let named_like =
        |input: &discover::Input| own.iter().any(|path| path.file_name() == input.path.file_name());
    files.retain(|input| {
        input.named || !named_like(input) || canonical(&input.path).is_none_or(|path| !own.contains(&path))
    });
}

/// Loads the rules (less those the options turn off) and the catalogs of a run.
///
/// # Errors
/// Every problem in a policy, catalog or configuration `rules` entry, each at its node.
pub(crate) fn load_setup(options: &Options) -> Result<Setup, Error> {
    let schemas = Schemas::new();
    let mut catalog = Catalog::bundled().map_err(Error::Internal)?;
    let mut problems = Vec::new();
    for path in &options.catalogs {
        match catalog::load_file(path, &options.base) {
            Ok(file) => catalog.add(file),
            Err(found) => problems.extend(found),
        }
    }
    let mut policies = match PolicySet::load(&options.policies, &schemas, &options.base) {
        Ok(policies) => policies,
        Err(Error::Inputs(found)) => {
            problems.splice(0..0, found);
            return Err(Error::Inputs(problems));
        }
        Err(error) => return Err(error),
    };
    let known: Vec<&str> =
        policies.ids.iter().map(String::as_str).chain(Code::ALL.iter().map(|c| c.as_str())).collect();
    let profiles: Vec<&str> = policies.profiles.iter().map(|p| p.name.as_str()).collect();
    let from_config = options.config.as_ref().and_then(|c| c.profile.as_ref()).map(|(name, _)| name);
    if let Some(config) = &options.config {
        problems.extend(config.unknown_rules(&known));
        if from_config == options.profile.as_ref() {
            problems.extend(config.unknown_profile(&profiles));
        }
    }
    if !problems.is_empty() {
        return Err(Error::Inputs(problems));
    }
    let profile = options
        .profile_name()
        .map(|name| crate::policy::profile::find(&policies.profiles, name))
        .transpose()?;
    let mut left_out = Vec::new();
    if let Some(profile) = &profile {
        let own = |rules: &[crate::policy::Rule]| -> Vec<String> {
            rules.iter().filter(|r| !r.builtin).map(|r| r.id.clone()).collect()
        };
        let before = own(&policies.rules);
        profile.apply(&mut policies.rules);
        let after = own(&policies.rules);
        left_out = before.into_iter().filter(|id| !after.contains(id)).collect();
    }
    for entry in options.selection.select.iter().chain(&options.selection.ignore) {
        if !known.iter().any(|code| code.starts_with(entry.as_str())) {
            let help = crate::suggest::did_you_mean(entry, known.iter().copied()).map_or_else(
                || "`consentlint rules` lists the rule ids".to_owned(),
                |best| format!("did you mean `{best}`?"),
            );
            return Err(Error::UnknownCode { code: entry.clone(), help });
        }
    }
    policies.rules.retain(|rule| options.reports(&rule.id));
    Ok(Setup { schemas, policies, catalog, profile, left_out })
}

/// What the output formats say about the rules that ran, and about the tool's own codes.
#[must_use]
pub fn rule_metas(policies: &PolicySet) -> Vec<RuleMeta> {
    let mut metas: Vec<RuleMeta> = policies
        .rules
        .iter()
        .map(|rule| RuleMeta {
            id: rule.id.clone(),
            name: rule.name.clone(),
            severity: rule.severity,
            summary: rule.summary.clone(),
            description: rule.description.clone(),
            url: rule.url.clone(),
        })
        .collect();
    metas.extend(RuleMeta::of_codes());
    metas.sort_by(|a, b| a.id.cmp(&b.id));
    metas
}
