//! The bundled consent facts, each file with its sources: Microsoft's built-in permission grant
//! policies (`data/consent/grant-policies.yaml`), risk-based step-up
//! (`data/consent/step-up.yaml`) and the roles that can approve a consent request
//! (`data/consent/approvers.yaml`). Read once, on first use.

use std::sync::OnceLock;

use crate::native::BUILTIN_POLICIES;
use crate::yaml::{Limits, Node, Value, parse};

use super::GrantPolicy;
use super::conditions::field;

const POLICIES: &str = include_str!("../../data/consent/grant-policies.yaml");
const STEP_UP: &str = include_str!("../../data/consent/step-up.yaml");
const APPROVERS: &str = include_str!("../../data/consent/approvers.yaml");
const RESOURCE_SPECIFIC: &str = include_str!("../../data/consent/resource-specific.yaml");

/// Risk-based step-up, as data.
#[derive(Debug)]
pub(crate) struct StepUpFacts {
    /// Apps registered on or after this day (`YYYY-MM-DD`) are subject to it.
    pub since: String,
    /// `spec.signInAudience` values of multitenant apps.
    pub audiences: Vec<String>,
    /// Microsoft Graph delegated permissions of basic sign-in and profile.
    pub basic: Vec<String>,
}

/// A directory role that can approve consent requests, except for what it lists.
#[derive(Debug)]
pub(crate) struct Role {
    pub name: String,
    /// The role definition's template id, lowercase.
    pub id: String,
    /// `(type, API application id)` pairs it cannot grant.
    pub except: Vec<(String, String)>,
}

/// The roles that can approve consent requests.
#[derive(Debug)]
pub(crate) struct Approvers {
    pub roles: Vec<Role>,
}

impl Approvers {
    /// Whether a reviewer named `name` of kind `kind` (`user`, `group`, `role` or `query`) can
    /// approve a request, which asks for Microsoft Graph application permissions when
    /// `graph_roles`: for a role (by name, or by the role definition a Graph query filters on), what
    /// the role may grant; `None` for people and groups, and for roles not listed here.
    pub(crate) fn can_approve(&self, kind: &str, name: &str, graph_roles: bool) -> Option<bool> {
        const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";
        let lower = name.to_ascii_lowercase();
        let role = match kind {
            "role" => self.roles.iter().find(|r| r.name.eq_ignore_ascii_case(name)),
            "query" if lower.contains("roledefinitionid") => {
                self.roles.iter().find(|r| lower.contains(&r.id))
            }
            _ => None,
        }?;
        let refused =
            role.except.iter().any(|(kind, resource)| kind == "application" && resource == GRAPH_APP_ID);
        Some(!(graph_roles && refused))
    }
}

/// Microsoft Graph's resource-specific permissions, by the scope an owner grants them for.
#[derive(Debug)]
pub(crate) struct ResourceSpecific {
    /// Granted by a team's (group's) owner for that team.
    pub group: Vec<String>,
    /// Granted by a chat's owner for that chat.
    pub chat: Vec<String>,
}

impl ResourceSpecific {
    /// `group` or `chat` for a resource-specific permission of Microsoft Graph named `name`.
    pub(crate) fn scope_of(&self, name: &str) -> Option<&'static str> {
        let listed = |list: &[String]| list.iter().any(|n| n.eq_ignore_ascii_case(name));
        if listed(&self.group) {
            Some("group")
        } else if listed(&self.chat) {
            Some("chat")
        } else {
            None
        }
    }
}

/// Every bundled consent fact.
#[derive(Debug)]
pub(crate) struct Bundled {
    policies: Vec<GrantPolicy>,
    pub step_up: StepUpFacts,
    pub approvers: Approvers,
    pub resource_specific: ResourceSpecific,
}

impl Bundled {
    /// The built-in policy of id `id` (any case).
    pub(crate) fn policy(&self, id: &str) -> Option<&GrantPolicy> {
        self.policies.iter().find(|p| p.id.eq_ignore_ascii_case(id))
    }

    /// Whether `id` is a built-in policy.
    pub(crate) fn is_builtin(&self, id: &str) -> bool {
        self.policy(id).is_some()
    }
}

/// The built-in policy that a value of `spec.userConsent.policy` stands for.
pub(super) fn builtin_of(policy: &str) -> Option<&'static str> {
    BUILTIN_POLICIES.iter().find(|(_, ours)| *ours == policy).map(|(id, _)| *id)
}

/// The bundled facts.
///
/// # Errors
/// When a bundled file is broken, which is a bug in consentlint (a test reads them).
pub(crate) fn bundled() -> Result<&'static Bundled, String> {
    static BUNDLED: OnceLock<Result<Bundled, String>> = OnceLock::new();
    BUNDLED.get_or_init(read).as_ref().map_err(Clone::clone)
}

fn read() -> Result<Bundled, String> {
    let policies = root(POLICIES, "grant-policies")?;
    let policies = match policies.get("policies").map(|n| &n.value) {
        Some(Value::Seq(items)) => items.iter().map(GrantPolicy::read).collect::<Option<Vec<_>>>(),
        _ => None,
    }
    .ok_or("data/consent/grant-policies.yaml: `policies` is not a list of policies with ids")?;
    let step_up = root(STEP_UP, "step-up")?;
    let step_up = StepUpFacts {
        since: step_up
            .get("since")
            .and_then(Node::as_str)
            .ok_or("data/consent/step-up.yaml: no `since`")?
            .to_owned(),
        audiences: strings(step_up.get("audiences")),
        basic: strings(step_up.get("basic")),
    };
    let approvers = root(APPROVERS, "approvers")?;
    let roles = match approvers.get("roles").map(|n| &n.value) {
        Some(Value::Seq(items)) => items.iter().map(role).collect::<Option<Vec<_>>>(),
        _ => None,
    }
    .ok_or("data/consent/approvers.yaml: `roles` is not a list of roles")?;
    let specific = root(RESOURCE_SPECIFIC, "resource-specific")?;
    let resource_specific =
        ResourceSpecific { group: strings(specific.get("group")), chat: strings(specific.get("chat")) };
    Ok(Bundled { policies, step_up, approvers: Approvers { roles }, resource_specific })
}

fn root(text: &str, name: &str) -> Result<Node, String> {
    let mut parsed = parse(text, Limits::default());
    if !parsed.errors.is_empty() || parsed.documents.len() != 1 {
        return Err(format!("data/consent/{name}.yaml does not parse"));
    }
    Ok(parsed.documents.remove(0).root)
}

fn strings(list: Option<&Node>) -> Vec<String> {
    match list.map(|n| &n.value) {
        Some(Value::Seq(items)) => items.iter().filter_map(Node::as_str).map(str::to_owned).collect(),
        _ => Vec::new(),
    }
}

fn role(node: &Node) -> Option<Role> {
    let except = match field(node, "except").map(|n| &n.value) {
        Some(Value::Seq(items)) => items
            .iter()
            .map(|e| {
                Some((e.get("type")?.as_str()?.to_owned(), e.get("resource")?.as_str()?.to_ascii_lowercase()))
            })
            .collect::<Option<Vec<_>>>()?,
        _ => Vec::new(),
    };
    Some(Role {
        name: node.get("name")?.as_str()?.to_owned(),
        id: node.get("id")?.as_str()?.to_ascii_lowercase(),
        except,
    })
}
