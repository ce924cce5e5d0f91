//! A catalog for another API gives its facts from its data alone (the `sharepoint.yaml` fixture of
//! `tests/fixtures/catalog/`).
#![allow(clippy::unwrap_used, reason = "a test fails loudly when its setup fails")]

use std::path::{Path, PathBuf};

use super::{Catalog, FACTS, PermissionKey, PermissionKind, load_file};
use crate::yaml::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalog")
}

/// Every fact of a permission but its `name`, by name, with the `sharepoint.yaml` fixture loaded.
pub(super) fn sharepoint(name: &str, kind: PermissionKind) -> Vec<(&'static str, Option<Value>)> {
    let catalog = sharepoint_catalog();
    let key = PermissionKey { name, kind, resource: "SharePoint" };
    FACTS.iter().filter(|fact| **fact != "name").map(|fact| (*fact, catalog.fact(&key, fact))).collect()
}

fn sharepoint_catalog() -> Catalog {
    let mut catalog = Catalog::bundled().unwrap();
    let file = load_file(&fixtures().join("sharepoint.yaml"), &fixtures()).unwrap();
    catalog.add(file);
    catalog
}

#[test]
fn a_permission_is_named_as_its_catalog_writes_it_else_as_written() {
    let catalog = sharepoint_catalog();
    let name = |name, resource| {
        catalog.fact(&PermissionKey { name, kind: PermissionKind::Delegated, resource }, "name")
    };
    assert_eq!(name("myfiles.read", "sharepoint"), Some(Value::String("MyFiles.Read".into())));
    assert_eq!(name("MyFiles.Raed", "SharePoint"), Some(Value::String("MyFiles.Raed".into())));
    assert_eq!(name("x.y", "Unknown API"), Some(Value::String("x.y".into())));
}

fn facts(
    known: bool,
    admin: bool,
    own: bool,
    (risk, scuba): (Option<&str>, bool),
    privilege: Option<i64>,
) -> Vec<(&'static str, Option<Value>)> {
    let known_facts = |value| known.then_some(value);
    vec![
        ("known", Some(Value::Bool(known))),
        ("adminConsent", known_facts(Value::Bool(admin))),
        ("ownDataOnly", known_facts(Value::Bool(own))),
        ("risk", risk.map(|r| Value::String(r.to_owned()))),
        ("privilege", privilege.map(Value::Int)),
        ("hint", None),
        ("scubaRisky", known_facts(Value::Bool(scuba))),
        ("api", Some(Value::String("SharePoint".into()))),
    ]
}

#[test]
fn a_sharepoint_catalog_gives_its_facts_from_its_data_and_scubagear_lists() {
    use PermissionKind::{Application, Delegated};
    // The catalog's own risk level wins; ScubaGear lists the permission (by SharePoint's app id).
    assert_eq!(
        sharepoint("AllSites.FullControl", Delegated),
        facts(true, true, false, (Some("critical"), true), Some(4))
    );
    // A two-part name, but the catalog says it reaches other users' sites; it states no risk, and
    // ScubaGear's `RiskyAppPermissions.json` rates it medium.
    assert_eq!(
        sharepoint("AllSites.Read", Delegated),
        facts(true, false, false, (Some("medium"), true), Some(2))
    );
    assert_eq!(
        sharepoint("MyFiles.Read", Delegated),
        facts(true, false, true, (Some("low"), false), Some(1))
    );
    // Nothing stated: admin consent required, not own data only.
    assert_eq!(sharepoint("MyFiles.Write", Delegated), facts(true, true, false, (None, false), None));
    assert_eq!(
        sharepoint("Sites.FullControl.All", Application),
        facts(true, true, false, (Some("critical"), true), None)
    );
    // Names compare ignoring case when none matches exactly.
    assert_eq!(sharepoint("myfiles.read", Delegated), sharepoint("MyFiles.Read", Delegated));

    let unknown = sharepoint("MyFiles.Raed", Delegated);
    assert_eq!(unknown[0], ("known", Some(Value::Bool(false))));
    assert_eq!(unknown[5], ("hint", Some(Value::String("did you mean `MyFiles.Read`?".into()))));
    let wrong_type = sharepoint("Sites.FullControl.All", Delegated);
    assert_eq!(
        wrong_type[5],
        (
            "hint",
            Some(Value::String("`Sites.FullControl.All` exists only as an application permission".into()))
        )
    );
}
