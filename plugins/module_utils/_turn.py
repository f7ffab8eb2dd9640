# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""Calls: a TURN server (Debian's coturn) that Prosody hands out through XEP-0215.

Prosody's ``turn_external`` module gives each client short-lived TURN credentials made from a secret it
shares with the TURN server (coturn's ``use-auth-secret``): the secret itself never reaches a client.
The collection writes both sides from one input, ``turn``: Prosody's ``turn_external_*`` options and,
unless the TURN server runs elsewhere (``install: false``), coturn's ``/etc/turnserver.conf``.
The relay refuses peers in private, loopback and link-local ranges, so that a client cannot use it to
reach the server's own network.
"""

from __future__ import annotations

import ipaddress

from ansible_collections.xmpp.prosody.plugins.module_utils._hosts import normalize_host
from ansible_collections.xmpp.prosody.plugins.module_utils._option_syntax import ConfigError
from ansible_collections.xmpp.prosody.plugins.module_utils._schema import TURN, argument_spec

CONFIG = "/etc/turnserver.conf"  # Debian's coturn.service reads it
HEADER = "# Managed by xmpp.prosody.config; edits here are overwritten.\n"
MIN_SECRET = 16
SPEC = argument_spec(TURN)  # the ``turn`` option's suboptions (config, workspace; the roles' prosody_turn)
# Peers a relay must never reach (RFC 1918, loopback, link-local, CGNAT, unique local, and more)
DENIED_PEERS = (
    "0.0.0.0-0.255.255.255",
    "10.0.0.0-10.255.255.255",
    "100.64.0.0-100.127.255.255",
    "127.0.0.0-127.255.255.255",
    "169.254.0.0-169.254.255.255",
    "172.16.0.0-172.31.255.255",
    "192.0.0.0-192.0.0.255",
    "192.168.0.0-192.168.255.255",
    "198.18.0.0-198.19.255.255",
    "240.0.0.0-255.255.255.255",
    "::1",
    "fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    "fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
)


class TurnError(ConfigError):
    """A TURN setting the collection refuses; the message names the field and the fix."""


def check(turn, field: str = "turn") -> dict:
    """The TURN settings with their defaults, or {} when none are given (calls off)."""
    if not turn:
        return {}
    if not isinstance(turn, dict):
        raise TurnError("%s: give a dict with at least secret" % field)
    unknown = set(turn) - set(SPEC)
    if unknown:
        raise TurnError("%s: unknown keys %s; use %s" % (field, sorted(unknown), ", ".join(SPEC)))
    values = {key: spec.get("default") for key, spec in SPEC.items()}
    values.update({key: value for key, value in turn.items() if value is not None})
    secret = values["secret"]
    if not isinstance(secret, str) or len(secret) < MIN_SECRET or any(c.isspace() for c in secret):
        raise TurnError(
            "%s.secret: give a random string of at least %d characters without spaces (e.g. from "
            "`openssl rand -hex 32`), kept in Ansible Vault" % (field, MIN_SECRET)
        )
    if values["host"] is not None:
        values["host"] = _host_or_ip(values["host"], field + ".host")
    if values["realm"] is not None:
        values["realm"] = normalize_host(values["realm"], field + ".realm")
    if not isinstance(values["port"], int) or isinstance(values["port"], bool) or not 1 <= values["port"] <= 65535:
        raise TurnError("%s.port: a port number, 1 to 65535 (3478 is TURN's)" % field)
    if not isinstance(values["install"], bool):
        raise TurnError("%s.install: true (coturn on this host) or false (a TURN server elsewhere)" % field)
    if values["external_ip"] is not None:
        try:
            ipaddress.ip_address(values["external_ip"])
        except ValueError as exc:
            raise TurnError("%s.external_ip: %r is not an IP address" % (field, values["external_ip"])) from exc
    low, _sep, high = str(values["relay_ports"]).partition("-")
    if not (low.isdigit() and high.isdigit() and 1024 <= int(low) < int(high) <= 65535):
        raise TurnError("%s.relay_ports: a range like 49152-65535, within 1024-65535" % field)
    return values


def _host_or_ip(value, field: str) -> str:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return normalize_host(value, field)


def prosody_options(turn: dict) -> dict:
    """Prosody's turn_external options (the module is loaded with them)."""
    options = {"turn_external_secret": turn["secret"], "turn_external_port": turn["port"]}
    if turn["host"]:
        options["turn_external_host"] = turn["host"]
    return options


def coturn_config(turn: dict, hosts) -> str:
    """coturn's configuration: the shared secret, the relay range, the refused peers."""
    realm = turn["realm"] or turn["host"] or (list(hosts) or ["localhost"])[0]
    low, high = turn["relay_ports"].split("-")
    lines = [
        "# coturn for Prosody's XEP-0215 credentials (mod_turn_external): same secret on both sides.",
        "listening-port=%d" % turn["port"],
        "realm=%s" % realm,
        "use-auth-secret",
        "static-auth-secret=%s" % turn["secret"],
        "fingerprint",
        "no-cli",
        "no-tls",
        "no-dtls",
        "no-multicast-peers",
        "min-port=%s" % low,
        "max-port=%s" % high,
        "syslog",
    ]
    if turn["external_ip"]:
        lines.append("external-ip=%s" % turn["external_ip"])
    lines += ["denied-peer-ip=%s" % peers for peers in DENIED_PEERS]
    return HEADER + "\n".join(lines) + "\n"
