# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""Prosody option blocks and input checks shared by roles (through filters) and modules."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ansible_collections.xmpp.prosody.plugins.module_utils._certplan import host_certificate_errors
from ansible_collections.xmpp.prosody.plugins.module_utils._hosts import HostNameError, normalize_host
from ansible_collections.xmpp.prosody.plugins.module_utils._layout import TIERS
from ansible_collections.xmpp.prosody.plugins.module_utils._lua import LuaSerializationError, to_lua

OPTION_NAME = re.compile(r"[a-z_][a-z0-9_]*")


class ConfigError(ValueError):
    """Input that would produce a wrong or unsafe Prosody config; the message names the field."""


def check_option_name(name, field: str) -> str:
    if not isinstance(name, str) or not OPTION_NAME.fullmatch(name):
        raise ConfigError(
            "%s: option name %r is not allowed; Prosody option names are lowercase letters, digits and '_' "
            "(e.g. 'c2s_require_encryption')" % (field, name)
        )
    return name


def render_options(options: Mapping, field: str, indent: int = 0) -> str:
    """Render ``name = value`` lines (sorted by name) for a global block or a host section."""
    pad = " " * indent
    lines = []
    for name in sorted(options):
        check_option_name(name, field)
        try:
            value = to_lua(options[name], indent=4, level=indent // 4)
        except LuaSerializationError as exc:
            raise ConfigError("%s.%s: %s" % (field, name, exc)) from None
        lines.append("%s%s = %s\n" % (pad, name, value))
    return "".join(lines)


def input_errors(vhosts, settings, admins, components=(), host_certificates=None, tier="debian") -> list[str]:
    """Every problem with the tier-independent role input, as messages that name the field and the fix."""
    errors = []
    seen = {}
    for field, options in (
        [("prosody_settings", settings)]
        + [("prosody_vhosts[%d].settings" % i, (v or {}).get("settings") or {}) for i, v in enumerate(vhosts or [])]
        + [
            ("prosody_components[%d].settings" % i, (c or {}).get("settings") or {})
            for i, c in enumerate(components or [])
        ]
    ):
        for name, value in (options or {}).items():
            try:
                check_option_name(name, field)
                to_lua(value)
            except (ConfigError, LuaSerializationError) as exc:
                errors.append("%s.%s: %s" % (field, name, exc) if isinstance(exc, LuaSerializationError) else str(exc))
    for variable, items in (("prosody_vhosts", vhosts), ("prosody_components", components)):
        for index, item in enumerate(items or []):
            field = "%s[%d]" % (variable, index)
            try:
                name = normalize_host(item.get("name"), field + ".name")
            except HostNameError as exc:
                errors.append(str(exc))
                continue
            if name in seen:
                errors.append(
                    "%s.name: %r is already declared as %s; declare each name once (Prosody also refuses a name "
                    "that is both a VirtualHost and a Component)" % (field, name, seen[name])
                )
            seen.setdefault(name, field)
    per_host = tier in TIERS and "{host}" in TIERS[tier].paths["cert"]
    errors += host_certificate_errors(host_certificates, set(seen), per_host)
    for index, jid in enumerate(admins or []):
        if not isinstance(jid, str) or not re.fullmatch(r"[^@/\s\"\\]+@[^@/\s\"\\]+", jid):
            errors.append("prosody_admins[%d]: %r is not a bare JID like 'admin@example.org'" % (index, jid))
    return errors
