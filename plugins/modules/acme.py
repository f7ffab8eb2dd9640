#!/usr/bin/python
# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: acme
short_description: Certificates for Prosody from an ACME server, renewed by certbot without Ansible
version_added: 0.1.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - Obtains with Debian's C(certbot) one certificate per O(lineages) item (C(http-01) challenge,
    answered by certbot's own server on O(http_01_port), or by files in a web server's O(webroot)),
    with the tier's deploy hook recorded in the lineage. certbot's timer renews them on its own and
    runs the hook, which copies the files into the tier's place with Prosody's owners and modes and
    reloads Prosody - no Ansible run is needed for a renewal.
  - A lineage is obtained again only when it is missing, or its names, its ACME server, its hook or
    its webroot differ from what is asked. When the files in the tier's place differ from the
    lineage's (a restore, a hand edit), the hook installs them again.
  - Every lineage is attempted, whatever happens to the others - one customer's name whose DNS is not
    ready yet blocks nobody else - and those obtained are installed. Then the module fails naming each
    failed lineage with the cause (DNS, port, connection, rate limit ...) and the ACME server's words,
    or with O(keep_going) returns them in RV(failures). A later run tries only those again (the others
    are in place).
  - Nothing is obtained unless O(agree_tos) says the operator accepts the ACME server's terms.
  - Check mode says what would be obtained or installed, and does neither.
requirements:
  - certbot (Debian package C(certbot)) and cryptography (C(python3-cryptography)) on the target
extends_documentation_fragment:
  - xmpp.prosody.attributes
  - xmpp.prosody.deployment
options:
  lineages:
    description: The certificates, as P(xmpp.prosody.acme_lineages#filter) plans them.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: The lineage's name, the host whose certificate file it fills.
        type: str
        required: true
      domains:
        description: Every name the certificate covers, the host first.
        type: list
        elements: str
        required: true
  directory:
    description: The ACME server's directory URL.
    type: str
    default: https://acme-v02.api.letsencrypt.org/directory
  email:
    description: Contact address for the ACME account (expiry notices); none registers without one.
    type: str
  http_01_port:
    description: Port certbot's standalone server answers the C(http-01) challenge on (port 80 reaches it from outside).
    type: int
    default: 80
  webroot:
    description:
      - The document root of the web server that answers on port 80 for these names. certbot writes the
        challenge's file below it (C(.well-known/acme-challenge/)) instead of running a server of its own.
      - Not given - certbot's standalone server on O(http_01_port).
    type: path
    version_added: 0.2.0
  agree_tos:
    description:
      - Whether you accept the ACME server's terms of service (Let's Encrypt - U(https://letsencrypt.org/repository/)).
        Required to obtain a certificate; certbot registers the account with it.
    type: bool
    default: false
    version_added: 0.2.0
  keep_going:
    description:
      - What to do when a lineage fails, after every lineage was attempted.
      - C(false) - fail, naming each failed lineage.
      - C(true) - succeed and return them in RV(failures), so that the play applies what did succeed
        (the roles reload Prosody, apply the accounts) and fails on them at its end.
    type: bool
    default: false
    version_added: 0.2.0
  config_dir:
    description:
      - certbot's configuration directory (its C(--config-dir)).
      - certbot's timer renews the lineages of the default one only.
    type: path
    default: /etc/letsencrypt
notes:
  - The hook is the tier's file C(acme_hook) (see P(xmpp.prosody.tier#filter)), written by M(xmpp.prosody.config).
seealso:
  - module: xmpp.prosody.certdir
  - plugin: xmpp.prosody.acme_lineages
    plugin_type: filter
  - name: Let's Encrypt with Prosody
    description: How Prosody uses certificates from an ACME server.
    link: https://prosody.im/doc/letsencrypt
"""

EXAMPLES = r"""
- name: Certificates for example.org and its chat rooms from Let's Encrypt
  xmpp.prosody.acme:
    tier: debian
    email: admin@example.org
    agree_tos: true  # Let's Encrypt's terms, read and accepted
    lineages:
      - {name: example.org, domains: [example.org, conference.example.org]}

- name: Where nginx has port 80, through its document root
  xmpp.prosody.acme:
    tier: enterprise
    agree_tos: true
    webroot: /var/www/html
    lineages: "{{ tenants | map('community.general.dict_kv', 'name') }}"
"""

RETURN = r"""
certificates:
  description: One item per lineage - its C(name), C(domains) and C(action) (C(obtained), C(installed) or C(none)).
  returned: always
  type: list
  elements: dict
  sample: [{"name": "example.org", "domains": ["example.org", "conference.example.org"], "action": "obtained"}]
msg:
  description: Which lineages failed and why, in one line (for the task that fails on them with O(keep_going)).
  returned: when a lineage failed
  type: str
  version_added: 0.2.0
failures:
  description:
    - The lineages that could not be obtained, each with its C(name), C(domains), C(cause) (C(DNS), C(port),
      C(connection), C(rate limit), C(unauthorized), C(CAA) or C(other)), C(advice) and the ACME server's
      C(detail). Their C(action) in RV(certificates) is C(failed).
  returned: always
  type: list
  elements: dict
  sample: [{"name": "t7.example", "domains": ["t7.example"], "cause": "DNS", "advice": "the name's A/AAAA records",
            "detail": "DNS problem: NXDOMAIN looking up A for t7.example"}]
  version_added: 0.2.0
"""

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.xmpp.prosody.plugins.module_utils._acme import (
    LETS_ENCRYPT,
    certonly,
    current,
    failure,
    terms_refusal,
)
from ansible_collections.xmpp.prosody.plugins.module_utils._certs import HAS_CRYPTOGRAPHY, dns_names
from ansible_collections.xmpp.prosody.plugins.module_utils._deployment import Deployment, deployment_spec
from ansible_collections.xmpp.prosody.plugins.module_utils._errors import ProsodyError
from ansible_collections.xmpp.prosody.plugins.module_utils._fs import read_bytes
from ansible_collections.xmpp.prosody.plugins.module_utils._hosts import normalize_host
from ansible_collections.xmpp.prosody.plugins.module_utils._module import finish

if HAS_CRYPTOGRAPHY:
    from cryptography import x509


class AcmeError(ProsodyError):
    """certbot could not obtain or install a certificate; the message says what it said."""

    def __init__(self, message: str, said: str = ""):
        super().__init__(message)
        self.said = said or message


class TermsError(AcmeError):
    """The operator has not accepted the ACME server's terms: no lineage can be obtained."""


def _lineage_file(path: str) -> bytes | None:
    """A file of certbot's live/ directory: links into its archive, root's alone, so followed."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _live_names(path: str) -> set:
    data = _lineage_file(path) if HAS_CRYPTOGRAPHY else None  # without it (a check run): unknown, obtained again
    return set(dns_names(x509.load_pem_x509_certificate(data))) if data else set()


def _installed(live: str, cert: str, key: str) -> bool:
    """The tier's files hold the lineage's current certificate and key."""
    pairs = ((os.path.join(live, "fullchain.pem"), cert), (os.path.join(live, "privkey.pem"), key))
    for source, target in pairs:
        wanted = _lineage_file(source)
        if wanted is None or wanted != read_bytes(target):
            return False
    return True


def _run(module, argv, environ=None) -> None:
    rc, out, err = module.run_command(argv, environ_update=environ or {})
    if rc != 0:
        said = (out + "\n" + err).strip()
        raise AcmeError("%s failed (rc %d): %s" % (os.path.basename(argv[0]), rc, (err or out).strip()[-2000:]), said)


def _apply(module, lineage: dict, acme: dict, hook: str, paths: dict, certbot: str | None) -> str:
    """Obtain or install one lineage as needed: its action (obtained, installed or none)."""
    name, config_dir = lineage["name"], module.params["config_dir"]
    have = current(name, config_dir)
    live = os.path.join(config_dir, "live", name)
    wanted = (acme["directory"], hook, acme.get("webroot"))
    if have is None or (have["server"], have["hook"], have["webroot"]) != wanted:
        stale = True
    else:
        stale = _live_names(have["cert"]) != set(lineage["domains"])
    if stale:
        if not module.params["agree_tos"]:
            raise TermsError(terms_refusal(acme["directory"]))
        if not module.check_mode:  # certbot runs the deploy hook itself once it has the certificate
            # an existing lineage with the same names is "not yet due" for certbot: insist
            argv = certonly(certbot, lineage, acme, hook, config_dir)
            _run(module, argv + (["--force-renewal"] if have else []))
            now = current(name, config_dir)
            if not now or (now["server"], now["hook"], now["webroot"]) != wanted:
                raise AcmeError("certbot kept %s's old ACME server, deploy hook or webroot: %s" % (name, now))
        return "obtained"
    if not _installed(live, paths["cert"].format(host=name), paths["key"].format(host=name)):
        if not module.check_mode:
            _run(module, [hook], {"RENEWED_LINEAGE": live, "RENEWED_DOMAINS": " ".join(lineage["domains"])})
        return "installed"
    return "none"


def _failed_message(failures: list[dict]) -> str:
    return (
        "%d of the ACME certificates could not be obtained (the others are in place; the next run tries these "
        "again): %s"
        % (
            len(failures),
            "; ".join("%s (%s: %s) - %s" % (f["name"], f["cause"], f["advice"], f["detail"]) for f in failures),
        )
    )


def run_module(module) -> dict:
    params = module.params
    paths = Deployment(module).paths
    directory = params["directory"] or LETS_ENCRYPT
    acme = {
        "directory": directory,
        "email": params["email"],
        "http_01_port": params["http_01_port"],
        "webroot": params["webroot"],
    }
    certbot = module.get_bin_path("certbot", required=not module.check_mode)
    lineages = [
        {
            "name": normalize_host(lineage["name"], "lineages[%d].name" % i),
            "domains": [normalize_host(d, "lineages[%d].domains" % i) for d in lineage["domains"]],
        }
        for i, lineage in enumerate(params["lineages"])
    ]
    results, failures = [], []
    for lineage in lineages:  # every one, whatever happens to the others
        try:
            action = _apply(module, lineage, acme, paths["acme_hook"], paths, certbot)
        except TermsError:
            raise  # no lineage would get further: said once
        except AcmeError as exc:
            failures.append(dict(lineage, **failure(exc.said)))
            action = "failed"
        results.append(dict(lineage, action=action))
    result = {
        "changed": any(r["action"] not in ("none", "failed") for r in results),
        "certificates": results,
        "failures": failures,
    }
    if failures:
        result["msg"] = _failed_message(failures)
        if not params["keep_going"]:
            module.fail_json(**result)
    return result


def main():
    module = AnsibleModule(
        argument_spec=dict(
            **deployment_spec(container=False),
            lineages=dict(
                type="list",
                elements="dict",
                required=True,
                options=dict(
                    name=dict(type="str", required=True),
                    domains=dict(type="list", elements="str", required=True),
                ),
            ),
            directory=dict(type="str", default=LETS_ENCRYPT),
            email=dict(type="str"),
            http_01_port=dict(type="int", default=80),
            webroot=dict(type="path"),
            agree_tos=dict(type="bool", default=False),
            keep_going=dict(type="bool", default=False),
            config_dir=dict(type="path", default="/etc/letsencrypt"),
        ),
        supports_check_mode=True,
    )
    if not HAS_CRYPTOGRAPHY and not module.check_mode:
        module.fail_json(msg="xmpp.prosody.acme needs cryptography on the target (Debian: python3-cryptography)")
    finish(module, lambda: run_module(module), "acme")


if __name__ == "__main__":
    main()
