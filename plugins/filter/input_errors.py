# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: input_errors
short_description: List every semantic problem in the roles' Prosody input
version_added: 0.1.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - Checks what argument specs cannot express, on the controller and before anything on a host changes
    host names (lowercase DNS names, no A-labels, no duplicates), option names, values the Lua
    serializer refuses, and admin JIDs.
  - Returns a list of messages, each naming the variable and the fix; an empty list means the input is valid.
positional: _input
options:
  _input:
    description: The value of C(prosody_vhosts).
    type: list
    elements: dict
    required: true
  settings:
    description: The value of C(prosody_settings).
    type: dict
    default: {}
  admins:
    description: The value of C(prosody_admins).
    type: list
    elements: str
    default: []
  components:
    description: The value of C(prosody_components).
    type: list
    elements: dict
    default: []
  host_certificates:
    description: The value of C(prosody_tls_host_certificates).
    type: dict
    default: {}
  tier:
    description: The layout tier (whether it keeps a certificate per host).
    type: str
    default: debian
"""

EXAMPLES = r"""
- name: Refuse bad input before touching the host
  ansible.builtin.assert:
    that: __errors | length == 0
    fail_msg: "{{ __errors | join('; ') }}"
  vars:
    __errors: >-
      {{ prosody_vhosts | xmpp.prosody.input_errors(settings=prosody_settings, admins=prosody_admins,
                                                   components=prosody_components) }}
"""

RETURN = r"""
_value:
  description: Error messages; empty when the input is valid.
  type: list
  elements: str
"""

from ansible_collections.xmpp.prosody.plugins.module_utils._config import input_errors


def input_errors_filter(vhosts, settings=None, admins=None, components=None, host_certificates=None, tier="debian"):
    return input_errors(vhosts, settings or {}, admins or [], components or [], host_certificates or {}, tier)


class FilterModule:
    """Input validation filter."""

    def filters(self):
        return {"input_errors": input_errors_filter}
