//! Diagnostic codes that belong to the tool rather than to a policy rule.

/// Where the documentation lives; rule and code pages hang below it.
pub const DOCS_BASE: &str = "https://github.com/consentlint/consentlint/blob/main/docs";

/// The file is not valid YAML: syntax, duplicate keys, invalid UTF-8, or over a limit.
pub const YAML: &str = "CL-P001";
/// A document with our `apiVersion` and a missing or unknown `kind`.
pub const KIND: &str = "CL-P002";
/// The file could not be read.
pub const READ: &str = "CL-P003";
/// A document violates its schema.
pub const SCHEMA: &str = "CL-S001";

/// An app names a tenant that is not in the run, or does not say which of several.
pub const TENANT: &str = "CL-S002";

/// Every tool code with a kebab-case name and a one-line summary, in code order.
pub const ALL: &[(&str, &str, &str)] = &[
    (YAML, "invalid-yaml", "the file is not valid YAML"),
    (KIND, "unknown-kind", "a consentlint document has a missing or unknown `kind` or `apiVersion`"),
    (READ, "unreadable-input", "the file could not be read"),
    (SCHEMA, "schema-violation", "the document violates its schema"),
    (TENANT, "unknown-tenant", "an app's tenant is not in the run, or is ambiguous"),
    ("CL-C001", "invalid-policy", "a policy document violates the policy schema"),
    ("CL-C002", "unknown-policy-path", "a policy path or placeholder does not exist"),
    ("CL-C003", "invalid-regex", "a policy regular expression does not compile"),
    ("CL-C004", "duplicate-rule-id", "a rule id is defined twice"),
    ("CL-C005", "malformed-policy", "a policy condition or rule is malformed"),
    ("CL-C006", "invalid-catalog", "a permission catalog file cannot be used"),
    (SUPPRESSION_REASON, "suppression-without-reason", "a `consentlint-ignore` comment gives no reason"),
    (UNUSED_SUPPRESSION, "unused-suppression", "a `consentlint-ignore` comment suppresses nothing"),
    (CONFIG, "invalid-configuration", "the configuration file cannot be used"),
];

/// An inline suppression without a reason.
pub const SUPPRESSION_REASON: &str = "CL-I001";
/// An inline suppression that suppresses nothing.
pub const UNUSED_SUPPRESSION: &str = "CL-I002";
/// The configuration file cannot be used.
pub const CONFIG: &str = "CL-C007";

/// The report entries of the tool's own codes.
#[must_use]
pub fn rule_metas() -> Vec<crate::report::RuleMeta> {
    ALL.iter()
        .map(|(code, name, summary)| crate::report::RuleMeta {
            id: (*code).to_owned(),
            name: (*name).to_owned(),
            severity: if *code == UNUSED_SUPPRESSION {
                crate::diagnostic::Severity::Warning
            } else {
                crate::diagnostic::Severity::Error
            },
            summary: (*summary).to_owned(),
            description: format!("{}. See {}.", summary, url(code)),
            url: Some(url(code)),
        })
        .collect()
}

/// The documentation link of a code.
#[must_use]
pub fn url(code: &str) -> String {
    let page = if code.starts_with("CL-T") || code.starts_with("CL-A") { "rules" } else { "diagnostics" };
    format!("{DOCS_BASE}/{page}.md#{}", code.to_lowercase())
}
