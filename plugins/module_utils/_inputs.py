# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""Every problem with a role's input, found on the controller before anything on a host changes.

The roles' argument specs check types and choices; this checks what they cannot: variable names
that are not part of the interface (a typo such as ``prosody_vhost`` would otherwise be ignored
and leave an empty host list), host names, option names and values, admins, certificates, purges.
"""

from __future__ import annotations

import difflib

from ansible_collections.xmpp.prosody.plugins.module_utils._accounts import normalize
from ansible_collections.xmpp.prosody.plugins.module_utils._acme import errors as acme_errors
from ansible_collections.xmpp.prosody.plugins.module_utils._certplan import (
    central_ca_errors,
    host_certificate_errors,
    pem_errors,
)
from ansible_collections.xmpp.prosody.plugins.module_utils._community import normalize as normalize_community
from ansible_collections.xmpp.prosody.plugins.module_utils._errors import ProsodyError
from ansible_collections.xmpp.prosody.plugins.module_utils._features import check_contact_info
from ansible_collections.xmpp.prosody.plugins.module_utils._hosts import check_jid, check_jids
from ansible_collections.xmpp.prosody.plugins.module_utils._option_syntax import check_modules, render_options
from ansible_collections.xmpp.prosody.plugins.module_utils._roots import resolve_roots
from ansible_collections.xmpp.prosody.plugins.module_utils._sections import duplicate, to_item
from ansible_collections.xmpp.prosody.plugins.module_utils._turn import check as check_turn
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS, tiers_with


def _refusal(check, *args) -> list[str]:
    """The message of the ProsodyError ``check(*args)`` raises, as a list (empty when it passes)."""
    try:
        check(*args)
    except ProsodyError as exc:
        return [str(exc)]
    return []


def closest(name: str, known, prefix: str = "prosody_") -> str | None:
    """The known name meant: one the typed name starts (a cut-off word), else the most similar,
    compared without the prefix every name shares."""
    stems = {k[len(prefix) :] if k.startswith(prefix) else k: k for k in known}
    stem = name[len(prefix) :] if name.startswith(prefix) else name
    started = sorted(s for s in stems if s.startswith(stem))
    close = difflib.get_close_matches(stem, started or sorted(stems), n=1, cutoff=0.0 if started else 0.6)
    return stems[close[0]] if close else None


def unknown_variables(names, interface) -> list[str]:
    """A ``prosody_*`` variable the roles do not know, with the closest name they do."""
    errors = []
    for name in sorted(set(names) - set(interface)):
        close = closest(name, interface)
        hint = "did you mean %s? " % close if close else ""
        errors.append(
            "%s: not a variable of the xmpp.prosody roles; %s(variables of your own need another prefix than "
            "prosody_)" % (name, hint)
        )
    return errors


def _items(inputs: dict) -> tuple[list[str], dict]:
    errors, seen = [], {}
    for kind, variable in (("vhost", "prosody_vhosts"), ("component", "prosody_components")):
        for index, raw in enumerate(inputs.get(variable) or []):
            where = "%s[%d]" % (variable, index)
            try:
                refusal = duplicate(to_item(kind, where, raw), where, seen)
            except ProsodyError as exc:
                refusal = str(exc)
            if refusal:
                errors.append(refusal)
    return errors, seen


def _accounts(accounts, declared: dict) -> list[str]:
    """Accounts checked as the account module does, each on a declared virtual host."""
    try:
        items = normalize(accounts, "prosody_accounts")
    except ProsodyError as exc:
        return [str(exc)]
    return [
        "prosody_accounts[%d].jid: %s is not in prosody_vhosts; declare the host or remove the account"
        % (index, item["jid"].split("@")[1])
        for index, item in enumerate(items)
        if not declared.get(item["jid"].split("@")[1], "").startswith("prosody_vhosts")
    ]


def _purge(inputs: dict, declared) -> list[str]:
    purge = inputs.get("prosody_purge_tenants") or []
    if not purge:
        return []
    if not TIERS[inputs["prosody_tier"]].archive:
        return [
            "prosody_purge_tenants: the %s tier keeps no archive; purge is for tiers with one (%s)"
            % (inputs["prosody_tier"], ", ".join(tiers_with("archive")))
        ]
    still = [name for name in purge if str(name).lower() in declared]
    if still:
        return [
            "prosody_purge_tenants deletes archived tenant data for good, and only of tenants no longer in "
            "prosody_vhosts (%s); take them out of prosody_vhosts first, or out of prosody_purge_tenants"
            % ", ".join(still)
        ]
    return []


def input_errors(inputs: dict, interface) -> list[str]:
    """Every problem with the roles' ``prosody_*`` variables (``inputs``: name to value), each
    naming the variable and the fix; ``interface`` holds the names the roles know."""
    errors = unknown_variables(inputs, interface)
    items, declared = _items(inputs)
    errors += items
    for name, value in (inputs.get("prosody_settings") or {}).items():
        errors += _refusal(render_options, {name: value}, "prosody_settings")
    settings = inputs.get("prosody_settings") or {}
    for key in ("modules_enabled", "modules_disabled"):
        variable = "prosody_settings.%s" % key if key in settings else "prosody_%s" % key
        errors += _refusal(check_modules, settings.get(key, inputs.get("prosody_" + key) or []), variable)
    if "admins" in (inputs.get("prosody_settings") or {}):
        errors += _refusal(check_jids, inputs["prosody_settings"]["admins"], "prosody_settings.admins")
    errors += _refusal(normalize_community, inputs.get("prosody_community_modules") or [], "prosody_community_modules")
    errors += _refusal(check_turn, inputs.get("prosody_turn") or {}, "prosody_turn")
    if "contact_info" in settings:
        errors += _refusal(check_contact_info, settings["contact_info"], "prosody_settings.contact_info")
    for index, jid in enumerate(inputs.get("prosody_admins") or []):
        errors += _refusal(check_jid, jid, "prosody_admins[%d]" % index)
    tier = TIERS.get(inputs.get("prosody_tier"))
    if tier:
        errors += _refusal(resolve_roots, tier, inputs.get("prosody_roots"))
        errors += host_certificate_errors(
            inputs.get("prosody_tls_host_certificates"), set(declared), tier.per_host_certs
        )
        errors += _purge(inputs, declared)
        if not errors:  # the names are sound: check the certificates given as text against them
            errors += pem_errors(
                inputs.get("prosody_vhosts") or [],
                inputs.get("prosody_components") or [],
                tier.name,
                {"certificate": inputs["prosody_tls_certificate"], "key": inputs.get("prosody_tls_key")}
                if inputs.get("prosody_tls_certificate")
                else None,
                inputs.get("prosody_tls_host_certificates"),
            )
    errors += _accounts(inputs.get("prosody_accounts") or [], declared)
    vhosts, components = inputs.get("prosody_vhosts") or [], inputs.get("prosody_components") or []
    tier_name, provided = inputs.get("prosody_tier"), bool(inputs.get("prosody_tls_certificate"))
    errors += central_ca_errors(inputs.get("prosody_central_ca"), vhosts, components, tier_name, provided)
    errors += acme_errors(inputs.get("prosody_acme"), vhosts, components, tier_name, provided)
    if bool(inputs.get("prosody_tls_certificate")) != bool(inputs.get("prosody_tls_key")):
        errors.append(
            "prosody_tls_certificate and prosody_tls_key go together: give both PEM texts, or neither to have a "
            "local CA issue them"
        )
    return errors
