# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: input_errors
short_description: List every problem in the roles' Prosody input
version_added: 0.1.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - Checks what argument specs cannot express, on the controller and before anything on a host changes -
    C(prosody_*) variables the roles do not know (with the closest name they do, so C(prosody_vhost)
    is caught), host names (lowercase DNS names, no A-labels, each declared once), option names,
    values the Lua serializer refuses, admin JIDs, certificates and purges.
  - Returns a list of messages, each naming the variable and the fix; an empty list means the input is valid.
positional: _input, interface
options:
  _input:
    description: Every C(prosody_*) variable, by name.
    type: dict
    required: true
  interface:
    description: The variable names the roles know (the options of their argument spec).
    type: list
    elements: str
    required: true
seealso:
  - plugin: xmpp.prosody.to_lua
    plugin_type: filter
  - module: xmpp.prosody.preflight
"""

EXAMPLES = r"""
- name: Refuse bad input before touching the host
  ansible.builtin.assert:
    that: __errors | length == 0
    fail_msg: "{{ __errors | join('; ') }}"
  vars:
    __names: "{{ query('ansible.builtin.varnames', '^prosody_') }}"
    __errors: >-
      {{ dict(__names | zip(query('ansible.builtin.vars', *__names)))
         | xmpp.prosody.input_errors(['prosody_tier', 'prosody_vhosts']) }}
"""

RETURN = r"""
_value:
  description: Error messages; empty when the input is valid.
  type: list
  elements: str
"""

from ansible_collections.xmpp.prosody.plugins.module_utils._inputs import input_errors


class FilterModule:
    """Input validation filter."""

    def filters(self):
        return {"input_errors": lambda inputs, interface: input_errors(inputs, list(interface))}
