#!/usr/bin/env python3
"""Generate the bundled Microsoft Graph permission catalog from the shared permission facts.

Usage:
    scripts/gen-catalog.py [--input PATH] [--output PATH] [--check]

Reads the shared permission facts (default: ../shared/data/graph-permissions.json, relative to the
repository root) and writes data/catalog/microsoft-graph.json (default, relative to the repository
root). Relative --input/--output paths are taken relative to the current directory.

The output holds facts only (no descriptions):

    {"appId": ..., "permissions": {NAME: {"application": TYPE|null, "delegated": TYPE|null}, ...},
     "resource": "Microsoft Graph", "sources": [...]}

where TYPE is {"adminConsent": bool, "id": GUID|null, "privilege": 1-4|null,
"risk": "low"|"medium"|"high"|"critical"|null} plus "hidden": true only where the source marks the
permission hidden. `sources` lists one entry per source file named in the input's own `sources`
section (name = file name, repository, path, commit, licence).

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

TYPES = ("delegated", "application")
TYPE_KEYS = {"hidden", "id", "privilegeLevel", "requiresAdminConsent", "riskLevel"}
RISKS = {"Low": "low", "Medium": "medium", "High": "high", "Critical": "critical"}
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
        "adminConsent": consent,
        "id": pid,
        "privilege": privilege,
        "risk": risk,
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


def build(data):
    """Return (catalog dict, stats dict) from the parsed input."""
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

        stats["permissions"] += 1
        for kind in TYPES:
            t = conv[kind]
            if t is None:
                continue
            stats[kind] += 1
            stats["hidden"] += bool(t.get("hidden"))
            stats["nullId"] += t["id"] is None
            if t["risk"] is not None:
                stats["risk"][kind][t["risk"]] += 1
        if conv["delegated"] and conv["application"]:
            stats["both"] += 1
        if conv["application"] and not conv["application"]["adminConsent"]:
            stats["appNoAdminConsent"].append(name)

    catalog = {
        "appId": resource["appId"],
        "permissions": out,
        "resource": resource["name"],
        "sources": convert_sources(data.get("sources")),
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
    names = stats["appNoAdminConsent"]
    print(
        f"note: {len(names)} application permissions have requiresAdminConsent=false in the source "
        "(kept as the source states; application permissions always need admin consent in practice)",
        file=out,
    )


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Generate data/catalog/microsoft-graph.json from the shared Graph permission facts."
    )
    ap.add_argument("--input", type=Path, default=DEFAULT_INPUT, help=f"default: {DEFAULT_INPUT}")
    ap.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"default: {DEFAULT_OUTPUT}")
    ap.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if --output is missing or out of date"
    )
    args = ap.parse_args(argv)

    try:
        with open(args.input, encoding="utf-8") as f:
            data = json.load(f)
        catalog, stats = build(data)
    except (OSError, json.JSONDecodeError, InputError) as e:
        print(f"gen-catalog: {args.input}: {e}", file=sys.stderr)
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
        print(f"gen-catalog: {args.output} is up to date")
        return 0

    write_atomic(args.output, content)
    print(f"wrote {args.output} ({len(content)} bytes)")
    report(stats, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
