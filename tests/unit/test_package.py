# SPDX-License-Identifier: GPL-3.0-or-later
"""tools/check_package.py: a tarball with a development file, a changelog fragment or no licence fails."""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

import yaml
from plugin_docs import with_fragments

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("check_package", ROOT / "tools" / "check_package.py")
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)
GOOD = [
    "MANIFEST.json",
    "FILES.json",
    "README.md",
    "CHANGELOG.rst",
    "COPYING",
    "LICENSES/GPL-3.0-or-later.txt",
    "meta/runtime.yml",
    "meta/execution-environment.yml",
]


def test_a_package_of_what_users_run_passes():
    assert check.problems([*GOOD, "plugins/modules/config.py", "roles/dev/tasks/main.yml", "docs/dev.md"]) == []


def test_development_files_and_fragments_are_named():
    found = check.problems([*GOOD, "Makefile", "molecule/dev/molecule.yml", "changelogs/fragments/15-dev-tier.yml"])
    assert found == [
        "a development file: Makefile",
        "a development file: molecule/dev/molecule.yml",
        "a changelog fragment: changelogs/fragments/15-dev-tier.yml",
    ]


def test_a_package_without_the_licence_text_fails():
    assert check.problems([name for name in GOOD if name != "COPYING"]) == ["missing: COPYING"]


def documentation(path):
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "DOCUMENTATION":
            return yaml.safe_load(node.value.value)
    return {}


def plugin_docs():
    """(folder, name, DOCUMENTATION) of every module and filter, with the options of its doc fragments."""
    for folder in ("modules", "filter"):
        for path in sorted((ROOT / "plugins" / folder).glob("[!_]*.py")):
            yield folder, path.stem, with_fragments(documentation(path))


def test_every_plugin_says_what_to_read_next_and_each_reference_exists():
    ours = {(folder, name) for folder, name, _doc in plugin_docs()}
    for folder, name, doc in plugin_docs():
        assert doc.get("seealso"), "%s/%s has no seealso" % (folder, name)
        for item in doc["seealso"]:
            target = item.get("module") or item.get("plugin") or ""
            if target.startswith("xmpp.prosody."):
                kind = "modules" if "module" in item else item["plugin_type"]
                assert (kind, target.rsplit(".", 1)[1]) in ours, "%s/%s: %s does not exist" % (folder, name, target)
            elif not target:
                assert item["link"].startswith(("https://prosody.im/doc/", "https://modules.prosody.im/")), item


def test_the_action_group_holds_the_modules_that_share_tier_and_roots():
    group = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text())["action_groups"]["prosody"]
    sharing = set()
    for folder, name, doc in plugin_docs():
        options = set(doc.get("options") or {})
        if folder == "modules" and {"tier", "roots"} <= options:
            sharing.add(name)
    # migrate's tier is where it moves to: a group default for the deployed tier must not reach it
    assert set(group) == sharing - {"migrate"}


def test_no_module_util_is_over_500_lines():
    # a file that long holds more than one concern: split it by what each part is about
    long = {
        str(path.relative_to(ROOT)): n
        for path in (ROOT / "plugins" / "module_utils").rglob("*.py")
        if (n := len(path.read_text().splitlines())) > 500
    }
    assert long == {}


def test_no_generated_block_is_left_in_a_module_file():
    # what is generated (an object's fields, the tier choices) lives in a doc fragment the modules extend
    blocks = [
        path.name for path in (ROOT / "plugins" / "modules").glob("*.py") if "BEGIN generated" in path.read_text()
    ]
    assert blocks == []
