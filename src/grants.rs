//! The grants stage: joins each consent already given (a `Grant` document, read from an export by
//! `native`) to the rest of the run before the engine judges it.
//!
//! A grant names the app that holds it, the API and (for an application permission) the app role by
//! id. [`resolve`] names them through the service principals exported under the grant's export root
//! ([`Directory`]) and the permission catalog, and writes into the grant's tree what the rules read:
//! `spec.client` (name, application id, publisher, verification, origin seen from the tenant),
//! `spec.resource`, each permission's name and API, whether the tenant's desired state approves it
//! (`approved`, from the `AppManifest`s of the run: [`Desired`]) and whether the app's own
//! registration requests it (`requested`, from the registrations exported beside it:
//! [`Registrations`]). Every added value points at the id it was resolved from. What cannot be
//! resolved stays unknown to the engine, with why, so the rules that read it are reported as not
//! judged, and an unresolvable id is said at its place (`CL-S006`).
//!
//! A fact that a later stage computes for a granted permission (such as whether the tenant's
//! current consent policy would let a user grant it) is added the same way: a field of the
//! permission in the schema, a value written by a function of this stage, and the path left unknown
//! where it cannot be computed.

mod consent;
mod desired;
mod duplicates;
mod resolve;
mod rows;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

pub use desired::{Desired, Granted, Missing, Registrations};
pub use duplicates::{Duplicate, Seen, Twins, duplicates};
pub use resolve::resolve;
pub use rows::{Row, rows};

use crate::catalog::Catalog;
use crate::kind::Kind;
use crate::native::Resource;
use crate::validate::CheckedFile;

/// The service principals and tenants of the run, by object id and by export root.
#[derive(Debug, Default)]
pub struct Directory<'a> {
    principals: HashMap<String, &'a Resource>,
    tenants: HashMap<PathBuf, Tenant>,
    /// The whole tenant of each export root (assembled from its parts), with its user consent
    /// policies, for whether a user may grant what a grant holds.
    consent: HashMap<PathBuf, (&'a crate::validate::CheckedDocument, crate::consent::Assignment)>,
}

/// What the grants of an export root need of its tenant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tenant {
    /// Its name (`metadata.name`).
    pub name: String,
    /// Its id (`metadata.tenantId`), in ASCII lowercase, when the export states it.
    pub id: Option<String>,
}

impl<'a> Directory<'a> {
    /// The service principals (with their object ids) and the native tenants of `files`.
    #[must_use]
    pub fn new(files: impl IntoIterator<Item = &'a CheckedFile>) -> Self {
        let mut directory = Self::default();
        for file in files {
            for resource in &file.resources {
                if let Some(id) = &resource.object_id {
                    directory.principals.entry(id.clone()).or_insert(resource);
                }
            }
            for document in file.documents.iter().filter(|d| d.kind == Kind::TenantConfig) {
                let Some(native) = document.native.as_ref().filter(|n| n.format != crate::native::IMPORTED)
                else {
                    continue;
                };
                if native.part.is_none()
                    && let Ok(bundled) = crate::consent::bundled()
                {
                    let assignment = bundled.assignment(&document.root, &native.unknown);
                    directory.consent.entry(native.root.clone()).or_insert((document, assignment));
                }
                let Some(name) = document.metadata("name") else { continue };
                let id = document.metadata("tenantId").map(str::to_ascii_lowercase);
                let tenant = Tenant { name: name.to_owned(), id };
                directory.tenants.entry(native.root.clone()).or_insert(tenant);
            }
        }
        directory
    }

    /// The service principal whose object id is `id` (any case).
    #[must_use]
    pub fn principal(&self, id: &str) -> Option<&'a Resource> {
        self.principals.get(&id.to_ascii_lowercase()).copied()
    }

    /// The whole tenant exported under `root`, with its user consent policies.
    #[must_use]
    pub(crate) fn consent(
        &self,
        root: &std::path::Path,
    ) -> Option<&(&'a crate::validate::CheckedDocument, crate::consent::Assignment)> {
        self.consent.get(root)
    }

    /// The tenant exported under `root`.
    #[must_use]
    pub fn tenant(&self, root: &std::path::Path) -> Option<&Tenant> {
        self.tenants.get(root)
    }
}

/// Everything [`resolve`] joins a grant with.
#[derive(Clone, Copy)]
pub struct Joins<'a> {
    /// The exported service principals and tenants.
    pub directory: &'a Directory<'a>,
    /// The approved grants, by tenant.
    pub desired: &'a Desired,
    /// The registrations' requested permissions, by export root.
    pub registrations: &'a Registrations,
    /// The permission catalog, extended with the exported service principals.
    pub catalog: &'a Catalog,
}

/// The data file naming Microsoft's own tenants.
const MICROSOFT_TENANTS: &str = include_str!("../data/grants/microsoft-tenants.json");

/// The tenants Microsoft registers its first-party apps in, in ASCII lowercase; empty if the
/// bundled file were broken, which a test forbids.
fn microsoft_tenants() -> &'static [String] {
    static TENANTS: OnceLock<Vec<String>> = OnceLock::new();
    TENANTS.get_or_init(|| {
        serde_json::from_str::<serde_json::Value>(MICROSOFT_TENANTS)
            .ok()
            .and_then(|file| {
                file.get("tenants")?.as_object().map(|t| t.keys().map(|k| k.to_ascii_lowercase()).collect())
            })
            .unwrap_or_default()
    })
}

/// Whether `tenant` (an `appOwnerOrganizationId`) is one of Microsoft's own.
#[must_use]
pub fn is_microsoft_tenant(tenant: &str) -> bool {
    microsoft_tenants().iter().any(|id| id.eq_ignore_ascii_case(tenant))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_microsoft_tenants_are_read_from_their_data_file() {
        assert_eq!(super::microsoft_tenants().len(), 2);
        assert!(super::is_microsoft_tenant("F8CDEF31-A31E-4B4A-93E4-5F571E91255A"));
        assert!(!super::is_microsoft_tenant("00000000-0000-0000-0000-000000000000"));
    }
}
