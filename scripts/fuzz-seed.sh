#!/bin/sh
# Fills fuzz/corpus/<target>/ with the project's own inputs, as seeds for `cargo fuzz run`:
#   pipeline: every YAML and JSON file under tests/fixtures/, examples/ and policies/
#   policy:   every rule.yaml under policies/, the policy-error and custom-policy fixtures
#   config:   the committed configuration seeds (fuzz/corpus/config/seed-*) only
#   import:   every JSON file under tests/fixtures/ and examples/ (native exports among them)
#   simulate: every YAML and JSON file under examples/ and tests/fixtures/simulate/
# The copies are named after their path and ignored by git; only the small hand-picked
# fuzz/corpus/*/seed-* files are committed. Run from anywhere; idempotent.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# copy TARGET: copies each file named on standard input (one per line) into the target's corpus.
copy() {
    mkdir -p "fuzz/corpus/$1"
    while IFS= read -r file; do
        cp "$file" "fuzz/corpus/$1/$(printf '%s' "$file" | tr '/ ' '__')"
    done
}
find tests/fixtures examples policies -type f \( -name '*.yaml' -o -name '*.json' \) | sort | copy pipeline
{
    find policies -name rule.yaml
    find tests/fixtures/policy-errors tests/fixtures/custom-policy -name '*.yaml'
} | sort | copy policy
find tests/fixtures examples -type f -name '*.json' | sort | copy import
find examples tests/fixtures/simulate -type f \( -name '*.yaml' -o -name '*.json' \) 2>/dev/null | sort | copy simulate
for target in pipeline config policy import simulate; do
    printf '%s: %s files\n' "$target" "$(find "fuzz/corpus/$target" -type f | wc -l)"
done
