"""Check a built collection tarball: what users run is in it, development files are not,
ansible-builder reads its execution environment metadata, and ansible-doc renders every plugin and
role of the installed copy (each plugin with its "see also" list).

Usage: tools/check_package.py TARBALL. Exit 1 naming every file that should not be there, a missing
licence text, what ansible-builder could not read, or a plugin or role ansible-doc does not render.
"""

from __future__ import annotations

import json
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
    "MANIFEST.json",
    "FILES.json",
}
REQUIRED = (
    "LICENSES/GPL-3.0-or-later.txt",
    "COPYING",
    "README.md",
    "CHANGELOG.rst",
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


def installed_problems(tarball: str) -> list[str]:
    """Install the tarball alone, as a user does, and check what the installed copy offers."""
    with tempfile.TemporaryDirectory() as where:
        install = ["ansible-galaxy", "collection", "install", "--force", "--no-deps", "--offline", "-p", where, tarball]
        subprocess.run(install, check=True, capture_output=True)
        if not os.path.isfile(where + "/ansible_collections/xmpp/prosody/meta/execution-environment.yml"):
            return ["the installed tarball has no meta/execution-environment.yml"]
        return builder_problems(where) + doc_problems(where)


def builder_problems(where: str) -> list[str]:
    """ansible-builder introspects the collection as it does when it builds an execution environment: it
    must read the dependency files (it exits 0 on some errors and prints them instead, so its output
    must be the YAML it promises)."""
    introspect = ["ansible-builder", "introspect", "--sanitize", where]
    done = subprocess.run(introspect, capture_output=True, text=True, check=False)
    try:
        data = yaml.safe_load(done.stdout)
    except yaml.YAMLError:
        data = None
    if done.returncode != 0 or not isinstance(data, dict) or not {"python", "system"} <= set(data):
        return ["ansible-builder cannot read the execution environment metadata: %s" % (done.stdout + done.stderr)]
    return []


def ansible_doc(where: str, *args: str) -> dict:
    """ansible-doc --json run from the install directory with only it on the collections path (and no
    PYTHONPATH or ansible.cfg that could lead to the checkout)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ANSIBLE_CONFIG")}
    env["ANSIBLE_COLLECTIONS_PATH"] = where
    command = ["ansible-doc", "--json", *args]
    done = subprocess.run(command, cwd=where, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ValueError("ansible-doc %s: %s" % (" ".join(args), done.stderr.strip()))
    return json.loads(done.stdout)


def doc_problems(where: str) -> list[str]:
    """Every module, filter and role the installed copy holds renders from that copy; every plugin has a
    "see also" list."""
    home = os.path.join(where, "ansible_collections", "xmpp", "prosody")
    found = []
    for kind, folder in (("module", "modules"), ("filter", "filter")):
        names = sorted(
            "xmpp.prosody." + name[:-3]
            for name in os.listdir(os.path.join(home, "plugins", folder))
            if name.endswith(".py") and not name.startswith("_")
        )
        docs = ansible_doc(where, "-t", kind, *names)
        for name in names:
            doc = (docs.get(name) or {}).get("doc") or {}
            if not doc.get("filename", "").startswith(home):
                found.append("ansible-doc does not render %s %s from the installed copy" % (kind, name))
            elif not doc.get("seealso"):
                found.append("%s %s has no seealso" % (kind, name))
    roles = sorted("xmpp.prosody." + name for name in os.listdir(os.path.join(home, "roles")))
    docs = ansible_doc(where, "-t", "role", *roles)
    for name in roles:
        entry_points = (docs.get(name) or {}).get("entry_points") or {}
        with open(os.path.join(home, "roles", name.rsplit(".", 1)[1], "meta", "argument_specs.yml")) as specs:
            spec = yaml.safe_load(specs)
        from_home = str((docs.get(name) or {}).get("path", "")).startswith(home)
        if not from_home or set(entry_points) != set(spec["argument_specs"]):
            found.append("ansible-doc does not render role %s with every entry point from the installed copy" % name)
    return found


def main(argv: list[str]) -> int:
    with tarfile.open(argv[1]) as tar:
        names = [member.name for member in tar.getmembers()]
    found = problems(names)
    found += installed_problems(argv[1]) if not found else []
    for line in found:
        print("%s: %s" % (argv[1], line))
    if not found:
        print(
            "%s: %d entries, none of them development files; the licence text is there; ansible-builder reads "
            "its execution environment metadata; ansible-doc renders every plugin (with seealso) and role of "
            "the installed copy" % (argv[1], len(names))
        )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
