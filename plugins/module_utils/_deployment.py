# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""The deployment a module call acts on: the options that name it (the same in every module) and the
context built from them once per call: the tier, its checked roots, its paths, the deployment record
and the runtime where Prosody runs."""

from __future__ import annotations

from ansible_collections.xmpp.prosody.plugins.module_utils import _record
from ansible_collections.xmpp.prosody.plugins.module_utils._roots import resolve_roots
from ansible_collections.xmpp.prosody.plugins.module_utils._runtime import CONTAINER_SPEC, role_tiers, runtime
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS, well_known_paths

_UNREAD = object()

# Every option name more than one module takes, with its one type and meaning: the modules' argument specs
# are held to it (tests/unit/test_vocabulary.py), so a name never means two things.
VOCABULARY = {
    "tier": ("str", None, "the layout tier of the deployment"),
    "roots": ("dict", None, "the tier's root directories that differ from its defaults, by name"),
    "container": ("dict", None, "the docker tier's container: name, image, user"),
    "user": ("str", None, "Prosody's account, which owns what the tier table says is its"),
    "group": ("str", None, "Prosody's group"),
    "prune": ("bool", None, "take out what the module manages and the call no longer declares (a tenant: archived)"),
    "validate": ("bool", None, "have prosodyctl check config judge the files, and put them back when it refuses"),
    "config": ("path", None, "the main configuration file"),
    "vhosts": ("list", "dict", "virtual hosts (xmpp.prosody.objects.vhosts)"),
    "components": ("list", "dict", "components (xmpp.prosody.objects.components)"),
    "community": ("list", "dict", "community modules (xmpp.prosody.objects.community)"),
    "turn": ("dict", None, "the TURN server for calls (xmpp.prosody.objects.turn)"),
    "settings": ("dict", None, "further global Prosody options"),
    "sql": ("dict", None, "the SQL database of the sql storage"),
    "storage": ("str", None, "internal or sql"),
    "admins": ("list", "str", "the server's administrators (JIDs)"),
    "allow_registration": ("bool", None, "whether clients may create accounts"),
    "log_level": ("str", None, "the lowest level Prosody logs"),
    "modules_enabled": ("list", "str", "Prosody's modules_enabled"),
    "modules_disabled": ("list", "str", "Prosody's modules_disabled"),
    "repository": ("path", None, "the backup repository"),
    "step": ("str", None, "which of the module's steps around another task this call is"),
    "tenant": ("str", None, "one tenant (an enterprise host) instead of the whole deployment"),
}


def deployment_spec(tiers: list[str] | None = None, container: bool = True) -> dict:
    """``tier``, ``roots`` and (where the module reaches a running Prosody) ``container``. ``tiers``: the
    tiers the module serves (the choices of ``tier``), by default those whose role deploys a server."""
    spec = dict(
        tier=dict(type="str", required=True, choices=tiers if tiers is not None else role_tiers()),
        roots=dict(type="dict", default={}),
    )
    if container:
        spec["container"] = CONTAINER_SPEC
    return spec


class Deployment:
    """One module call's deployment, from its ``tier``, ``roots`` and ``container`` options."""

    def __init__(self, module):
        params = module.params
        self.module = module
        self.tier = TIERS[params["tier"]]
        self.roots = resolve_roots(self.tier, params.get("roots"))
        self.paths = well_known_paths(self.tier.name, self.roots)
        self._record = _UNREAD
        self._runtime = None

    @property
    def record(self) -> dict | None:
        """The deployment record on this host (None before the first run), read once."""
        if self._record is _UNREAD:
            self._record = _record.read(self.paths["record"])
        return self._record

    @property
    def runtime(self):
        """Where Prosody runs (_runtime.py), made once."""
        if self._runtime is None:
            self._runtime = runtime(self.module, self.tier, self.module.params.get("container"))
        return self._runtime

    def prosodyctl(self, env: dict | None = None) -> list[str] | None:
        """``prosodyctl --config`` with the deployment's main file, where Prosody runs."""
        return self.runtime.prosodyctl(self.paths["config"], env)
