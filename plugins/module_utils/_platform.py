# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""The targets the collection supports: Debian 12 and 13, with their Python (3.11 or later).

Every module asks before it does anything, so that another system is refused with a message, not
a traceback half-way through a run. Written for any Python 3: it must run where the rest may not.
"""

from __future__ import annotations

import sys

from ansible_collections.xmpp.prosody.plugins.module_utils._errors import ProsodyError

OS_RELEASE = "/etc/os-release"
DEBIAN = {"12": "bookworm", "13": "trixie"}  # the releases whose Prosody (0.12, 13) the suite runs on
PYTHON = (3, 11)
SUPPORTED = "xmpp.prosody supports Debian 12 (bookworm) and Debian 13 (trixie) targets with Python 3.11 or later"


class PlatformError(ProsodyError):
    """A target the collection does not support; nothing was changed."""


def os_release(text: str) -> dict:
    """The fields of an os-release file (values unquoted)."""
    fields = {}
    for line in text.splitlines():
        name, sep, value = line.strip().partition("=")
        if sep and name and not name.startswith("#"):
            fields[name] = value.strip().strip("\"'")
    return fields


def problem(release: dict | None, python=None) -> str | None:
    """Why this target is not supported (``release``: its os-release fields, None when it has none), or None."""
    python = tuple(python or sys.version_info[:2])
    if release is None:
        found = "this host has no /etc/os-release"
    elif release.get("ID") != "debian" or release.get("VERSION_ID") not in DEBIAN:
        found = "this host runs %s" % (release.get("PRETTY_NAME") or release.get("ID") or "an unknown system")
    elif python < PYTHON:
        found = "this host runs Python %d.%d" % python[:2]
    else:
        return None
    return "%s; %s. Nothing was changed." % (found, SUPPORTED)


def check(path: str | None = None) -> None:
    """Refuse a target the collection does not support."""
    try:
        with open(path or OS_RELEASE, encoding="utf-8") as handle:
            release = os_release(handle.read())
    except OSError:
        release = None
    found = problem(release)
    if found:
        raise PlatformError(found)
