#!/usr/bin/env python3
"""Generate the bundled Microsoft Graph permission catalog from the shared permission facts.

Usage:
    scripts/gen-catalog.py [--input PATH] [--overrides PATH] [--output PATH] [--check]

Reads the shared permission facts (default: ../shared/data/graph-permissions.json, relative to the
repository root) and the project's own-data overrides (default: data/catalog/own-data-overrides.json)
and writes data/catalog/microsoft-graph.json (default, relative to the repository root). Relative
paths given on the command line are taken relative to the current directory.

The output holds facts only (no descriptions):

    {"appId": ..., "permissions": {NAME: {"application": TYPE|null, "delegated": TYPE|null}, ...},
     "resource": "Microsoft Graph", "sources": [...]}

where TYPE is {"adminConsent": bool, "id": GUID|null, "ownDataOnly": bool, "privilege": 1-4|null,
"risk": "low"|"medium"|"high"|"critical"|null, "scubaRisky": bool} plus "hidden": true only where the source marks the
permission hidden. Every fact is stated explicitly: consentlint reads them and infers nothing.
`sources` lists one entry per source file named in the input's own `sources` section (name = file
name, repository, path, commit, licence), then the overrides file.

The generator's rules (the facts consentlint itself does not derive):

* scubaRisky: true exactly where the type has a riskLevel, since the input's only source of
  riskLevel is CISA ScubaGear's RiskyAppPermissions.json: the permission is on ScubaGear's list.
* adminConsent: as the source states for delegated permissions. Application permissions always
  need admin consent (they act as the app across the whole organisation), so they are stored with
  adminConsent true even where the source says otherwise (the script reports how many).
* ownDataOnly, "the permission reaches only the signed-in user's own data": always false for
  application permissions and for delegated permissions that need admin consent. For the other
  delegated permissions it follows Microsoft Graph's naming convention
  ({resource}.{operation}[.{constraint}], "permissions overview"): true for a two-part name with
  no constraint (Mail.Read, User.Read) and for the OpenID Connect scopes (openid, profile, email,
  offline_access); false for names with a constraint (.All, .Shared or any third part).
* The overrides file lists the exceptions to that naming rule, keyed by API and then permission
  name: {"ownDataOnly": {"Microsoft Graph": {NAME: bool}}, "reasons": {"Microsoft Graph": {NAME:
  "why"}}}. Each entry must name a delegated permission of that API that needs no admin consent,
  must contradict the naming rule (a redundant entry is an error) and must have a reason.

The output is deterministic: keys sorted, one line per permission and per source, LF line endings,
trailing newline. Running the script twice gives byte-identical files.

--check regenerates in memory and exits 1 (with a message on stderr) when the file at --output is
missing or differs; exits 0 when it is up to date. Use it in CI.

Exit status: 0 success / up to date, 1 --check found a difference, 2 bad input.
Python 3.11 standard library only.
"""
import argparse
import json
import os
import re
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = REPO_ROOT / ".." / "shared" / "data" / "graph-permissions.json"
DEFAULT_OUTPUT = REPO_ROOT / "data" / "catalog" / "microsoft-graph.json"
DEFAULT_OVERRIDES = REPO_ROOT / "data" / "catalog" / "own-data-overrides.json"
# How the overrides file is credited in the output's `sources`.
OVERRIDES_SOURCE = {
    "commit": None,
    "licence": "MIT OR Apache-2.0",
    "name": "own-data-overrides.json",
    "path": "data/catalog/own-data-overrides.json",
    "repository": "consentlint/consentlint",
}

TYPES = ("delegated", "application")
TYPE_KEYS = {"hidden", "id", "privilegeLevel", "requiresAdminConsent", "riskLevel"}
RISKS = {"Low": "low", "Medium": "medium", "High": "high", "Critical": "critical"}
# The OpenID Connect scopes: delegated, and only about the signed-in user.
OIDC = {"openid", "profile", "email", "offline_access"}
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)


class InputError(Exception):
    """The input file does not have the expected structure."""


def convert_type(name, kind, src):
    """Map one delegated/application fact object of the input to the catalog's shape."""
    where = f"{name} ({kind})"
    if not isinstance(src, dict):
        raise InputError(f"{where}: expected an object or null, got {type(src).__name__}")
    unknown = set(src) - TYPE_KEYS
    if unknown:
        raise InputError(f"{where}: unknown keys {sorted(unknown)}")

    pid = src.get("id")
    if pid is not None and (not isinstance(pid, str) or not GUID.match(pid)):
        raise InputError(f"{where}: id {pid!r} is not a GUID")

    consent = src.get("requiresAdminConsent")
    if not isinstance(consent, bool):
        raise InputError(f"{where}: requiresAdminConsent {consent!r} is not a boolean")

    privilege = src.get("privilegeLevel")
    if privilege is not None and (
        isinstance(privilege, bool) or not isinstance(privilege, int) or not 1 <= privilege <= 4
    ):
        raise InputError(f"{where}: privilegeLevel {privilege!r} is not 1-4 or null")

    risk = src.get("riskLevel")
    if risk is not None:
        if risk not in RISKS:
            raise InputError(f"{where}: riskLevel {risk!r} is not one of {sorted(RISKS)}")
        risk = RISKS[risk]

    hidden = src.get("hidden", False)
    if not isinstance(hidden, bool):
        raise InputError(f"{where}: hidden {hidden!r} is not a boolean")

    out = {
        # Application permissions always need admin consent, whatever the source says.
        "adminConsent": consent or kind == "application",
        "id": pid,
        # Settled in build(), once the overrides are known.
        "ownDataOnly": False,
        "privilege": privilege,
        "risk": risk,
        # ScubaGear's RiskyAppPermissions.json is the only source of riskLevel: a permission with
        # one is listed there for this type (MS.AAD.5.2v1 fails it in the low-impact classification).
        "scubaRisky": risk is not None,
    }
    if hidden:
        out["hidden"] = True
    return out


def convert_sources(src_sources):
    """One catalog source entry per file listed in the input's `sources`, in input order."""
    if not isinstance(src_sources, list) or not src_sources:
        raise InputError("`sources` must be a non-empty list")
    out = []
    for i, s in enumerate(src_sources):
        try:
            repository, commit, licence, files = s["repository"], s["commit"], s["license"], s["files"]
        except (KeyError, TypeError) as e:
            raise InputError(f"sources[{i}]: missing {e}") from None
        if not isinstance(files, list) or not files:
            raise InputError(f"sources[{i}]: `files` must be a non-empty list")
        for path in files:
            out.append(
                {
                    "commit": commit,
                    "licence": licence,
                    "name": path.rsplit("/", 1)[-1],
                    "path": path,
                    "repository": repository,
                }
            )
    return out


def naming_rule(name):
    """The generator's own-data rule for a delegated permission that needs no admin consent."""
    return name in OIDC or name.count(".") == 1


def load_overrides(overrides, resource, perms):
    """The own-data exceptions for `resource`, checked against the converted permissions."""
    if not isinstance(overrides, dict):
        raise InputError("top level must be an object")
    verdicts, reasons = overrides.get("ownDataOnly"), overrides.get("reasons")
    if not isinstance(verdicts, dict) or not isinstance(reasons, dict):
        raise InputError("`ownDataOnly` and `reasons` must be objects keyed by API name")
    for api in sorted(set(verdicts) | set(reasons)):
        if api != resource:
            raise InputError(f"overrides for the API {api!r}, but this catalog is for {resource!r}")
    verdicts, reasons = verdicts.get(resource, {}), reasons.get(resource, {})
    if not isinstance(verdicts, dict) or not isinstance(reasons, dict):
        raise InputError(f"{resource!r}: expected objects keyed by permission name")
    unpaired = sorted(set(verdicts) ^ set(reasons))
    if unpaired:
        raise InputError(f"{resource}: every override needs a verdict and a reason: {unpaired}")
    for name in sorted(verdicts):
        verdict, reason = verdicts[name], reasons[name]
        where = f"{resource} {name}"
        if not isinstance(verdict, bool) or not isinstance(reason, str) or not reason.strip():
            raise InputError(f"{where}: the verdict must be a boolean and the reason a non-empty string")
        delegated = (perms.get(name) or {}).get("delegated")
        if delegated is None:
            raise InputError(f"{where}: not a delegated permission of the catalog")
        if delegated["adminConsent"]:
            raise InputError(f"{where}: needs admin consent, so it is never own data only; remove it")
        if verdict == naming_rule(name):
            raise InputError(f"{where}: agrees with the naming rule; remove it")
    return verdicts


def apply_consent_overrides(overrides, resource, perms):
    """Set `adminConsent` of the delegated permissions the overrides name, each of which must
    disagree with the source; return one line per override applied."""
    values = overrides.get("adminConsent", {})
    reasons = overrides.get("adminConsentReasons", {})
    if not isinstance(values, dict) or not isinstance(reasons, dict):
        raise InputError("`adminConsent` and `adminConsentReasons` must be objects keyed by API name")
    for api in sorted(set(values) | set(reasons)):
        if api != resource:
            raise InputError(f"admin consent overrides for the API {api!r}, but this catalog is for {resource!r}")
    values, reasons = values.get(resource, {}), reasons.get(resource, {})
    unpaired = sorted(set(values) ^ set(reasons))
    if unpaired:
        raise InputError(f"{resource}: every admin consent override needs a value and a reason: {unpaired}")
    applied = []
    for name in sorted(values):
        value, reason = values[name], reasons[name]
        where = f"{resource} {name}"
        if not isinstance(value, bool) or not isinstance(reason, str) or not reason.strip():
            raise InputError(f"{where}: the value must be a boolean and the reason a non-empty string")
        delegated = (perms.get(name) or {}).get("delegated")
        if delegated is None:
            raise InputError(f"{where}: not a delegated permission of the catalog")
        if delegated["adminConsent"] == value:
            raise InputError(f"{where}: the source already says requiresAdminConsent {value}; remove the override")
        applied.append(
            f"{where} (delegated): the source says requiresAdminConsent {delegated['adminConsent']}, "
            f"the service principal says {value}; following the service principal: {reason}"
        )
        delegated["adminConsent"] = value
        if value:
            delegated["ownDataOnly"] = False
    return applied


def build(data, overrides):
    """Return (catalog dict, stats dict) from the parsed input and overrides."""
    if not isinstance(data, dict):
        raise InputError("top level must be an object")
    resource = data.get("resource")
    if not isinstance(resource, dict) or "name" not in resource or "appId" not in resource:
        raise InputError("`resource` must be an object with `name` and `appId`")
    perms = data.get("permissions")
    if not isinstance(perms, dict) or not perms:
        raise InputError("`permissions` must be a non-empty object keyed by permission name")

    stats = {
        "permissions": 0,
        "delegated": 0,
        "application": 0,
        "both": 0,
        "hidden": 0,
        "nullId": 0,
        "ownData": 0,
        "overridden": 0,
        "appNoAdminConsent": [],
        "risk": {k: {r: 0 for r in RISKS.values()} for k in TYPES},
    }
    out = {}
    for name in sorted(perms):
        entry = perms[name]
        if not isinstance(entry, dict):
            raise InputError(f"{name}: expected an object")
        unknown = set(entry) - set(TYPES)
        if unknown:
            raise InputError(f"{name}: unknown keys {sorted(unknown)}")
        conv = {}
        for kind in TYPES:
            src = entry.get(kind)
            conv[kind] = None if src is None else convert_type(name, kind, src)
        if conv["delegated"] is None and conv["application"] is None:
            raise InputError(f"{name}: neither delegated nor application facts")
        out[name] = conv
        application = entry.get("application")
        if application is not None and not application["requiresAdminConsent"]:
            stats["appNoAdminConsent"].append(name)

    stats["consentOverrides"] = apply_consent_overrides(overrides, resource["name"], out)
    verdicts = load_overrides(overrides, resource["name"], out)
    for name, conv in out.items():
        delegated = conv["delegated"]
        if delegated is not None and not delegated["adminConsent"]:
            delegated["ownDataOnly"] = verdicts.get(name, naming_rule(name))

        stats["permissions"] += 1
        stats["overridden"] += name in verdicts
        for kind in TYPES:
            t = conv[kind]
            if t is None:
                continue
            stats[kind] += 1
            stats["hidden"] += bool(t.get("hidden"))
            stats["nullId"] += t["id"] is None
            stats["ownData"] += t["ownDataOnly"]
            if t["risk"] is not None:
                stats["risk"][kind][t["risk"]] += 1
        if conv["delegated"] and conv["application"]:
            stats["both"] += 1

    catalog = {
        "appId": resource["appId"],
        "permissions": out,
        "resource": resource["name"],
        "sources": convert_sources(data.get("sources")) + [OVERRIDES_SOURCE],
    }
    return catalog, stats


def dump_line(value):
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))


def render(catalog):
    """Serialise with sorted keys and one line per permission and per source."""
    lines = ["{"]
    keys = sorted(catalog)
    for ki, key in enumerate(keys):
        comma = "," if ki < len(keys) - 1 else ""
        value = catalog[key]
        if key == "permissions":
            lines.append(f' {dump_line(key)}: {{')
            names = sorted(value)
            for ni, name in enumerate(names):
                sep = "," if ni < len(names) - 1 else ""
                lines.append(f"  {dump_line(name)}: {dump_line(value[name])}{sep}")
            lines.append(f" }}{comma}")
        elif key == "sources":
            lines.append(f' {dump_line(key)}: [')
            for si, src in enumerate(value):
                sep = "," if si < len(value) - 1 else ""
                lines.append(f"  {dump_line(src)}{sep}")
            lines.append(f" ]{comma}")
        else:
            lines.append(f" {dump_line(key)}: {dump_line(value)}{comma}")
    lines.append("}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_atomic(path, content):
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def report(stats, out):
    risk = stats["risk"]
    print(
        f"{stats['permissions']} permissions: {stats['delegated']} with delegated, "
        f"{stats['application']} with application ({stats['both']} with both); "
        f"{stats['hidden']} hidden types; {stats['nullId']} types without a public id",
        file=out,
    )
    for kind in TYPES:
        total = sum(risk[kind].values())
        levels = ", ".join(f"{r} {n}" for r, n in risk[kind].items())
        print(f"{kind} with a risk level: {total} ({levels})", file=out)
    print(
        f"own data only: {stats['ownData']} delegated types ({stats['overridden']} by an override)",
        file=out,
    )
    for line in stats["consentOverrides"]:
        print(f"disagreement between sources: {line}", file=out)
    names = stats["appNoAdminConsent"]
    print(
        f"note: {len(names)} application permissions have requiresAdminConsent=false in the source "
        "(stored as true: application permissions always need admin consent)",
        file=out,
    )


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Generate data/catalog/microsoft-graph.json from the shared Graph permission facts."
    )
    ap.add_argument("--input", type=Path, default=DEFAULT_INPUT, help=f"default: {DEFAULT_INPUT}")
    ap.add_argument(
        "--overrides", type=Path, default=DEFAULT_OVERRIDES, help=f"default: {DEFAULT_OVERRIDES}"
    )
    ap.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"default: {DEFAULT_OUTPUT}")
    ap.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if --output is missing or out of date"
    )
    args = ap.parse_args(argv)

    try:
        with open(args.input, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        print(f"gen-catalog: {args.input}: {e}", file=sys.stderr)
        return 2
    try:
        with open(args.overrides, encoding="utf-8") as f:
            overrides = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        print(f"gen-catalog: {args.overrides}: {e}", file=sys.stderr)
        return 2
    try:
        catalog, stats = build(data, overrides)
    except InputError as e:
        print(f"gen-catalog: {e}", file=sys.stderr)
        return 2
    content = render(catalog)

    if args.check:
        try:
            current = args.output.read_bytes()
        except FileNotFoundError:
            current = None
        if current != content:
            what = "is missing" if current is None else "is out of date"
            print(
                f"gen-catalog: {args.output} {what}; regenerate it with scripts/gen-catalog.py",
                file=sys.stderr,
            )
            return 1
        for line in stats["consentOverrides"]:
            print(f"gen-catalog: disagreement between sources: {line}")
        print(f"gen-catalog: {args.output} is up to date")
        return 0

    write_atomic(args.output, content)
    print(f"wrote {args.output} ({len(content)} bytes)")
    report(stats, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
