# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: acme_lineages
short_description: The certificates an ACME server issues for the roles' hosts, as certbot lineages
version_added: 0.1.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - One lineage per certificate file of the tier - a host with the components one label below it, or
    on a tier with one certificate for every name (minimal), one lineage for all names.
  - Only the hosts C(prosody_acme.hosts) names (every host when it names none); a host with a pair of
    its own in C(prosody_tls_host_certificates) keeps it and gets no lineage.
  - Empty when C(prosody_acme) is empty.
positional: _input
options:
  _input:
    description:
      - The roles' variables, by name - C(prosody_tier), C(prosody_vhosts), C(prosody_components),
        C(prosody_acme), C(prosody_tls_host_certificates).
    type: dict
    required: true
seealso:
  - module: xmpp.prosody.acme
"""

EXAMPLES = r"""
- name: Obtain the certificates from Let's Encrypt
  xmpp.prosody.acme:
    tier: debian
    lineages: >-
      {{ {'prosody_tier': 'debian', 'prosody_vhosts': [{'name': 'example.org'}],
          'prosody_components': [{'name': 'conference.example.org'}],
          'prosody_acme': {'email': 'admin@example.org'}} | xmpp.prosody.acme_lineages }}
"""

RETURN = r"""
_value:
  description: Lineages, each C({name, domains}).
  type: list
  elements: dict
"""

from ansible_collections.xmpp.prosody.plugins.module_utils._acme import planned


def acme_lineages(inputs):
    return planned(inputs)["acme"]


class FilterModule:
    """ACME planning filter."""

    def filters(self):
        return {"acme_lineages": acme_lineages}
