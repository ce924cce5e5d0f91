#!/usr/bin/env bash
# Builds the container image (Dockerfile) and runs `check` in it against a violation and a clean
# file. Where no container engine answers (docker or podman), says so loudly and does not pretend
# to have tested the image: exit 0 with "CONTAINER IMAGE NOT TESTED", or exit 1 with
# CI_REQUIRE_CONTAINER=1.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

engine=""
for candidate in docker podman; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" info >/dev/null 2>&1; then
        engine=$candidate
        break
    fi
done
if [[ -z "$engine" ]]; then
    echo "container-e2e: CONTAINER IMAGE NOT TESTED: no container engine answers (\`docker info\` and \`podman info\` failed or are missing)" >&2
    if [[ "${CI_REQUIRE_CONTAINER:-0}" == 1 ]]; then
        exit 1
    fi
    exit 0
fi

tag="consentlint-e2e:$$"
work=$(mktemp -d)
trap 'rm -rf "$work"; "$engine" rmi -f "$tag" >/dev/null 2>&1 || true' EXIT
started=$(date +%s)
"$engine" build --quiet -t "$tag" "$here" >/dev/null
echo "container-e2e: built with $engine in $(( $(date +%s) - started )) s," \
    "$("$engine" image inspect --format '{{.Size}}' "$tag") bytes"
user=$("$engine" image inspect --format '{{.Config.User}}' "$tag")
if [[ "$user" != 65532:65532 ]]; then
    echo "container-e2e: FAIL: the image runs as \`$user\`, not as the unprivileged 65532" >&2
    exit 1
fi

mkdir -p "$work/apps"
cat > "$work/apps/notes.yaml" <<'YAML'
apiVersion: consentlint/v1
kind: AppManifest
metadata: {name: notes, appId: 0d4b6f2e-7a1c-4e8b-9f3d-2c5a8e1b7f60}
spec:
  displayName: Notes
  publisher: {name: Contoso IT, origin: organization}
  signInAudience: single-tenant
  consent: admin
  permissions:
    - {name: User.Raed, type: delegated, justification: Sign in.}
YAML
chmod -R a+rX "$work"
status=0
"$engine" run --rm -v "$work:/work:ro" "$tag" check --format plain . || status=$?
if [[ "$status" != 1 ]]; then
    echo "container-e2e: FAIL: \`check\` on a violation exited $status, not 1" >&2
    exit 1
fi
sed -i 's/User.Raed/User.Read/' "$work/apps/notes.yaml"
"$engine" run --rm -v "$work:/work:ro" "$tag" check --format plain .
echo "container-e2e: OK: the image fails the violation and passes the fix, as user 65532"
