#!/usr/bin/env bash
# Makes the Node.js lock-file fixtures of __tests__/fixtures/node-locks/ with the real tools, at exact
# versions from the npm registry (npx, on this machine: never inside the action). Run it only to remake
# them (the tests use the committed files): bash scripts/node-lock-fixtures.sh
#
# Each fixture locks the same project: ms (range ^2.1.0, locked at 2.1.2 although 2.1.3 exists),
# debug 4.3.4 (which needs ms 2.1.2), is-odd 3.0.1 (which needs is-number ^6) and a dev-only left-pad.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need node:nodejs npm:npm

PNPM=10.34.9
YARN1=1.22.22
YARN_BERRY=4.18.1
BUN=1.4.5
out="$(cd "$(dirname "$0")/.." && pwd)/__tests__/fixtures/node-locks"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

project() { # <dir> <packageManager or empty>: package.json that first pins ms to the version to lock
  mkdir -p "$1"
  node -e '
    const [file, pm, ms] = process.argv.slice(1);
    const p = { name: "lock-fixture", version: "1.0.0", private: true,
      dependencies: { debug: "4.3.4", "is-odd": "3.0.1", ms },
      devDependencies: { "left-pad": "1.3.0" } };
    if (pm) p.packageManager = pm;
    require("fs").writeFileSync(file, JSON.stringify(p, null, 2) + "\n");' "$1/package.json" "$2" "$3"
}

# Lock with ms pinned at 2.1.2, then widen the range to ^2.1.0 and re-lock without upgrading: the lock
# keeps 2.1.2, the version a plain install of the range would not pick.
lock() { # <dir> <packageManager> <command...>
  local dir="$1" pm="$2"; shift 2
  project "$dir" "$pm" 2.1.2
  (cd "$dir" && "$@")
  project "$dir" "$pm" ^2.1.0
  (cd "$dir" && "$@")
  rm -rf "$dir/node_modules" "$dir/.yarn" "$dir/.pnp.cjs" "$dir/.pnp.loader.mjs"
}

lock "$work/pnpm" "pnpm@$PNPM" npx --yes "pnpm@$PNPM" install --lockfile-only
lock "$work/yarn-v1" "yarn@$YARN1" npx --yes "yarn@$YARN1" install --ignore-scripts --no-progress
mkdir -p "$work/yarn-berry"
printf 'nodeLinker: node-modules\nenableTelemetry: false\n' >"$work/yarn-berry/.yarnrc.yml"
lock "$work/yarn-berry" "yarn@$YARN_BERRY" npx --yes -p "@yarnpkg/cli-dist@$YARN_BERRY" yarn install --mode=update-lockfile
lock "$work/bun" "" npx --yes "bun@$BUN" install --lockfile-only

# sharp 0.35.5: a prebuilt addon and libvips, one optional package per platform (each tool locks them all).
for tool in npm pnpm yarn-berry bun; do
  mkdir -p "$work/sharp-$tool"
  printf '{\n  "name": "sharp-layer",\n  "version": "1.0.0",\n  "private": true,\n  "dependencies": { "sharp": "0.35.5" }\n}\n' >"$work/sharp-$tool/package.json"
done
(cd "$work/sharp-npm" && npm install --package-lock-only --no-audit --no-fund)
(cd "$work/sharp-pnpm" && npx --yes "pnpm@$PNPM" install --lockfile-only)
printf 'enableTelemetry: false\n' >"$work/sharp-yarn-berry/.yarnrc.yml"
(cd "$work/sharp-yarn-berry" && npx --yes -p "@yarnpkg/cli-dist@$YARN_BERRY" yarn install --mode=update-lockfile && rm -rf .yarn)
(cd "$work/sharp-bun" && npx --yes "bun@$BUN" install --lockfile-only)

rm -rf "$out"
mkdir -p "$out"
cp -r "$work"/. "$out"/
echo "node-lock-fixtures: wrote $(find "$out" -type f | wc -l) files to $out"
