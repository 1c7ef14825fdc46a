#!/usr/bin/env bash
# Runs the whole action locally, as the Actions runner would run it (node dist/index.js with INPUT_*
# variables): build, smoke-test, publish, roll-out, ssm and comment for examples/python-layer
# (python3.11, x86_64), against local doubles of the AWS and GitHub APIs (scripts/demo.ts).
#
#   npm run demo
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
example=examples/python-layer
out=$(mktemp -d "${TMPDIR:-/tmp}/llr-demo.XXXXXX")
start=$SECONDS

bash "$repo/scripts/docker-up.sh"
# The demo runs in local stand-ins of the Python images, under a registry name of their own (the
# action's image-registry input selects them): it never uses or replaces the public images.
bash "$repo/scripts/stand-in-images.sh" python3.11

# The host's pip fetches the wheels (from PyPI, or from the index pip is configured with here), so the
# build container needs no access to a package index: it installs with --no-index from this folder.
wheels="$repo/$example/.wheels"
download() {
  python3 -m pip download --quiet --disable-pip-version-check --only-binary=:all: \
    --platform manylinux2014_x86_64 --python-version 3.11 --implementation cp \
    --requirement "$repo/$example/requirements.txt" --dest "$wheels" "$@"
}
# A second run finds every wheel in the folder already and asks no index.
download --no-index --find-links "$wheels" 2>/dev/null || download

# The doubles are TypeScript test support: bundle them with the demo driver, then run it.
npx ncc build "$repo/scripts/demo.ts" -o "$out/demo" --quiet
node "$out/demo/index.js" "$repo" "$out"

echo
echo "Done in $((SECONDS - start)) s."
echo "Outputs:     $out/output"
echo "Job summary: $out/summary"
echo "Layer zip:   $(ls "$out"/lambda-layer-release/*/*.zip)"
