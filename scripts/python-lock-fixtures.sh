#!/usr/bin/env bash
# Makes the Python lock-file fixtures of __tests__/fixtures/python-locks/ with the real tools (Debian's
# Poetry and pipenv, installed here by name when missing). Run it only to remake them (the tests use the
# committed files): bash scripts/python-lock-fixtures.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need python3:python3 poetry:python3-poetry pipenv:pipenv
exec python3 "$(dirname "$0")/../__tests__/fixtures/python-locks/make.py" "$@"
