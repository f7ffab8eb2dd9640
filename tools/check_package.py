"""Check a built collection tarball: what users run is in it, development files are not.

Usage: tools/check_package.py TARBALL. Exit 1 naming every file that should not be there (or the
licence text when it is missing).
"""

from __future__ import annotations

import sys
import tarfile

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
REQUIRED = ("LICENSES/GPL-3.0-or-later.txt", "COPYING", "README.md", "meta/runtime.yml")


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


def main(argv: list[str]) -> int:
    with tarfile.open(argv[1]) as tar:
        names = [member.name for member in tar.getmembers()]
    found = problems(names)
    for line in found:
        print("%s: %s" % (argv[1], line))
    if not found:
        print("%s: %d entries, none of them development files; the licence text is there" % (argv[1], len(names)))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
