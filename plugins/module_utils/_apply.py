# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""What the running Prosody needs after a run, decided in one place (``decide``), and the Lua that
activates changed hosts in place.

Prosody re-reads options, logging and certificates on reload, but loads modules and storage only at
start, and activates hosts only at start or when told. So: start a stopped server; restart for
what only a start applies (or when so many hosts changed that one restart is quicker); otherwise
take the changed hosts down and bring the served ones up again in the running server (one config
reload included), or just reload.
"""

from __future__ import annotations

from dataclasses import dataclass

from ansible_collections.xmpp.prosody.plugins.module_utils._lua import to_lua

# More changed hosts than this: one restart is quicker than activating them one by one.
ACTIVATION_LIMIT = 100

# Run by `prosodyctl shell` inside the server, after `local down, up = {...}, {...}` (host names that
# only ever reach it through the Lua serializer). The shell's environment has no globals (no
# ipairs, tostring or error), hence the counting loops and the plain return values: a nil first
# value makes the shell report an error and exit non-zero.
ACTIVATION = (
    "config:reload(); "
    'local failed = ""; '
    "for i = 1, #down do host:deactivate(down[i]) end; "
    "for i = 1, #up do "
    "local ok, err = host:activate(up[i]); "
    'if not ok then failed = failed .. up[i] .. ": " .. (err or "not activated") .. "; " end '
    "end; "
    'if failed ~= "" then return nil, failed end; '
    'return true, "hosts re-activated"'
)


def activation_chunk(down, up) -> str:
    """The one line `prosodyctl shell` runs to take ``down`` out of service and bring ``up`` back."""
    return "local down, up = %s, %s; %s" % (to_lua(list(down)), to_lua(list(up)), ACTIVATION)


@dataclass(frozen=True)
class Decision:
    action: str  # none, start, stop, restart, reload or activate
    daemon_reload: bool = False  # the unit's drop-in changed
    enable: bool | None = None  # enable (True) or disable (False) at boot; None: as it is
    down: tuple = ()  # activate: hosts taken out of service
    up: tuple = ()  # activate: hosts brought (back) into service

    @property
    def changed(self) -> bool:
        return self.action != "none" or self.daemon_reload or self.enable is not None


def decide(wanted: bool, active: bool, at_boot: bool, pending: dict, limit: int = ACTIVATION_LIMIT) -> Decision:
    """``wanted``: the server should run; ``active``: it runs now; ``at_boot``: it is enabled at boot;
    ``pending``: restart, daemon_reload, reload, hosts (changed) and up (changed and served)."""
    enable = None if at_boot == wanted else wanted
    daemon_reload = bool(pending["daemon_reload"])
    if not wanted:
        return Decision("stop" if active else "none", daemon_reload, enable)
    if not active:  # a start reads everything: nothing else is left to do
        return Decision("start", daemon_reload, enable)
    if pending["restart"] or len(pending["hosts"]) > limit:
        return Decision("restart", daemon_reload, enable)
    if pending["hosts"]:  # the activation re-reads the config itself: no reload as well
        return Decision("activate", daemon_reload, enable, tuple(pending["hosts"]), tuple(pending["up"]))
    return Decision("reload" if pending["reload"] else "none", daemon_reload, enable)
