# SPDX-License-Identifier: GPL-3.0-or-later
"""Targets other than Debian 12 and 13 with Python 3.11+ are refused with a message, before anything runs."""

from __future__ import annotations

import ast
import pathlib

import pytest

from ansible_collections.xmpp.prosody.plugins.module_utils import _platform
from ansible_collections.xmpp.prosody.plugins.module_utils._module import finish

BOOKWORM = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n'
TRIXIE = 'PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\nVERSION_ID="13"\nID=debian\n'
BULLSEYE = 'PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\nVERSION_ID="11"\nID=debian\n'
UBUNTU = 'PRETTY_NAME="Ubuntu 24.04.1 LTS"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="24.04"\n'
SID = 'PRETTY_NAME="Debian GNU/Linux trixie/sid"\nID=debian\n'


@pytest.mark.parametrize("text", [BOOKWORM, TRIXIE])
def test_debian_12_and_13_pass(text):
    assert _platform.problem(_platform.os_release(text), (3, 11)) is None


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (BULLSEYE, "this host runs Debian GNU/Linux 11 (bullseye)"),
        (UBUNTU, "this host runs Ubuntu 24.04.1 LTS"),
        (SID, "this host runs Debian GNU/Linux trixie/sid"),
        ("", "this host runs an unknown system"),
    ],
)
def test_other_systems_are_named(text, named):
    found = _platform.problem(_platform.os_release(text), (3, 11))
    assert found.startswith(named + "; ")
    assert "Debian 12 (bookworm) and Debian 13 (trixie)" in found
    assert "Python 3.11 or later" in found
    assert found.endswith("Nothing was changed.")


def test_an_old_python_is_named():
    found = _platform.problem(_platform.os_release(BOOKWORM), (3, 9))
    assert found.startswith("this host runs Python 3.9; ")


def test_no_os_release(tmp_path):
    with pytest.raises(_platform.PlatformError, match=r"this host has no /etc/os-release; xmpp\.prosody supports"):
        _platform.check(str(tmp_path / "missing"))


class Recorder:
    exited = failed = None

    def exit_json(self, **kwargs):
        self.exited = kwargs

    def fail_json(self, **kwargs):
        self.failed = kwargs


def test_every_module_refuses_before_it_runs(debian_target):
    """finish() is how every module ends: on another system the module's own work never starts."""
    debian_target.write_text(UBUNTU)
    module, ran = Recorder(), []
    finish(module, lambda: ran.append(True) or {"changed": True}, "layout")
    assert ran == []
    assert module.failed["msg"].startswith("this host runs Ubuntu 24.04.1 LTS; xmpp.prosody supports Debian 12")


def test_every_module_ends_through_finish():
    """So that the refusal above covers each of them."""
    modules = sorted(pathlib.Path(__file__).parents[4].joinpath("plugins", "modules").glob("*.py"))
    assert modules
    for path in modules:
        assert "finish(module, " in path.read_text(), path.name


def test_the_check_itself_parses_on_older_pythons():
    """It must run where the rest may not: its own syntax is that of Python 3.8 (the oldest Ansible targets)."""
    source = pathlib.Path(_platform.__file__).read_text()
    ast.parse(source, feature_version=(3, 8))
