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
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS

LETS_ENCRYPT = "https://acme-v02.api.letsencrypt.org/directory"
CONFIG_DIR = "/etc/letsencrypt"
FIELD = "prosody_acme"
OPTIONS = ("agree_tos", "directory", "email", "hosts", "http_01_port", "webroot")
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
    webroot = acme.get("webroot")
    if webroot is not None and (not isinstance(webroot, str) or not webroot.startswith("/")):
        found.append("%s.webroot: %r is not an absolute directory (the web server's document root)" % (FIELD, webroot))
    elif webroot and acme.get("http_01_port", 80) != 80:
        found.append(
            "%s.http_01_port: the web server of %s answers the challenge on its own port; leave http_01_port out "
            "with webroot" % (FIELD, webroot)
        )
    if acme.get("agree_tos") is not True:
        found.append(terms_refusal(directory, FIELD + "."))
    return found


def terms_refusal(directory: str, prefix: str = "") -> str:
    """Why no certificate is obtained before the operator accepts the ACME server's terms."""
    return (
        "%sagree_tos: an ACME server issues certificates only to an account that accepts its terms of service; "
        "read those of %s (Let's Encrypt: https://letsencrypt.org/repository/) and set agree_tos: true"
        % (prefix, directory)
    )


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
    """What certbot keeps for a lineage: its renewal settings (server, deploy hook, how it answers the
    challenge) and the domains of its live certificate, or None when there is no such lineage."""
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
        "webroot": (params.get("webroot_path") or "").rstrip(",") or None,  # certbot keeps a list: "path,"
        "cert": os.path.join(config_dir, "live", name, "cert.pem"),
    }


def authenticator(acme: dict) -> list[str]:
    """How certbot answers the http-01 challenge: its own server on the port, or files in a web server's
    document root (when port 80 belongs to a web server)."""
    if acme.get("webroot"):
        return ["--webroot", "--webroot-path", acme["webroot"]]
    return ["--standalone", "--http-01-port", str(acme.get("http_01_port") or 80)]


def certonly(certbot: str, lineage: dict, acme: dict, hook: str, config_dir: str = CONFIG_DIR) -> list[str]:
    """The certbot call that obtains (or replaces) a lineage: the http-01 challenge answered as
    ``acme`` says, the tier's deploy hook. Only for an operator who accepted the terms (agree_tos)."""
    argv = [
        certbot,
        "certonly",
        "--non-interactive",
        "--agree-tos",
        *authenticator(acme),
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


# What the ACME server said went wrong with a name (certbot prints its "Type:" and "Detail:"), by cause,
# each with what to look at: the most common first, for operators of many names.
CAUSES = (
    ("rate limit", ("rateLimited", "too many", "rate limit"), "the ACME server's rate limit; the next run tries again"),
    ("DNS", ("dns", "DNS problem", "NXDOMAIN", "could not resolve", "no valid A records"), "the name's A/AAAA records"),
    (
        "port",
        ("Could not bind", "already in use"),
        "another program has the challenge port (a web server? use webroot)",
    ),
    (
        "connection",
        ("connection", "Timeout", "timeout", "refused"),
        "the challenge port must be reachable from the ACME server (firewall, port forwarding)",
    ),
    ("unauthorized", ("unauthorized", "Invalid response"), "the name points at another server"),
    ("CAA", ("caa", "CAA record"), "a CAA record of the name forbids this ACME server"),
)


def failure(said: str) -> dict:
    """The cause of a failed certbot run and its details (the ACME server's own words where it gave any)."""
    kinds = re.findall(r"^\s*Type:\s*(\S+)", said, re.M)
    details = re.findall(r"^\s*Detail:\s*(.+)$", said, re.M)
    text = " ".join(kinds + details) or said
    found = (c for c in CAUSES if any(mark in text for mark in c[1]))
    cause, _marks, advice = next(found, ("other", (), "see certbot's log, /var/log/letsencrypt/letsencrypt.log"))
    detail = "; ".join(details) or " ".join(said.split())[-300:]
    return {"cause": cause, "advice": advice, "detail": detail[:500]}
