#!/usr/bin/env bash
# Local stand-ins for the AWS Lambda build and runtime images (DESIGN.md §5), for a machine that cannot
# pull them: a Debian bookworm rootfs with the family's language, imported under the real public names
# so `docker run` uses it without a pull. Idempotent; seconds when the images or tarballs exist.
#
#   scripts/stand-in-images.sh [family ...]      default: every family in the table
#   LLR_ARCH=x86_64                              architecture of the rows to use
#   LLR_IMAGE_CACHE=/var/cache/lambda-layer-release
set -euo pipefail

# One row per family and architecture. The build image is always
# public.ecr.aws/sam/build-<family>:latest-<arch>. Packages are installed without Recommends.
TABLE='
# family     arch    runtime image                             Debian packages
python3.11   x86_64  public.ecr.aws/lambda/python:3.11-x86_64  python3 python3-pip python3-venv ca-certificates
nodejs18.x   x86_64  public.ecr.aws/lambda/nodejs:18-x86_64    nodejs npm ca-certificates
'
# Bump when the recipe changes in a way the table does not show (rootfs tweaks, import changes).
RECIPE=1
SUITE=bookworm
MIRROR=http://deb.debian.org/debian
ARCH=${LLR_ARCH:-x86_64}
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

log() { echo "stand-in-images: $*"; }
die() { echo "stand-in-images: $*" >&2; exit 1; }

rows() { grep -v -e '^#' -e '^[[:space:]]*$' <<<"$TABLE"; }

# The stamp covers everything that ends up in the image, including the host's CA certificates.
stamp_of() {
  { echo "$RECIPE $SUITE $MIRROR $1"; if ((${#HOST_CAS[@]})); then cat "${HOST_CAS[@]}"; fi; } | sha256sum | cut -c1-12
}

label_of() { docker image inspect -f '{{index .Config.Labels "llr.stand-in"}}' "$1" 2>/dev/null || true; }

# Runs in the background, one per family: rootfs → $CACHE/<family>-<arch>.tar (+ .stamp).
build_tarball() {
  local name=$1 packages=$2 stamp=$3 start=$SECONDS
  local rootfs=$tmp/$name.rootfs
  # merged-usr hook: the debootstrap way, without usrmerge pulling in perl. eatmydata: no fsync in dpkg.
  # Docs, man pages and translations only slow down docker import (one file at a time).
  mmdebstrap --variant=minbase --format=directory --include="${packages// /,}" \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr --hook-dir=/usr/share/mmdebstrap/hooks/eatmydata \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    "$SUITE" "$rootfs" "$MIRROR"
  # This network re-signs TLS: without its CA, npm in the container fails on SELF_SIGNED_CERT_IN_CHAIN.
  if ((${#HOST_CAS[@]})); then cp "${HOST_CAS[@]}" "$rootfs/usr/local/share/ca-certificates/"; fi
  chroot "$rootfs" update-ca-certificates
  if [[ -e $rootfs/usr/bin/python3 ]]; then ln -sf python3 "$rootfs/usr/bin/python"; fi
  mkdir -p "$rootfs/var/task" "$rootfs/var/runtime"
  # Like the real runtime image's entrypoint, refuse to run arbitrary commands.
  cat >"$rootfs/lambda-entrypoint.sh" <<'EOF'
#!/bin/sh
echo "stand-in /lambda-entrypoint.sh: this image's entrypoint must be overridden" >&2
exit 64
EOF
  chmod 755 "$rootfs/lambda-entrypoint.sh"
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin
  tar --numeric-owner -C "$rootfs" -cf "$tmp/$name.tar" .
  rm -rf --one-file-system "$rootfs"
  mv "$tmp/$name.tar" "$CACHE/$name.tar"
  echo "$stamp" >"$CACHE/$name.stamp"
  log "$name: tarball built in $((SECONDS - start)) s"
}

import_images() {
  local name=$1 build=$2 runtime=$3 stamp=$4 start=$SECONDS
  local label=(--change "LABEL llr.stand-in=$stamp")
  docker import "${BASE_CHANGES[@]}" "${label[@]}" "$CACHE/$name.tar" "$build" >/dev/null
  docker import "${BASE_CHANGES[@]}" "${RUNTIME_CHANGES[@]}" "${label[@]}" "$CACHE/$name.tar" "$runtime" >/dev/null
  log "$name: imported $build and $runtime in $((SECONDS - start)) s"
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
  docker info >/dev/null 2>&1 || die "no Docker engine; run scripts/docker-up.sh first"
  [[ $ARCH == x86_64 ]] || die "$ARCH: not supported yet (needs qemu-user-static and docker build --platform, DESIGN.md §5)"

  local families=("$@")
  if ((${#families[@]} == 0)); then mapfile -t families < <(rows | awk -v a="$ARCH" '$2 == a { print $1 }'); fi

  local family arch runtime packages name build stamp
  local -a to_build=() to_import=()
  local -A row_of=()
  for family in "${families[@]}"; do
    read -r _ arch runtime packages < <(rows | awk -v f="$family" -v a="$ARCH" '$1 == f && $2 == a') ||
      die "unknown family '$family' for $ARCH; known: $(rows | awk '{ print $1 "/" $2 }' | xargs)"
    name=$family-$arch build=public.ecr.aws/sam/build-$family:latest-$arch
    stamp=$(stamp_of "$family $arch $runtime $packages")
    row_of[$name]="$build $runtime $stamp"
    if [[ $(label_of "$build") == "$stamp" && $(label_of "$runtime") == "$stamp" ]]; then
      log "$name: images up to date ($stamp)"
    elif [[ -f $CACHE/$name.tar && $(cat "$CACHE/$name.stamp" 2>/dev/null) == "$stamp" ]]; then
      to_import+=("$name")
    else
      to_build+=("$name:$packages")
      to_import+=("$name")
    fi
  done

  if ((${#to_build[@]})); then
    if ! command -v mmdebstrap >/dev/null; then
      log "installing mmdebstrap"
      DEBIAN_FRONTEND=noninteractive apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null
    fi
    mkdir -p "$CACHE"
    tmp=$(mktemp -d "$CACHE/tmp.XXXXXX")
    local item pid failed=0
    local -A pid_of=()
    set -m
    for item in "${to_build[@]}"; do
      name=${item%%:*}
      log "$name: building rootfs (log: $tmp/$name.log)"
      build_tarball "$name" "${item#*:}" "${row_of[$name]##* }" >"$tmp/$name.log" 2>&1 &
      pid_of[$name]=$!
    done
    set +m
    for name in "${!pid_of[@]}"; do
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

  for name in ${to_import[@]+"${to_import[@]}"}; do
    # shellcheck disable=SC2086 # row_of holds "build runtime stamp"
    import_images "$name" ${row_of[$name]}
  done
  log "done in $((SECONDS - start)) s"
}

tmp=
trap cleanup EXIT
main "$@"
