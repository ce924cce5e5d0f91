#!/usr/bin/env python3
"""Writes a synthetic EntraExporter-shaped export with consent grants: the tenant Adatum, its
service principals, app registrations and grants, laid out as EntraExporter lays them out
(`ServicePrincipals/<id>/Oauth2PermissionGrants/<grant id>/<grant id>.json`,
`ServicePrincipals/<id>/AppRoleAssignments/<id>/<id>.json` and the same assignment under the API's
`ServicePrincipals/<id>/AppRoleAssignedTo/<id>/<id>.json`; see EntraExporter's
`src/Get-EEDefaultSchema.ps1` and `src/Export-Entra.ps1`).

Usage: scripts/gen-grant-example.py DIR   (writes DIR/<files>; the committed copy is
examples/entra-export/adatum). Every id is invented; permission ids are Microsoft Graph's.
"""
import json
import sys
from pathlib import Path

TENANT = "2b7e4c1a-9d3f-4e5a-8b6c-1a2b3c4d5e6f"
GRAPH_SP = "9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
MICROSOFT = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"
USER = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"

SCOPES = {
    "User.Read": ("e1fe6dd8-ba31-4d61-89e7-88639da4683d", "User"),
    "openid": ("37f7f235-527c-4136-accd-4a02d197296e", "User"),
    "offline_access": ("7427e0e9-2fba-42fe-b0c0-848c9e6a8182", "User"),
    "Mail.Read": ("570282fd-fa5c-430d-a7fd-fc8dc98a9dca", "User"),
    "Mail.ReadWrite": ("024d486e-b451-40bb-833d-3e66d98c5c73", "User"),
    "Calendars.Read": ("465a38f9-76ea-45b9-9f34-9e8b0d4b0b42", "User"),
    "Files.Read.All": ("df85f4d6-205c-4ac5-a5ea-6bf408dba283", "User"),
}
ROLES = {
    "User.Read.All": "df021288-bdef-4463-88db-98f22de89214",
    "RoleManagement.ReadWrite.Directory": "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8",
}

# (object id, app id, name, owner tenant, verified publisher (name, id) or None)
APPS = {
    "digest": ("4c2e8f1a-7b3d-4e9c-a5f6-0d1e2f3a4b5c", "6e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b", "Adatum Mail Digest", TENANT, None),
    "sync": ("5d3f9a2b-8c4e-4f0d-b6a7-1e2f3a4b5c6d", "7f2a3b4c-5d6e-4f7a-9b8c-0d1e2f3a4b5c", "Adatum Directory Sync", TENANT, None),
    "inbox": ("6e4a0b3c-9d5f-4a1e-87b8-2f3a4b5c6d7e", "8a3b4c5d-6e7f-4a8b-8c9d-1e2f3a4b5c6d", "Inbox Helper Pro", "d1e2f3a4-b5c6-4d7e-8f9a-0b1c2d3e4f5a", None),
    "planner": ("7f5b1c4d-0e6a-4b2f-98c9-3a4b5c6d7e8f", "9b4c5d6e-7f8a-4b9c-9d0e-2f3a4b5c6d7e", "Fabrikam Planner", "e2f3a4b5-c6d7-4e8f-9a0b-1c2d3e4f5a6b", ("Fabrikam, Inc.", "5082316")),
}

# (client, grant id, consent type, principal, scope)
DELEGATED = [
    ("digest", "GuIsTHs3nE6l9g0eLzpLXAK8G5o-T0pLjH2eDxorPE0", "AllPrincipals", None, "User.Read Mail.Read Mail.ReadWrite"),
    ("inbox", "OwtKbl2dHkqHuC86S1xtfgK8G5o-T0pLjH2eDxorPE1", "Principal", USER, "openid offline_access Mail.Read Files.Read.All"),
    ("planner", "HBxbf2oOL0uYyTpLXG1-jwK8G5o-T0pLjH2eDxorPE2", "Principal", USER, "User.Read Calendars.Read offline_access"),
]
# (client, assignment id, role)
ASSIGNMENTS = [
    ("sync", "K5o_XUyMD0-2px4vOktcbc7dRjvxEzxGp7oCC0ZEqvk", "User.Read.All"),
    ("sync", "K5o_XUyMD0-2px4vOktcbXqMHwtMl0pBl-9oRU5PQeA", "RoleManagement.ReadWrite.Directory"),
]
# (app, requested scopes, requested roles)
REGISTRATIONS = [
    ("digest", ["User.Read", "Mail.Read", "Calendars.Read"], []),
    ("sync", [], ["User.Read.All"]),
]


def write(root: Path, path: str, value) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(value, indent=4, ensure_ascii=False) + "\n", encoding="utf-8")


def service_principal(key):
    object_id, app_id, name, owner, verified = APPS[key]
    return {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals/$entity",
        "id": object_id,
        "appId": app_id,
        "displayName": name,
        "servicePrincipalType": "Application",
        "appOwnerOrganizationId": owner,
        "publisherName": verified[0] if verified else name.split(" ")[0],
        "verifiedPublisher": {
            "displayName": verified[0] if verified else None,
            "verifiedPublisherId": verified[1] if verified else None,
            "addedDateTime": "2023-04-12T09:30:00Z" if verified else None,
        },
        "appRoles": [],
        "oauth2PermissionScopes": [],
    }


def main() -> None:
    root = Path(sys.argv[1])
    write(root, "Organization/Organization.json", {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#organization/$entity",
        "id": TENANT,
        "displayName": "Adatum Corporation",
        "verifiedDomains": [{"name": "adatum.example", "isDefault": True, "isInitial": False}],
    })
    write(root, "Policies/AuthorizationPolicy/authorizationPolicy.json", {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/authorizationPolicy/$entity",
        "id": "authorizationPolicy",
        "displayName": "Authorization Policy",
        "allowUserConsentForRiskyApps": False,
        "defaultUserRolePermissions": {
            "allowedToCreateApps": False,
            "permissionGrantPoliciesAssigned": ["ManagePermissionGrantsForSelf.microsoft-user-default-recommended"],
        },
    })
    graph = {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals/$entity",
        "id": GRAPH_SP,
        "appId": "00000003-0000-0000-c000-000000000000",
        "displayName": "Microsoft Graph",
        "servicePrincipalType": "Application",
        "appOwnerOrganizationId": MICROSOFT,
        "appRoles": [
            {"allowedMemberTypes": ["Application"], "id": rid, "value": name, "isEnabled": True}
            for name, rid in ROLES.items()
        ],
        "oauth2PermissionScopes": [
            {"id": sid, "type": kind, "value": name, "isEnabled": True} for name, (sid, kind) in SCOPES.items()
        ],
    }
    write(root, f"ServicePrincipals/{GRAPH_SP}/{GRAPH_SP}.json", graph)
    for key in APPS:
        object_id = APPS[key][0]
        write(root, f"ServicePrincipals/{object_id}/{object_id}.json", service_principal(key))
    for client, grant_id, consent, principal, scope in DELEGATED:
        object_id = APPS[client][0]
        write(root, f"ServicePrincipals/{object_id}/Oauth2PermissionGrants/{grant_id}/{grant_id}.json", {
            "clientId": object_id,
            "consentType": consent,
            "id": grant_id,
            "principalId": principal,
            "resourceId": GRAPH_SP,
            "scope": scope,
        })
    for client, assignment_id, role in ASSIGNMENTS:
        object_id = APPS[client][0]
        assignment = {
            "id": assignment_id,
            "deletedDateTime": None,
            "appRoleId": ROLES[role],
            "createdDateTime": "2024-02-01T10:00:00Z",
            "principalDisplayName": APPS[client][2],
            "principalId": object_id,
            "principalType": "ServicePrincipal",
            "resourceDisplayName": "Microsoft Graph",
            "resourceId": GRAPH_SP,
        }
        write(root, f"ServicePrincipals/{object_id}/AppRoleAssignments/{assignment_id}/{assignment_id}.json", assignment)
        write(root, f"ServicePrincipals/{GRAPH_SP}/AppRoleAssignedTo/{assignment_id}/{assignment_id}.json", assignment)
    for key, scopes, roles in REGISTRATIONS:
        object_id, app_id, name, _, _ = APPS[key]
        access = [{"id": SCOPES[s][0], "type": "Scope"} for s in scopes] + [
            {"id": ROLES[r], "type": "Role"} for r in roles
        ]
        app_object = "a" + object_id[1:]
        write(root, f"Applications/{app_object}/{app_object}.json", {
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#applications/$entity",
            "id": app_object,
            "appId": app_id,
            "displayName": name,
            "signInAudience": "AzureADMyOrg",
            "publisherDomain": "adatum.example",
            "verifiedPublisher": {"displayName": None, "verifiedPublisherId": None, "addedDateTime": None},
            "requiredResourceAccess": [
                {"resourceAppId": "00000003-0000-0000-c000-000000000000", "resourceAccess": access}
            ],
        })


if __name__ == "__main__":
    main()
