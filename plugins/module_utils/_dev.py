# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""The dev workspace's generated files: three configs from one set of inputs, the fixtures, and the
inputs as variables for the tier roles.

development and testing differ from each other only in what makes them what they are (ports, where
data and log go, storage); production is exactly the file the minimal tier's role writes for the
same inputs. Pure functions: xmpp.prosody.workspace writes their results.
"""

from __future__ import annotations

import json

from ansible_collections.xmpp.prosody.plugins.module_utils import _community
from ansible_collections.xmpp.prosody.plugins.module_utils._hosts import check_jid
from ansible_collections.xmpp.prosody.plugins.module_utils._option_syntax import (
    ConfigError,
    check_modules,
    render_options,
)
from ansible_collections.xmpp.prosody.plugins.module_utils._options import global_options, input_spec, render_files
from ansible_collections.xmpp.prosody.plugins.module_utils._roots import resolve_roots
from ansible_collections.xmpp.prosody.plugins.module_utils._sections import normalize_items
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS, well_known_paths

PROFILES = ("development", "testing")
PORT_NAMES = ("c2s", "s2s", "component", "http", "https", "proxy65")
# High ports, so that an ordinary user may bind them, and a set per profile, so that the development
# server and a test run can work side by side.
DEFAULT_PORTS = {
    "development": {"c2s": 15222, "s2s": 15269, "component": 15347, "http": 15280, "https": 15281, "proxy65": 15000},
    "testing": {"c2s": 25222, "s2s": 25269, "component": 25347, "http": 25280, "https": 25281, "proxy65": 25000},
}
# Both servers listen on the loopback interface only: encryption is not required and the test
# server's passwords are in the workspace.
LOOPBACK = ["127.0.0.1"]
DEFAULT_HOST = "localhost"
PRODUCTION_TIER = "minimal"  # the one tier whose whole configuration is a single file
# The role's inputs that production takes as they are (tools/deploy.sh hands them to the tier roles).
SHARED_INPUTS = tuple(input_spec())
MASK = "********"


class DevError(ConfigError):
    """Input the dev workspace cannot use; the message names the field and the fix."""


def header(profile: str, what: str) -> str:
    return (
        "-- Managed by xmpp.prosody.workspace (role xmpp.prosody.dev); edits here are overwritten.\n"
        "-- Change the role's inputs instead: the three configs are rendered from the same ones.\n"
        "-- %s: %s\n\n" % (profile.capitalize(), what)
    )


def by_profile(given, field: str) -> dict:
    """A dict of dicts by profile name (ports, profile_settings), checked: profiles only, dicts only."""
    given = given or {}
    if not isinstance(given, dict):
        raise DevError("%s: expected a dict by profile (%s), got %r" % (field, ", ".join(PROFILES), given))
    for profile, value in given.items():
        if profile not in PROFILES:
            raise DevError("%s: %r is not a profile; the profiles are %s" % (field, profile, ", ".join(PROFILES)))
        if not isinstance(value or {}, dict):
            raise DevError("%s.%s: expected a dict of names and values, got %r" % (field, profile, value))
    return {profile: dict(given.get(profile) or {}) for profile in PROFILES}


def ports(given: dict | None) -> dict:
    """Each profile's ports: the defaults with the given ones over them, checked (unprivileged,
    every port used once across both profiles)."""
    given = by_profile(given, "ports")
    result, seen = {}, {}
    for profile in PROFILES:
        mine = dict(DEFAULT_PORTS[profile])
        for name, port in given[profile].items():
            field = "ports.%s.%s" % (profile, name)
            if name not in PORT_NAMES:
                raise DevError("%s: not a port of the workspace; the ports are %s" % (field, ", ".join(PORT_NAMES)))
            if isinstance(port, bool) or not isinstance(port, int) or not 1024 <= port <= 65535:
                raise DevError(
                    "%s: %r must be a number from 1024 to 65535 (an ordinary user cannot bind lower ports)"
                    % (field, port)
                )
            mine[name] = port
        for name, port in mine.items():
            field = "ports.%s.%s" % (profile, name)
            if port in seen:
                raise DevError("%s: %d is already the port of %s; give each its own" % (field, port, seen[port]))
            seen[port] = field
        result[profile] = mine
    return result


def fixtures(accounts, vhosts: list[str]) -> list[dict]:
    """The test accounts (bare JIDs on the workspace's hosts, with a password); none given: alice and
    bob on the first host."""
    if not accounts:
        return [{"jid": "%s@%s" % (name, vhosts[0]), "password": "%s-fixture" % name} for name in ("alice", "bob")]
    result, seen = [], set()
    for index, account in enumerate(accounts):
        field = "fixtures[%d]" % index
        jid = check_jid(account.get("jid"), field + ".jid")  # a bare JID, or refused naming the field
        if jid.split("@", 1)[1] not in vhosts:
            raise DevError(
                "%s.jid: %r is on no host of the workspace; its hosts are %s" % (field, jid, ", ".join(vhosts))
            )
        if jid in seen:
            raise DevError("%s.jid: %r is listed twice" % (field, jid))
        if not isinstance(account.get("password"), str) or not account["password"]:
            raise DevError("%s.password: required, a non-empty string" % field)
        seen.add(jid)
        result.append({"jid": jid, "password": account["password"]})
    return result


def _declared(params: dict) -> dict:
    """The shared inputs, with the workspace's default host when none is given."""
    inputs = {name: params.get(name) for name in SHARED_INPUTS}
    inputs["vhosts"] = inputs["vhosts"] or [{"name": DEFAULT_HOST}]
    inputs["components"] = inputs["components"] or []
    return inputs


def community(params: dict) -> list[dict]:
    """The community modules, checked (the same list the tier roles take)."""
    return _community.normalize(params.get("community"), "community")


def _inputs(params: dict) -> dict:
    """The inputs as all three configs use them: the community modules loaded like on the tier roles,
    and calls (TURN) where given."""
    loaded = _community.requirements(community(params))["enabled"]
    return dict(_declared(params), modules_enabled=[*params["modules_enabled"], *loaded], turn=params.get("turn"))


def present(params: dict) -> tuple[list, dict]:
    """The hosts and components present, and their names by kind; a workspace needs a host."""
    inputs = _inputs(params)
    items = [i for i in normalize_items(inputs["vhosts"], inputs["components"]) if i.state == "present"]
    served = {kind: [i.name for i in items if i.kind == kind] for kind in ("vhost", "component")}
    if not served["vhost"]:
        raise DevError("vhosts: the workspace needs a host that is present; give one, or none for %r" % DEFAULT_HOST)
    return items, served


def _profile_paths(profile: str, paths: dict) -> dict:
    if profile == "development":
        return paths
    test = paths["test_data"]
    return dict(paths, data=test, log=test + "/prosody.log", pidfile=test + "/prosody.pid")


def profile_options(profile: str, paths: dict, params: dict, served: dict, port_set: dict) -> dict:
    """A profile's global options, in this order: the engine's; relaxed for local work; the shared
    settings; what makes the profile (its ports, interfaces, data, log; testing's storage), which the
    shared settings cannot move; the profile's own settings, which may."""
    inputs = _inputs(params)
    modules = check_modules(list(params.get("modules") or []), "modules")
    base = dict(inputs, modules_enabled=[*inputs["modules_enabled"], *modules], log_level="debug", settings={})
    options = global_options("dev", _profile_paths(profile, paths), base, served["vhost"], served["component"])
    fixed = {name: options.pop(name) for name in ("data_path", "pidfile", "log", "certificates", "plugin_paths")}
    # plain connections work too: a client under test may lack TLS
    options.update(c2s_require_encryption=False, s2s_require_encryption=False, s2s_secure_auth=False)
    options.update(inputs["settings"] or {})
    options.update(fixed, interfaces=LOOPBACK, http_interfaces=LOOPBACK)
    options.update({"%s_ports" % name: [port] for name, port in port_set.items()})
    if profile == "testing":
        # every run starts empty: accounts come from the fixtures, nothing is left behind
        options["storage"] = "memory"
        options.pop("sql", None)
    options.update(by_profile(params.get("profile_settings"), "profile_settings")[profile])
    return options


def configs(params: dict, paths: dict) -> dict:
    """The text of the development, testing and production configs, by the tier's file key."""
    inputs = _inputs(params)
    port_sets = ports(params.get("ports"))
    items, served = present(params)
    sections = "".join("\n" + i.section("option") for i in items)
    what = {
        "development": "console debug log, ports %(c2s)d (c2s) and %(http)d (HTTP), modules from src/modules",
        "testing": "storage in memory, accounts from the fixtures, ports %(c2s)d (c2s) and %(http)d (HTTP)",
    }
    texts = {}
    for profile, key in zip(PROFILES, ("config", "testing_config"), strict=True):
        options = profile_options(profile, paths, params, served, port_sets[profile])
        texts[key] = header(profile, what[profile] % port_sets[profile]) + render_options(options, profile) + sections
    texts["production_config"] = production(inputs, served, [i.section("option") for i in items])
    return texts


def production(inputs: dict, served: dict, sections: list[str]) -> str:
    """The main file the production tier's role writes for these inputs (its default roots)."""
    tier = TIERS[PRODUCTION_TIER]
    paths = well_known_paths(tier.name, resolve_roots(tier, {}))
    options = global_options(tier.name, paths, inputs, served["vhost"], served["component"])
    text = render_files(tier.name, paths, options, sections)[paths["config"]]
    return "-- Production: what xmpp.prosody.%s writes to %s for these inputs (tools/deploy.sh).\n%s" % (
        tier.name,
        paths["config"],
        text,
    )


def production_inputs(params: dict) -> dict:
    """The inputs as the tier roles' variables: what tools/deploy.sh hands to xmpp.prosody.site."""

    def given(value):  # without what Ansible filled in as None (not given)
        if isinstance(value, dict):
            return {k: given(v) for k, v in value.items() if v is not None}
        return [given(v) for v in value] if isinstance(value, list) else value

    declared = dict(_declared(params), community_modules=params.get("community"), turn=params.get("turn"))
    return {"prosody_%s" % name: given(value) for name, value in declared.items() if value is not None}


def environment(params: dict, paths: dict, root: str, vhosts: list[str]) -> str:
    """config/workspace.env: what the tools (and docker compose) read, as shell assignments. Every value
    is a checked port, host name or root, so none needs quoting."""
    port_sets = ports(params.get("ports"))
    values = {
        "WORKSPACE": root,
        "XMPP_HOST": vhosts[0],
        "CA_FILE": paths["ca_cert"],
        **{"DEV_%s_PORT" % name.upper(): port for name, port in port_sets["development"].items()},
        **{"TEST_%s_PORT" % name.upper(): port for name, port in port_sets["testing"].items()},
    }
    lines = "".join("%s=%s\n" % item for item in values.items())
    return "# Managed by xmpp.prosody.workspace (role xmpp.prosody.dev); edits here are overwritten.\n" + lines


def dump(data) -> str:
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def masked(text: str | None) -> str | None:
    """A generated JSON file for diffs: every password (fixtures, SQL) replaced by a mask."""
    if text is None:
        return None

    def hide(value):
        if isinstance(value, dict):
            return {k: MASK if k in ("password", "secret") else hide(v) for k, v in value.items()}
        if isinstance(value, list):
            return [hide(v) for v in value]
        return value

    try:
        return dump(hide(json.loads(text)))
    except ValueError:
        return "(not JSON: not shown)\n"
