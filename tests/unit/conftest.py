# SPDX-License-Identifier: GPL-3.0-or-later
"""Every unit test runs as on a supported target, whatever system runs the suite."""

from __future__ import annotations

import pytest

from ansible_collections.xmpp.prosody.plugins.module_utils import _platform


@pytest.fixture(autouse=True)
def debian_target(tmp_path_factory, monkeypatch):
    """/etc/os-release of a Debian 12 host (tests of the refusal point it elsewhere)."""
    path = tmp_path_factory.mktemp("target") / "os-release"
    path.write_text('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n')
    monkeypatch.setattr(_platform, "OS_RELEASE", str(path))
    return path
