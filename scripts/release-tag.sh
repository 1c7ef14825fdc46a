#!/usr/bin/env bash
# The release workflow's two git steps, kept here so that they can be run and tested locally.
#
#   TAG=v0.2.0 bash scripts/release-tag.sh check   # the tag is a release of main with package.json's version
#   TAG=v0.2.0 bash scripts/release-tag.sh move    # point the major tag (v0) at it and push that tag
#
# `check` writes major=vN to $GITHUB_OUTPUT when it is set. `move` pushes to the remote named by $REMOTE
# (default origin).
set -euo pipefail
remote=${REMOTE:-origin}
tag=${TAG:?TAG must be the release tag, e.g. v0.2.0}

if [[ ! $tag =~ ^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$ ]]; then
  echo "::error::Release tag '$tag' is not vMAJOR.MINOR.PATCH (e.g. v0.2.0); pre-releases do not move a major tag" >&2
  exit 1
fi
major="v${BASH_REMATCH[1]}"
commit=$(git rev-parse --verify --quiet "refs/tags/$tag^{commit}") || {
  echo "::error::Tag $tag does not exist here" >&2
  exit 1
}

case ${1:-} in
  check)
    version=$(git show "$commit:package.json" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).version))')
    if [[ "v$version" != "$tag" ]]; then
      echo "::error::Tag $tag is not the package.json version ($version) of its commit; release with npm run release" >&2
      exit 1
    fi
    git fetch --quiet "$remote" main
    if ! git merge-base --is-ancestor "$commit" FETCH_HEAD; then
      echo "::error::Tag $tag is not on main" >&2
      exit 1
    fi
    echo "$tag is a release of main; it will move $major"
    if [[ -n ${GITHUB_OUTPUT:-} ]]; then echo "major=$major" >>"$GITHUB_OUTPUT"; fi
    ;;
  move)
    # Never move a major tag backwards: a fix released for an older minor must not take v0 from a newer one.
    newest=$(git tag --list "$major.*" | grep -E "^$major\.[0-9]+\.[0-9]+$" | sort -V | tail -n 1)
    if [[ $newest != "$tag" ]]; then
      echo "::error::$newest is newer than $tag; $major stays where it is" >&2
      exit 1
    fi
    git tag --force "$major" "$commit"
    git push --force "$remote" "refs/tags/$major"
    echo "$major now points at $tag ($commit)"
    ;;
  *)
    echo "usage: TAG=vX.Y.Z $0 check|move" >&2
    exit 2
    ;;
esac
