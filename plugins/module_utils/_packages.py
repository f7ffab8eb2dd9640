# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""Which Debian packages a host has, and which it still lacks: one dpkg query, no root needed."""

from __future__ import annotations

# dpkg-query -W's format for installed(); a container's image is asked the same way (parse() reads both)
QUERY_FORMAT = "${Package} ${db:Status-Abbrev} ${Version}\\n"


def parse(out: str) -> dict[str, str]:
    """The installed packages and their versions in dpkg-query's answer to QUERY_FORMAT."""
    found = {}
    for line in out.splitlines():
        fields = line.split()
        # the status's second letter says installed (i), whatever the wish (install, hold ...); no error flag
        if len(fields) > 1 and len(fields[1]) == 2 and fields[1][1] == "i":
            found[fields[0]] = " ".join(fields[2:])
    return found


def installed(module, packages) -> dict[str, str]:
    """The version of each of ``packages`` that dpkg reports installed (one query for all)."""
    if not packages:
        return {}
    dpkg_query = module.get_bin_path("dpkg-query", required=True)
    return parse(module.run_command([dpkg_query, "-W", "-f", QUERY_FORMAT, *packages])[1])


def missing_packages(module, packages) -> list[str]:
    """The packages that dpkg does not report as installed."""
    have = installed(module, packages)
    return [name for name in packages if name not in have]
