# Shared by the scripts: install what they use, by name, before anything else runs.
# shellcheck shell=bash

# need PROGRAM:PACKAGE ... — installs the Debian package of every program that is missing (without
# Recommends: each package a script needs is named here), then stops with a message naming any program
# that is still missing, instead of failing later deep inside another tool.
need() {
  local pair program missing=() packages=()
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || packages+=("${pair#*:}")
  done
  if ((${#packages[@]})); then
    if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
      echo "${0##*/}: installing ${packages[*]}"
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || true
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null || true
    fi
    for pair in "$@"; do
      program=${pair%%:*}
      command -v "$program" >/dev/null 2>&1 || missing+=("$program (Debian package ${pair#*:})")
    done
    if ((${#missing[@]})); then
      echo "${0##*/}: missing ${missing[*]}; install it as root (apt-get install --no-install-recommends) and run again" >&2
      exit 1
    fi
  fi
}
