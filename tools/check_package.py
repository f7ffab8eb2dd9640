"""Check a built collection tarball: what users run is in it, development files are not, and
ansible-builder reads its execution environment metadata.

Usage: tools/check_package.py TARBALL. Exit 1 naming every file that should not be there, a missing
licence text, or what ansible-builder could not read.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tempfile

import yaml

# What a user's copy holds, by top-level entry; anything else is development tooling.
ALLOWED = {
    "plugins",
    "roles",
    "playbooks",
    "meta",
    "docs",
    "changelogs",
    "LICENSES",
    "COPYING",
    "README.md",
    "CHANGELOG.rst",
    "CHANGELOG.md",
    "MANIFEST.json",
    "FILES.json",
}
REQUIRED = (
    "LICENSES/GPL-3.0-or-later.txt",
    "COPYING",
    "README.md",
    "meta/runtime.yml",
    "meta/execution-environment.yml",
)


def problems(names: list[str]) -> list[str]:
    found = []
    for name in names:
        top = name.lstrip("./").split("/", 1)[0]
        if top and top not in ALLOWED:
            found.append("a development file: %s" % name)
        elif name.startswith("changelogs/fragments"):
            found.append("a changelog fragment: %s" % name)
    found += ["missing: %s" % name for name in REQUIRED if name not in names]
    return found


def builder_problems(tarball: str) -> list[str]:
    """Install the tarball alone and let ansible-builder introspect it, as it does when it builds an
    execution environment: it must read the collection's dependency files (it exits 0 on some errors
    and prints them instead, so its output must be the YAML it promises)."""
    with tempfile.TemporaryDirectory() as where:
        install = ["ansible-galaxy", "collection", "install", "--force", "--no-deps", "--offline", "-p", where, tarball]
        subprocess.run(install, check=True, capture_output=True)
        if not os.path.isfile(where + "/ansible_collections/xmpp/prosody/meta/execution-environment.yml"):
            return ["the installed tarball has no meta/execution-environment.yml"]
        introspect = ["ansible-builder", "introspect", "--sanitize", where]
        done = subprocess.run(introspect, capture_output=True, text=True, check=False)
    try:
        data = yaml.safe_load(done.stdout)
    except yaml.YAMLError:
        data = None
    if done.returncode != 0 or not isinstance(data, dict) or not {"python", "system"} <= set(data):
        return ["ansible-builder cannot read the execution environment metadata: %s" % (done.stdout + done.stderr)]
    return []


def main(argv: list[str]) -> int:
    with tarfile.open(argv[1]) as tar:
        names = [member.name for member in tar.getmembers()]
    found = problems(names)
    found += builder_problems(argv[1]) if not found else []
    for line in found:
        print("%s: %s" % (argv[1], line))
    if not found:
        print(
            "%s: %d entries, none of them development files; the licence text is there; ansible-builder reads "
            "its execution environment metadata" % (argv[1], len(names))
        )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
