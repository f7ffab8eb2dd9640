# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""Prosody option names and ``name = value`` blocks, shared by roles (through filters) and modules."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ansible_collections.xmpp.prosody.plugins.module_utils._errors import ProsodyError
from ansible_collections.xmpp.prosody.plugins.module_utils._lua import LUA_KEYWORDS, LuaSerializationError, to_lua

OPTION_NAME = re.compile(r"[a-z_][a-z0-9_]*")
# Names that are not options: Lua's reserved words (a syntax error), and the functions of Prosody's
# config file (overwriting them breaks every later Include or section). Names starting with "__" are
# Prosody's internals (__currenthost moves every later option into another host).
RESERVED_NAMES = frozenset(LUA_KEYWORDS) | {"component", "host", "include", "virtualhost"}


class ConfigError(ProsodyError):
    """Input that would produce a wrong or unsafe Prosody config; the message names the field."""


def check_option_name(name, field: str) -> str:
    if not isinstance(name, str) or not OPTION_NAME.fullmatch(name):
        raise ConfigError(
            "%s: option name %r is not allowed; Prosody option names are lowercase letters, digits and '_' "
            "(e.g. 'c2s_require_encryption')" % (field, name)
        )
    if name in RESERVED_NAMES or name.startswith("__"):
        raise ConfigError(
            "%s: option name %r is not allowed; it is %s, not an option"
            % (
                field,
                name,
                "one of Prosody's internal names"
                if name.startswith("__")
                else "a Lua reserved word"
                if name in LUA_KEYWORDS
                else "a function of Prosody's config file",
            )
        )
    return name


MODULE_NAME = re.compile(r"[a-z0-9_-]+")


def check_modules(names, field: str) -> list:
    """Module names as Prosody loads them (mod_<name>.lua from plugin_paths): lowercase letters, digits,
    '_' and '-' only, so a name can never reach another directory ('../x'), and without the mod_ prefix."""
    if not isinstance(names, list):
        raise ConfigError("%s: expected a list of module names like ['mam', 'smacks'], got %r" % (field, names))
    for index, name in enumerate(names):
        where = "%s[%d]" % (field, index)
        if not isinstance(name, str) or not MODULE_NAME.fullmatch(name):
            raise ConfigError(
                "%s: %r is not a module name; Prosody loads mod_<name>.lua, names are lowercase letters, digits, "
                "'_' and '-' (e.g. 'http_file_share')" % (where, name)
            )
        if name.startswith("mod_"):
            raise ConfigError("%s: %r: write %r, without the mod_ prefix (Prosody adds it)" % (where, name, name[4:]))
    return names


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
