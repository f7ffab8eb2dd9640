# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""A tier as the roles and templates see it: plain data with roots and paths resolved (the
xmpp.prosody.tier and rendered_files filters)."""

from __future__ import annotations

from ansible_collections.xmpp.prosody.plugins.module_utils._errors import LayoutError
from ansible_collections.xmpp.prosody.plugins.module_utils._roots import resolve_roots
from ansible_collections.xmpp.prosody.plugins.module_utils._runtime import role_tiers, runtime_class
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import account
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS, mounts, well_known_paths

SQL_PACKAGES = ("lua-dbi-sqlite3",)
AUTH_PACKAGES = {"ldap": ("lua-ldap",)}  # what an authentication provider of a host needs (LuaLDAP)


def describe(
    tier_name: str, roots=None, storage: str = "", user: str = "prosody", group: str = "prosody", vhosts=None
) -> dict:
    """The whole tier as plain data for roles and templates: roots and paths resolved, capabilities,
    files (owners, modes, templates), the storage backend and the packages it needs (for ``storage``
    and the authentication of ``vhosts``)."""
    tier = TIERS.get(tier_name)
    if tier is None or not tier.role:
        raise LayoutError(
            "prosody_tier: %r is %s; set it to one of %s"
            % (tier_name, "not a tier" if tier is None else "a tier without a role yet", ", ".join(role_tiers()))
        )
    resolved = resolve_roots(tier, roots)
    paths = well_known_paths(tier_name, resolved)
    storage = storage or tier.storage
    needed = list(SQL_PACKAGES) if storage == "sql" else []  # Prosody's libraries for the storage and logins
    providers = {str((item or {}).get("authentication")) for item in vhosts or []}
    needed += [package for name in sorted(providers & set(AUTH_PACKAGES)) for package in AUTH_PACKAGES[name]]
    container = runtime_class(tier).in_container
    return {
        "name": tier.name,
        "description": tier.description,
        "role": tier.role,
        "roots": resolved,
        "root": resolved.get("root", resolved.get("config")),
        "paths": paths,
        "files": [
            {
                "key": f.key,
                "path": paths[f.key],
                "owner": account(f.owner, user, group),
                "group": account(f.group, user, group),
                "mode": f.mode,
                "writer": f.writer,
                "template": f.template,
                "effect": f.effect,
            }
            for f in tier.files
        ],
        "storage": storage,
        # a container tier's host needs its own packages; Prosody's go into the image
        "packages": list(tier.packages) + (needed if not container else []),
        "image_packages": ["prosody", *needed] if container else [],
        "per_host_certs": tier.per_host_certs,
        "per_host_logs": tier.per_host_logs,
        "archive": tier.archive,
        "service": tier.service,
        "in_container": container,  # Prosody runs in the tier's container, its files on this host
        "mounts": [
            {"type": "bind", "source": path, "target": path, "read_only": read_only}
            for path, read_only in mounts(tier_name, resolved)
        ],
    }


def rendered_files(record: dict, contents: list) -> list[dict]:
    """The record's files that come from templates, each with its content (for xmpp.prosody.config's
    ``files``); ``contents`` are the rendered templates in the record's order."""
    templated = [f for f in record["files"] if f["writer"] == "role"]
    if len(templated) != len(contents):
        raise LayoutError("%d templates of tier %s, but %d contents" % (len(templated), record["name"], len(contents)))
    return [
        {
            "path": f["path"],
            "content": text if text.endswith("\n") else text + "\n",
            "owner": f["owner"],
            "group": f["group"],
            "mode": f["mode"],
            "effect": f["effect"],
        }
        for f, text in zip(templated, contents, strict=True)
    ]
