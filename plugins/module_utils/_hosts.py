# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""Host names as Prosody sees them, validated before they reach a path or a config file."""

from __future__ import annotations

import re

from ansible_collections.xmpp.prosody.plugins.module_utils._errors import ProsodyError

_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")


class HostNameError(ProsodyError):
    """A host name that must not be used; the message says why and what to do."""


def normalize_host(name, field: str = "host") -> str:
    """Return the canonical (lowercase ASCII) form of an XMPP domain, or raise HostNameError.

    Prosody nameprep-lowercases host names, and the name ends up in file names (certs/<host>.crt,
    data/hosts/<host>/), so only real DNS-style names pass: no quotes, slashes, spaces or empty labels.

    Internationalized names are refused (docs/design.md, "Host names"): Prosody 13 wants their Unicode
    form and refuses the A-label, certificates need the A-label, and nameprep folds look-alikes
    (a zero-width space, a fullwidth full stop) into other names. Until one form is carried through
    config, files and certificates alike, such a name is refused here rather than half-deployed.
    """
    if not isinstance(name, str):
        raise HostNameError("%s: expected a domain name string, got %s %r" % (field, type(name).__name__, name))
    if not name.isascii():  # before anything else: str.lower() folds some (KELVIN SIGN to 'k')
        odd = sorted({"U+%04X" % ord(c) for c in name if not c.isascii()})
        raise HostNameError(
            "%s: %r has characters outside ASCII (%s); internationalized domain names are not supported yet "
            "(Prosody wants the Unicode form, certificates the xn-- form, and look-alike characters fold into other "
            "names). Serve an ASCII name" % (field, name, ", ".join(odd))
        )
    host = name.strip().lower()
    if host != name.lower() or not host:
        raise HostNameError(
            "%s: %r is not a domain name; remove surrounding spaces and give e.g. 'example.org'" % (field, name)
        )
    if host.endswith("."):
        raise HostNameError("%s: %r ends with a dot; write it without the trailing dot" % (field, name))
    if len(host) > 253:
        raise HostNameError("%s: %r is longer than 253 characters" % (field, name))
    for label in host.split("."):
        if not 0 < len(label) < 64:
            raise HostNameError(
                "%s: %r is not a valid domain name (labels of 1-63 letters, digits or '-', separated by dots)"
                % (field, name)
            )
        if not _LABEL.fullmatch(label):
            raise HostNameError(
                "%s: %r has an invalid label %r; labels are 1-63 letters, digits or '-', not starting or ending "
                "with '-'" % (field, name, label)
            )
        if label.startswith("xn--"):
            raise HostNameError(
                "%s: %r uses the A-label %r: an internationalized name, which is not supported yet (Prosody 13 "
                "refuses A-labels and wants the Unicode form). Serve an ASCII name" % (field, name, label)
            )
    return host


# What nodeprep forbids in a local part (RFC 6122), white space and control characters.
_LOCAL_FORBIDDEN = re.compile(r"[\s\"&'/:<>@\x00-\x1f\x7f]")


def check_jid(jid, field: str) -> str:
    """A bare JID (``user@example.org``) as admins are named: its local part as nodeprep allows and
    its domain as normalize_host does. Returns it, or raises HostNameError naming the field."""
    local, at, domain = jid.rpartition("@") if isinstance(jid, str) else ("", "", "")
    if not (at and local) or _LOCAL_FORBIDDEN.search(local) or len(local.encode()) > 1023:
        raise HostNameError("%s: %r is not a bare JID like 'admin@example.org'" % (field, jid))
    try:
        return "%s@%s" % (local, normalize_host(domain, field))
    except HostNameError as exc:
        raise HostNameError("%s: %r is not a bare JID like 'admin@example.org' (%s)" % (field, jid, exc)) from None


def check_jids(jids, field: str) -> list[str]:
    """Every JID of a list of admins checked by check_jid (``field[i]`` in the message)."""
    if not isinstance(jids, list):
        raise HostNameError("%s: expected a list of bare JIDs like ['admin@example.org'], got %r" % (field, jids))
    return [check_jid(jid, "%s[%d]" % (field, index)) for index, jid in enumerate(jids)]


def prosody_encode(name: str) -> str:
    """Prosody's datamanager encoding of a host or store name in a path: every byte that is not an
    ASCII letter or digit becomes %xx (lowercase hex), as Lua's gsub("%W", ...) does."""
    return "".join(chr(b) if chr(b).isalnum() and b < 128 else "%%%02x" % b for b in name.encode("utf-8"))
