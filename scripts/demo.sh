#!/usr/bin/env bash
# Runs the whole action locally, as the Actions runner would run it (node dist/index.js with INPUT_*
# variables): build, smoke-test, publish, roll-out, ssm and comment for examples/python-layer
# (python3.13, x86_64), against local doubles of the AWS and GitHub APIs (scripts/demo.ts).
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
bash "$repo/scripts/stand-in-images.sh" python3.13

# The host's pip fetches the wheels, so the build container needs no access to a package index: it
# installs with --no-index from this folder. No network index is asked when the wheels are already
# there or on this disk (scripts/demo-wheels.sh).
bash "$repo/scripts/demo-wheels.sh" "$repo/$example/requirements.txt" "$repo/$example/.wheels" 3.13

# The doubles are TypeScript test support: tsx runs them with the demo driver as they are (no bundling).
npx tsx "$repo/scripts/demo.ts" "$repo" "$out"

echo
echo "Done in $((SECONDS - start)) s."
echo "Outputs:     $out/output"
echo "Job summary: $out/summary"
echo "Layer zip:   $(ls "$out"/lambda-layer-release/*/*.zip)"
