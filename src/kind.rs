//! Which documents are ours, and of which kind.

use crate::suggest;
use crate::yaml::Node;

/// The `apiVersion` of every document consentlint reads.
pub const API_VERSION: &str = "consentlint/v1";
/// What every `apiVersion` of ours starts with.
pub const API_GROUP: &str = "consentlint/";

/// The kinds of document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Tenant settings.
    TenantConfig,
    /// An app's permission manifest.
    AppManifest,
    /// A set of declarative rules.
    Policy,
    /// Test cases for policies.
    PolicyTest,
    /// Which rules run, how, and the baseline controls they implement.
    Profile,
    /// A consent already given: a delegated permission grant or an application permission
    /// assignment, as an export holds it.
    Grant,
}

impl Kind {
    /// Every kind, in the order users meet them.
    pub const ALL: [Self; 6] =
        [Self::TenantConfig, Self::AppManifest, Self::Policy, Self::PolicyTest, Self::Profile, Self::Grant];

    /// Its position in [`Kind::ALL`], for tables indexed by kind.
    #[must_use]
    pub fn index(self) -> usize {
        match self {
            Self::TenantConfig => 0,
            Self::AppManifest => 1,
            Self::Policy => 2,
            Self::PolicyTest => 3,
            Self::Profile => 4,
            Self::Grant => 5,
        }
    }

    /// The name written in `kind:`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TenantConfig => "TenantConfig",
            Self::AppManifest => "AppManifest",
            Self::Policy => "Policy",
            Self::PolicyTest => "PolicyTest",
            Self::Profile => "Profile",
            Self::Grant => "Grant",
        }
    }

    /// The kind named `name`.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// Help for an unknown kind name.
    #[must_use]
    pub fn help_for(name: &str) -> String {
        suggest::help_for(name, Self::ALL.map(Self::as_str))
    }
}

/// Why a document is ours but unusable.
#[derive(Debug, PartialEq)]
pub enum KindError<'a> {
    /// `apiVersion: consentlint/…` other than the version we read.
    Version(&'a Node),
    /// Our `apiVersion` and no `kind`.
    Missing(&'a Node),
    /// Our `apiVersion` and a `kind` we do not know.
    Unknown(&'a Node),
}

/// The kind of a document: `Ok(None)` when it is not ours.
///
/// # Errors
/// When the document claims to be ours but its `apiVersion` or `kind` is wrong.
pub fn identify(root: &Node) -> Result<Option<Kind>, KindError<'_>> {
    let Some(version) = root.get("apiVersion") else {
        return Ok(None);
    };
    match version.as_str() {
        Some(API_VERSION) => {}
        Some(other) if other.starts_with("consentlint/") => {
            return Err(KindError::Version(version));
        }
        _ => return Ok(None),
    }
    let Some(kind) = root.get("kind") else {
        return Err(KindError::Missing(version));
    };
    kind.as_str().and_then(Kind::from_name).map(Some).ok_or(KindError::Unknown(kind))
}

#[cfg(test)]
mod tests {
    use super::Kind;

    #[test]
    fn each_kind_is_at_its_index() {
        for (at, kind) in Kind::ALL.into_iter().enumerate() {
            assert_eq!(kind.index(), at, "{}", kind.as_str());
        }
    }
}
