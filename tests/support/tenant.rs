//! A clean tenant for the CLI suites: user consent off, the admin consent workflow on with a
//! reviewer, notified and reminded (so `CL-A002` is a warning there, not an error).

/// The tenant `contoso`, clean under every tenant rule.
pub const TENANT: &str = "apiVersion: consentlint/v1
kind: TenantConfig
metadata: {name: contoso, tenantId: 6f1c2e4a-0b7d-4c1e-9a55-3e2f7d8c9b10}
spec:
  userConsent: {enabled: false, allowRiskyApps: false, groupOwnerConsent: false}
  usersCanRegisterApps: false
  adminConsentWorkflow:
    enabled: true
    reviewers: [{group: App Consent Reviewers}]
    notifyReviewers: true
    remindersEnabled: true
    requestDurationInDays: 30
";
