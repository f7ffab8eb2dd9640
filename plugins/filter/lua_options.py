# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: lua_options
short_description: Render a dictionary of Prosody options as C(name = value) lines
version_added: 0.1.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - Writes one C(name = value) line per option, sorted by name, every value through M(xmpp.prosody.to_lua)'s serializer.
  - Option names must match C(^[a-z_][a-z0-9_]*$); anything else fails with an error naming the option.
positional: _input
options:
  _input:
    description: Options to render.
    type: dict
    required: true
  field:
    description: Name of the variable the options come from, used in error messages.
    type: str
    default: options
  indent:
    description: Spaces before each line (for options inside a VirtualHost section).
    type: int
    default: 0
seealso:
  - plugin: xmpp.prosody.to_lua
    plugin_type: filter
"""

EXAMPLES = r"""
- name: Render global settings
  ansible.builtin.debug:
    msg: "{{ {'c2s_require_encryption': true, 'admins': ['a@example.org']} | xmpp.prosody.lua_options }}"
  # admins = { "a@example.org" }
  # c2s_require_encryption = true
"""

RETURN = r"""
_value:
  description: The option lines, each ending in a newline.
  type: string
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.xmpp.prosody.plugins.module_utils._option_syntax import ConfigError, render_options


def lua_options(options, field="options", indent=0):
    if not isinstance(options, Mapping):
        raise AnsibleFilterError(
            "xmpp.prosody.lua_options: %s must be a dict, got %s" % (field, type(options).__name__)
        )
    try:
        return render_options(options, field, indent)
    except ConfigError as exc:
        raise AnsibleFilterError("xmpp.prosody.lua_options: %s" % exc, orig_exc=exc) from exc


class FilterModule:
    """Prosody option block filter."""

    def filters(self):
        return {"lua_options": lua_options}
