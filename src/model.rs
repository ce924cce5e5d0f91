//! The typed model of valid documents, for the engine and the evaluator.
//!
//! Built with serde from a document that passed its schema, so every field here is known to be
//! present and well-typed where the schema requires it.

use serde::Deserialize;

/// A schema-valid document of ours.
#[derive(Clone, Debug, PartialEq)]
pub enum Model {
    /// A tenant.
    Tenant(TenantConfig),
    /// An app.
    App(AppManifest),
    /// A policy or a policy test: read by their own modules from the located tree.
    Other,
}

/// `kind: TenantConfig`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TenantConfig {
    /// Identity.
    pub metadata: TenantMetadata,
    /// Settings.
    pub spec: TenantSpec,
}

/// `TenantConfig.metadata`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TenantMetadata {
    /// Unique short name.
    pub name: String,
    /// Directory id.
    pub tenant_id: String,
}

/// `TenantConfig.spec`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TenantSpec {
    /// The user consent toggle and policy.
    pub user_consent: UserConsent,
    /// Whether users may register apps (Entra ID's default is yes).
    pub users_can_register_apps: Option<bool>,
    /// The admin consent workflow.
    pub admin_consent_workflow: Option<AdminConsentWorkflow>,
}

/// The consent policy behind the toggle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConsentPolicy {
    /// Any app, any permission that needs no admin consent (legacy).
    AllApps,
    /// Verified publishers and own-tenant apps, low-impact permissions only.
    VerifiedPublishersLowImpact,
    /// Microsoft decides.
    MicrosoftManaged,
}

/// `spec.userConsent`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserConsent {
    /// The toggle.
    pub enabled: bool,
    /// Which apps and permissions users may consent to.
    pub policy: Option<ConsentPolicy>,
    /// Whether users may consent to apps flagged risky.
    pub allow_risky_apps: Option<bool>,
    /// Whether group owners may consent for their groups.
    pub group_owner_consent: Option<bool>,
    /// Permissions classified low impact.
    #[serde(default)]
    pub low_impact_permissions: Vec<String>,
}

/// One reviewer of consent requests.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Reviewer {
    /// A user, by principal name.
    User(String),
    /// A group, by name.
    Group(String),
    /// A directory role, by name.
    Role(String),
}

/// `spec.adminConsentWorkflow`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminConsentWorkflow {
    /// Whether users can request approval.
    pub enabled: bool,
    /// Who reviews.
    #[serde(default)]
    pub reviewers: Vec<Reviewer>,
    /// Whether reviewers get an email per request.
    pub notify_reviewers: Option<bool>,
    /// Whether reviewers get reminders.
    pub reminders_enabled: Option<bool>,
    /// Days before a request expires (YAML may write whole numbers as `30.0`).
    pub request_duration_in_days: Option<f64>,
}

/// `kind: AppManifest`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppManifest {
    /// Identity.
    pub metadata: AppMetadata,
    /// What the app is and asks for.
    pub spec: AppSpec,
}

/// `AppManifest.metadata`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppMetadata {
    /// Unique short name within its tenant.
    pub name: String,
    /// Application (client) id.
    pub app_id: String,
    /// The tenant it is consented in.
    pub tenant: Option<String>,
}

/// Where an app comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// Built by the organisation itself.
    Organization,
    /// Another Microsoft 365 organisation.
    OtherOrganization,
    /// A third-party vendor.
    ThirdParty,
    /// Microsoft.
    Microsoft,
}

/// `spec.publisher`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Publisher {
    /// Display name.
    pub name: String,
    /// Where the app comes from.
    pub origin: Origin,
    /// Whether the publisher is verified.
    pub verified: Option<bool>,
    /// Microsoft Partner Network id.
    pub verified_publisher_id: Option<String>,
    /// The publishing organisation's tenant.
    pub tenant_id: Option<String>,
}

/// Who is expected to grant consent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConsentBy {
    /// Each user for themselves.
    User,
    /// An administrator for the organisation.
    Admin,
}

/// Delegated or application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PermissionType {
    /// Acts as the signed-in user.
    Delegated,
    /// Acts as itself, tenant-wide.
    Application,
}

/// One requested permission.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Permission {
    /// Name, such as `User.Read`.
    pub name: String,
    /// Delegated or application.
    #[serde(rename = "type")]
    pub kind: PermissionType,
    /// The API; Microsoft Graph when absent.
    pub resource: Option<String>,
    /// Why the app needs it.
    pub justification: Option<String>,
}

/// `AppManifest.spec`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppSpec {
    /// Name shown to users.
    pub display_name: String,
    /// Who publishes it.
    pub publisher: Publisher,
    /// Which accounts can sign in.
    pub sign_in_audience: Option<String>,
    /// Who grants consent.
    pub consent: Option<ConsentBy>,
    /// What it asks for.
    pub permissions: Vec<Permission>,
}

impl Permission {
    /// The resource, with Microsoft Graph as the default.
    #[must_use]
    pub fn resource(&self) -> &str {
        self.resource.as_deref().unwrap_or(GRAPH)
    }
}

/// The default resource of a permission.
pub const GRAPH: &str = "Microsoft Graph";
