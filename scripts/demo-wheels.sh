#!/usr/bin/env bash
# Fetches the x86_64 wheels of a requirements file into a folder, for a build container that installs
# with --no-index from it (the demo's, scripts/demo.sh). Asks a network index only when it must:
#   1. every wheel already in the folder (a second run): no index at all;
#   2. only the sources pip is configured with that are on this disk (file:// or path indexes and wheel
#      folders, from `pip config list`), no network, so a machine offline or with a local mirror does
#      not wait on retries;
#   3. the indexes pip is configured with (PyPI on a fresh machine).
# A try that fails falls through quietly; the last one shows pip's own messages.
#
#   scripts/demo-wheels.sh REQUIREMENTS DEST PYTHON_VERSION
set -euo pipefail
requirements=$1 dest=$2 python_version=$3
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
need python3:python3
python3 -m pip --version >/dev/null 2>&1 || need pip3:python3-pip

pip_env=()
# pip with no configuration but what is given on the command line.
ONLY_ARGUMENTS=(-u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_FIND_LINKS -u PIP_NO_INDEX PIP_CONFIG_FILE=/dev/null)
download() {
  env "${pip_env[@]}" python3 -m pip download --quiet --disable-pip-version-check --only-binary=:all: \
    --platform manylinux2014_x86_64 --python-version "$python_version" --implementation cp \
    --requirement "$requirements" --dest "$dest" "$@"
}

local_download() {
  local line key value indexes=() args=(--find-links "$dest")
  local pip_env=("${ONLY_ARGUMENTS[@]}")
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

only_dest() {
  local pip_env=("${ONLY_ARGUMENTS[@]}")
  download --no-index --find-links "$dest"
}

if only_dest 2>/dev/null; then
  echo "demo-wheels: every wheel was in $dest already"
elif local_download 2>/dev/null; then
  echo "demo-wheels: fetched from the package sources on this disk (no network index)"
else
  download
  echo "demo-wheels: fetched from the configured package indexes"
fi
