# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: to_lua
short_description: Serialize data to a safe Lua literal for Prosody configuration
version_added: 0.1.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - Converts strings, numbers, booleans, null, lists and dictionaries into a Lua expression.
  - Prosody's configuration is executable Lua; every value is escaped completely, so no input can
    break out of its string and run code (control characters become three-digit decimal escapes).
  - Dictionary keys are sorted, so the output is stable from run to run. Keys that are safe Lua
    identifiers are written bare, all others as C(["key"]).
  - NaN, infinities, bytes, null inside a list or dictionary and other types fail with an error that
    names the offending element.
positional: _input
options:
  _input:
    description: The value to serialize.
    type: raw
    required: true
  indent:
    description:
      - Spaces per nesting level for tables that do not fit on one line. Omit to write everything
        on one line.
    type: int
  level:
    description: Nesting level the expression starts at, to line up with surrounding text.
    type: int
    default: 0
seealso:
  - plugin: xmpp.prosody.lua_options
    plugin_type: filter
  - name: Configuring Prosody
    description: The Lua syntax of Prosody's configuration file.
    link: https://prosody.im/doc/configure
"""

EXAMPLES = r"""
- name: Render admins for a Prosody config
  ansible.builtin.debug:
    msg: "admins = {{ ['admin@example.org'] | xmpp.prosody.to_lua }}"
  # admins = { "admin@example.org" }

- name: A hostile string stays a string
  ansible.builtin.debug:
    msg: "motd_text = {{ 'x\"; os.execute(\"id\") --' | xmpp.prosody.to_lua }}"
  # motd_text = "x\"; os.execute(\"id\") --"
"""

RETURN = r"""
_value:
  description: The Lua expression.
  type: string
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.xmpp.prosody.plugins.module_utils._lua import LuaSerializationError, to_lua


def to_lua_filter(value, indent=None, level=0):
    """Filter entry point: wrap serializer errors in AnsibleFilterError."""
    try:
        return to_lua(value, indent=indent, level=level)
    except LuaSerializationError as exc:
        raise AnsibleFilterError("xmpp.prosody.to_lua: %s" % exc, orig_exc=exc) from exc


class FilterModule:
    """Lua serialization filters."""

    def filters(self):
        return {"to_lua": to_lua_filter}
