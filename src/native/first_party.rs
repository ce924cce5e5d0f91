//! Microsoft's first-party APIs by application id, as data (`data/native/first-party-apis.json`,
//! with its sources): what names an API in messages when no catalog and no exported service
//! principal describes it. Nothing here is inferred from an id's shape.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

const TEXT: &str = include_str!("../../data/native/first-party-apis.json");

/// The file's shape.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[expect(dead_code, reason = "documentation in the data file")]
    comment: String,
    #[expect(dead_code, reason = "documentation in the data file")]
    sources: Vec<String>,
    apis: BTreeMap<String, String>,
}

/// The bundled names by lowercased application id; empty if the bundled file were broken, which a
/// test forbids.
fn names() -> &'static BTreeMap<String, String> {
    static NAMES: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        serde_json::from_str::<File>(TEXT)
            .map(|file| file.apis.into_iter().map(|(id, name)| (id.to_ascii_lowercase(), name)).collect())
            .unwrap_or_default()
    })
}

/// The name of the first-party API with application id `app_id` (any case).
pub(crate) fn name(app_id: &str) -> Option<&'static str> {
    names().get(&app_id.to_ascii_lowercase()).map(String::as_str)
}

/// The application id of the first-party API named `name` (any case), the first in id order.
pub(crate) fn app_id(name: &str) -> Option<&'static str> {
    names().iter().find(|(_, known)| known.eq_ignore_ascii_case(name)).map(|(id, _)| id.as_str())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_bundled_file_parses_and_names_by_id_in_any_case() {
        assert!(serde_json::from_str::<super::File>(super::TEXT).is_ok());
        assert_eq!(super::name("00000003-0000-0FF1-CE00-000000000000"), Some("Office 365 SharePoint Online"));
        assert_eq!(super::name("00000003-0000-0000-c000-000000000000"), None, "Graph is the catalog's");
        assert!(super::names().keys().all(|id| crate::native::is_guid(id)));
        assert_eq!(super::app_id("office 365 exchange online"), Some("00000002-0000-0ff1-ce00-000000000000"));
    }
}
