# SPDX-License-Identifier: GPL-3.0-or-later
"""Which packages dpkg reports installed: held ones count, removed or half-installed ones do not."""

from __future__ import annotations

from ansible_collections.xmpp.prosody.plugins.module_utils._packages import installed, missing_packages

DPKG = "prosody ii  0.12.3-1\ncoturn hi  4.6.1-1\nprosody-modules un \nlua-check iHR 1.1.0-1\n"


class Host:
    """What a module sees of the host: dpkg-query's answer, and the commands it was asked to run."""

    def __init__(self, out):
        self.out, self.calls = out, []

    def get_bin_path(self, name, required=False):
        return "/usr/bin/" + name

    def run_command(self, argv):
        self.calls.append(argv)
        return 0, self.out, ""


def test_installed_and_held_packages_count_removed_and_broken_ones_do_not():
    host = Host(DPKG)
    names = ["prosody", "coturn", "prosody-modules", "lua-check"]
    assert installed(host, names) == {"prosody": "0.12.3-1", "coturn": "4.6.1-1"}
    assert missing_packages(host, names) == ["prosody-modules", "lua-check"]
    assert len(host.calls) == 2  # one query per call, for every package at once


def test_no_packages_no_query():
    host = Host("")
    assert (installed(host, []), missing_packages(host, [])) == ({}, [])
    assert host.calls == []
