#!/usr/bin/env python3
"""Benchmark `consentlint check` on a generated corpus and on a single file.

Usage:
    scripts/bench.py [--apps N] [--large M] [--runs R] [--threads T] [--bin PATH] [--keep] [--json] [--html] [--grants G]

Generates, in a temporary directory, one TenantConfig (tenants/contoso.yaml) and N AppManifest files
(apps/dNN/app-NNNNN.yaml, 100 subdirectories) following the documented TenantConfig and AppManifest formats, deterministically
(random.Random(42)); about 5% of the apps carry a finding. Then runs

    consentlint check --format json --output /dev/null <corpus>
    consentlint check --format json --output /dev/null <corpus>/tenants/contoso.yaml
    consentlint check --format json --output /dev/null <entra-export of N app registrations>
    consentlint simulate --tenant <corpus>/tenants/contoso.yaml <corpus>/apps --format json

once to warm up and R times measured each. With `--large M` it also generates a corpus of M apps and
runs it, and the same corpus with every `apiVersion` changed to another tool's (`parse-only`: each file
is read and parsed, then skipped as not ours, which is the floor of any check), and prints the ratios
that the streaming targets are stated in. It reports reporting min / median / max wall time and the peak RSS of
the consentlint process (os.wait4; see run_once).

With `--html` it also writes the HTML report (`check --format html`) of the corpus, of the corpus with
every `justification` left out (`no-justifications`: a finding per permission, tens of thousands in
all) and of the Entra export, run from the corpus directory with relative paths as in a repository,
and prints each report's findings, size, the time to write it, and the time headless Chromium
(Debian's `chromium`, found on PATH) takes to open it and take a screenshot of the first screen:
min / median of R runs, and the same for an empty page, whose median is the browser's own start-up.

With `--grants G` it generates an EntraExporter-shaped export
of G grant files (nine delegated grants and one application permission assignment in ten, the
assignment also under the API's `AppRoleAssignedTo/`) beside G/10 service principals, and the same
tree with every key a format is recognised by renamed (`parse-only`), and prints their ratio: the
grants target is at most 2x.

Exit status 0 or 1 of consentlint counts as success;
anything else prints its stderr and exits 2. The binary defaults to target/release/consentlint in the
repository root, built with `cargo build --release` when missing. `--threads T` sets RAYON_NUM_THREADS.
Python 3.11 standard library only.
"""
import argparse
import ctypes
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import NoReturn

REPO = Path(__file__).resolve().parent.parent
# What users may grant under the tenant below (low impact), then what only an admin grants; the bool
# says whether the application type is used too.
LOW_IMPACT = ["User.Read", "openid", "profile", "email", "offline_access"]
DELEGATED = ["Calendars.Read", "Contacts.Read", "Files.Read", "Chat.Read", "Presence.Read", "People.Read"]
ADMIN_ONLY = [("Files.Read.All", False), ("Sites.Read.All", False), ("Group.Read.All", True),
              ("Team.ReadBasic.All", True), ("User.ReadBasic.All", True), ("Mail.Read", False)]
HIGH_RISK = ["Mail.Send", "Directory.Read.All"]
REASONS = ["Sign the user in and show their name and photo in the header.",
           "Read the user's upcoming meetings to suggest free slots for bookings.",
           "Keep the session alive so that scheduled syncs run without a new sign-in.",
           "List the documents the user works on to attach them to expense reports.",
           "Resolve team and group names shown on the shared dashboard pages."]
NAMES = ["Expense Tracker", "Café Planner", "Zürich Reisekosten", "Überstunden-Rechner",
         "Gestión de Gastos", "Łódź Ticket Desk", "日程表 Sync", "Señal Board", "Kundenübersicht",
         "Mötley Notes", "Ångström Lab Portal", "Crème Rota"]
PUBLISHERS = {"organization": "Contoso Ltd", "other-organization": "Northwind Traders",
              "third-party": "Fabrikam Ltd", "microsoft": "Microsoft Corporation"}

TENANT = """\
apiVersion: consentlint/v1
kind: TenantConfig
metadata:
  name: contoso
  tenantId: 6f1c2e4a-0b7d-4c1e-9a55-3e2f7d8c9b10
spec:
  userConsent:
    enabled: true
    policy: verified-publishers-low-impact
    allowRiskyApps: false
    groupOwnerConsent: false
    lowImpactPermissions: [User.Read, openid, profile, email, offline_access]
  usersCanRegisterApps: false
  adminConsentWorkflow:
    enabled: true
    reviewers:
      - group: App Consent Reviewers
      - user: alice@contoso.com
      - role: Cloud Application Administrator
    notifyReviewers: true
    remindersEnabled: true
    requestDurationInDays: 30
"""


def guid(i: int) -> str:
    """A deterministic, random-looking GUID for index i (lowercase 8-4-4-4-12)."""
    return str(uuid.UUID(int=((i + 1) * 0x9E3779B97F4A7C15F39CC0605CEDC835) % (1 << 128)))


def app_manifest(i: int, rng: random.Random) -> str:
    origin = rng.choice(list(PUBLISHERS))
    consent = rng.choice(["user", "user", "admin"])
    if consent == "user":
        perms = [(n, "delegated") for n in rng.sample(LOW_IMPACT, rng.randint(2, 3))]
    else:
        perms = [(n, "delegated") for n in rng.sample(LOW_IMPACT + DELEGATED, rng.randint(1, 3))]
        perms += [(n, rng.choice(["delegated", "application"]) if app else "delegated")
                  for n, app in rng.sample(ADMIN_ONLY, rng.randint(1, 2))]
    drop_reason = None
    if rng.random() < 0.05:  # a finding: missing justification, high-risk permission, user-granted .All
        kind = rng.randrange(3)
        if kind == 0:
            drop_reason = rng.randrange(len(perms))
        elif kind == 1:
            perms[-1] = (rng.choice(HIGH_RISK), "delegated")
        else:
            perms[-1] = ("Files.Read.All", "delegated")
            consent = "user"
    lines = ["apiVersion: consentlint/v1", "kind: AppManifest", "metadata:",
             f"  name: app-{i:05d}", f"  appId: {guid(i)}", "  tenant: contoso", "spec:",
             f"  displayName: {rng.choice(NAMES)} {i}", "  publisher:",
             f"    name: {PUBLISHERS[origin]}", f"    origin: {origin}",
             f"    verified: {str(origin != 'organization').lower()}"]  # the tenant admits no others
    if origin == "third-party":
        lines.append(f'    verifiedPublisherId: "{rng.randrange(1_000_000, 9_999_999)}"')
    elif origin == "other-organization":
        lines.append(f"    tenantId: {guid(10_000_000 + i)}")
    audience = "single-tenant" if origin == "organization" else "multi-tenant"
    lines += [f"  signInAudience: {audience}", f"  consent: {consent}", "  permissions:"]
    for k, (name, ptype) in enumerate(perms):
        lines += [f"    - name: {name}", f"      type: {ptype}"]
        if k != drop_reason:
            lines.append(f"      justification: {rng.choice(REASONS)}")
    return "\n".join(lines) + "\n"


def generate(root: Path, apps: int) -> int:
    """Write the corpus under root; return the number of files."""
    rng = random.Random(42)
    (root / "tenants").mkdir(parents=True)
    (root / "tenants" / "contoso.yaml").write_text(TENANT, encoding="utf-8")
    for i in range(apps):
        sub = root / "apps" / f"d{i % 100:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"app-{i:05d}.yaml").write_text(app_manifest(i, rng), encoding="utf-8")
    return apps + 1


def graph_ids() -> list[tuple[str, str]]:
    """(permission id, "Scope" | "Role") pairs of the bundled Microsoft Graph catalog, in name order."""
    catalog = json.loads((Path(__file__).resolve().parent.parent / "data" / "catalog" /
                          "microsoft-graph.json").read_text(encoding="utf-8"))
    pairs = []
    for name in sorted(catalog["permissions"]):
        facts = catalog["permissions"][name]
        for kind, word in (("delegated", "Scope"), ("application", "Role")):
            if (facts.get(kind) or {}).get("id"):
                pairs.append((facts[kind]["id"], word))
    return pairs


def generate_entra(root: Path, apps: int) -> int:
    """Write an EntraExporter-shaped export: one tenant's policies and `apps` Graph application
    objects filed as Applications/<id>/<id>.json, each asking for Microsoft Graph permissions by id."""
    rng = random.Random(7)
    ids = graph_ids()
    policies = root / "Policies"
    (policies / "AuthorizationPolicy").mkdir(parents=True)
    (policies / "AuthorizationPolicy" / "authorizationPolicy.json").write_text(json.dumps({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/authorizationPolicy/$entity",
        "id": "authorizationPolicy", "allowUserConsentForRiskyApps": False,
        "defaultUserRolePermissions": {"allowedToCreateApps": False, "permissionGrantPoliciesAssigned": [
            "ManagePermissionGrantsForSelf.microsoft-user-default-low"]}}, indent=4), encoding="utf-8")
    (policies / "AdminConsentRequestPolicy").mkdir()
    (policies / "AdminConsentRequestPolicy" / "adminConsentRequestPolicy.json").write_text(json.dumps({
        "isEnabled": True, "notifyReviewers": True, "remindersEnabled": True, "requestDurationInDays": 30,
        "reviewers": [{"query": f"/users/{guid(99)}", "queryType": "MicrosoftGraph", "queryRoot": None}]},
        indent=4), encoding="utf-8")
    for i in range(apps):
        app_id = guid(i)
        folder = root / "Applications" / app_id
        folder.mkdir(parents=True)
        access = [{"id": pid, "type": kind} for pid, kind in rng.sample(ids, rng.randint(1, 4))]
        app = {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#applications/$entity",
               "id": guid(20_000_000 + i), "appId": app_id, "displayName": f"{rng.choice(NAMES)} {i}",
               "signInAudience": "AzureADMyOrg", "publisherDomain": "contoso.example",
               "verifiedPublisher": {"displayName": None, "verifiedPublisherId": None, "addedDateTime": None},
               "api": {"oauth2PermissionScopes": []}, "web": {"redirectUris": []},
               "requiredResourceAccess": [{"resourceAppId": "00000003-0000-0000-c000-000000000000",
                                           "resourceAccess": access}]}
        (folder / f"{app_id}.json").write_text(json.dumps(app, indent=4), encoding="utf-8")
    return apps + 2


def generate_grants(root: Path, grants: int, parse_only: bool) -> int:
    """Write an EntraExporter-shaped export of `grants` grant files beside `grants // 10` service
    principals (Microsoft Graph and the clients), deterministically: per client one tenant-wide
    delegated grant, users' own grants (`Principal`) for the rest, one grant in ten an application
    permission assignment (also written under Microsoft Graph's `AppRoleAssignedTo/`); one delegated
    grant in twenty holds a risky permission. With `parse_only`, every key a format is recognised by
    is renamed, so each file is read, parsed and skipped (the floor)."""
    benign = ["User.Read", "openid", "profile", "email", "Calendars.Read"]
    risky = ["Mail.ReadWrite", "Files.Read.All", "Mail.Read"]
    roles = ["798ee544-9d2d-430c-a058-570e29e34338", "df021288-bdef-4463-88db-98f22de89214",
             "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8", "810c84a8-4a9e-49e6-bf7d-12d183f40d01"]
    tenant = guid(77_000_000)
    graph = guid(78_000_000)
    renames = [('"consentType"', '"consentKind"'), ('"appRoleId"', '"roleRef"'), ('"appId"', '"applicationRef"'),
               ('"servicePrincipalType"', '"kindOfPrincipal"'), ('"appOwnerOrganizationId"', '"ownerRef"'),
               ('"verifiedDomains"', '"domainsRef"'), ('"oauth2PermissionScopes"', '"scopesRef"'),
               ("#servicePrincipals", "#principalsRef"), ("#organization", "#orgRef")]

    def write(path: Path, value) -> None:
        text = json.dumps(value, indent=4)
        if parse_only:
            for old, new in renames:
                text = text.replace(old, new)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    write(root / "Organization" / "Organization.json", {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#organization/$entity", "id": tenant,
        "displayName": "Contoso Bench", "verifiedDomains": [{"name": "contoso.example", "isDefault": True}]})
    write(root / "ServicePrincipals" / graph / f"{graph}.json", {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals/$entity", "id": graph,
        "appId": "00000003-0000-0000-c000-000000000000", "displayName": "Microsoft Graph",
        "servicePrincipalType": "Application", "appOwnerOrganizationId": "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
        "appRoles": [], "oauth2PermissionScopes": []})
    clients = max(1, grants // 10)
    for c in range(clients):
        object_id = guid(79_000_000 + c)
        verified = c % 2 == 0
        write(root / "ServicePrincipals" / object_id / f"{object_id}.json", {
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals/$entity",
            "id": object_id, "appId": guid(80_000_000 + c), "displayName": f"{NAMES[c % len(NAMES)]} {c}",
            "servicePrincipalType": "Application",
            "appOwnerOrganizationId": tenant if c % 3 == 0 else guid(81_000_000 + c),
            "publisherName": "Bench", "verifiedPublisher": {"displayName": "Bench" if verified else None,
                                                           "verifiedPublisherId": "1234" if verified else None},
            "appRoles": [], "oauth2PermissionScopes": []})
    files = 2 + clients
    for g in range(grants):
        grant_id = f"g{g:09d}" + "Ab" * 16
        if g % 10 == 9:
            client = guid(79_000_000 + (g // 10) % clients)
            role = roles[(g // 40) % len(roles)] if g % 40 == 9 else roles[0]
            assignment = {"id": grant_id, "deletedDateTime": None, "appRoleId": role,
                          "createdDateTime": "2024-01-01T00:00:00Z", "principalDisplayName": "x",
                          "principalId": client, "principalType": "ServicePrincipal",
                          "resourceDisplayName": "Microsoft Graph", "resourceId": graph}
            write(root / "ServicePrincipals" / client / "AppRoleAssignments" / grant_id / f"{grant_id}.json",
                  assignment)
            write(root / "ServicePrincipals" / graph / "AppRoleAssignedTo" / grant_id / f"{grant_id}.json",
                  assignment)
            files += 2
            continue
        client = guid(79_000_000 + g % clients)
        extra = risky[(g // 20) % len(risky)] if g % 20 == 0 else benign[(g // 5) % len(benign)]
        first = benign[g % len(benign)]
        scope = f"{first} offline_access" if first == extra else f"{first} {extra} offline_access"
        tenant_wide = g < clients
        write(root / "ServicePrincipals" / client / "Oauth2PermissionGrants" / grant_id / f"{grant_id}.json", {
            "clientId": client, "consentType": "AllPrincipals" if tenant_wide else "Principal", "id": grant_id,
            "principalId": None if tenant_wide else guid(82_000_000 + g), "resourceId": graph, "scope": scope})
        files += 1
    return files


def fail(message: str) -> NoReturn:
    print(f"bench: {message}", file=sys.stderr)
    sys.exit(2)


def locate_binary(arg: str | None) -> Path:
    if arg:
        path = Path(arg)
        if not path.exists():
            fail(f"binary not found: {path}")
        return path
    path = REPO / "target" / "release" / "consentlint"
    if not path.exists():
        print(f"bench: {path} missing, running `cargo build --release` in {REPO}", file=sys.stderr)
        if subprocess.run(["cargo", "build", "--release"], cwd=REPO).returncode != 0:
            fail("cargo build --release failed")
    return path


# A child's ru_maxrss also counts the memory of the process that exec'd it: started from here, that is
# this interpreter (~15 MiB). On Linux the binary is therefore forked by a small `sh`, held on a pipe
# until that `sh` has exited, and reaped here as an orphan (this process is a child subreaper).
GATED = sys.platform == "linux" and ctypes.CDLL(None).prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
LAUNCH = 'exec 3<&0; sh -c \'read _ && exec "$@" </dev/null\' sh "$@" <&3 3<&- >/dev/null & echo $!'


def run_once(cmd: list[str], env: dict, cwd: Path) -> tuple[float, float]:
    """Run cmd once; return (wall seconds, max RSS MiB) of that process alone."""
    with tempfile.TemporaryFile() as err:
        if GATED:
            gate, go = os.pipe()
            pid = int(subprocess.run(["sh", "-c", LAUNCH, "sh", *cmd], stdin=gate, stdout=subprocess.PIPE,
                                     stderr=err, env=env, cwd=cwd, check=True).stdout)
            os.close(gate)
            start = time.perf_counter()
            os.write(go, b"go\n")
            os.close(go)
        else:
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=cwd)
            pid = proc.pid
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if not GATED:
            proc.returncode = code  # reaped above, not by subprocess
        if code not in (0, 1):
            err.seek(0)
            sys.stderr.write(err.read().decode(errors="replace"))
            fail(f"`{' '.join(cmd)}` exited with {code}")
    return wall, usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)  # bytes / KiB


def measure(name: str, cmd: list[str], files: int, runs: int, env: dict, cwd: Path) -> dict:
    run_once(cmd, env, cwd)  # warm-up
    results = [run_once(cmd, env, cwd) for _ in range(runs)]
    walls = [w for w, _ in results]
    return {"scenario": name, "files": files, "runs": runs, "min_s": min(walls),
            "median_s": statistics.median(walls), "max_s": max(walls),
            "peak_rss_mib": round(max(r for _, r in results), 1)}


def parse_only_copy(corpus: Path, target: Path) -> None:
    """Copy corpus to target with every document made another tool's (parsed, then skipped)."""
    for path in corpus.rglob("*.yaml"):
        out = target / path.relative_to(corpus)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(path.read_text(encoding="utf-8").replace("apiVersion: consentlint/v1",
                                                                 "apiVersion: example.com/v1"),
                       encoding="utf-8")


def chromium_binary() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    fail("--html needs Chromium on PATH (Debian: apt-get install chromium)")


def open_in_chromium(chromium: str, url: str, scratch: Path) -> float:
    """Wall seconds for headless Chromium to load `url` and take a screenshot of the first screen."""
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={scratch / 'chromium-profile'}", "--window-size=1280,900",
           f"--screenshot={scratch / 'screen.png'}", url]
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=300)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.stderr.write(done.stderr.decode(errors="replace"))
        fail(f"chromium exited with {done.returncode} on {url}")
    return wall


def drop_justifications(corpus: Path, target: Path) -> None:
    """Copy corpus to target without any `justification` line: every permission is a finding."""
    for path in corpus.rglob("*.yaml"):
        out = target / path.relative_to(corpus)
        out.parent.mkdir(parents=True, exist_ok=True)
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        out.write_text("".join(line for line in lines if "justification:" not in line), encoding="utf-8")


def html_reports(binary: str, corpus: Path, runs: int, env: dict) -> list[dict]:
    """Write the HTML report of each corpus; measure its size and how long Chromium takes to open it."""
    chromium = chromium_binary()
    drop_justifications(corpus / "small", corpus / "no-justifications")
    scratch = Path(tempfile.mkdtemp(prefix="consentlint-chromium-"))
    try:
        open_in_chromium(chromium, "data:text/html,", scratch)  # warm-up
        empty = [open_in_chromium(chromium, "data:text/html,", scratch) for _ in range(runs)]
        rows = []
        for name, folder in (("corpus", "small"), ("no-justifications", "no-justifications"),
                             ("entra-export", "entra")):
            page = corpus / f"{name}.html"
            write_s, _ = run_once([binary, "check", "--format", "html", "--output", str(page), folder], env, corpus)
            text = page.read_text(encoding="utf-8")
            url = page.resolve().as_uri()
            open_in_chromium(chromium, url, scratch)  # warm-up
            opened = [open_in_chromium(chromium, url, scratch) for _ in range(runs)]
            rows.append({"report": name, "findings": text.count('<article class="finding'),
                         "bytes": page.stat().st_size, "write_s": write_s, "open_min_s": min(opened),
                         "open_median_s": statistics.median(opened), "empty_page_median_s": statistics.median(empty)})
        return rows
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def print_html_table(rows: list[dict]) -> None:
    print(f"{'HTML report':<18} {'findings':>8} {'size':>9} {'write':>8} {'open min':>9} {'open median':>12} "
          f"{'empty page':>11}")
    for row in rows:
        print(f"{row['report']:<18} {row['findings']:>8} {row['bytes'] / 1e6:>6.1f} MB {row['write_s']:>6.2f} s "
              f"{row['open_min_s']:>7.2f} s {row['open_median_s']:>10.2f} s {row['empty_page_median_s']:>9.2f} s")


def print_table(machine: dict, rows: list[dict]) -> None:
    threads = machine["threads"] or "default"
    print(f"machine: {machine['cpus']} CPUs, {machine['platform']}, RAYON_NUM_THREADS: {threads}")
    print(f"{'scenario':<28} {'files':>7} {'runs':>5} {'min':>10} {'median':>10} {'max':>10} {'peak RSS':>10}")
    for row in rows:
        ms = row["scenario"] == "single-file"
        wall = [f"{row[k] * 1e3:.1f} ms" if ms else f"{row[k]:.3f} s" for k in ("min_s", "median_s", "max_s")]
        print(f"{row['scenario']:<28} {row['files']:>7} {row['runs']:>5} {wall[0]:>10} {wall[1]:>10} "
              f"{wall[2]:>10} {row['peak_rss_mib']:>6.1f} MiB")
    by_name = {row["scenario"]: row for row in rows}
    large = next((row for row in rows if row["scenario"].startswith("corpus-")), None)
    floor = next((row for row in rows if row["scenario"].startswith("parse-only-") and
                  not row["scenario"].startswith("parse-only-grants")), None)
    grants = next((row for row in rows if row["scenario"].startswith("grants-")), None)
    grants_floor = next((row for row in rows if row["scenario"].startswith("parse-only-grants")), None)
    if grants and grants_floor:
        print(f"{grants['scenario']} / {grants_floor['scenario']} (median): "
              f"{grants['median_s'] / grants_floor['median_s']:.2f}x")
    if large and "corpus" in by_name:
        ratio = large["median_s"] / by_name["corpus"]["median_s"]
        print(f"{large['scenario']} / corpus (median): {ratio:.1f}x for {large['files'] / by_name['corpus']['files']:.0f}x the files")
    if large and floor:
        print(f"{large['scenario']} / {floor['scenario']} (median): {large['median_s'] / floor['median_s']:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, default=10000, help="number of AppManifest files")
    parser.add_argument("--large", type=int, default=0,
                        help="also run a corpus of this many apps, and its parse-only floor")
    parser.add_argument("--grants", type=int, default=0,
                        help="also run an export of this many grant files, and its parse-only floor")
    parser.add_argument("--runs", type=int, default=5, help="measured runs per scenario")
    parser.add_argument("--threads", type=int, help="set RAYON_NUM_THREADS in the child")
    parser.add_argument("--bin", help="consentlint binary (default: target/release/consentlint)")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpus")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument("--html", action="store_true",
                        help="also write the HTML reports and time Chromium opening them (see above)")
    args = parser.parse_args()
    if args.apps < 1 or args.runs < 1:
        parser.error("--apps and --runs must be at least 1")

    binary = str(locate_binary(args.bin).resolve())
    env = dict(os.environ)
    if args.threads:
        env["RAYON_NUM_THREADS"] = str(args.threads)
    corpus = Path(tempfile.mkdtemp(prefix="consentlint-bench-"))
    try:
        files = generate(corpus / "small", args.apps)
        base = [binary, "check", "--format", "json", "--output", "/dev/null"]
        single = corpus / "small" / "tenants" / "contoso.yaml"
        entra = generate_entra(corpus / "entra", args.apps)
        rows = [measure("corpus", base + [str(corpus / "small")], files, args.runs, env, corpus),
                measure("single-file", base + [str(single)], 1, args.runs, env, corpus),
                measure("entra-export", base + [str(corpus / "entra")], entra, args.runs, env, corpus),
                # `simulate` of every manifest in the corpus's tenant: the consent model, the
                # permission grant policies and the search for the smallest changes.
                measure("simulate", [binary, "simulate", "--tenant", str(single), str(corpus / "small" / "apps"),
                                     "--format", "json"], files - 1, args.runs, env, corpus)]
        if args.large:
            large = generate(corpus / "large", args.large)
            parse_only_copy(corpus / "large", corpus / "parse-only")
            rows.append(measure(f"corpus-{args.large}", base + [str(corpus / "large")], large, args.runs, env,
                                corpus))
            rows.append(measure(f"parse-only-{args.large}", base + [str(corpus / "parse-only")], large,
                                args.runs, env, corpus))
        if args.grants:
            files = generate_grants(corpus / "grants", args.grants, parse_only=False)
            generate_grants(corpus / "grants-floor", args.grants, parse_only=True)
            rows.append(measure(f"grants-{args.grants}", base + [str(corpus / "grants")], files, args.runs, env,
                                corpus))
            rows.append(measure(f"parse-only-grants-{args.grants}", base + [str(corpus / "grants-floor")], files,
                                args.runs, env, corpus))
        html = html_reports(binary, corpus, args.runs, env) if args.html else []
    finally:
        if args.keep:
            print(f"bench: corpus kept in {corpus}", file=sys.stderr)
        else:
            shutil.rmtree(corpus, ignore_errors=True)
    machine = {"cpus": os.cpu_count(), "platform": platform.platform(), "threads": args.threads}
    if args.json:
        print(json.dumps({"machine": machine, "binary": binary, "results": rows, "html": html}, indent=2))
    else:
        print_table(machine, rows)
        if html:
            print_html_table(html)


if __name__ == "__main__":
    main()
