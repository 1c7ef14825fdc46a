#!/usr/bin/env bash
# Make sure a Docker engine is installed and running (DESIGN.md §5). Idempotent.
set -euo pipefail

start=$SECONDS
log=/var/log/dockerd.log
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

need dockerd:docker.io docker:docker.io pgrep:procps setsid:util-linux

if docker info >/dev/null 2>&1; then
  echo "docker-up: engine already running ($((SECONDS - start)) s)"
  exit 0
fi

# Never start a second dockerd beside a running one: it deletes the shared docker0 bridge.
if pgrep -x dockerd >/dev/null; then
  echo "docker-up: dockerd is running but not answering yet; waiting"
else
  echo "docker-up: starting dockerd (log: $log)"
  setsid nohup dockerd --pidfile=/var/run/docker.pid >"$log" 2>&1 </dev/null &
fi

for _ in $(seq 240); do
  if docker version >/dev/null 2>&1; then
    echo "docker-up: engine ready ($((SECONDS - start)) s)"
    exit 0
  fi
  sleep 0.25
done

echo "docker-up: dockerd did not answer within 60 s; tail of $log:" >&2
tail -n 30 "$log" >&2 || true
exit 1
