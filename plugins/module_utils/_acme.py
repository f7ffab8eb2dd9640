# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""Certificates from an ACME server (Let's Encrypt, or a private one), obtained and renewed by Debian's certbot.

A lineage per certificate file of the tier: a host with the components one label below it (Prosody
gives those the host's certificate), or, on a tier with one certificate for every name, one lineage
for all. certbot renews on its own timer, without Ansible, and runs the tier's deploy hook, which
copies the files into the tier's place (certbot's live/ holds links into a root-only archive) and
reloads Prosody. A host with a certificate of its own (prosody_tls_host_certificates) keeps it:
the operator's pair wins over ACME, always.
"""

from __future__ import annotations

import configparser
import os
import re

from ansible_collections.xmpp.prosody.plugins.module_utils._hosts import normalize_host
from ansible_collections.xmpp.prosody.plugins.module_utils._layout import TIERS

LETS_ENCRYPT = "https://acme-v02.api.letsencrypt.org/directory"
CONFIG_DIR = "/etc/letsencrypt"
FIELD = "prosody_acme"
OPTIONS = ("directory", "email", "hosts", "http_01_port")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def groups(vhosts, components, tier: str, named=(), own_pairs=None) -> list[dict]:
    """The certificate files of the deployment that a source (ACME, the central CA) provides, as
    [{name, domains}] in declared order: a host with the components one label below it, or one for
    every name. ``named``: the hosts the source names (none: every host, and every component with a
    certificate of its own). Hosts with a pair of their own (``own_pairs``) are left out."""
    vhosts = [normalize_host(item["name"]) for item in vhosts]
    components = [normalize_host(item["name"]) for item in components]
    named = [normalize_host(h) for h in named]
    own = {str(name).lower() for name in own_pairs or {}}
    if not TIERS[tier].per_host_certs:  # one certificate for every name
        names = [n for n in dict.fromkeys(vhosts + components) if n not in own]
        return [{"name": names[0], "domains": names}] if names else []
    hosts = set(vhosts)
    found = []
    for name in vhosts + [c for c in components if c.partition(".")[2] not in hosts]:
        if (not named or name in named) and name not in own:
            below = [c for c in components if c.partition(".")[2] == name]
            found.append({"name": name, "domains": [name, *below]})
    return found


def planned(inputs: dict) -> dict:
    """Where each certificate file comes from, by the roles' variables: ``acme`` (lineages), and
    ``central`` (what the central CA signs: the hosts it names, never one ACME or the operator's own
    pair provides). The rest is the local CA's or the provided pair's (xmpp.prosody.certdir)."""
    vhosts, components = inputs.get("prosody_vhosts") or [], inputs.get("prosody_components") or []
    tier, own = inputs["prosody_tier"], inputs.get("prosody_tls_host_certificates")

    def provided_by(variable: str) -> list[dict]:
        settings = inputs.get(variable)
        return groups(vhosts, components, tier, settings.get("hosts") or [], own) if settings else []

    acme = provided_by("prosody_acme")
    taken = {item["name"] for item in acme}
    return {"acme": acme, "central": [item for item in provided_by("prosody_central_ca") if item["name"] not in taken]}


def errors(acme, vhosts, components, tier: str = "debian", provided: bool = False) -> list[str]:
    """Problems with prosody_acme, each naming the field and the fix. ``provided``: the operator gave
    one pair for every host (prosody_tls_certificate), which cannot be mixed with ACME."""
    found, settled = source_errors(FIELD, acme, OPTIONS, (vhosts, components, tier), provided, "ACME")
    if settled:
        return found
    directory = acme.get("directory", LETS_ENCRYPT)
    if not isinstance(directory, str) or not directory.startswith("https://") or any(c.isspace() for c in directory):
        found.append("%s.directory: %r is not an https:// URL of an ACME directory" % (FIELD, directory))
    email = acme.get("email")
    if email and (not isinstance(email, str) or not _EMAIL.fullmatch(email)):
        found.append("%s.email: %r is not an e-mail address" % (FIELD, email))
    port = acme.get("http_01_port", 80)
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        found.append("%s.http_01_port: %r is not a port number" % (FIELD, port))
    return found


def source_errors(field: str, value, options, declared: tuple, provided: bool, source: str) -> tuple[list, bool]:
    """The checks the settings of every certificate source share (ACME, the central CA): a dict of
    known options, not mixed with one pair for every host, hosts that have a certificate file of
    their own (``declared``: vhosts, components, tier). Returns the problems, and whether they settle
    it (nothing to check, or nothing more worth checking)."""
    if not value:
        return [], True
    if provided:
        return [
            "%s and prosody_tls_certificate: both give every host its certificate; keep one (a host's own "
            "pair goes in prosody_tls_host_certificates, and wins over %s)" % (field, source)
        ], True
    if not isinstance(value, dict):
        return ["%s: give a dict (%s)" % (field, ", ".join(options))], True
    found = []
    unknown = [name for name in sorted(value) if name not in options]
    if unknown:
        found.append("%s: %s not an option; valid: %s" % (field, ", ".join(unknown), ", ".join(options)))
    return found + host_errors(field, value.get("hosts") or [], *declared), False


def host_errors(field: str, hosts, vhosts, components, tier: str) -> list[str]:
    """Problems with the ``hosts`` a certificate source names: each must have a certificate file of
    its own (a declared host, or a component not one label below one), on a tier with one per host."""
    if not hosts:
        return []
    if tier in TIERS and not TIERS[tier].per_host_certs:
        return ["%s.hosts: the %s tier keeps one certificate for every name; leave hosts empty" % (field, tier)]
    names = {str(item.get("name", "")).lower() for item in vhosts}
    parents = {str(item.get("name", "")).lower(): None for item in components}
    found = []
    for i, host in enumerate(hosts):
        host = str(host).lower()
        parent = host.partition(".")[2]
        if host in parents and parent in names:
            found.append(
                "%s.hosts[%d]: %r is served with %r's certificate; name %r instead" % (field, i, host, parent, parent)
            )
        elif host not in names and host not in parents:
            found.append("%s.hosts[%d]: %r is not a declared host; declare it or remove it here" % (field, i, host))
    return found


def current(name: str, config_dir: str = CONFIG_DIR) -> dict | None:
    """What certbot keeps for a lineage: its renewal settings (server, deploy hook) and the domains of
    its live certificate, or None when there is no such lineage."""
    renewal = os.path.join(config_dir, "renewal", name + ".conf")
    if not os.path.isfile(renewal):
        return None
    parser = configparser.ConfigParser(interpolation=None)
    with open(renewal, encoding="utf-8") as conf:
        parser.read_string("[top]\n" + conf.read())
    params = parser["renewalparams"] if parser.has_section("renewalparams") else {}
    return {
        "server": params.get("server"),
        "hook": params.get("renew_hook"),
        "cert": os.path.join(config_dir, "live", name, "cert.pem"),
    }


def certonly(certbot: str, lineage: dict, acme: dict, hook: str, config_dir: str = CONFIG_DIR) -> list[str]:
    """The certbot call that obtains (or replaces) a lineage: standalone http-01, the tier's deploy hook."""
    argv = [
        certbot,
        "certonly",
        "--non-interactive",
        "--agree-tos",
        "--standalone",
        "--http-01-port",
        str(acme.get("http_01_port", 80)),
        "--server",
        acme.get("directory") or LETS_ENCRYPT,
        "--cert-name",
        lineage["name"],
        "--deploy-hook",
        hook,
    ]
    argv += ["--email", acme["email"]] if acme.get("email") else ["--register-unsafely-without-email"]
    if config_dir != CONFIG_DIR:  # certbot's timer renews what is in its default directory only
        argv += ["--config-dir", config_dir]
    for domain in lineage["domains"]:
        argv += ["--domain", domain]
    return argv
