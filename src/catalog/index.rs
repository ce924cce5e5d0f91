//! One API's permissions, found by name in constant time, in any case, and by id.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::OnceLock;

use super::{CatalogFile, PermissionEntry, PermissionKind, TypeFacts};

/// The permissions of one API, with an index of their names in ASCII lowercase.
#[derive(Clone, Debug)]
pub(super) struct Api {
    /// The API, such as `Microsoft Graph`.
    pub resource: String,
    /// Its application id in ASCII lowercase, when a catalog or service principal gave it.
    pub app_id: Option<String>,
    permissions: HashMap<String, PermissionEntry>,
    /// Each name in ASCII lowercase, to the name it stands for. Of names that differ only in case
    /// (Microsoft Graph has `Calls.JoinGroupCallAsGuest.All` and `Calls.JoinGroupCallasGuest.All`),
    /// the first in byte order, whatever order the files list them in.
    folded: HashMap<String, String>,
    /// Each permission id in ASCII lowercase, with its type, to the permission's name.
    ids: HashMap<(String, PermissionKind), String>,
    /// The names, indexed for "did you mean" when first asked (emptied when a name is added).
    suggestions: OnceLock<crate::suggest::Index>,
}

impl Api {
    pub fn new(file: CatalogFile) -> Self {
        let mut api = Self::named(file.resource, file.app_id.as_deref());
        api.extend(file.permissions);
        api
    }

    /// An API with no permissions yet.
    pub fn named(resource: String, app_id: Option<&str>) -> Self {
        Self {
            resource,
            app_id: app_id.map(str::to_ascii_lowercase),
            permissions: HashMap::new(),
            folded: HashMap::new(),
            ids: HashMap::new(),
            suggestions: OnceLock::new(),
        }
    }

    /// Adds permissions; where a name is already known, the new facts replace the old.
    pub fn extend(&mut self, permissions: HashMap<String, PermissionEntry>) {
        self.folded.reserve(permissions.len());
        for (name, entry) in &permissions {
            self.fold(name);
            self.index(name, entry);
        }
        self.permissions.extend(permissions);
    }

    /// Adds `facts` for the permission `name` of type `kind`, unless the catalog already states
    /// that permission: stated facts win, and only a missing id is taken from `facts`.
    pub fn fill(&mut self, name: &str, kind: PermissionKind, facts: TypeFacts) {
        let key = match self.get(name) {
            Some((known, _)) => known.to_owned(),
            None => {
                self.fold(name);
                name.to_owned()
            }
        };
        let entry = self.permissions.entry(key.clone()).or_default();
        let slot = match kind {
            PermissionKind::Delegated => &mut entry.delegated,
            PermissionKind::Application => &mut entry.application,
        };
        match slot {
            Some(stated) if stated.id.is_none() => stated.id = facts.id,
            Some(_) => {}
            None => *slot = Some(facts),
        }
        if let Some(id) = slot.as_ref().and_then(|facts| facts.id.as_deref()) {
            self.ids.insert((id.to_ascii_lowercase(), kind), key);
        }
    }

    /// Records `name` in the index of names in lowercase.
    fn fold(&mut self, name: &str) {
        self.suggestions = OnceLock::new();
        match self.folded.entry(name.to_ascii_lowercase()) {
            Entry::Occupied(mut known) => {
                if name < known.get().as_str() {
                    known.insert(name.to_owned());
                }
            }
            Entry::Vacant(slot) => {
                slot.insert(name.to_owned());
            }
        }
    }

    /// Records the ids of the permission `name` in the index of ids.
    fn index(&mut self, name: &str, entry: &PermissionEntry) {
        let kinds = [
            (PermissionKind::Delegated, entry.delegated.as_ref()),
            (PermissionKind::Application, entry.application.as_ref()),
        ];
        for (kind, facts) in kinds {
            if let Some(id) = facts.and_then(|facts| facts.id.as_deref()) {
                self.ids.insert((id.to_ascii_lowercase(), kind), name.to_owned());
            }
        }
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

    /// The name of the permission of type `kind` whose id is `id`, in any case.
    pub fn by_id(&self, id: &str, kind: PermissionKind) -> Option<&str> {
        self.ids.get(&(id.to_ascii_lowercase(), kind)).map(String::as_str)
    }

    /// The known name that `name` most likely misspells (see [`crate::suggest::Index`]).
    pub fn did_you_mean(&self, name: &str) -> Option<&str> {
        self.suggestions
            .get_or_init(|| crate::suggest::Index::new(self.permissions.keys().map(String::as_str)))
            .did_you_mean(name)
    }
}
