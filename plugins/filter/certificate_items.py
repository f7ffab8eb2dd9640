# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: certificate_items
short_description: The certificate items of xmpp.prosody.certdir for the roles' hosts and components
version_added: 0.1.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - Per-host tiers get one item per host and per component that is not one label below a host
    (Prosody gives those the parent's certificate). Each item carries the host's own pair when
    C(prosody_tls_host_certificates) has one, else the pair of C(prosody_tls_certificate) and
    C(prosody_tls_key), else no material, so that the local CA (C(issuer) of M(xmpp.prosody.certdir))
    issues a certificate for the host and C(*.<host>).
  - Other tiers get one item covering every name.
  - Hosts whose certificate comes from an ACME server (C(prosody_acme)) or the central CA
    (C(prosody_central_ca)) get no item, because certbot's deploy hook or the CA's tasks install
    their files. A host's own pair still wins over both.
  - Without hosts or components, one certificate for O(fallback).
positional: _input, fallback
options:
  _input:
    description:
      - The roles' variables, by name - C(prosody_tier), C(prosody_vhosts), C(prosody_components),
        C(prosody_tls_certificate), C(prosody_tls_key), C(prosody_tls_host_certificates), C(prosody_acme),
        C(prosody_central_ca).
    type: dict
    required: true
  fallback:
    description: The name of the one certificate when there are neither hosts nor components.
    type: str
    default: localhost
seealso:
  - module: xmpp.prosody.certdir
"""

EXAMPLES = r"""
- name: Install every host's certificate in one call
  xmpp.prosody.certdir:
    tier: enterprise
    issuer: {create: true}
    certificates: >-
      {{ {'prosody_tier': 'enterprise', 'prosody_vhosts': [{'name': 't1.example'}],
          'prosody_components': [{'name': 'conference.t1.example'}]} | xmpp.prosody.certificate_items }}
"""

RETURN = r"""
_value:
  description: Items for the O(xmpp.prosody.certdir#module:certificates) option.
  type: list
  elements: dict
"""

from ansible_collections.xmpp.prosody.plugins.module_utils._acme import planned
from ansible_collections.xmpp.prosody.plugins.module_utils._certplan import certificate_items


def certificate_items_filter(inputs, fallback="localhost"):
    provided = {}
    if inputs.get("prosody_tls_certificate"):
        provided = {"certificate": inputs["prosody_tls_certificate"], "key": inputs.get("prosody_tls_key")}
    elsewhere = planned(inputs)  # ACME's and the central CA's
    return certificate_items(
        inputs.get("prosody_vhosts") or [],
        inputs.get("prosody_components") or [],
        inputs["prosody_tier"],
        provided,
        inputs.get("prosody_tls_host_certificates"),
        fallback,
        [item["name"] for source in elsewhere.values() for item in source],
    )


class FilterModule:
    """Certificate planning filter."""

    def filters(self):
        return {"certificate_items": certificate_items_filter}
