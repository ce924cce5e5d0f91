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

/// Every tool code with a one-line summary, in code order.
pub const ALL: &[(&str, &str)] = &[
    (YAML, "the file is not valid YAML"),
    (KIND, "a consentlint document has a missing or unknown `kind` or `apiVersion`"),
    (READ, "the file could not be read"),
    (SCHEMA, "the document violates its schema"),
    (TENANT, "an app's tenant is not in the run, or is ambiguous"),
    ("CL-C001", "a policy document violates the policy schema"),
    ("CL-C002", "a policy path or placeholder does not exist"),
    ("CL-C003", "a policy regular expression does not compile"),
    ("CL-C004", "a rule id is defined twice"),
    ("CL-C005", "a policy condition or rule is malformed"),
    ("CL-C006", "a permission catalog file cannot be used"),
];

/// The documentation link of a code.
#[must_use]
pub fn url(code: &str) -> String {
    let page = if code.starts_with("CL-T") || code.starts_with("CL-A") { "rules" } else { "diagnostics" };
    format!("{DOCS_BASE}/{page}.md#{}", code.to_lowercase())
}
