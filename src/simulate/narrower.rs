//! Narrower permissions, as data: `data/simulate/narrower.json` pairs each delegated permission that
//! reaches other users' data with the one of its API limited to the signed-in user's own data.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::Error;

const TEXT: &str = include_str!("../../data/simulate/narrower.json");

/// The file's shape.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[expect(dead_code, reason = "documentation in the data file")]
    comment: String,
    #[expect(dead_code, reason = "documentation in the data file")]
    sources: Vec<String>,
    narrower: BTreeMap<String, BTreeMap<String, String>>,
}

/// The narrower permission of each wider one, by API.
pub(super) struct Narrower {
    by_api: BTreeMap<String, BTreeMap<String, String>>,
}

impl Narrower {
    /// The bundled pairs.
    ///
    /// # Errors
    /// When the bundled data is broken: a bug in consentlint.
    pub(super) fn bundled() -> Result<Self, Error> {
        let file: File = serde_json::from_str(TEXT)
            .map_err(|e| Error::Internal(format!("data/simulate/narrower.json: {e}")))?;
        Ok(Self { by_api: file.narrower })
    }

    /// The narrower permission for `name` of the API `resource` (names compare without case, as
    /// the catalog's do).
    pub(super) fn of(&self, resource: &str, name: &str) -> Option<&str> {
        let api = self.by_api.iter().find(|(api, _)| api.eq_ignore_ascii_case(resource))?.1;
        api.iter().find(|(wide, _)| wide.eq_ignore_ascii_case(name)).map(|(_, narrow)| narrow.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Catalog, PermissionKey, PermissionKind};
    use crate::yaml::Value;

    #[test]
    fn every_pair_narrows_to_what_a_user_may_grant() {
        let narrower = Narrower::bundled().unwrap();
        let catalog = Catalog::bundled().unwrap();
        assert!(narrower.by_api.values().map(BTreeMap::len).sum::<usize>() > 20);
        for (resource, pairs) in &narrower.by_api {
            for (wide, narrow) in pairs {
                let fact = |name, fact| {
                    catalog.fact(&PermissionKey { name, kind: PermissionKind::Delegated, resource }, fact)
                };
                assert_eq!(fact(wide, "ownDataOnly"), Some(Value::Bool(false)), "{wide} is not wider");
                assert_eq!(fact(narrow, "ownDataOnly"), Some(Value::Bool(true)), "{narrow} is not own data");
                assert_eq!(fact(narrow, "adminConsent"), Some(Value::Bool(false)), "{narrow} needs an admin");
            }
        }
        assert_eq!(narrower.of("microsoft graph", "files.read.all"), Some("Files.Read"));
        assert_eq!(narrower.of("Microsoft Graph", "Files.Read"), None);
    }
}
