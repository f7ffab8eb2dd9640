# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: central_ca_items
short_description: The certificates a central CA signs for the roles' hosts
version_added: 0.1.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - One item per certificate file of the tier, as for P(xmpp.prosody.acme_lineages#filter) - a host
    with the components one label below it (one for every name on the minimal tier).
  - Only the hosts C(prosody_central_ca.hosts) names (every one when it names none); never one whose
    certificate comes from ACME or from the operator's own pair.
  - Empty when C(prosody_central_ca) is empty.
positional: _input
options:
  _input:
    description:
      - The roles' variables, by name - C(prosody_tier), C(prosody_vhosts), C(prosody_components),
        C(prosody_central_ca), C(prosody_acme), C(prosody_tls_host_certificates).
    type: dict
    required: true
seealso:
  - module: xmpp.prosody.central_ca_pairs
  - module: xmpp.prosody.certdir
"""

EXAMPLES = r"""
- name: The certificates the central CA signs for this host
  ansible.builtin.debug:
    msg: "{{ {'prosody_tier': 'debian', 'prosody_vhosts': [{'name': 'example.org'}],
              'prosody_central_ca': {'host': 'ca1'}} | xmpp.prosody.central_ca_items }}"
  # [{"name": "example.org", "domains": ["example.org"]}]
"""

RETURN = r"""
_value:
  description: Items, each C({name, domains}).
  type: list
  elements: dict
"""

from ansible_collections.xmpp.prosody.plugins.module_utils._acme import planned


def central_ca_items(inputs):
    return planned(inputs)["central"]


class FilterModule:
    """Central CA planning filter."""

    def filters(self):
        return {"central_ca_items": central_ca_items}
