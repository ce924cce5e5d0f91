//! `simulate`: what a user sees on first opening each app in one tenant, before any administrator
//! has consented, and the smallest change that would let them consent on their own.
//!
//! The inputs are read as `check` reads them ([`inputs`]); the decision is the consent model
//! ([`model`], rules in the policy language in `data/simulate/consent-model.yaml`) run by the
//! engine with the tenant in context; the changes are searched by editing copies of the app and
//! the tenant and running the model again ([`search`]), and what a change costs is what the rule
//! pack then finds that it did not before. [`render`] writes the result for people and programs.

mod change;
mod inputs;
mod model;
mod narrower;
mod outcome;
mod owner;
mod policies;
pub mod render;
mod search;

use rayon::prelude::*;

use crate::check;
use crate::error::Error;
use crate::options::Options;
use crate::report::Report;
use crate::severity::Severity;

pub use change::Side;

/// The reasons the tenant's permission grant policies and risk-based step-up give (as opposed to
/// the rules of `data/simulate/consent-model.yaml`), by id.
pub const POLICY_REASONS: [&str; 7] = [
    "not-low-impact",
    "publisher-not-verified",
    "tenant-not-in-policy",
    "client-not-in-policy",
    "excluded-by-policy",
    "not-in-policy",
    "risk-based-step-up",
];

/// What a user meets on first opening an app, before an administrator has consented.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// The user can consent to everything the app asks for.
    ConsentPrompt,
    /// Something needs an administrator, and the admin consent workflow lets the user ask.
    ApprovalRequired,
    /// Something needs an administrator and no request can reach a reviewer: the user sees an
    /// error and has no recourse.
    Blocked,
    /// The tenant's files do not state a setting the answer depends on (a native tenant).
    Undetermined,
}

impl Outcome {
    /// Every outcome, in the order summaries list them.
    pub const ALL: [Self; 4] =
        [Self::ConsentPrompt, Self::ApprovalRequired, Self::Blocked, Self::Undetermined];

    /// The name in every output format.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ConsentPrompt => "consent-prompt",
            Self::ApprovalRequired => "approval-required",
            Self::Blocked => "blocked",
            Self::Undetermined => "undetermined",
        }
    }
}

/// Who can grant a permission.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grantor {
    /// The user, for themselves.
    User,
    /// Only an administrator.
    Admin,
    /// Not known: a reason could not be decided.
    Unknown,
}

impl Grantor {
    /// The name in every output format.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Admin => "admin",
            Self::Unknown => "unknown",
        }
    }
}

/// Why a permission or an app needs an administrator, or why a request reaches no one: one rule of
/// the consent model that applies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason {
    /// The reason's stable id, such as `user-consent-off`.
    pub id: String,
    /// A few words, such as `user consent off`.
    pub label: String,
    /// The explanation, with the names involved.
    pub message: String,
    /// What would remove this reason.
    pub help: Option<String>,
    /// The rules of the built-in pack that explain it.
    pub rules: Vec<String>,
}

/// One permission the app asks for, and who can grant it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Permission {
    /// As the manifest writes it.
    pub name: String,
    /// `delegated` or `application`.
    pub kind: String,
    /// The API; Microsoft Graph unless the manifest names another.
    pub resource: String,
    /// Who can grant it.
    pub grantable_by: Grantor,
    /// Whether it reaches only the signed-in user's own data (`None`: not in the catalog).
    pub own_data_only: Option<bool>,
    /// Why an administrator is needed.
    pub reasons: Vec<Reason>,
    /// The reasons (labels) that could not be decided.
    pub undecided: Vec<String>,
}

/// Someone who receives a request for admin approval.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reviewer {
    /// `user`, `group` or `role`.
    pub kind: String,
    /// As the tenant names them.
    pub name: String,
    /// Whether they can approve what the app asks for: their directory role may grant it
    /// (`data/consent/approvers.yaml`). `None` for people and groups, whose roles the files do not
    /// show, and for roles consentlint does not know.
    pub can_approve: Option<bool>,
}

/// What the owner of a team or chat meets when the app asks for resource-specific permissions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupOwner {
    /// What they meet.
    pub outcome: Outcome,
    /// Why, in one sentence.
    pub reason: String,
}

/// One edit of a change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The tenant or the app.
    pub on: Side,
    /// What kind of edit, such as `classify-low-impact`.
    pub action: &'static str,
    /// The permission it is about, if any.
    pub permission: Option<String>,
    /// What to do, in words.
    pub text: String,
    /// What it gives up, in words.
    pub cost: Option<String>,
}

/// A finding the rule pack would report after a change, and not before.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TradeOff {
    /// The rule.
    pub rule: String,
    /// Its severity, as configured.
    pub severity: Severity,
    /// Its message.
    pub message: String,
}

/// A set of edits that together turn the outcome into a consent prompt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Whom it changes: the tenant, the app, or both.
    pub on: Side,
    /// The edits.
    pub steps: Vec<Step>,
    /// What the rule pack would newly report.
    pub trade_offs: Vec<TradeOff>,
    /// What the rule pack reports now and would no longer report.
    pub resolves: Vec<TradeOff>,
}

/// The simulation of one app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppOutcome {
    /// `metadata.name`.
    pub app: String,
    /// The file, relative to the working directory.
    pub file: String,
    /// The document's position in the file.
    pub document: usize,
    /// The tenant the app names in `metadata.tenant`, when it is not the simulated one.
    pub names_tenant: Option<String>,
    /// What the user meets.
    pub outcome: Outcome,
    /// Why, in one sentence.
    pub reason: String,
    /// Who receives the request for approval (for `approval-required`).
    pub reviewers: Vec<Reviewer>,
    /// Each permission, in manifest order.
    pub permissions: Vec<Permission>,
    /// Why the app as a whole needs an administrator.
    pub app_reasons: Vec<Reason>,
    /// Why no request can reach a reviewer.
    pub recourse: Vec<Reason>,
    /// The rules that explain the outcome, sorted.
    pub rules: Vec<String>,
    /// The smallest changes that make the outcome a consent prompt, the smallest first.
    pub changes: Vec<Change>,
    /// For an app that asks for resource-specific permissions: what a team owner meets.
    pub group_owner: Option<GroupOwner>,
}

impl AppOutcome {
    /// Whether a reason could not be decided for some permission: the tenant's files do not state
    /// a setting it reads.
    #[must_use]
    pub fn undecided(&self) -> bool {
        self.permissions.iter().any(|p| !p.undecided.is_empty())
    }
}

/// The simulation of every app in one tenant.
#[derive(Debug, Default)]
pub struct Simulation {
    /// The tenant's name, when the tenant file holds one valid tenant.
    pub tenant: Option<String>,
    /// Each app, by file and position.
    pub apps: Vec<AppOutcome>,
    /// Inputs that are not valid (`CL-P…`, `CL-S001`), as `check` reports them.
    pub problems: Report,
    /// Whether an app path was a directory: text formats then end with a summary of outcomes.
    pub summarise: bool,
}

impl Simulation {
    /// How many apps have each outcome, for the outcomes that occur.
    #[must_use]
    pub fn counts(&self) -> Vec<(Outcome, usize)> {
        Outcome::ALL
            .into_iter()
            .map(|outcome| (outcome, self.apps.iter().filter(|a| a.outcome == outcome).count()))
            .filter(|(_, count)| *count > 0)
            .collect()
    }
}

/// Simulates the apps found in `options.paths` in the tenant of the file or directory `tenant`.
/// Invalid inputs are reported as `check` reports them ([`Simulation::problems`]); the other apps
/// are simulated.
///
/// # Errors
/// As `check`: a path that does not exist, problems in the configuration, policies or catalogs;
/// and [`Error::Usage`] when `tenant` holds no tenant or several, or the paths hold no app.
pub fn run(options: &Options, tenant: &std::path::Path) -> Result<Simulation, Error> {
    let setup = check::load_setup(options)?;
    let model = model::Model::load(&setup.schemas)?;
    let narrower = narrower::Narrower::bundled()?;
    let mut everything = options.clone();
    everything.paths = std::iter::once(tenant.to_path_buf()).chain(options.paths.iter().cloned()).collect();
    everything.context = Vec::new();
    let problems = inputs::problems(&check::run_with(&everything, &setup)?);
    let read = inputs::read(options, tenant, &setup)?;
    let summarise = options.paths.iter().any(|path| path.is_dir());
    let Some(tenant) = read.tenant() else {
        return Ok(Simulation { problems, summarise, ..Simulation::default() });
    };
    let judge =
        search::Judge { model: &model, narrower: &narrower, catalog: read.catalog(), setup: &setup, options };
    let mut apps: Vec<AppOutcome> =
        read.apps().par_iter().map(|app| outcome::simulate(&judge, app, tenant)).collect();
    apps.sort_by(|a, b| a.file.cmp(&b.file).then(a.document.cmp(&b.document)));
    Ok(Simulation { tenant: tenant.name().map(str::to_owned), apps, problems, summarise })
}
