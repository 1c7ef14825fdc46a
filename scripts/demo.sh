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
# shellcheck source=scripts/lib.sh
source "$repo/scripts/lib.sh"
need python3:python3

bash "$repo/scripts/docker-up.sh"
# The demo runs in local stand-ins of the Python images, under a registry name of their own (the
# action's image-registry input selects them): it never uses or replaces the public images.
bash "$repo/scripts/stand-in-images.sh" python3.13

# The host's pip fetches the wheels, so the build container needs no access to a package index: it
# installs with --no-index from this folder.
wheels="$repo/$example/.wheels"
python3 -m pip --version >/dev/null 2>&1 || need pip3:python3-pip
pip_env=()
download() {
  env "${pip_env[@]}" python3 -m pip download --quiet --disable-pip-version-check --only-binary=:all: \
    --platform manylinux2014_x86_64 --python-version 3.13 --implementation cp \
    --requirement "$repo/$example/requirements.txt" --dest "$wheels" "$@"
}

# Only the sources pip is configured with that are on this disk (file:// or path indexes and wheel
# folders, from `pip config list`), and no other configuration: pip asks no network index, so a machine
# offline or with a local mirror does not wait on retries.
local_download() {
  local line key value indexes=() args=(--find-links "$wheels")
  local pip_env=(-u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_FIND_LINKS -u PIP_NO_INDEX PIP_CONFIG_FILE=/dev/null)
  while IFS= read -r line; do
    [[ $line =~ \.(index-url|extra-index-url|find-links)=\'(.*)\'$ ]] || continue
    key=${BASH_REMATCH[1]}
    for value in ${BASH_REMATCH[2]}; do
      [[ $value == file://* || $value == /* ]] || continue
      if [[ $key == find-links ]]; then args+=(--find-links "$value"); else indexes+=("$value"); fi
    done
  done < <(python3 -m pip config list 2>/dev/null)
  if ((${#indexes[@]})); then
    args+=(--index-url "${indexes[0]}")
    for value in "${indexes[@]:1}"; do args+=(--extra-index-url "$value"); done
  else
    args+=(--no-index)
  fi
  download "${args[@]}"
}

# A second run finds every wheel in the folder already; then the sources on this disk; then the
# indexes pip is configured with (PyPI on a fresh machine). Each try that fails falls through quietly.
download --no-index --find-links "$wheels" 2>/dev/null || local_download 2>/dev/null || download

# The doubles are TypeScript test support: tsx runs them with the demo driver as they are (no bundling).
npx tsx "$repo/scripts/demo.ts" "$repo" "$out"

echo
echo "Done in $((SECONDS - start)) s."
echo "Outputs:     $out/output"
echo "Job summary: $out/summary"
echo "Layer zip:   $(ls "$out"/lambda-layer-release/*/*.zip)"
