"""Installs, in the build container, the Python packages the last build's layer could not give back.

The host has already put the reused packages into the install folder (src/cache/python-reuse.ts).
pip installs the others (without dependencies) into a fresh folder, which is then merged in; for a
requirements file, the merged set is then checked to need nothing else, as pip's own resolver would.
Exit code 3 means the reuse is not possible here (a file both sides hold, or a dependency the pins do
not cover): the host then installs everything from nothing, as without a cache.

pip runs while the host is still putting the reused packages back: the merge waits for LLR_READY, a
file the host moves into place when it is done ("ready"), or could not ("failed").

Environment: LLR_TARGET (the install folder), LLR_REQUIREMENTS (the packages to install), LLR_REUSE
(a JSON file: {"resolves": bool, "extras": {name: [extra, ...]}}), LLR_READY. Arguments: pip's options.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

NOT_POSSIBLE = 3


def refuse(why):
    print(f"LLR-REUSE {why}", flush=True)
    sys.exit(NOT_POSSIBLE)


def install(requirements, into):
    with open(requirements, encoding="utf-8") as handle:
        wanted = [line for line in handle if line.strip() and not line.startswith("-")]
    if not wanted:
        return
    command = [sys.executable, "-m", "pip", "install", *sys.argv[1:], "--no-deps"]
    command += ["--requirement", requirements, "--target", into]
    code = subprocess.run(command, check=False).returncode
    if code != 0:
        sys.exit(code)


def wait_for_reused(ready):
    while not os.path.exists(ready):
        time.sleep(0.02)
    with open(ready, encoding="utf-8") as handle:
        if handle.read().strip() != "ready":
            refuse("the last build's packages could not be put back")


def merge(fresh, target):
    moves, clashes = [], []
    for folder, dirs, files in os.walk(fresh):
        relative = os.path.relpath(folder, fresh)
        links = [name for name in dirs if os.path.islink(os.path.join(folder, name))]
        for name in files + links:
            destination = os.path.normpath(os.path.join(target, relative, name))
            if os.path.lexists(destination):
                clashes.append(os.path.normpath(os.path.join(relative, name)))
            else:
                moves.append((os.path.join(folder, name), destination))
    if clashes:
        refuse("a new package writes files a reused one holds: " + ", ".join(sorted(clashes)[:5]))
    for source, destination in moves:
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        shutil.move(source, destination)


def check_closure(target, extras):
    from importlib import metadata

    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.utils import canonicalize_name

    dists = {canonicalize_name(d.metadata["Name"]): d for d in metadata.distributions(path=[target])}
    todo = [(name, "") for name in dists]
    todo += [(canonicalize_name(name), extra) for name, asked in extras.items() for extra in asked]
    seen, problems = set(), []
    while todo:
        name, extra = todo.pop()
        if (name, extra) in seen:
            continue
        seen.add((name, extra))
        dist = dists.get(name)
        if dist is None:
            problems.append(f"{name} is asked for and not pinned")
            continue
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None and extra:
                continue
            if requirement.marker is not None and not requirement.marker.evaluate({"extra": extra}):
                continue
            needed = canonicalize_name(requirement.name)
            have = dists.get(needed)
            if have is None:
                problems.append(f"{name} needs {requirement}, which is not pinned")
            elif not requirement.specifier.contains(have.version, prereleases=True):
                problems.append(f"{name} needs {requirement}, and {needed} {have.version} is pinned")
            todo += [(needed, asked) for asked in requirement.extras]
    if problems:
        refuse("the pins are not the whole set pip would install: " + "; ".join(sorted(problems)[:5]))


def main():
    target = os.environ["LLR_TARGET"]
    with open(os.environ["LLR_REUSE"], encoding="utf-8") as handle:
        plan = json.load(handle)
    fresh = tempfile.mkdtemp(prefix="llr-new-")
    install(os.environ["LLR_REQUIREMENTS"], fresh)
    wait_for_reused(os.environ["LLR_READY"])
    merge(fresh, target)
    if plan.get("resolves"):
        check_closure(target, plan.get("extras", {}))


main()
