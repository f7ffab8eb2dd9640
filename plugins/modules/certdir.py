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
  - Keys are C(0640) owner:group and are never readable by others, not even while being written
    (the temporary file starts C(0600)); certificates are C(0644). Key material never appears in
    results, diffs or messages.
requirements:
  - cryptography (Debian package C(python3-cryptography)) on the target
extends_documentation_fragment:
  - xmpp.prosody.attributes
options:
  tier:
    description: Layout tier whose certificate convention is used.
    type: str
    required: true
    choices: [minimal, debian, docker, enterprise, dev]
  roots:
    description: Override the tier's root directories by name (see M(xmpp.prosody.layout)).
    type: dict
    default: {}
  certificates:
    description: The certificates to install; one item per host, all checked before the first write.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: The host the certificate is for.
        type: str
        required: true
      certificate:
        description:
          - Certificate in PEM form (the chain may follow). Exclusive with O(certificates[].certificate_src).
          - Give neither this nor O(certificates[].certificate_src) (and no key) to have O(issuer) issue one.
        type: str
      key:
        description: Private key in PEM form, unencrypted. Exclusive with O(certificates[].key_src).
        type: str
      certificate_src:
        description: Path of the certificate on the target.
        type: path
      key_src:
        description: Path of the key on the target.
        type: path
      also_covers:
        description:
          - Further names the certificate must cover (for example the host's components, or
            C(*.<host>) for all of them); an issued certificate lists them as subjectAltNames.
        type: list
        elements: str
        default: []
  issuer:
    description: The local CA that issues certificates for the items that bring none.
    type: dict
    suboptions:
      certificate_src:
        description: Path of the CA certificate on the target.
        type: path
        required: true
      key_src:
        description: Path of the CA's unencrypted private key on the target.
        type: path
        required: true
      valid_days:
        description: Validity of an issued certificate, in days.
        type: int
        default: 365
      renew_days:
        description: Issue again when an issued certificate has this many days left or fewer.
        type: int
        default: 30
  owner:
    description: Owner of the files.
    type: str
    default: root
  group:
    description: Group of the files; Prosody's group, so it can read the key.
    type: str
    default: prosody
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

- name: Certificates for a thousand tenants from a local CA, in one call
  xmpp.prosody.certdir:
    tier: enterprise
    issuer:
      certificate_src: /srv/prosody/certs/ca/ca.pem
      key_src: /srv/prosody/certs/ca/ca.key
    certificates: "{{ tenants | map('community.general.dict_kv', 'name') }}"

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
"""

import datetime
import os

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.xmpp.prosody.plugins.module_utils._certs import (
    HAS_CRYPTOGRAPHY,
    CertificateError,
    Issuer,
    inspect_pair,
)
from ansible_collections.xmpp.prosody.plugins.module_utils._fs import Journal, file_attrs, ids, read_bytes
from ansible_collections.xmpp.prosody.plugins.module_utils._hosts import normalize_host
from ansible_collections.xmpp.prosody.plugins.module_utils._layout import (
    TIERS,
    resolve_roots,
    well_known_paths,
)
from ansible_collections.xmpp.prosody.plugins.module_utils._module import finish

CERT_MODE = 0o644
KEY_MODE = 0o640
DIR_MODE = 0o750
ITEM_OPTIONS = dict(
    certificate=dict(type="str"),
    key=dict(type="str", no_log=True),
    certificate_src=dict(type="path"),
    key_src=dict(type="path"),
    also_covers=dict(type="list", elements="str", default=[]),
)


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


def _load_issuer(params: dict | None):
    if not params:
        return None
    if params["valid_days"] <= params["renew_days"]:
        raise CertificateError(
            "issuer.valid_days (%d) must be larger than issuer.renew_days (%d), or every run issues again"
            % (params["valid_days"], params["renew_days"])
        )
    return Issuer(_read(params["certificate_src"], "issuer"), _read(params["key_src"], "issuer"), "issuer")


def run_module(module) -> dict:
    params = module.params
    tier = TIERS[params["tier"]]
    paths = well_known_paths(params["tier"], resolve_roots(tier, params["roots"]))
    items = params["certificates"]
    try:
        uid, gid = ids(params["owner"], params["group"])
    except KeyError:
        if not module.check_mode:
            raise CertificateError(
                "owner/group: %s:%s does not exist on this host" % (params["owner"], params["group"])
            ) from None
        uid = gid = None
    issuer = _load_issuer(params["issuer"])
    planned = []
    for index, item in enumerate(items):  # every check passes before the first write
        where = "certificates[%d]" % index
        host = normalize_host(item.get("name"), where + ".name")
        covered = [host] + [_covered_name(n, where + ".also_covers") for n in item.get("also_covers") or []]
        cert_path, key_path = paths["cert"].format(host=host), paths["key"].format(host=host)
        current = read_bytes(cert_path), read_bytes(key_path)
        issued = False
        if _brings_material(item) or issuer is None:
            cert, key = _material(item, where)
            info = inspect_pair(cert, key, covered, where)
        else:
            cert, key, info, issued = _issued(issuer, current, covered, where, params["issuer"])
        writes = [
            (path, content, mode)
            for path, content, before, mode in (
                (cert_path, cert, current[0], CERT_MODE),
                (key_path, key, current[1], KEY_MODE),
            )
            if before != content or file_attrs(path) != (uid, gid, mode)
        ]
        planned.append((host, cert_path, key_path, dict(info, issued=issued), writes, current[0] is not None))
    journal = Journal()
    results, diffs = [], []
    for host, cert_path, key_path, info, writes, existed in planned:
        if writes and not module.check_mode:
            directory = os.path.dirname(cert_path)
            if not os.path.isdir(directory):  # per-host directories (enterprise) may be new
                os.mkdir(directory, 0o700)
                os.chown(directory, uid, gid)
                os.chmod(directory, DIR_MODE)
            try:
                for path, content, mode in writes:
                    journal.write(path, content, uid, gid, mode)
            except OSError:
                journal.restore()
                raise
        results.append(dict(info, name=host, cert_path=cert_path, key_path=key_path, changed=bool(writes)))
        if writes:
            diffs.append(
                {
                    "before_header": cert_path,
                    "after_header": cert_path,
                    "before": "certificate present (replaced)\n" if existed else "",
                    "after": "certificate %s, DNS %s, valid until %s; key %s\n"
                    % (info["fingerprint_sha256"][:16], ",".join(info["dns_names"]), info["not_after"], oct(KEY_MODE)),
                }
            )
    result = {"changed": any(r["changed"] for r in results), "certificates": results}
    if module._diff:
        result["diff"] = diffs
    return result


def main():
    argument_spec = dict(
        tier=dict(type="str", required=True, choices=sorted(TIERS)),
        roots=dict(type="dict", default={}),
        certificates=dict(
            type="list",
            elements="dict",
            required=True,
            options=dict(ITEM_OPTIONS, name=dict(type="str", required=True)),
        ),
        owner=dict(type="str", default="root"),
        group=dict(type="str", default="prosody"),
        issuer=dict(
            type="dict",
            options=dict(
                certificate_src=dict(type="path", required=True),
                key_src=dict(type="path", required=True),
                valid_days=dict(type="int", default=365),
                renew_days=dict(type="int", default=30),
            ),
        ),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    if not HAS_CRYPTOGRAPHY:
        module.fail_json(msg=missing_required_lib("cryptography (Debian: python3-cryptography)"))
    finish(module, lambda: run_module(module), "certdir")


if __name__ == "__main__":
    main()
