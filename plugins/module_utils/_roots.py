# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""A tier's roots: the defaults with the operator's overrides, each checked before anything uses it."""

from __future__ import annotations

import os
import re

from ansible_collections.xmpp.prosody.plugins.module_utils._errors import LayoutError
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import Tier

# Directories of the operating system: a root may live below them, but never be one of them or
# hold one (the layout sets a root's owner and mode, and /etc at 0750 locks out every other user).
SYSTEM_DIRECTORIES = (
    "/bin", "/boot", "/dev", "/etc", "/etc/ssl", "/etc/ssl/certs", "/etc/ssl/private", "/etc/systemd",
    "/etc/systemd/system", "/home", "/lib", "/lib64", "/media", "/mnt", "/opt", "/proc", "/root", "/run",
    "/sbin", "/srv", "/sys", "/tmp", "/usr", "/usr/bin", "/usr/lib", "/usr/local", "/usr/local/bin",
    "/usr/sbin", "/usr/share", "/var", "/var/backups", "/var/cache", "/var/lib", "/var/lib/apt",
    "/var/lib/dpkg", "/var/lib/systemd", "/var/log", "/var/mail", "/var/spool", "/var/tmp", "/var/www",
)  # fmt: skip
# What a root may be spelled with: it reaches systemd unit lines (split at white space, % expanded)
# and shell-free scripts as well as Lua strings, so only the characters every one of them takes.
_ROOT_PATH = re.compile(r"(/[A-Za-z0-9._+@-]+)+")


def check_root(name: str, value) -> str:
    """A root as given (``~`` already expanded): absolute, normalized, plain characters, not a system
    directory nor a parent of one. Returns it, or raises LayoutError naming the root and the fix."""
    field = "roots.%s" % name
    if not isinstance(value, str) or not value.startswith("/"):
        raise LayoutError("%s: %r must be an absolute path (e.g. '/srv/prosody')" % (field, value))
    if {"..", "."} & set(value.split("/")):
        raise LayoutError(
            "%s: %r is not a normalized path ('..' or '.'); write the directory it means as %r, after "
            "checking that this is the one you want" % (field, value, os.path.normpath(value))
        )
    value = re.sub("/+", "/", value).rstrip("/") or "/"
    if not _ROOT_PATH.fullmatch(value) and value != "/":
        raise LayoutError(
            "%s: %r has characters a root cannot have (white space, control characters, quotes, '%%', '\\' ...); "
            "use letters, digits and . _ + @ -" % (field, value)
        )
    if value == "/" or value in SYSTEM_DIRECTORIES or any(d.startswith(value + "/") for d in SYSTEM_DIRECTORIES):
        raise LayoutError(
            "%s: %r is a system directory%s; the layout would set its owner and mode. Choose a directory of "
            "its own, e.g. %r"
            % (field, value, "" if value in SYSTEM_DIRECTORIES else " or holds one", value.rstrip("/") + "/prosody")
        )
    return value


def resolve_roots(tier: Tier, overrides: dict | None, home: str | None = None) -> dict:
    """The tier's roots with user overrides applied, each checked by check_root."""
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - set(tier.roots))
    if unknown:
        raise LayoutError(
            "roots: %s not a root of tier %r; valid roots: %s"
            % (", ".join(map(repr, unknown)), tier.name, ", ".join(sorted(tier.roots)))
        )
    roots = {}
    for name, default in tier.roots.items():
        value = overrides.get(name) or default
        if isinstance(value, str) and value.startswith("~"):
            value = (home or os.path.expanduser("~")) + value[1:]
        roots[name] = check_root(name, value)
    return roots
