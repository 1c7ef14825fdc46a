#!/usr/bin/env bash
# The programs the benchmarks compare the action with (bench/): the AWS CLI of the shell loop the action
# replaces (section 1), zip and unzip (sections 3 and 7). Installed by name when missing; no test needs them.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

# Debian's aws by its path: another `aws` may come first on PATH (a pyenv shim here).
need /usr/bin/aws:awscli zip:zip unzip:unzip
