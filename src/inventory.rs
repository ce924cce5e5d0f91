//! `consentlint grants`: the consent state of each app, from the grants the inputs hold.
//!
//! The inputs are read and judged as `check` reads them (`check::run_with_grants`), so every grant
//! is resolved the same way; the rows of its granted permissions are then gathered per app: who
//! publishes it and whether the publisher is verified, and per permission its type, whether an
//! administrator granted it for every user or how many users granted it themselves, its risk, and
//! whether the desired state approves it and the app's registration requests it. The inputs'
//! problems (`CL-P…`, `CL-S…`: unreadable files, syntax, schema, malformed or unresolved grants)
//! are shown before the view, as `simulate` shows them.

pub mod render;

use std::collections::BTreeMap;

use crate::check;
use crate::error::Error;
use crate::grants::Row;
use crate::native::Grant;
use crate::options::Options;
use crate::report::Report;

/// The consent state of the inputs.
#[derive(Debug)]
pub struct Inventory {
    /// The apps that hold grants, by tenant, name and id.
    pub apps: Vec<App>,
    /// The inputs' problems: what could not be read, and the grants that are malformed or that
    /// name what the run cannot resolve.
    pub problems: Report,
}

/// An app that holds grants.
#[derive(Debug, PartialEq, Eq)]
pub struct App {
    /// The tenant it holds them in, when known.
    pub tenant: Option<String>,
    /// Its name (the object id of its service principal when that is not exported).
    pub name: String,
    /// Its application id, when resolved.
    pub app_id: Option<String>,
    /// Its publisher's name, when stated.
    pub publisher: Option<String>,
    /// Whether its publisher is verified, when stated.
    pub verified: Option<bool>,
    /// Where it comes from, seen from the tenant, when known.
    pub origin: Option<String>,
    /// What it holds, sorted by API, name, type and consent.
    pub permissions: Vec<Permission>,
    /// The export its grants were read from, when that export lists only some of them
    /// (ScubaGear's): what it holds besides is not known.
    pub partial: Option<&'static str>,
}

/// Who granted a permission.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Consent {
    /// An administrator, for every user (`AllPrincipals`), or an application permission.
    Admin,
    /// Users, each for themselves (`Principal`).
    Users,
}

/// One permission an app holds, granted one way.
#[derive(Debug, PartialEq, Eq)]
pub struct Permission {
    /// The API.
    pub resource: String,
    /// The permission.
    pub name: String,
    /// Delegated or application.
    pub kind: Grant,
    /// Who granted it.
    pub consent: Consent,
    /// For users' grants, how many users granted it (one grant per user).
    pub users: usize,
    /// Its risk in the catalog.
    pub risk: Option<String>,
    /// Whether the desired state approves it (`None`: the run holds no desired state for the
    /// tenant, or the app is not resolved).
    pub approved: Option<bool>,
    /// Whether the app's registration requests it (`None`: not exported).
    pub requested: Option<bool>,
    /// Whether the tenant's current user consent policies would let a user grant it to the app,
    /// for themselves (`None`: an application permission, or the run does not state what that
    /// depends on).
    pub user_may_grant: Option<bool>,
}

/// Reads the inputs of `options` and gathers their grants per app.
///
/// # Errors
/// As `check`: a named path that does not exist, problems in consentlint's own inputs.
pub fn run(options: &Options) -> Result<Inventory, Error> {
    let (report, rows) = check::run_with_grants(options)?;
    Ok(Inventory { apps: gather(rows), problems: problems(&report) })
}

/// The report's diagnostics about the inputs themselves (`CL-P…`, `CL-S…`), without rule findings.
fn problems(report: &Report) -> Report {
    let input = |code: &str| code.starts_with("CL-P") || code.starts_with("CL-S");
    let diagnostics = report.visible().filter(|d| input(&d.code)).cloned().collect();
    let mut problems =
        Report::new(diagnostics, report.summary.files, report.summary.documents, report.incomplete);
    problems.rules.clone_from(&report.rules);
    problems
}

/// What identifies an app: its tenant, name and ids.
type AppKey = (Option<String>, String, Option<String>);

/// The permissions an app holds, by API, name, type and consent.
type Held = BTreeMap<(String, String, Grant, Consent), Permission>;

/// The rows, sorted, gathered per app and per permission granted one way.
fn gather(rows: Vec<Row>) -> Vec<App> {
    let mut apps: BTreeMap<AppKey, App> = BTreeMap::new();
    let mut permissions: BTreeMap<AppKey, Held> = BTreeMap::new();
    for row in rows {
        let key = (row.tenant.clone(), row.app.clone(), row.app_id.clone());
        apps.entry(key.clone()).or_insert_with(|| App {
            tenant: row.tenant.clone(),
            name: row.app.clone(),
            app_id: row.app_id.clone(),
            publisher: row.publisher.clone(),
            verified: row.verified,
            origin: row.origin.clone(),
            permissions: Vec::new(),
            partial: row.partial,
        });
        let consent =
            if row.consent.as_deref() == Some("Principal") { Consent::Users } else { Consent::Admin };
        let held = permissions.entry(key).or_default();
        let permission = held
            .entry((row.resource.clone(), row.permission.clone(), row.kind, consent))
            .or_insert_with(|| Permission {
                resource: row.resource.clone(),
                name: row.permission.clone(),
                kind: row.kind,
                consent,
                users: 0,
                risk: row.risk.clone(),
                approved: row.approved,
                requested: row.requested,
                user_may_grant: row.user_may_grant,
            });
        if consent == Consent::Users {
            permission.users += 1;
        }
        // One grant it was not approved or requested in is enough to say so.
        permission.approved = match (permission.approved, row.approved) {
            (Some(a), Some(b)) => Some(a && b),
            (a, b) => a.or(b),
        };
        permission.requested = match (permission.requested, row.requested) {
            (Some(a), Some(b)) => Some(a && b),
            (a, b) => a.or(b),
        };
        permission.user_may_grant = permission.user_may_grant.or(row.user_may_grant);
    }
    apps.into_iter()
        .map(|(key, mut app)| {
            app.permissions =
                permissions.remove(&key).map(|held| held.into_values().collect()).unwrap_or_default();
            app
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{Consent, gather};
    use crate::grants::Row;
    use crate::native::Grant;

    fn row(app: &str, permission: &str, consent: &str, principal: Option<&str>) -> Row {
        Row {
            tenant: Some("t".into()),
            app: app.into(),
            app_id: None,
            publisher: None,
            verified: None,
            origin: None,
            resource: "Microsoft Graph".into(),
            permission: permission.into(),
            kind: Grant::Delegated,
            consent: Some(consent.into()),
            principal: principal.map(str::to_owned),
            risk: None,
            approved: Some(true),
            requested: None,
            user_may_grant: None,
            partial: None,
        }
    }

    #[test]
    fn users_grants_are_counted_per_permission_and_an_admin_grant_is_its_own_line() {
        let apps = gather(vec![
            row("b", "Mail.Read", "Principal", Some("u1")),
            row("b", "Mail.Read", "Principal", Some("u2")),
            row("b", "Mail.Read", "AllPrincipals", None),
            row("a", "User.Read", "AllPrincipals", None),
        ]);
        assert_eq!(apps.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        let held: Vec<(Consent, usize)> = apps[1].permissions.iter().map(|p| (p.consent, p.users)).collect();
        assert_eq!(held, [(Consent::Admin, 0), (Consent::Users, 2)]);
    }

    #[test]
    fn one_unapproved_grant_makes_the_permission_unapproved() {
        let mut second = row("a", "Mail.Read", "Principal", Some("u2"));
        second.approved = Some(false);
        let apps = gather(vec![row("a", "Mail.Read", "Principal", Some("u1")), second]);
        assert_eq!(apps[0].permissions[0].approved, Some(false));
    }
}
