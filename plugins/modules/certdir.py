#!/usr/bin/python
# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: certdir
short_description: Install Prosody certificates and keys in a tier's convention, checked before use
version_added: 0.1.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - Writes each host's certificate and key where the tier expects them (C(certs/<host>.crt) and
    C(.key) for debian, C(certs/domains/<host>/fullchain.pem) and C(privkey.pem) for enterprise,
    C(certs/cert.pem) and C(key.pem) for minimal), from PEM text sent by the controller or from
    files already on the target.
  - Hosts that bring no certificate get one from O(issuer), a local CA on the target (for example
    the one the roles create when no certificate is given). It makes a new P-256 key and a certificate for
    the host and O(certificates[].also_covers). An issued pair is kept as long as the CA signed it,
    it covers those names and it is valid for more than O(issuer.renew_days) days; otherwise it is
    issued again. Every host is handled in this one call, however many there are.
  - Before anything is written it checks that key and certificate match, that the certificate
    covers the host (subjectAltName, one-label wildcards allowed) and that it has not expired.
  - Owners and modes are the tier's (keys C(0640) C(root:prosody), certificates C(0644)); a key is never
    readable by others, not even while being written (the temporary file starts C(0600)). Key
    material never appears in results, diffs or messages.
requirements:
  - cryptography (Debian package C(python3-cryptography)) on the target
extends_documentation_fragment:
  - xmpp.prosody.attributes
  - xmpp.prosody.certificate_files
  - xmpp.prosody.objects.all_tiers
  - xmpp.prosody.objects.certificates
options:
  certificates:
    description: The certificates to install; one item per host, all checked before the first write.
    type: list
    elements: dict
    required: true
  issuer:
    description: The local CA that issues certificates for the items that bring none.
    type: dict
    suboptions:
      certificate_src:
        description: Path of the CA certificate on the target; default the tier's (C(ca.pem) in its CA directory).
        type: path
      key_src:
        description: Path of the CA's unencrypted private key on the target; default C(ca.key) next to the certificate.
        type: path
      create:
        description:
          - Make the CA when its key and certificate do not exist yet (a P-384 key readable by root alone,
            a CA certificate valid for ten years that may sign server certificates only).
        type: bool
        default: false
      common_name:
        description: Common name of a CA made by O(issuer.create).
        type: str
        default: xmpp.prosody local CA
      valid_days:
        description: Validity of an issued certificate, in days.
        type: int
        default: 365
      renew_days:
        description: Issue again when an issued certificate has this many days left or fewer.
        type: int
        default: 30
seealso:
  - module: xmpp.prosody.acme
  - module: xmpp.prosody.layout
  - plugin: xmpp.prosody.certificate_items
    plugin_type: filter
  - name: Certificates in Prosody
    description: How Prosody finds a host's certificate and key.
    link: https://prosody.im/doc/certificates
"""

EXAMPLES = r"""
- name: Install a certificate from the controller
  xmpp.prosody.certdir:
    tier: debian
    certificates:
      - name: example.org
        certificate: "{{ lookup('ansible.builtin.file', 'certs/example.org/fullchain.pem') }}"
        key: "{{ lookup('ansible.builtin.file', 'certs/example.org/privkey.pem') }}"
  register: cert

- name: Warn when it expires soon
  ansible.builtin.debug:
    msg: "example.org certificate expires {{ cert.certificates[0].not_after }}"

- name: Certificates for a thousand tenants from the tier's local CA (made on first use), in one call
  xmpp.prosody.certdir:
    tier: enterprise
    issuer:
      create: true
    certificates: "{{ tenants }}"  # [{name: t1.example}, {name: t2.example}, ...]

- name: Copy what certbot renewed on the target
  xmpp.prosody.certdir:
    tier: enterprise
    certificates:
      - name: tenant.example
        certificate_src: /etc/letsencrypt/live/tenant.example/fullchain.pem
        key_src: /etc/letsencrypt/live/tenant.example/privkey.pem
"""

RETURN = r"""
certificates:
  description: One item per certificate with where it lives and what it is.
  returned: always
  type: list
  elements: dict
  sample:
    - name: example.org
      cert_path: /etc/prosody/certs/example.org.crt
      key_path: /etc/prosody/certs/example.org.key
      not_after: "2027-01-01T00:00:00+00:00"
      dns_names: [example.org]
      issued: false
      changed: true
ca_created:
  description: Whether O(issuer.create) made (or in check mode would make) the CA.
  returned: always
  type: bool
"""

import datetime
import os

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.xmpp.prosody.plugins.module_utils._certs import (
    HAS_CRYPTOGRAPHY,
    CertificateError,
    Issuer,
    inspect_pair,
    new_ca,
)
from ansible_collections.xmpp.prosody.plugins.module_utils._changes import file_owner
from ansible_collections.xmpp.prosody.plugins.module_utils._deployment import Deployment, deployment_spec
from ansible_collections.xmpp.prosody.plugins.module_utils._fs import Journal, file_attrs, read_bytes
from ansible_collections.xmpp.prosody.plugins.module_utils._hosts import normalize_host
from ansible_collections.xmpp.prosody.plugins.module_utils._module import finish
from ansible_collections.xmpp.prosody.plugins.module_utils._record import mark_pending
from ansible_collections.xmpp.prosody.plugins.module_utils._record import owner as record_owner
from ansible_collections.xmpp.prosody.plugins.module_utils._schema import CERTIFICATE
from ansible_collections.xmpp.prosody.plugins.module_utils._schema import argument_spec as argument_spec_of
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS

DIR_MODE = 0o750  # a host's certificate directory, and the CA's, when the layout did not make them
CA_DAYS = 3650


def _covered_name(name, where: str) -> str:
    """A host name, or a one-label wildcard over one (*.example.org)."""
    if isinstance(name, str) and name.startswith("*."):
        return "*." + normalize_host(name[2:], where)
    return normalize_host(name, where)


def _read(path: str, where: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise CertificateError("%s: cannot read %s (%s)" % (where, path, exc.strerror)) from None


def _brings_material(item: dict) -> bool:
    return any(item.get(field) for field in ("certificate", "key", "certificate_src", "key_src"))


def _material(item: dict, where: str) -> tuple[bytes, bytes]:
    for pem, src in (("certificate", "certificate_src"), ("key", "key_src")):
        if bool(item.get(pem)) == bool(item.get(src)):
            raise CertificateError(
                "%s: give exactly one of %s (PEM text) or %s (a path on the target), or neither (and no key) "
                "with issuer set to have a local CA issue one" % (where, pem, src)
            )
    cert = item["certificate"].encode() if item.get("certificate") else _read(item["certificate_src"], where)
    key = item["key"].encode() if item.get("key") else _read(item["key_src"], where)
    return cert if cert.endswith(b"\n") else cert + b"\n", key if key.endswith(b"\n") else key + b"\n"


def _issued(issuer, current: tuple, names: list[str], where: str, params: dict) -> tuple[bytes, bytes, dict, bool]:
    """The installed pair when the CA signed it and it stays good for renew_days; else a new one."""
    cert, key = current
    if cert is not None and key is not None and issuer.signed(cert):
        soon = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=params["renew_days"])
        try:
            return cert, key, inspect_pair(cert, key, names, where, now=soon), False
        except CertificateError:
            pass  # no longer covers the names, or expires soon: issue again
    cert, key = issuer.issue(names, params["valid_days"])
    return cert, key, inspect_pair(cert, key, names, where), True


def _make_dir(directory: str, uid, gid) -> None:
    if not os.path.isdir(directory):  # per-host directories (enterprise) may be new
        os.mkdir(directory, 0o700)
        os.chown(directory, uid, gid)
        os.chmod(directory, DIR_MODE)


def _load_issuer(module, params: dict | None, paths: dict, owners: dict) -> tuple[Issuer | None, bool]:
    """The CA that issues the items without material, made first when asked to and missing.
    (None, True) in check mode when it would be made: its certificates count as changes."""
    if not params:
        return None, False
    if params["valid_days"] <= params["renew_days"]:
        raise CertificateError(
            "issuer.valid_days (%d) must be larger than issuer.renew_days (%d), or every run issues again"
            % (params["valid_days"], params["renew_days"])
        )
    cert_path = params["certificate_src"] or paths["ca_cert"]
    key_path = params["key_src"] or os.path.join(os.path.dirname(cert_path), os.path.basename(paths["ca_key"]))
    if params["create"] and not os.path.lexists(cert_path) and not os.path.lexists(key_path):
        if module.check_mode:
            return None, True
        cert, key = new_ca(params["common_name"], CA_DAYS)
        _make_dir(os.path.dirname(key_path), *owners["ca_cert"][:2])
        journal = Journal()
        try:  # the key first: a certificate without its key would be unusable
            journal.write(key_path, key, *owners["ca_key"])
            journal.write(cert_path, cert, *owners["ca_cert"])
        except OSError:
            journal.restore()
            raise
        return Issuer(cert, key, "issuer"), True
    return Issuer(_read(cert_path, "issuer"), _read(key_path, "issuer"), "issuer"), False


def _plan(index: int, item: dict, paths: dict, owners: dict, issuer, params: dict) -> dict:
    """What one item installs, every check done; ``writes`` are the files that differ."""
    where = "certificates[%d]" % index
    host = normalize_host(item.get("name"), where + ".name")
    covered = [host] + [_covered_name(n, where + ".also_covers") for n in item.get("also_covers") or []]
    cert_path, key_path = paths["cert"].format(host=host), paths["key"].format(host=host)
    current = read_bytes(cert_path), read_bytes(key_path)
    result = {"name": host, "cert_path": cert_path, "key_path": key_path, "issued": False}
    if _brings_material(item) or (issuer is None and not params["issuer"]):
        cert, key = _material(item, where)
        info = inspect_pair(cert, key, covered, where)
    elif issuer is None:  # check mode, the CA not made yet: everything it would issue is a change
        return dict(result, issued=True, writes=[(cert_path, None, None), (key_path, None, None)], existed=False)
    else:
        cert, key, info, result["issued"] = _issued(issuer, current, covered, where, params["issuer"])
    writes = [
        (path, content, owner)
        for path, content, before, owner in (
            (cert_path, cert, current[0], owners["cert"]),
            (key_path, key, current[1], owners["key"]),
        )
        if before != content or file_attrs(path) != owner
    ]
    return dict(result, **info, writes=writes, existed=current[0] is not None)


def _diff(plan: dict, key_mode: int) -> dict:
    after = "certificate to be issued by the local CA\n"
    if "fingerprint_sha256" in plan:
        after = "certificate %s, DNS %s, valid until %s; key %04o\n" % (
            plan["fingerprint_sha256"][:16],
            ",".join(plan["dns_names"]),
            plan["not_after"],
            key_mode,
        )
    return {
        "before_header": plan["cert_path"],
        "after_header": plan["cert_path"],
        "before": "certificate present (replaced)\n" if plan["existed"] else "",
        "after": after,
    }


def run_module(module) -> dict:
    params = module.params
    where = Deployment(module)
    tier, paths = where.tier, where.paths
    files = {key: tier.file(key) for key in ("cert", "key", "ca_cert", "ca_key")}
    owners = {
        key: file_owner(module, f.owner, f.group, f.mode, params["user"], params["group"]) for key, f in files.items()
    }
    issuer, ca_created = _load_issuer(module, params["issuer"], paths, owners)
    # every check passes before the first write
    planned = [_plan(i, item, paths, owners, issuer, params) for i, item in enumerate(params["certificates"])]
    if any(plan["writes"] for plan in planned) and not module.check_mode and "record" in paths:
        # Prosody reads certificates on reload: recorded first, so a run cut short here still reloads.
        # (The dev workspace keeps no record: its server runs in the developer's terminal.)
        mark_pending(paths["record"], record_owner(tier), reload=True)
    for plan in planned:
        if plan["writes"] and not module.check_mode:
            _make_dir(os.path.dirname(plan["cert_path"]), *owners["cert"][:2])
            journal = Journal()
            try:
                for path, content, owner in plan["writes"]:
                    journal.write(path, content, *owner)
            except OSError:
                journal.restore()
                raise
    results = [
        dict({k: v for k, v in plan.items() if k not in ("writes", "existed")}, changed=bool(plan["writes"]))
        for plan in planned
    ]
    result = {
        "changed": ca_created or any(r["changed"] for r in results),
        "certificates": results,
        "ca_created": ca_created,
    }
    if module._diff:
        result["diff"] = [_diff(plan, owners["key"][2]) for plan in planned if plan["writes"]]
    return result


def main():
    argument_spec = dict(
        **deployment_spec(sorted(TIERS), container=False),
        certificates=dict(type="list", elements="dict", required=True, options=argument_spec_of(CERTIFICATE)),
        user=dict(type="str", default="prosody"),
        group=dict(type="str", default="prosody"),
        issuer=dict(
            type="dict",
            options=dict(
                certificate_src=dict(type="path"),
                key_src=dict(type="path"),
                create=dict(type="bool", default=False),
                common_name=dict(type="str", default="xmpp.prosody local CA"),
                valid_days=dict(type="int", default=365),
                renew_days=dict(type="int", default=30),
            ),
        ),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    if not HAS_CRYPTOGRAPHY and module.check_mode:
        # A check run on a fresh host: the package that brings it is only predicted to be installed.
        module.warn("cryptography is not installed (yet): every certificate counts as a change")
        module.exit_json(changed=True, certificates=[], ca_created=bool(module.params["issuer"]))
    if not HAS_CRYPTOGRAPHY:
        module.fail_json(msg=missing_required_lib("cryptography (Debian: python3-cryptography)"))
    finish(module, lambda: run_module(module), "certdir")


if __name__ == "__main__":
    main()
