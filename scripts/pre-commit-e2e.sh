#!/usr/bin/env bash
# Runs the real pre-commit client (from PyPI) against a throw-away sample repository that uses the
# consentlint hook from this checkout, and shows the hook failing on a violation and passing once it
# is fixed. Needs python3, git and cargo; takes a few minutes (pre-commit builds consentlint).
#
#   scripts/pre-commit-e2e.sh            # uses the committed HEAD of this repository
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
rev=$(git -C "$here" rev-parse HEAD)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet pre-commit
precommit="$work/venv/bin/pre-commit"
export PRE_COMMIT_HOME="$work/cache"

sample="$work/sample"
mkdir -p "$sample/tenants" "$sample/apps"
cd "$sample"
git init --quiet
git config user.email ci@example.invalid
git config user.name "pre-commit check"

cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $here
    rev: $rev
    hooks:
      - id: consentlint
YAML
cat > .consentlint.yaml <<'YAML'
context: [tenants/]
YAML
cp "$here/tests/fixtures/pre-commit/contoso.yaml" tenants/contoso.yaml
git add .
git commit --quiet --no-verify -m "tenant"
"$precommit" install --install-hooks

cat > apps/notes.yaml <<'YAML'
apiVersion: consentlint/v1
kind: AppManifest
metadata: {name: notes, appId: 0d4b6f2e-7a1c-4e8b-9f3d-2c5a8e1b7f60}
spec:
  displayName: Notes
  publisher: {name: Contoso IT, origin: organization}
  consent: user
  permissions:
    - {name: Files.Read.All, type: delegated, justification: Attach files.}
YAML
git add apps/notes.yaml
echo "--- committing an app that breaks the consent rules (the hook must fail; the first run builds it)"
started=$(date +%s)
if git commit -m "add notes"; then
  echo "FAIL: the hook let a violation through" >&2
  exit 1
fi
echo "--- first run, build included: $(( $(date +%s) - started )) s"

sed -i 's/consent: user/consent: admin/' apps/notes.yaml
git add apps/notes.yaml
echo "--- committing the fixed app (the hook must pass)"
started=$(date +%s)
git commit -m "add notes, admin consent"
echo "--- second run: $(( $(date +%s) - started )) s"
echo "OK: the hook failed on the violation and passed on the fixed file"
