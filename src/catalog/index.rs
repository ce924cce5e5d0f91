//! One API's permissions, found by name in constant time, in any case.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::{CatalogFile, PermissionEntry};

/// The permissions of one API, with an index of their names in ASCII lowercase.
#[derive(Debug)]
pub(super) struct Api {
    /// The API, such as `Microsoft Graph`.
    pub resource: String,
    permissions: HashMap<String, PermissionEntry>,
    /// Each name in ASCII lowercase, to the name it stands for. Of names that differ only in case
    /// (Microsoft Graph has `Calls.JoinGroupCallAsGuest.All` and `Calls.JoinGroupCallasGuest.All`),
    /// the first in byte order, whatever order the files list them in.
    folded: HashMap<String, String>,
}

impl Api {
    pub fn new(file: CatalogFile) -> Self {
        let mut api = Self { resource: file.resource, permissions: HashMap::new(), folded: HashMap::new() };
        api.extend(file.permissions);
        api
    }

    /// Adds permissions; where a name is already known, the new facts replace the old.
    pub fn extend(&mut self, permissions: HashMap<String, PermissionEntry>) {
        self.folded.reserve(permissions.len());
        for name in permissions.keys() {
            match self.folded.entry(name.to_ascii_lowercase()) {
                Entry::Occupied(mut known) => {
                    if name < known.get() {
                        known.insert(name.clone());
                    }
                }
                Entry::Vacant(slot) => {
                    slot.insert(name.clone());
                }
            }
        }
        self.permissions.extend(permissions);
    }

    /// The permission written exactly `name`, or else the one that differs from it only in case,
    /// with its name as the catalog writes it.
    pub fn get(&self, name: &str) -> Option<(&str, &PermissionEntry)> {
        let found = self.permissions.get_key_value(name).or_else(|| {
            let canonical = self.folded.get(&name.to_ascii_lowercase())?;
            self.permissions.get_key_value(canonical)
        });
        found.map(|(name, entry)| (name.as_str(), entry))
    }

    /// Every permission name.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.permissions.keys().map(String::as_str)
    }
}
