//! The generated tenant states, as Microsoft Graph holds them.

pub const LEGACY: &str = "microsoft-user-default-legacy";
pub const LOW: &str = "microsoft-user-default-low";
pub const RECOMMENDED: &str = "microsoft-user-default-recommended";
/// A consent policy of the tenant's own, whose conditions the inputs do not hold.
pub const CUSTOM: &str = "contoso-verified-only";
/// A consent policy of the tenant's own that the inputs hold: delegated permissions classified low,
/// from verified publishers, which allows no more than `-low`.
pub const EXPORTED: &str = "contoso-low-only";
pub const GRANTS: [&[&str]; 8] =
    [&[], &[LEGACY], &[LOW], &[RECOMMENDED], &[LEGACY, LOW], &[CUSTOM], &[LOW, CUSTOM], &[LOW, EXPORTED]];

/// The `AllSites.Read` permission of `SharePoint`, delegated and grantable by users, on ScubaGear's list for
/// `Office 365 SharePoint Online`; the others are Microsoft Graph's.
pub const SHAREPOINT: (&str, &str) = ("AllSites.Read", "4e0d77b0-96ba-4398-af14-3baa780278f4");
pub const SHAREPOINT_APP: &str = "00000003-0000-0ff1-ce00-000000000000";
pub const SHAREPOINT_NAME: &str = "Office 365 SharePoint Online";

/// Delegated Microsoft Graph permissions by name and id: `Files.Read` is on ScubaGear's
/// `RiskyAppPermissions.json`, `AccessReview.Read.All` needs admin consent, `Made.Up` is no
/// permission at all.
pub const PERMISSIONS: [(&str, &str); 4] = [
    ("User.Read", "e1fe6dd8-ba31-4d61-89e7-88639da4683d"),
    ("Files.Read", "10465720-29dd-4523-a11a-6a75c743c9d9"),
    ("AccessReview.Read.All", "ebfcd32b-babb-40f4-a14b-42706e83bd28"),
    ("Made.Up", "0badc0de-0000-4000-8000-000000000000"),
];
pub const CLASSIFIED: [Option<&[&str]>; 7] = [
    None,
    Some(&[]),
    Some(&["User.Read"]),
    Some(&["User.Read", "Files.Read"]),
    Some(&["User.Read", "AccessReview.Read.All"]),
    Some(&["User.Read", "Made.Up"]),
    Some(&["User.Read", "AllSites.Read"]),
];
/// The classified permissions on ScubaGear's risky lists, of Microsoft Graph and `SharePoint`.
pub const SCUBA_RISKY: [&str; 2] = ["Files.Read", "AllSites.Read"];

/// One value of the "Consent Policy Settings": not named, named with `""`, or a boolean.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Setting {
    #[default]
    Absent,
    Empty,
    True,
    False,
}

/// `EnableGroupSpecificConsent`, `BlockUserConsentForRiskyApps`, `EnableAdminConsentRequests`:
/// no setting, the eight combinations of booleans, and single values left out or empty.
pub const SETTINGS: [Option<[Setting; 3]>; 13] = {
    use Setting::{Absent as A, Empty as E, False as F, True as T};
    [
        None,
        Some([F, F, F]),
        Some([F, F, T]),
        Some([F, T, F]),
        Some([F, T, T]),
        Some([T, F, F]),
        Some([T, F, T]),
        Some([T, T, F]),
        Some([T, T, T]),
        Some([E, T, T]),
        Some([A, T, T]),
        Some([F, T, E]),
        Some([F, T, A]),
    ]
};

/// One restriction of the default app management policy: `state` enabled, limited to apps created
/// after a date, and the lifetime in days.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Restriction {
    pub enabled: bool,
    pub dated: bool,
    pub days: u32,
}

/// The restrictions of one kind of object; `None`: the policy does not hold it.
#[derive(Clone, Copy, Debug, Default)]
pub struct Scope {
    pub addition: Option<Restriction>,
    pub lifetime: Option<Restriction>,
    pub certificate: Option<Restriction>,
}

/// The default app management policy.
#[derive(Clone, Copy, Debug, Default)]
pub struct Policy {
    pub enabled: bool,
    pub apps: Scope,
    pub principals: Scope,
}

/// Whether a policy of the tenant's own exempts an app from each restriction.
#[derive(Clone, Copy, Debug, Default)]
pub struct Exempt {
    pub addition: bool,
    pub lifetime: bool,
    pub certificate: bool,
}

/// The app management state: the default policy (`None` only where ScubaGear's export would lack
/// it, which no state here does), the exemptions, and whether the tenant file states it (`false`:
/// the file leaves `appManagement` out, Entra ID's default, which the export holds as a policy
/// that is off and restricts nothing).
#[derive(Clone, Copy, Debug, Default)]
pub struct App {
    pub policy: Option<Policy>,
    pub exempt: Exempt,
    pub stated: bool,
}

#[expect(clippy::unnecessary_wraps, reason = "a restriction the policy holds, as the scopes take it")]
const fn on(days: u32) -> Option<Restriction> {
    Some(Restriction { enabled: true, dated: false, days })
}
const OFF: Option<Restriction> = Some(Restriction { enabled: false, dated: false, days: 90 });
const DATED: Option<Restriction> = Some(Restriction { enabled: true, dated: true, days: 90 });
const BLOCKED: Scope = Scope { addition: on(0), lifetime: on(181), certificate: on(366) };
const GOOD: Policy = Policy { enabled: true, apps: BLOCKED, principals: BLOCKED };
const NONE: Exempt = Exempt { addition: false, lifetime: false, certificate: false };

/// The app management states, cycled along the product.
pub const APPS: [App; 10] = [
    // Entra ID's default: a policy that is off and holds nothing.
    App {
        policy: Some(Policy { enabled: false, apps: Scope::EMPTY, principals: Scope::EMPTY }),
        exempt: NONE,
        stated: false,
    },
    App { policy: Some(GOOD), exempt: NONE, stated: true },
    // Passwords blocked, no lifetime restriction: 5.6 is met.
    App {
        policy: Some(Policy {
            enabled: true,
            apps: Scope { addition: on(0), lifetime: None, certificate: on(366) },
            principals: Scope { addition: on(0), lifetime: None, certificate: on(366) },
        }),
        exempt: NONE,
        stated: true,
    },
    App {
        policy: Some(Policy {
            enabled: true,
            apps: Scope { addition: DATED, lifetime: on(90), certificate: on(366) },
            principals: Scope { addition: on(0), lifetime: on(90), certificate: on(367) },
        }),
        exempt: NONE,
        stated: true,
    },
    App {
        policy: Some(Policy {
            enabled: true,
            apps: Scope { addition: OFF, lifetime: on(182), certificate: on(180) },
            principals: Scope { addition: OFF, lifetime: on(181), certificate: on(180) },
        }),
        exempt: NONE,
        stated: true,
    },
    // Everything restricted, but the policy is off.
    App { policy: Some(Policy { enabled: false, ..GOOD }), exempt: NONE, stated: true },
    // Password addition blocked for app registrations only.
    App {
        policy: Some(Policy {
            enabled: true,
            apps: BLOCKED,
            principals: Scope { addition: None, lifetime: on(181), certificate: on(366) },
        }),
        exempt: NONE,
        stated: true,
    },
    App { policy: Some(GOOD), exempt: Exempt { addition: true, ..NONE }, stated: true },
    App {
        policy: Some(Policy {
            enabled: true,
            apps: Scope { addition: on(0), lifetime: None, certificate: on(366) },
            principals: Scope { addition: on(0), lifetime: None, certificate: on(366) },
        }),
        exempt: Exempt { certificate: true, ..NONE },
        stated: true,
    },
    App {
        policy: Some(Policy {
            enabled: true,
            apps: Scope { addition: OFF, lifetime: on(90), certificate: on(366) },
            principals: Scope { addition: OFF, lifetime: OFF, certificate: on(366) },
        }),
        exempt: Exempt { lifetime: true, ..NONE },
        stated: true,
    },
];

impl Scope {
    pub const EMPTY: Self = Self { addition: None, lifetime: None, certificate: None };
}

/// One tenant state, as Microsoft Graph holds it.
#[derive(Clone, Copy, Debug)]
#[expect(clippy::struct_excessive_bools, reason = "a tenant state is mostly switches")]
pub struct State {
    /// The `ManagePermissionGrantsForSelf.*` policies assigned, without the prefix.
    pub grants: &'static [&'static str],
    /// The permissions classified low; `None`: no classification is stated (a written tenant) or
    /// exported (a native one).
    pub classified: Option<&'static [&'static str]>,
    /// `allowUserConsentForRiskyApps`; `None` is Graph's `null`.
    pub risky: Option<bool>,
    /// `allowedToCreateApps`; `None`: the policy does not hold it.
    pub create_apps: Option<bool>,
    pub enabled: bool,
    pub notify: bool,
    pub remind: bool,
    pub days: u32,
    pub reviewer: bool,
    /// The directory setting; `None`: the tenant has none (the export holds every setting).
    pub settings: Option<[Setting; 3]>,
    pub app: App,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    Ours,
    Native,
}

/// The product, as a mixed-radix count: the grants, the classification, the setting, `isEnabled`
/// and the reviewer; the values no control reads together with those cycle at their own strides.
pub fn states() -> Vec<State> {
    let per_grant = CLASSIFIED.len() * SETTINGS.len() * 4;
    let state = |i: usize| State {
        grants: GRANTS[i / per_grant],
        classified: CLASSIFIED[(i / (SETTINGS.len() * 4)) % CLASSIFIED.len()],
        risky: [None, Some(true), Some(false)][i % 3],
        create_apps: [Some(true), Some(false), None][(i / 3) % 3],
        enabled: (i / 2).is_multiple_of(2),
        notify: (i / 4).is_multiple_of(2),
        remind: (i / 8).is_multiple_of(2),
        days: [0, 30, 31][(i / 16) % 3],
        reviewer: i.is_multiple_of(2),
        settings: SETTINGS[(i / 4) % SETTINGS.len()],
        app: APPS[(i / 5) % APPS.len()],
    };
    (0..GRANTS.len() * per_grant).map(state).collect()
}
