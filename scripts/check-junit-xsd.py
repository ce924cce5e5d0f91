#!/usr/bin/env python3
"""Validates `consentlint check --format junit` against tests/schemas/junit-10.xsd with a full XSD
validator (`xmlschema`, from PyPI), over the format fixtures (failures, an info), a run that judged
nothing (a skipped test case for the note) and a clean run. `cargo test` checks the same shape
structurally (tests/junit_schema.rs); this is the second opinion of a real XSD implementation.

    scripts/check-junit-xsd.py [CONSENTLINT]   # default: target/debug/consentlint, built first
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    try:
        import xmlschema  # noqa: PLC0415 (imported here to say how to get it)
    except ImportError:
        print("check-junit-xsd: needs `xmlschema` (pip install xmlschema)", file=sys.stderr)
        return 2
    binary = sys.argv[1] if len(sys.argv) > 1 else None
    if binary is None:
        target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
        subprocess.run(["cargo", "build", "--locked", "--quiet"], cwd=ROOT, check=True)
        binary = str(target / "debug" / "consentlint")
    schema = xmlschema.XMLSchema10(str(ROOT / "tests/schemas/junit-10.xsd"))
    fixtures = ROOT / "tests/fixtures/formats"
    with tempfile.TemporaryDirectory() as other:
        Path(other, "mkdocs.yaml").write_text("site_name: Consent\n", encoding="utf-8")
        runs = {
            "findings": (fixtures, ["apps", "tenants", "--policy", "policy"]),
            "nothing judged": (Path(other), ["."]),
            "clean": (fixtures, ["tenants", "--select", "CL-T001"]),
        }
        failed = 0
        for name, (cwd, args) in runs.items():
            done = subprocess.run(
                [binary, "check", "--format", "junit", "--no-config", *args],
                cwd=cwd, capture_output=True, check=False,
            )
            if done.returncode not in (0, 1):
                print(f"check-junit-xsd: {name}: exit {done.returncode}\n{done.stderr.decode()}", file=sys.stderr)
                failed += 1
                continue
            errors = list(schema.iter_errors(done.stdout.decode("utf-8")))
            for error in errors:
                print(f"check-junit-xsd: {name}: {error.reason} at {error.path}", file=sys.stderr)
            failed += bool(errors)
            print(f"check-junit-xsd: {name}: {'INVALID' if errors else 'valid'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
