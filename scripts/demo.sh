#!/usr/bin/env bash
# Runs the action's main job locally, as the Actions runner would run it (node dist/index.js with
# INPUT_* variables): build and smoke-test examples/python-layer for python3.11 on x86_64.
#
#   npm run demo
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
example=examples/python-layer
out=$(mktemp -d "${TMPDIR:-/tmp}/llr-demo.XXXXXX")
start=$SECONDS

bash "$repo/scripts/docker-up.sh"
# Use the public Lambda images when they can be pulled; otherwise make local stand-ins.
for image in public.ecr.aws/sam/build-python3.11:latest-x86_64 public.ecr.aws/lambda/python:3.11-x86_64; do
  docker image inspect "$image" >/dev/null 2>&1 || docker pull -q "$image" >/dev/null 2>&1 ||
    { bash "$repo/scripts/stand-in-images.sh" python3.11; break; }
done

# The host's pip fetches the wheels (from PyPI, or from the index pip is configured with here), so the
# build container needs no access to a package index: it installs with --no-index from this folder.
wheels="$repo/$example/.wheels"
python3 -m pip download --quiet --disable-pip-version-check --only-binary=:all: \
  --platform manylinux2014_x86_64 --python-version 3.11 --implementation cp \
  --requirement "$repo/$example/requirements.txt" --dest "$wheels"

: >"$out/output"
: >"$out/summary"
env GITHUB_WORKSPACE="$repo" RUNNER_TEMP="$out" GITHUB_OUTPUT="$out/output" GITHUB_STEP_SUMMARY="$out/summary" \
  INPUT_STEPS=build,smoke-test \
  INPUT_LAYER-NAME=demo-python-deps \
  INPUT_RUNTIME=python3.11 \
  INPUT_ARCHITECTURE=x86_64 \
  INPUT_WORKING-DIRECTORY="$example" \
  INPUT_INSTALL-ARGS="--no-index --find-links .wheels" \
  node "$repo/dist/index.js"

echo
echo "Done in $((SECONDS - start)) s."
echo "Outputs:     $out/output"
echo "Job summary: $out/summary"
echo "Layer zip:   $(ls "$out"/lambda-layer-release/*/*.zip)"
