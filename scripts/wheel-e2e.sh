#!/usr/bin/env bash
# The way in without Rust, end to end: builds the binary wheel with maturin, installs it into a
# fresh virtual environment from a local wheel directory (no package index), then runs the real
# pre-commit client on the mirror hook (`pre-commit-mirror/`, `language: python`) in a sample
# repository: the hook must fail a violation, pass the fix, and pass a commit of YAML that is not
# consentlint's under `failOn: warning`. Prints how long each step took.
#
#   scripts/wheel-e2e.sh                     # builds the wheel as released (release profile)
#   WHEEL_PROFILE=dev scripts/wheel-e2e.sh   # with the debug build `cargo test` left (.ci/run)
#   WHEEL_DIR=dist scripts/wheel-e2e.sh      # uses the consentlint wheel already in dist/
#
# Needs python3, git and cargo. The tools (maturin, pre-commit) and the setuptools wheel that the
# mirror's package builds with come from PyPI first; everything after that runs with
# PIP_NO_INDEX=1, so the install is the one a machine with no index access would do.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$here/Cargo.toml" | head -n 1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seconds() { echo "$(( $(date +%s) - $1 ))"; }

echo "--- tools: maturin and pre-commit from PyPI"
python3 -m venv "$work/tools"
"$work/tools/bin/pip" install --quiet --disable-pip-version-check 'maturin>=1.5,<2' pre-commit
wheels="$work/wheels"
mkdir -p "$wheels"
"$work/tools/bin/pip" download --quiet --disable-pip-version-check --only-binary :all: --dest "$wheels" \
    'setuptools>=61'

if [[ -n "${WHEEL_DIR:-}" ]]; then
    cp "$WHEEL_DIR"/consentlint-"$version"-*.whl "$wheels"/
else
    profile=${WHEEL_PROFILE:-release}
    echo "--- building the wheel (maturin, $profile profile)"
    started=$(date +%s)
    (cd "$here" && "$work/tools/bin/maturin" build --profile "$profile" --locked --quiet --out "$wheels")
    echo "--- wheel built in $(seconds "$started") s"
fi
ls "$wheels"/consentlint-"$version"-*.whl >/dev/null

export PIP_NO_INDEX=1 PIP_FIND_LINKS="$wheels" PIP_DISABLE_PIP_VERSION_CHECK=1

echo "--- pip install consentlint into a fresh virtual environment, from the wheel directory only"
started=$(date +%s)
python3 -m venv "$work/user"
"$work/user/bin/pip" install --quiet --no-index --find-links "$wheels" "consentlint==$version"
install_seconds=$(seconds "$started")
"$work/user/bin/consentlint" --version
echo "--- installed in $install_seconds s (virtual environment included)"

# The mirror repository, as the release publishes it, tagged with the version.
mirror="$work/mirror"
cp -R "$here/pre-commit-mirror" "$mirror"
git -C "$mirror" init --quiet
git -C "$mirror" -c user.email=ci@example.invalid -c user.name="wheel check" add .
git -C "$mirror" -c user.email=ci@example.invalid -c user.name="wheel check" commit --quiet -m mirror
git -C "$mirror" tag "v$version"

sample="$work/sample"
mkdir -p "$sample/tenants" "$sample/apps" "$sample/docs"
cd "$sample"
git init --quiet
git config user.email ci@example.invalid
git config user.name "pre-commit check"
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $mirror
    rev: v$version
    hooks:
      - id: consentlint
YAML
cat > .consentlint.yaml <<'YAML'
context: [tenants/]
exclude: ["vendor/**"]
failOn: warning
YAML
cp "$here/tests/fixtures/pre-commit/contoso.yaml" tenants/contoso.yaml
git add .
git commit --quiet --no-verify -m "tenant"

export PRE_COMMIT_HOME="$work/cache"
echo "--- pre-commit installs the hook (a virtual environment with the wheel)"
started=$(date +%s)
"$work/tools/bin/pre-commit" install --install-hooks
hook_seconds=$(seconds "$started")
echo "--- hook installed in $hook_seconds s"
export PATH="$work/tools/bin:$PATH"

cat > apps/notes.yaml <<'YAML'
apiVersion: consentlint/v1
kind: AppManifest
metadata: {name: notes, appId: 0d4b6f2e-7a1c-4e8b-9f3d-2c5a8e1b7f60}
spec:
  displayName: Notes
  publisher: {name: Contoso IT, origin: organization}
  signInAudience: single-tenant
  consent: user
  permissions:
    - {name: Files.Read.All, type: delegated, justification: Attach files.}
YAML
git add apps/notes.yaml
echo "--- committing an app that breaks the consent rules (the hook must fail)"
if git commit --quiet -m "add notes"; then
    echo "FAIL: the hook let a violation through" >&2
    exit 1
fi

sed -i 's/consent: user/consent: admin/' apps/notes.yaml
git add apps/notes.yaml
echo "--- committing the fixed app (the hook must pass)"
started=$(date +%s)
git commit --quiet -m "add notes, admin consent"
echo "--- hook run: $(seconds "$started") s"

mkdir -p vendor
printf 'site_name: Consent\n' > docs/mkdocs.yaml
cp apps/notes.yaml vendor/notes-copy.yaml
printf '    - {name: Mail.Read, type: delegated}\n' >> vendor/notes-copy.yaml
git add docs vendor
echo "--- committing only YAML that is not consentlint's or is excluded, under failOn: warning (must pass)"
git commit --quiet -m "docs and a vendored copy"

echo "OK: pip installed the wheel in $install_seconds s, pre-commit installed the hook in $hook_seconds s;" \
    "the hook failed the violation and passed the fix and the unrelated files"
