#!/usr/bin/python
# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: central_ca_pairs
short_description: A Prosody host's keys and the certificates a central CA signs for them
version_added: 0.2.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - The Prosody host's side of M(xmpp.prosody.central_ca), in two steps around it.
  - C(step=request) makes each key that is missing where the tier keeps it (P-256, the tier's owner and
    mode) and returns a request for it. The key never leaves the host.
  - C(step=install) checks each signed certificate against the key on the host and its name, then writes
    it where the tier expects it, with the CA's certificate and revocation list (C(central-ca.pem),
    C(central-crl.pem) in the tier's CA directory). A change marks a reload as pending in the deployment
    record, so a run cut short still applies it.
requirements:
  - cryptography (Debian package C(python3-cryptography)) on the target
extends_documentation_fragment:
  - xmpp.prosody.attributes
  - xmpp.prosody.certificate_files
  - xmpp.prosody.objects.all_tiers
options:
  step:
    description: C(request) before the CA signs, C(install) after.
    type: str
    choices: [request, install]
    required: true
  inventory_name:
    description: This host's name in the inventory, which the CA files its certificates under (O(step=request)).
    type: str
  revoked:
    description: This host is revoked - no key is made and no request is returned (O(step=request)).
    type: bool
    default: false
  pairs:
    description:
      - The certificates, one item per host name - C({name, domains}) to request (O(step=request)),
        C({name, certificate}) to install (O(step=install)).
    type: list
    elements: dict
    default: []
  ca:
    description: The CA's certificate (PEM), for O(step=install).
    type: str
  crl:
    description: The CA's revocation list (PEM), for O(step=install).
    type: str
seealso:
  - module: xmpp.prosody.central_ca
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

- name: Install what the CA signed
  xmpp.prosody.central_ca_pairs:
    step: install
    tier: debian
    pairs: "{{ signed.certificates[inventory_hostname] | dict2items(key_name='name', value_name='certificate') }}"
    ca: "{{ signed.certificate }}"
    crl: "{{ signed.crl }}"
"""

RETURN = r"""
request:
  description:
    - What the CA signs for this host - C({host, revoked, certificates}), each certificate C({name, domains, csr}).
  returned: O(step=request)
  type: dict
keys_made:
  description: The names whose key was made (in check mode, would be).
  returned: O(step=request)
  type: list
  elements: str
installed:
  description: The files written (in check mode, that would be).
  returned: O(step=install)
  type: list
  elements: str
"""

import os

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.xmpp.prosody.plugins.module_utils._central_ca import requests
from ansible_collections.xmpp.prosody.plugins.module_utils._certs import (
    HAS_CRYPTOGRAPHY,
    CertificateError,
    inspect_pair,
)
from ansible_collections.xmpp.prosody.plugins.module_utils._changes import file_owner
from ansible_collections.xmpp.prosody.plugins.module_utils._deployment import Deployment, deployment_spec
from ansible_collections.xmpp.prosody.plugins.module_utils._fs import Journal, file_attrs, read_bytes
from ansible_collections.xmpp.prosody.plugins.module_utils._hosts import normalize_host
from ansible_collections.xmpp.prosody.plugins.module_utils._module import finish
from ansible_collections.xmpp.prosody.plugins.module_utils._record import mark_pending
from ansible_collections.xmpp.prosody.plugins.module_utils._record import owner as record_owner
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS


def _owners(module, where: Deployment) -> dict:
    params = module.params
    return {
        key: file_owner(module, spec.owner, spec.group, spec.mode, params["user"], params["group"])
        for key, spec in ((key, where.tier.file(key)) for key in ("cert", "key", "ca_cert"))
    }


def request(module, where: Deployment) -> dict:
    params = module.params
    if not params["inventory_name"]:
        raise CertificateError("inventory_name: required with step=request (the host's name in the inventory)")
    pairs = [] if params["revoked"] else params["pairs"]
    for index, pair in enumerate(pairs):
        pair["name"] = normalize_host(pair.get("name"), "pairs[%d].name" % index)
        if not isinstance(pair.get("domains"), list) or not pair["domains"]:
            raise CertificateError("pairs[%d].domains: the names the certificate covers, a list" % index)
    key = _owners(module, where)["key"]
    made_requests, made = requests(pairs, lambda name: where.paths["key"].format(host=name), key, module.check_mode)
    found = {"host": params["inventory_name"], "revoked": params["revoked"], "certificates": made_requests}
    result = {"changed": bool(made), "request": found, "keys_made": made}
    if module._diff and made:
        result["diff"] = {"before": "", "after": "".join("key of %s made here\n" % name for name in made)}
    return result


def _writes(module, where: Deployment) -> list[tuple]:
    """Every file to write (path, content, owner), each certificate checked against its key first."""
    params, paths, owners = module.params, where.paths, _owners(module, where)
    planned = []
    for index, pair in enumerate(params["pairs"]):
        name = normalize_host(pair.get("name"), "pairs[%d].name" % index)
        cert = (pair.get("certificate") or "").encode()
        key = read_bytes(paths["key"].format(host=name))
        if key is None:
            raise CertificateError("pairs[%d]: no key for %s on this host; run step=request first" % (index, name))
        inspect_pair(cert, key, [name], "pairs[%d]" % index)
        planned.append((paths["cert"].format(host=name), cert, owners["cert"]))
    for name, field in (("central-ca.pem", "ca"), ("central-crl.pem", "crl")):
        if not params[field]:
            raise CertificateError("%s: required with step=install (what central_ca returned)" % field)
        planned.append((os.path.join(paths["ca"], name), params[field].encode(), owners["ca_cert"]))
    return [
        (path, content, owner)
        for path, content, owner in planned
        if read_bytes(path) != content or file_attrs(path) != owner
    ]


def install(module, where: Deployment) -> dict:
    writes = _writes(module, where)
    if writes and not module.check_mode:
        if "record" in where.paths:  # Prosody reads certificates on reload: recorded first
            mark_pending(where.paths["record"], record_owner(where.tier), reload=True)
        journal = Journal()
        try:
            for path, content, owner in writes:
                os.makedirs(os.path.dirname(path), 0o750, exist_ok=True)
                journal.write(path, content, *owner)
        except OSError:
            journal.restore()
            raise
    result = {"changed": bool(writes), "installed": [path for path, _content, _owner in writes]}
    if module._diff and writes:
        result["diff"] = [
            {"before_header": path, "after_header": path, "before": "", "after": "written\n"}
            for path, _content, _owner in writes
        ]
    return result


def main():
    module = AnsibleModule(
        argument_spec=dict(
            step=dict(type="str", choices=["request", "install"], required=True),
            **deployment_spec(sorted(TIERS), container=False),
            user=dict(type="str", default="prosody"),
            group=dict(type="str", default="prosody"),
            inventory_name=dict(type="str"),
            revoked=dict(type="bool", default=False),
            pairs=dict(type="list", elements="dict", default=[]),
            ca=dict(type="str"),
            crl=dict(type="str"),
        ),
        supports_check_mode=True,
    )
    if not HAS_CRYPTOGRAPHY:
        module.fail_json(msg=missing_required_lib("cryptography (Debian: python3-cryptography)"))
    step = request if module.params["step"] == "request" else install
    finish(module, lambda: step(module, Deployment(module)), "central_ca_pairs")


if __name__ == "__main__":
    main()
