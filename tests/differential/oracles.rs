//! The baselines' own logic, transcribed from their code (read at the commits `docs/profiles.md`
//! names): CISA ScubaGear's Rego, Maester's EIDSCA and CISA PowerShell checks, and Maester's CIS
//! checks. Each verdict is the baseline tool's, never consentlint's; a test the tool skips is
//! `NotApplicable`.

use consentlint::report::Status::{self, Fail, NotApplicable as Na, NotJudgeable as Nj, Pass};

use super::state::{App, Form, LOW, RECOMMENDED, Restriction, SCUBA_RISKY, Setting, State};

fn verdict(passes: bool) -> Status {
    if passes { Pass } else { Fail }
}

/// CISA ScubaGear (cisagov/ScubaGear), `PowerShell/ScubaGear/Rego/AADConfig.rego`.
pub fn scubagear(control: &str, s: &State, form: Form) -> Status {
    let settings = s.settings.unwrap_or_default();
    match control {
        // :624-627: fails a policy whose `AllowedToCreateApps == true`; an absent value is not.
        "MS.AAD.5.1v1" => verdict(s.create_apps != Some(true)),
        // :667-670 fails `-recommended` assigned first; else :657-663, with
        // `ManagePermissionGrantsForSelf.microsoft-user-default-low` assigned, any classification
        // that `AADRiskyPermissionsHelper.psm1` (Get-ServicePrincipalsWithRiskyDelegatedPermission-
        // Classifications, :808-920) found: classified `low` and, by permission id, on the
        // `Delegated` list of `RiskyAppPermissions.json` for one of its eight resources. Ids compared
        // as written: `-legacy` passes, and so does a policy of the tenant's own.
        "MS.AAD.5.2v1" if s.grants.contains(&RECOMMENDED) => Fail,
        "MS.AAD.5.2v1" if !s.grants.contains(&LOW) => Pass,
        "MS.AAD.5.2v1" => match s.classified {
            None if form == Form::Native => Nj,
            list => verdict(!list.unwrap_or_default().iter().any(|p| SCUBA_RISKY.contains(p))),
        },
        // :720-758: some setting's `EnableAdminConsentRequests` with `lower(Value) == "true"`, none
        // with "false"; an empty or missing value is neither.
        "MS.AAD.5.3v1" => verdict(settings[2] == Setting::True),
        "MS.AAD.5.5v1" => verdict(addition_issues(&s.app) == 0),
        // :959-965: met when password addition is fully blocked (:817-825); else :967-979.
        "MS.AAD.5.6v1" => verdict(addition_fully_blocked(&s.app) || lifetime_issues(&s.app, false) == 0),
        "MS.AAD.5.7v1" => verdict(lifetime_issues(&s.app, true) == 0),
        _ => panic!("ScubaGear has no control {control} here"),
    }
}

/// The `passwordAddition` restrictions of both kinds of object (:799-809): the Rego reads the
/// default policy's scopes whatever its `IsEnabled`.
fn additions(app: &App) -> Vec<Restriction> {
    app.policy.iter().flat_map(|p| [p.apps.addition, p.principals.addition]).flatten().collect()
}

/// `PasswordAdditionIssues` (:827-852): a restriction not enabled, one enabled for apps created
/// after a date (`IsAllAppsDate`, :787), an enabled policy of the tenant's own exempting apps.
fn addition_issues(app: &App) -> usize {
    let restrictions = additions(app);
    let off = restrictions.iter().filter(|r| !r.enabled).count();
    let dated = restrictions.iter().filter(|r| r.enabled && r.dated).count();
    off + dated + usize::from(app.exempt.addition)
}

/// `PasswordAdditionFullyBlocked` (:817-825): no issue, at least one restriction, and every one
/// enabled for every app.
fn addition_fully_blocked(app: &App) -> bool {
    let restrictions = additions(app);
    addition_issues(app) == 0
        && !restrictions.is_empty()
        && restrictions.iter().all(|r| r.enabled && !r.dated)
}

/// `PasswordLifetimeIssues` (:902-951) or, for certificates, `CertificateLifetimeIssues`
/// (:1008-1055): a restriction not enabled, enabled for apps after a date, missing from either kind
/// of object (only when the default policy is there, `Policy := input.default_app_management_policy[0]`),
/// longer than `PASSWORD_MAX_DAYS` 181 (:886) or `CERTIFICATE_MAX_DAYS` 366 (:992), or an exemption.
fn lifetime_issues(app: &App, certificate: bool) -> usize {
    let Some(policy) = app.policy else {
        return usize::from(if certificate { app.exempt.certificate } else { app.exempt.lifetime });
    };
    let (limit, pick): (u32, fn(&super::state::Scope) -> Option<Restriction>) =
        if certificate { (366, |s| s.certificate) } else { (181, |s| s.lifetime) };
    let scopes = [pick(&policy.apps), pick(&policy.principals)];
    let missing = scopes.iter().filter(|r| r.is_none()).count();
    let found: Vec<Restriction> = scopes.into_iter().flatten().collect();
    let off = found.iter().filter(|r| !r.enabled).count();
    let dated = found.iter().filter(|r| r.enabled && r.dated).count();
    let long = found.iter().filter(|r| r.enabled && r.days > limit).count();
    let exempt = if certificate { app.exempt.certificate } else { app.exempt.lifetime };
    missing + off + dated + long + usize::from(exempt)
}

/// Maester's EIDSCA tests (maester365/maester): the `Describe` blocks of
/// `tests/EIDSCA/Test-EIDSCA.Generated.Tests.ps1`, which pass the skips' inputs, over
/// `powershell/internal/eidsca/Test-MtEidsca*.ps1`.
pub fn maester_eidsca(control: &str, s: &State) -> Status {
    // `$SettingsApiAvailable` is `settings.values.name` (Generated.Tests.ps1:4); `[string]` of the
    // value of that name compared with `-eq` (case-insensitive): a missing value is "".
    let value = |i: usize| s.settings.map(|v| v[i]);
    let equals = |i: usize, want: bool| match value(i) {
        Some(Setting::True) => want,
        Some(Setting::False) => !want,
        _ => false,
    };
    match control {
        // AP08.ps1:23: skipped without an assigned policy matching 'ManagePermissionGrantsForSelf.microsoft-';
        // :29-31: the entries `-clike 'ManagePermissionGrantsForSelf*'`, joined by `[string]`, must
        // equal '…microsoft-user-default-low'.
        "EIDSCA.AP08" if !s.grants.iter().any(|g| g.starts_with("microsoft-")) => Na,
        "EIDSCA.AP08" => verdict(s.grants == [LOW]),
        // AP09.ps1:26-28: `allowUserConsentForRiskyApps` as a string -eq 'false': `null` fails.
        "EIDSCA.AP09" => verdict(s.risky == Some(false)),
        // AP10.ps1:26-28: `allowedToCreateApps` -eq 'false': absent fails.
        "EIDSCA.AP10" => verdict(s.create_apps == Some(false)),
        // CP01.ps1:23: skipped when no setting names `EnableGroupSpecificConsent`; :29-31 -eq 'False'.
        "EIDSCA.CP01" if matches!(value(0), None | Some(Setting::Absent)) => Na,
        "EIDSCA.CP01" => verdict(equals(0, false)),
        // CP03.ps1:26-28, CP04.ps1:26-28: not skipped; the value -eq 'true'.
        "EIDSCA.CP03" => verdict(equals(1, true)),
        "EIDSCA.CP04" => verdict(equals(2, true)),
        // CR01.ps1:28: `isEnabled` -eq 'true'.
        "EIDSCA.CR01" => verdict(s.enabled),
        // CR02-CR04.ps1:23: skipped while `$EnabledAdminConsentWorkflow` is false; CR04.ps1:31 -le 30.
        "EIDSCA.CR02" | "EIDSCA.CR03" | "EIDSCA.CR04" if !s.enabled => Na,
        "EIDSCA.CR02" => verdict(s.notify),
        "EIDSCA.CR03" => verdict(s.remind),
        "EIDSCA.CR04" => verdict(s.days <= 30),
        _ => panic!("EIDSCA has no control {control} here"),
    }
}

/// Maester's CIS tests (maester365/maester, `powershell/public/cis/`):
/// `Test-MtCisThirdPartyApplicationsDisallowed` (5.1.2.2, `allowedToCreateApps -eq $false`),
/// `Test-MtCisEnsureUserConsentToAppsDisallowed` (5.1.5.1: neither `-low` nor `-legacy` assigned)
/// and `Test-MtCisAdminConsentWorkflowEnabled` (5.1.5.2).
pub fn maester_cis(control: &str, s: &State) -> Status {
    match control {
        "CIS 5.1.2.2" => verdict(s.create_apps == Some(false)),
        "CIS 5.1.5.1" => verdict(!s.grants.contains(&LOW) && !s.grants.contains(&super::state::LEGACY)),
        "CIS 5.1.5.2" => verdict(s.enabled),
        _ => panic!("CIS has no control {control} here"),
    }
}

/// Maester's CISA checks for ScubaGear's section 5 (maester365/maester,
/// `powershell/public/cisa/entra/`, run by `tests/cisa/entra/Test-MtCisa*.Tests.ps1`). Maester has
/// no check for MS.AAD.5.5v1 to 5.7v1, and skips 5.4v1 as deprecated
/// (`Test-MtCisaAppGroupOwnerConsent.ps1:21`).
pub fn maester_cisa(control: &str, s: &State) -> Option<Status> {
    Some(match control {
        // Test-MtCisaAppRegistration.ps1:26-28: `allowedToCreateApps -eq $false`.
        "MS.AAD.5.1v1" => verdict(s.create_apps == Some(false)),
        // Test-MtCisaAppUserConsent.ps1:26-31: no `ManagePermissionGrantsForSelf.*` entry at all.
        "MS.AAD.5.2v1" => verdict(s.grants.is_empty()),
        // Test-MtCisaAppAdminConsent.ps1:26-33: `isEnabled`, `notifyReviewers` and a reviewer.
        "MS.AAD.5.3v1" => verdict(s.enabled && s.notify && s.reviewer),
        _ => return None,
    })
}
