# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""A tier's global Prosody options, the file each one lives in, and the text of those files.

Pure functions: the config module renders with them, and the unit tests read them directly.
"""

from __future__ import annotations

import hashlib
import json
import os

from ansible_collections.xmpp.prosody.plugins.module_utils import _turn
from ansible_collections.xmpp.prosody.plugins.module_utils._features import check_contact_info, default_contact_info
from ansible_collections.xmpp.prosody.plugins.module_utils._hosts import check_jids
from ansible_collections.xmpp.prosody.plugins.module_utils._lua import lua_string
from ansible_collections.xmpp.prosody.plugins.module_utils._option_syntax import check_modules, render_options
from ansible_collections.xmpp.prosody.plugins.module_utils._schema import COMPONENT, SQL, VHOST, argument_spec, given
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import Tier
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS

# Modules loaded on every host unless told otherwise (the roles' default of prosody_modules_enabled).
DEFAULT_MODULES = (
    "roster",
    "saslauth",
    "tls",
    "dialback",
    "disco",
    "carbons",
    "pep",
    "private",
    "blocklist",
    "vcard4",
    "vcard_legacy",
    "version",
    "uptime",
    "time",
    "ping",
    "mam",
    "smacks",
    "csi_simple",
    "bookmarks",  # XEP-0402 bookmarks, converted for clients that still use the old ones (XEP-0411)
    "server_contact_info",  # XEP-0157: where to report abuse (contact_info, the admins by default)
)


def input_spec() -> dict:
    """The argument spec of the inputs a configuration is rendered from (doc fragment xmpp.prosody.inputs),
    shared by the modules that render one."""
    return dict(
        vhosts=dict(type="list", elements="dict", default=[], options=argument_spec(VHOST)),
        components=dict(type="list", elements="dict", default=[], options=argument_spec(COMPONENT)),
        admins=dict(type="list", elements="str", default=[]),
        modules_enabled=dict(type="list", elements="str", default=list(DEFAULT_MODULES)),
        modules_disabled=dict(type="list", elements="str", default=[]),
        allow_registration=dict(type="bool", default=False),
        storage=dict(type="str", default="", choices=["", "internal", "sql"]),
        sql=dict(type="dict", options=argument_spec(SQL)),
        log_level=dict(type="str", default="info", choices=["debug", "info", "warn", "error"]),
        settings=dict(type="dict", default={}),
    )


# Prosody loads these only at start: a change to any of them needs a restart; a reload re-reads the rest.
# (turn_external reads its options when it loads: a new TURN secret on a reload would hand out
# credentials the TURN server no longer accepts.)
RESTART_OPTIONS = (
    "modules_enabled",
    "modules_disabled",
    "plugin_paths",
    "storage",
    "sql",
    "data_path",
    "turn_external_secret",
    "turn_external_host",
    "turn_external_port",
)
PIDFILE = "/run/prosody/prosody.pid"
HEADER = "-- Managed by xmpp.prosody.config; edits here are overwritten.\n"


def _unique(names) -> list:
    return list(dict.fromkeys(names))


def _log(tier: Tier, paths: dict, level: str, vhosts, components):
    if not tier.per_host_logs:
        rules = {level: paths["log"]}
        if "error_log" in paths:  # Debian's own pair: prosody.log and prosody.err
            rules["error"] = paths["error_log"]
        return rules
    files = {name: paths["host_log"].format(host=name) for name in vhosts}
    files.update({name: paths["component_log"].format(host=name) for name in components})
    return [
        {"levels": {"min": level}, "to": "file", "filename": paths["log"]},
        {"levels": {"min": "warn"}, "to": "file", "filename": paths["security_log"]},
        # mod_log_per_host: every line about a host or component in its own file
        {"levels": {"min": level}, "to": "per_host", "files": files},
    ]


def global_options(tier_name: str, paths: dict, params: dict, vhosts=(), components=()) -> dict:
    """Every global option, from the collection's interface (``params``: admins, modules_enabled,
    modules_disabled, allow_registration, storage, sql, log_level, settings, and turn where given) and
    the tier's paths.
    ``vhosts`` and ``components`` are the names served (for per-host logs). ``settings`` win."""
    tier = TIERS[tier_name]
    storage = params.get("storage") or tier.storage
    modules = [*params["modules_enabled"], "admin_shell"]  # hosts are activated in place through it
    if params["allow_registration"]:
        modules.append("register")
    if tier.per_host_logs:
        modules.append("log_per_host")
    turn = _turn.check(params.get("turn"))
    if turn:  # XEP-0215: short-lived TURN credentials for calls
        modules.append("turn_external")
    options = {
        "admins": list(params["admins"]),
        "modules_enabled": _unique(modules),
        "modules_disabled": list(params["modules_disabled"]),
        "allow_registration": params["allow_registration"],
        "authentication": "internal_hashed",
        "c2s_require_encryption": True,
        "s2s_require_encryption": True,
        "s2s_secure_auth": True,
        "pidfile": paths.get("pidfile", PIDFILE),
        "data_path": paths["data"],
        "certificates": paths["certs"],
        "plugin_paths": paths.get("plugin_paths") or [paths["modules"]],
        "log": _log(tier, paths, params["log_level"], vhosts, components),
        "storage": storage,
    }
    if storage == "sql":
        options["sql"] = given(params.get("sql")) or {"driver": "SQLite3", "database": paths["sqlite"]}
    if not tier.per_host_certs:  # one pair for every name
        options["ssl"] = {"certificate": paths["cert"], "key": paths["key"]}
    options.update(_turn.prosody_options(turn) if turn else {})
    contact = "server_contact_info" in modules and "server_contact_info" not in params["modules_disabled"]
    if contact and options["admins"]:
        options["contact_info"] = default_contact_info(options["admins"])
    options.update(tier.options)
    options.update(params.get("settings") or {})
    if "contact_info" in options:
        check_contact_info(options["contact_info"], "settings.contact_info")
    check_jids(options["admins"], "admins")
    check_modules(options["modules_enabled"], "modules_enabled")
    check_modules(options["modules_disabled"], "modules_disabled")
    return options


def external_databases(options: dict, items=()) -> list[str]:
    """The SQL databases of another server (MySQL, PostgreSQL) the configuration keeps data in, globally
    (``options``) or for a host (``items``: the declared VirtualHosts), each named without its password."""
    found = []
    for scope, values in [("global", options)] + [(item.name, item.options) for item in items if item.kind == "vhost"]:
        sql = values.get("sql")
        if isinstance(sql, dict) and sql.get("driver") in ("MySQL", "PostgreSQL"):
            where = sql.get("host") or "localhost"
            found.append("%s database %r on %s (%s)" % (sql["driver"], sql.get("database") or "", where, scope))
    return found


def restart_digest(options: dict) -> str:
    """A digest of exactly the options that only take effect when Prosody starts."""
    wanted = {name: options[name] for name in RESTART_OPTIONS if name in options}
    return hashlib.sha256(json.dumps(wanted, sort_keys=True).encode("utf-8")).hexdigest()


def _relative(path: str, config: str) -> str:
    return os.path.relpath(path, os.path.dirname(config))


def include_lines(tier: Tier, paths: dict) -> list[str]:
    """What the main file includes: the option files, then every host and component file."""
    config = paths["config"]
    lines = [_relative(paths[f.key], config) for f in tier.files if f.options]
    if tier.enable_by == "symlink":  # only what is enabled: the links
        globs = [paths["host_link"], paths["component_link"]]
    elif tier.enable_by:
        globs = [paths["host_config"], paths["component_config"]]
    else:
        globs = []
    lines += _unique(_relative(g.format(host="*"), config) for g in globs)
    return ["Include %s\n" % lua_string(line) for line in lines]


def _comment(tier: Tier) -> str:
    text = "-- Prosody, %s layout. %s\n" % (tier.name, tier.description)
    if tier.enable_by:
        text += (
            "-- Every host and component is a file of its own, declaring exactly one section; Prosody starts each\n"
            "-- included file in global scope, so the order of the includes cannot change meaning.\n"
        )
    else:
        text += "-- Global options first: after the first VirtualHost there is no way back to global scope.\n"
    return text


def render_files(tier_name: str, paths: dict, options: dict, sections=()) -> dict:
    """The text of the main file and of every option file, by path. ``sections``: the rendered
    VirtualHost and Component sections of a tier that keeps them in its main file."""
    tier = TIERS[tier_name]
    placed = {name for f in tier.files for name in f.options}
    files = {}
    for f in tier.files:
        if f.options:
            mine = {name: value for name, value in options.items() if name in f.options}
            files[paths[f.key]] = HEADER + render_options(mine, "global options")
    main = {name: value for name, value in options.items() if name not in placed}
    text = HEADER + _comment(tier) + "\n" + render_options(main, "global options")
    text += "".join(include_lines(tier, paths))
    text += "".join("\n" + section for section in sections)
    files[paths["config"]] = text
    return files


def sections_of(text: str | None) -> dict:
    """The VirtualHost and Component sections of a main file written by render_files, by name."""
    found, name = {}, None
    for line in (text or "").splitlines(keepends=True):
        if line.startswith(('VirtualHost "', 'Component "')):
            name = line.split('"', 2)[1]  # names are validated DNS names: nothing to unescape
            found[name] = ""
        if name is not None:
            found[name] += line
    return {key: value.rstrip("\n") + "\n" for key, value in found.items()}
