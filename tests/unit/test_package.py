# SPDX-License-Identifier: GPL-3.0-or-later
"""tools/check_package.py: a tarball with a development file, a changelog fragment or no licence fails."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("check_package", ROOT / "tools" / "check_package.py")
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)
GOOD = [
    "MANIFEST.json",
    "FILES.json",
    "README.md",
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
