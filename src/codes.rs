//! The diagnostic codes of the tool itself (policy rules have their own ids): one enum carrying
//! each code's name, summary, default severity and documentation.
//!
//! The documentation is `docs/diagnostics.md`, compiled in: `explain CODE` prints a code's
//! section, and a test checks that every code has one and that the file documents no other code.

use std::fmt;

use crate::severity::Severity;

/// Where the documentation lives; rule and code pages hang below it.
pub const DOCS_BASE: &str = "https://github.com/consentlint/consentlint/blob/main/docs";

/// The documentation of every code: one `## CODE` or `### CODE` section each.
const DOCUMENTATION: &str = include_str!("../docs/diagnostics.md");

/// A diagnostic code of the tool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// The file is not valid YAML: syntax, duplicate keys, text not valid in its encoding, or over a
    /// limit.
    InvalidYaml,
    /// A document with our `apiVersion` and a missing or unknown `kind`.
    UnknownKind,
    /// The file could not be read.
    UnreadableInput,
    /// An export its tool could not complete: it holds error text where values should be.
    FailedExport,
    /// A document violates its schema.
    SchemaViolation,
    /// An app names a tenant that is not in the run, or does not say which of several.
    UnknownTenant,
    /// An app judged with no tenant in the run, so the rules that need one were skipped.
    NoTenant,
    /// Two native objects of a kind a tenant has one of, under one export root.
    ConflictingTenantParts,
    /// A grant whose `scope` string is empty, spaced oddly or names a permission twice.
    MalformedGrant,
    /// A grant names a service principal or permission that the run cannot resolve.
    UnresolvedGrant,
    /// Two grants of the same consent, or one grant id read twice with different content.
    DuplicateGrant,
    /// A policy document violates the policy schema.
    InvalidPolicy,
    /// A policy path or placeholder that does not exist.
    UnknownPolicyPath,
    /// A policy regular expression that does not compile.
    InvalidRegex,
    /// A rule id defined twice.
    DuplicateRuleId,
    /// A condition or rule whose parts do not fit together.
    MalformedPolicy,
    /// A permission catalog file that cannot be used.
    InvalidCatalog,
    /// The configuration file or the baseline cannot be used.
    InvalidConfiguration,
    /// An inline suppression without a reason.
    SuppressionWithoutReason,
    /// An inline suppression that suppresses nothing.
    UnusedSuppression,
}

impl Code {
    /// Every code, in code order.
    pub const ALL: [Self; 20] = [
        Self::InvalidYaml,
        Self::UnknownKind,
        Self::UnreadableInput,
        Self::FailedExport,
        Self::SchemaViolation,
        Self::UnknownTenant,
        Self::NoTenant,
        Self::ConflictingTenantParts,
        Self::MalformedGrant,
        Self::UnresolvedGrant,
        Self::DuplicateGrant,
        Self::InvalidPolicy,
        Self::UnknownPolicyPath,
        Self::InvalidRegex,
        Self::DuplicateRuleId,
        Self::MalformedPolicy,
        Self::InvalidCatalog,
        Self::InvalidConfiguration,
        Self::SuppressionWithoutReason,
        Self::UnusedSuppression,
    ];

    /// The stable code, such as `CL-P001`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidYaml => "CL-P001",
            Self::UnknownKind => "CL-P002",
            Self::UnreadableInput => "CL-P003",
            Self::FailedExport => "CL-P004",
            Self::SchemaViolation => "CL-S001",
            Self::UnknownTenant => "CL-S002",
            Self::NoTenant => "CL-S003",
            Self::ConflictingTenantParts => "CL-S004",
            Self::MalformedGrant => "CL-S005",
            Self::UnresolvedGrant => "CL-S006",
            Self::DuplicateGrant => "CL-S007",
            Self::InvalidPolicy => "CL-C001",
            Self::UnknownPolicyPath => "CL-C002",
            Self::InvalidRegex => "CL-C003",
            Self::DuplicateRuleId => "CL-C004",
            Self::MalformedPolicy => "CL-C005",
            Self::InvalidCatalog => "CL-C006",
            Self::InvalidConfiguration => "CL-C007",
            Self::SuppressionWithoutReason => "CL-I001",
            Self::UnusedSuppression => "CL-I002",
        }
    }

    /// The kebab-case name.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::InvalidYaml => "invalid-yaml",
            Self::UnknownKind => "unknown-kind",
            Self::UnreadableInput => "unreadable-input",
            Self::FailedExport => "failed-export",
            Self::SchemaViolation => "schema-violation",
            Self::UnknownTenant => "unknown-tenant",
            Self::NoTenant => "app-without-tenant",
            Self::ConflictingTenantParts => "conflicting-tenant-objects",
            Self::MalformedGrant => "malformed-grant",
            Self::UnresolvedGrant => "unresolved-grant",
            Self::DuplicateGrant => "duplicate-grant",
            Self::InvalidPolicy => "invalid-policy",
            Self::UnknownPolicyPath => "unknown-policy-path",
            Self::InvalidRegex => "invalid-regex",
            Self::DuplicateRuleId => "duplicate-rule-id",
            Self::MalformedPolicy => "malformed-policy",
            Self::InvalidCatalog => "invalid-catalog",
            Self::InvalidConfiguration => "invalid-configuration",
            Self::SuppressionWithoutReason => "suppression-without-reason",
            Self::UnusedSuppression => "unused-suppression",
        }
    }

    /// One line: what the code means.
    #[must_use]
    pub const fn summary(self) -> &'static str {
        match self {
            Self::InvalidYaml => "the file is not valid YAML",
            Self::UnknownKind => "a consentlint document has a missing or unknown `kind` or `apiVersion`",
            Self::UnreadableInput => "the file could not be read",
            Self::FailedExport => "an export its tool could not complete holds error text in place of values",
            Self::SchemaViolation => "the document violates its schema",
            Self::UnknownTenant => "an app's tenant is not in the run, or is ambiguous",
            Self::NoTenant => "an app was judged without a tenant, so the rules that need one were skipped",
            Self::ConflictingTenantParts => {
                "one export holds two objects of a kind a tenant has only one of, such as two authorization policies"
            }
            Self::MalformedGrant => {
                "a grant's `scope` is empty, spaced oddly or names a permission twice, or ScubaGear's record of a grant is incomplete"
            }
            Self::UnresolvedGrant => "a grant names a service principal or permission the run cannot resolve",
            Self::DuplicateGrant => {
                "a consent is granted twice, or one grant id is read with different content"
            }
            Self::InvalidPolicy => "a policy document violates the policy schema",
            Self::UnknownPolicyPath => "a policy path or placeholder does not exist",
            Self::InvalidRegex => "a policy regular expression does not compile",
            Self::DuplicateRuleId => "a rule id is defined twice",
            Self::MalformedPolicy => "a policy condition or rule is malformed",
            Self::InvalidCatalog => "a permission catalog file cannot be used",
            Self::InvalidConfiguration => "the configuration file cannot be used",
            Self::SuppressionWithoutReason => "a `consentlint-ignore` comment gives no reason",
            Self::UnusedSuppression => "a `consentlint-ignore` comment suppresses nothing",
        }
    }

    /// The severity a diagnostic of this code has unless the configuration changes it.
    #[must_use]
    pub const fn default_severity(self) -> Severity {
        match self {
            Self::UnusedSuppression
            | Self::NoTenant
            | Self::MalformedGrant
            | Self::UnresolvedGrant
            | Self::DuplicateGrant => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// The code with this id, such as `CL-S001` (any case).
    #[must_use]
    pub fn parse(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|code| code.as_str().eq_ignore_ascii_case(id))
    }

    /// The link to the code's documentation.
    #[must_use]
    pub fn url(self) -> String {
        url(self.as_str())
    }

    /// The code's full documentation (Markdown, starting with its heading), from
    /// `docs/diagnostics.md`; `None` only if the file lacks the section, which a test forbids.
    #[must_use]
    pub fn documentation(self) -> Option<&'static str> {
        section(DOCUMENTATION, self.as_str())
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<Code> for String {
    fn from(code: Code) -> Self {
        code.as_str().to_owned()
    }
}

/// The section of `markdown` whose `##` or `###` heading is exactly `id`, up to the next heading
/// of the same or a higher level.
fn section<'a>(markdown: &'a str, id: &str) -> Option<&'a str> {
    let mut offset = 0;
    let mut start = None;
    let mut level = 0;
    for line in markdown.split_inclusive('\n') {
        let hashes = line.bytes().take_while(|b| *b == b'#').count();
        if let Some(from) = start {
            if hashes > 0 && hashes <= level {
                return markdown.get(from..offset).map(str::trim_end);
            }
        } else if hashes >= 2 && line.get(hashes..).is_some_and(|rest| rest.trim() == id) {
            start = Some(offset);
            level = hashes;
        }
        offset += line.len();
    }
    start.and_then(|from| markdown.get(from..)).map(str::trim_end)
}

/// Every code documented in `docs/diagnostics.md`: the `##`/`###` headings that look like codes.
#[must_use]
pub fn documented() -> Vec<&'static str> {
    DOCUMENTATION
        .lines()
        .filter_map(|line| line.trim_start_matches('#').strip_prefix(' ').filter(|_| line.starts_with("##")))
        .map(str::trim)
        .filter(|heading| heading.starts_with("CL-"))
        .collect()
}

/// The documentation link of a rule id or code.
#[must_use]
pub fn url(code: &str) -> String {
    let rule = ["CL-T", "CL-A", "CL-G"].iter().any(|family| code.starts_with(family));
    let page = if rule { "rules" } else { "diagnostics" };
    format!("{DOCS_BASE}/{page}.md#{}", code.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_end_at_the_next_heading_of_their_level() {
        let text = "# T\n\n## A\n\none\n\n### B\n\ntwo\n\n## C\n\nthree\n";
        assert_eq!(section(text, "A"), Some("## A\n\none\n\n### B\n\ntwo"));
        assert_eq!(section(text, "B"), Some("### B\n\ntwo"));
        assert_eq!(section(text, "C"), Some("## C\n\nthree"));
        assert_eq!(section(text, "D"), None);
    }

    #[test]
    fn every_code_is_documented_and_nothing_else() {
        for code in Code::ALL {
            let doc = code.documentation().unwrap_or_default();
            assert!(doc.lines().count() > 2, "{code} has no documentation section");
        }
        let mut listed: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let mut documented = documented();
        listed.sort_unstable();
        documented.sort_unstable();
        assert_eq!(listed, documented);
    }

    #[test]
    fn codes_parse_back() {
        for code in Code::ALL {
            assert_eq!(Code::parse(&code.as_str().to_lowercase()), Some(code));
        }
        assert_eq!(Code::parse("CL-X999"), None);
    }
}
