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
    """Return the canonical (lowercase, Unicode) form of an XMPP domain, or raise HostNameError.

    Prosody nameprep-lowercases host names, and the name ends up in file names (certs/<host>.crt,
    data/hosts/<host>/), so only real DNS-style names pass: no quotes, slashes, spaces or empty labels.
    Prosody 13 refuses A-labels (xn--), so the Unicode form is required.
    """
    if not isinstance(name, str):
        raise HostNameError("%s: expected a domain name string, got %s %r" % (field, type(name).__name__, name))
    host = name.strip().lower()
    if host != name.lower() or not host:
        raise HostNameError(
            "%s: %r is not a domain name; remove surrounding spaces and give e.g. 'example.org'" % (field, name)
        )
    if host.endswith("."):
        raise HostNameError("%s: %r ends with a dot; write it without the trailing dot" % (field, name))
    try:
        ascii_form = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise HostNameError(
            "%s: %r is not a valid domain name (labels of 1-63 letters, digits or '-', separated by dots)"
            % (field, name)
        ) from None
    if len(ascii_form) > 253:
        raise HostNameError("%s: %r is longer than 253 characters" % (field, name))
    for label in ascii_form.split("."):
        if not _LABEL.fullmatch(label):
            raise HostNameError(
                "%s: %r has an invalid label %r; "
                "labels are 1-63 letters, digits or '-', not starting or ending with '-'" % (field, name, label)
            )
        if label.startswith("xn--") and label in host.split("."):
            raise HostNameError("%s: %r uses the A-label %r; Prosody 13 wants the Unicode form" % (field, name, label))
    return host
