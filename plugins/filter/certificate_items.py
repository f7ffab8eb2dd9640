# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: certificate_items
short_description: The certificate items of xmpp.prosody.certdir for a tier's hosts and components
version_added: 0.1.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - Per-host tiers get one item per host and per component that is not one label below a host
    (Prosody gives those the parent's certificate). Each item carries the host's own pair when
    O(host_certificates) has one, else the O(provided) pair, else no material, so that the local CA
    (C(issuer) of M(xmpp.prosody.certdir)) issues a certificate for the host and C(*.<host>).
  - Other tiers get one item covering every name.
positional: _input, components, per_host
options:
  _input:
    description: The virtual host names.
    type: list
    elements: str
    required: true
  components:
    description: The component names.
    type: list
    elements: str
    required: true
  per_host:
    description: Whether the tier keeps a certificate per host.
    type: bool
    required: true
  provided:
    description: The pair for every host (C(certificate) and C(key)), or empty.
    type: dict
    default: {}
  host_certificates:
    description: Pairs for single hosts, by name (C(certificate)/C(key) or C(certificate_src)/C(key_src)).
    type: dict
    default: {}
"""

EXAMPLES = r"""
- name: Install every host's certificate in one call
  xmpp.prosody.certdir:
    tier: enterprise
    issuer: {certificate_src: /srv/prosody/certs/ca/ca.pem, key_src: /srv/prosody/certs/ca/ca.key}
    certificates: "{{ ['t1.example'] | xmpp.prosody.certificate_items(['conference.t1.example'], true) }}"
"""

RETURN = r"""
_value:
  description: Items for the O(xmpp.prosody.certdir#module:certificates) option.
  type: list
  elements: dict
"""

from ansible_collections.xmpp.prosody.plugins.module_utils._certplan import certificate_items


def certificate_items_filter(vhosts, components, per_host, provided=None, host_certificates=None):
    return certificate_items(vhosts, components, per_host, provided, host_certificates)


class FilterModule:
    """Certificate planning filter."""

    def filters(self):
        return {"certificate_items": certificate_items_filter}
