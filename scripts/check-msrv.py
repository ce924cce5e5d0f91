#!/usr/bin/env python3
"""Check that Cargo.toml's `rust-version` is what the locked dependencies need.

Reads `cargo metadata --locked` (the lock file, and the registry for the manifests of packages
the build did not download, such as other platforms' dependencies on a fresh machine) and compares the
package's own `rust-version` with the highest `rust-version` any package in Cargo.lock declares for
the normal and build dependency graph. Fails when ours is lower (a clone would not build with the
toolchain the README names); a higher value passes with a note, since consentlint's own code
(edition 2024, let chains) may need more than its dependencies.
Exits 0 when they agree, 1 when they differ, 2 when metadata cannot be read.
"""

import json
import subprocess
import sys


def version(text):
    """`1.85` or `1.85.1` as a comparable tuple of three numbers."""
    parts = [int(p) for p in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def main():
    try:
        raw = subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--locked"],
            check=True, capture_output=True, text=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"check-msrv: cannot read cargo metadata: {error}", file=sys.stderr)
        return 2
    meta = json.loads(raw)
    root_id = meta["resolve"]["root"]
    packages = {p["id"]: p for p in meta["packages"]}
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    # Walk normal and build dependencies only: dev-dependencies are not built by `cargo install`.
    seen, stack = set(), [root_id]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        for dep in nodes[current]["deps"]:
            kinds = {k["kind"] for k in dep["dep_kinds"]}
            if current == root_id and kinds <= {"dev"}:
                continue
            stack.append(dep["pkg"])
    ours = packages[root_id].get("rust_version")
    needed = max(
        ((version(packages[p]["rust_version"]), packages[p]["name"], packages[p]["rust_version"])
         for p in seen if p != root_id and packages[p].get("rust_version")),
        default=None,
    )
    if ours is None or needed is None:
        print("check-msrv: no rust-version in Cargo.toml or in the dependencies", file=sys.stderr)
        return 1
    if version(ours) > needed[0]:
        print(
            f"check-msrv: rust-version {ours} is above what the locked dependencies need ({needed[2]}, "
            f"{needed[1]}); consentlint's own code sets the floor",
        )
        return 0
    if version(ours) < needed[0]:
        print(
            f"check-msrv: Cargo.toml says rust-version = \"{ours}\", but the locked dependencies need "
            f"{needed[2]} ({needed[1]}); set rust-version to {needed[2]} and update the README",
            file=sys.stderr,
        )
        return 1
    print(f"check-msrv: rust-version {ours} is what the locked dependencies need ({needed[1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
