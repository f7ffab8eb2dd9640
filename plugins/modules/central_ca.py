#!/usr/bin/python
# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: central_ca
short_description: A central CA that signs many Prosody hosts' requests, revokes, and publishes its revocation list
version_added: 0.2.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - Runs on the host that keeps the CA, once for every Prosody host of a run (the roles call it with
    C(run_once)). The Prosody hosts make their keys and requests with M(xmpp.prosody.central_ca_pairs)
    and install what this module returns with it. No key but the CA's own is on the CA host.
  - The CA is made on first use in O(ca_dir) - C(ca/ca.key) (P-256, root's alone) and a self-signed
    certificate C(ca/ca.crt) valid for ten years that may sign server certificates only. A CA already
    there is used as it is.
  - A request is signed into C(issued/<host>/<name>.crt) (the request kept in C(pending/<host>/)) unless
    the certificate there is this CA's, for the same key and names, with more than O(renew_days) days
    left.
  - A revoked host's certificates move to C(revoked/<host>/), stamped with the time of revocation. The
    revocation list C(ca/crl.pem) lists every certificate under C(revoked/); it is valid for 30 days and
    made again when it lists something else or has 15 days or fewer left, so that a run at least every
    two weeks keeps it valid.
requirements:
  - cryptography (Debian package C(python3-cryptography)) on the CA host
extends_documentation_fragment:
  - xmpp.prosody.attributes
options:
  ca_dir:
    description: The CA's directory (C(ca/), C(pending/), C(issued/), C(revoked/); root's alone).
    type: path
    default: /srv/xmpp-prosody-ca
  common_name:
    description: The common name of the CA's certificate, when it is made.
    type: str
    default: xmpp.prosody central CA
  valid_days:
    description: Validity of a signed certificate, in days.
    type: int
    default: 365
  renew_days:
    description: Sign again when a certificate has this many days left or fewer.
    type: int
    default: 30
  requests:
    description: One item per Prosody host, as M(xmpp.prosody.central_ca_pairs) returns it (C(request)).
    type: list
    elements: dict
    required: true
    suboptions:
      host:
        description: The host's inventory name (its directory under C(issued/) and C(revoked/)).
        type: str
        required: true
      revoked:
        description: Revoke the host's certificates instead of signing.
        type: bool
        default: false
      certificates:
        description: Its requests, each C({name, domains, csr}).
        type: list
        elements: dict
        default: []
notes:
  - The certificates a revoked host still has installed keep being served until it gets others; clients
    that check the revocation list refuse them.
seealso:
  - module: xmpp.prosody.central_ca_pairs
  - module: xmpp.prosody.certdir
"""

EXAMPLES = r"""
- name: This host's keys and requests
  xmpp.prosody.central_ca_pairs:
    step: request
    tier: debian
    inventory_name: "{{ inventory_hostname }}"
    pairs: [{name: example.org, domains: [example.org, conference.example.org]}]
  register: central

- name: Sign every host's requests on the CA host
  xmpp.prosody.central_ca:
    requests: "{{ ansible_play_batch | map('extract', hostvars) | map(attribute='central.request') }}"
  delegate_to: ca.example.net
  run_once: true
  register: signed
"""

RETURN = r"""
certificate:
  description: The CA's certificate (PEM), what clients and servers trust.
  returned: success, unless in check mode before the CA exists
  type: str
crl:
  description: The CA's revocation list (PEM).
  returned: success, unless in check mode before the CA exists
  type: str
certificates:
  description: The signed certificates (PEM) by host and name; none for a revoked host.
  returned: success
  type: dict
  sample: {xmpp1: {example.org: "-----BEGIN CERTIFICATE-----..."}}
changes:
  description: What was (in check mode, would be) done.
  returned: success
  type: list
  elements: str
  sample: [issued xmpp1/example.org, wrote the revocation list (0 revoked)]
"""

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.xmpp.prosody.plugins.module_utils._central_ca import CentralCA
from ansible_collections.xmpp.prosody.plugins.module_utils._certs import HAS_CRYPTOGRAPHY, CertificateError
from ansible_collections.xmpp.prosody.plugins.module_utils._module import finish


def run_module(module) -> dict:
    params = module.params
    if params["valid_days"] <= params["renew_days"]:
        raise CertificateError(
            "valid_days (%d) must be larger than renew_days (%d), or every run signs again"
            % (params["valid_days"], params["renew_days"])
        )
    ca = CentralCA(params["ca_dir"], module.check_mode)
    if not ca.load(params["common_name"]):  # check mode, no CA yet: everything would be made
        return {"changed": True, "changes": ca.changes, "certificates": {}}
    signed = {}
    for request in params["requests"]:
        if request["revoked"]:
            ca.revoke(request["host"])
        else:
            signed[request["host"]] = ca.sign(
                request["host"], request["certificates"], params["valid_days"], params["renew_days"]
            )
    result = {"certificate": ca.certificate, "crl": ca.revocation_list(), "certificates": signed}
    result.update(changed=bool(ca.changes), changes=ca.changes)
    if module._diff and ca.changes:
        result["diff"] = {"before": "", "after": "".join(change + "\n" for change in ca.changes)}
    return result


def main():
    module = AnsibleModule(
        argument_spec=dict(
            ca_dir=dict(type="path", default="/srv/xmpp-prosody-ca"),
            common_name=dict(type="str", default="xmpp.prosody central CA"),
            valid_days=dict(type="int", default=365),
            renew_days=dict(type="int", default=30),
            requests=dict(
                type="list",
                elements="dict",
                required=True,
                options=dict(
                    host=dict(type="str", required=True),
                    revoked=dict(type="bool", default=False),
                    certificates=dict(type="list", elements="dict", default=[]),
                ),
            ),
        ),
        supports_check_mode=True,
    )
    if not HAS_CRYPTOGRAPHY:
        module.fail_json(msg=missing_required_lib("cryptography (Debian: python3-cryptography)"))
    finish(module, lambda: run_module(module), "central_ca")


if __name__ == "__main__":
    main()
