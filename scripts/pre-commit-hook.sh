#!/usr/bin/env bash
# The pre-commit hook's entry (`language: script` in .pre-commit-hooks.yaml). pre-commit's own Rust
# support runs `cargo install` without `--locked`, which would build with whatever dependency
# versions are newest that day; this builds once with the versions in Cargo.lock, into the hook's
# checkout in pre-commit's cache (one per hook revision), then runs the binary it built.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
root="$repo/.pre-commit-bin"
bin="$root/bin/consentlint"
if [[ ! -x "$bin" ]]; then
    echo "consentlint: first run: building with \`cargo install --locked\` (a few minutes, once per revision)" >&2
    cargo install --locked --quiet --root "$root" --path "$repo" >&2
fi
exec "$bin" check --pre-commit "$@"
