# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""Which certificate files a tier gets and where each comes from: a host's own pair, the one
provided pair, or the local CA (items without material, for xmpp.prosody.certdir)."""

from __future__ import annotations

from collections.abc import Mapping

from ansible_collections.xmpp.prosody.plugins.module_utils._acme import source_errors
from ansible_collections.xmpp.prosody.plugins.module_utils._certs import (
    HAS_CRYPTOGRAPHY,
    CertificateError,
    inspect_pair,
)
from ansible_collections.xmpp.prosody.plugins.module_utils._errors import ProsodyError
from ansible_collections.xmpp.prosody.plugins.module_utils._hosts import normalize_host
from ansible_collections.xmpp.prosody.plugins.module_utils._roots import check_root
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS

MATERIAL = (("certificate", "key"), ("certificate_src", "key_src"))
ALLOWED = {key for keys in MATERIAL for key in keys}
FIELD = "prosody_tls_host_certificates"


def host_certificate_errors(host_certs, names, per_host: bool) -> list[str]:
    """Problems with per-host certificates, as messages naming the field and the fix."""
    if not host_certs:
        return []
    if not per_host:
        return [
            "%s: this tier keeps one certificate for every host; give prosody_tls_certificate and "
            "prosody_tls_key instead" % FIELD
        ]
    errors = []
    for name, pair in host_certs.items():
        field = "%s[%r]" % (FIELD, name)
        if str(name).lower() not in names:
            errors.append("%s: not a declared host or component; declare it or remove it here" % field)
        if (
            not isinstance(pair, Mapping)
            or set(pair) - ALLOWED
            or sum(all(pair.get(key) for key in keys) for keys in MATERIAL) != 1
            or sum(bool(pair.get(key)) for key in ALLOWED) != 2
        ):
            errors.append(
                "%s: give certificate and key (PEM text), or certificate_src and key_src (paths on the host)" % field
            )
    return errors


def certificate_items(
    vhosts, components, tier: str, provided=None, host_certs=None, fallback=None, elsewhere=()
) -> list[dict]:
    """One item of xmpp.prosody.certdir per certificate file, from the declared vhosts and components.
    Per-host tiers: every host, and every component that is not one label below a host (Prosody gives
    those the parent's certificate, which then covers *.host). Others: one item covering every name.
    Without hosts or components, one certificate for ``fallback`` (the server's own name).
    ``elsewhere``: the names whose files come from ACME or the central CA, unless the operator gave a
    pair of their own."""
    vhosts = [normalize_host(item["name"]) for item in vhosts] or ([] if components else [fallback])
    components = [normalize_host(item["name"]) for item in components]
    provided = dict(provided or {})
    if not TIERS[tier].per_host_certs:
        names = list(dict.fromkeys(vhosts + components))
        return [] if elsewhere else [dict(provided, name=names[0], also_covers=names)]
    hosts = set(vhosts)
    own = vhosts + [c for c in components if c.partition(".")[2] not in hosts]
    mine = {str(name).lower(): dict(pair) for name, pair in (host_certs or {}).items()}
    items = []
    for name in own:
        if name in elsewhere and name not in mine:
            continue
        if name in mine:
            items.append(dict(mine[name], name=name, also_covers=[]))
        elif provided:
            items.append(dict(provided, name=name, also_covers=[]))
        else:  # issued by the local CA for the host and its components
            items.append({"name": name, "also_covers": ["*." + name]})
    return items


def pem_errors(vhosts, components, tier: str, provided=None, host_certs=None) -> list[str]:
    """Problems with the certificates given as PEM text, found before the host changes: each pair is
    PEM, unencrypted, matching, not expired and covers the names it is installed for. The messages
    name the variable and the failed check, never key material. (Pairs given as paths on the host
    are checked by xmpp.prosody.certdir, before it writes.)"""
    if not HAS_CRYPTOGRAPHY or not (vhosts or components):
        return []
    mine = {str(name).lower() for name in host_certs or {}}
    errors, seen = [], set()
    for item in certificate_items(vhosts, components, tier, provided, host_certs):
        if not (item.get("certificate") and item.get("key")):
            continue
        if item["name"] in mine:
            field = "%s[%r]" % (FIELD, item["name"])
            fields = (field + ".certificate", field + ".key")
        else:
            field, fields = "prosody_tls_certificate", ("prosody_tls_certificate", "prosody_tls_key")
        if field in seen:  # the provided pair is installed for every host: one message is enough
            continue
        seen.add(field)
        try:
            inspect_pair(
                item["certificate"].encode(),
                item["key"].encode(),
                [item["name"], *item["also_covers"]],
                field,
                fields=fields,
            )
        except CertificateError as exc:
            errors.append(str(exc))
    return errors


CENTRAL = "prosody_central_ca"
# The settings of prosody_central_ca that have a default (the role's spec and its tasks say the same:
# tests/unit/test_generated.py checks them against this).
CENTRAL_DEFAULTS = {
    "directory": "/srv/xmpp-prosody-ca",
    "common_name": "xmpp.prosody central CA",
    "hosts": [],
    "revoked": [],
    "valid_days": 365,
}
CENTRAL_OPTIONS = ("host", *CENTRAL_DEFAULTS)


def central_ca_errors(central, vhosts, components, tier: str = "debian", provided: bool = False) -> list[str]:
    """Problems with prosody_central_ca, each naming the field and the fix."""
    declared = (vhosts, components, tier)
    found, settled = source_errors(CENTRAL, central, CENTRAL_OPTIONS, declared, provided, "the central CA")
    if settled:
        return found
    if not isinstance(central.get("host"), str) or not central.get("host"):
        found.append("%s.host: give the inventory name of the host that keeps the CA" % CENTRAL)
    try:
        check_root("directory", central.get("directory", CENTRAL_DEFAULTS["directory"]))
    except ProsodyError as exc:
        found.append("%s.%s" % (CENTRAL, exc))
    days = central.get("valid_days", CENTRAL_DEFAULTS["valid_days"])
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        found.append("%s.valid_days: %r is not a number of days" % (CENTRAL, days))
    if not isinstance(central.get("revoked", []), list):
        found.append("%s.revoked: give a list of inventory host names" % CENTRAL)
    return found
