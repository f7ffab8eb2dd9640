#!/usr/bin/python
# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: service
short_description: Run Prosody and apply what changed, with as little disruption as it allows
version_added: 0.1.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - Enables and starts (or stops and disables) the tier's Prosody service, then applies the
    changes the configuration has pending, deciding once what they need - in this order - a start
    when Prosody is not running (it reads everything), a restart for what only a start applies
    (global modules, storage, the unit's drop-in) or when more hosts changed than
    O(activation_limit), the changed hosts taken down and the served ones brought up again in the
    running server (nobody else is disconnected), a reload, or nothing.
  - The pending changes come from O(pending) (the C(pending) result of M(xmpp.prosody.config)) or,
    when it is not given, from the deployment record the config module keeps; a run that was cut
    short after writing therefore still applies them. Once applied, the record says nothing is pending.
  - Hosts are activated with one C(prosodyctl shell) call; their names reach its Lua only through
    the collection's serializer.
  - After a start or a restart it waits until Prosody answers its admin shell (minutes at thousands
    of hosts), so the tasks after it find the server serving.
  - Then a health gate looks at the running server - every host the change brought up (after a start
    or a restart, every host served) must answer a stream with its features (a VirtualHost on the c2s
    port, a component on the s2s port), and Prosody's log must hold no module error since the change.
    Otherwise the module fails, naming each host and Prosody's reason; the configuration stays as it
    is, and those hosts stay pending in the deployment record, so the next run applies and checks them
    again. The probe is run by C(lua5.4) (with LuaSocket, both dependencies of Prosody's package) where
    Prosody runs.
  - A tier that runs Prosody in a container (docker) acts on the container O(container.name), which
    the role creates with C(community.docker.docker_container) (that task owns its existence, image,
    mounts, restart policy and whether it runs). A reload is C(SIGHUP) to the container (its init
    passes it to Prosody), a restart C(docker restart), an activation C(prosodyctl shell) through
    C(docker exec). A container whose Prosody started after the deployment record was last written
    (just created or recreated) has read everything pending, so it is only marked applied (and checked).
extends_documentation_fragment:
  - xmpp.prosody.attributes
  - xmpp.prosody.deployment
  - xmpp.prosody.container
options:
  enabled:
    description: Whether Prosody is enabled at boot and running.
    type: bool
    default: true
  pending:
    description:
      - What the running server has to pick up (C(restart), C(daemon_reload), C(reload), C(hosts) that
        changed, C(up) the changed hosts that are served). Default - what the deployment record says.
    type: dict
  reload:
    description: A further reason to reload, for example certificates that changed.
    type: bool
    default: false
  activation_limit:
    description: With more changed hosts than this, one restart replaces activating them one by one.
    type: int
    default: 100
seealso:
  - module: xmpp.prosody.config
  - module: xmpp.prosody.account
  - name: prosodyctl
    description: Prosody's command line tool, used for the admin shell the module talks to.
    link: https://prosody.im/doc/prosodyctl
"""

EXAMPLES = r"""
- name: Apply what the configuration and the certificates changed
  xmpp.prosody.service:
    tier: enterprise
    pending: "{{ config.pending }}"
    reload: "{{ certificates is changed }}"
"""

RETURN = r"""
action:
  description: What was (or in check mode would be) done - none, start, stop, restart, reload or activate.
  returned: always
  type: str
  sample: activate
daemon_reload:
  description: Whether systemd re-read the unit (its drop-in changed).
  returned: always
  type: bool
down:
  description: Hosts taken out of service by an activation.
  returned: always
  type: list
  elements: str
up:
  description: Hosts brought (back) into service by an activation.
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.xmpp.prosody.plugins.module_utils import _health, _record
from ansible_collections.xmpp.prosody.plugins.module_utils._apply import ACTIVATION_LIMIT, activation_chunk, decide
from ansible_collections.xmpp.prosody.plugins.module_utils._deployment import Deployment, deployment_spec
from ansible_collections.xmpp.prosody.plugins.module_utils._module import finish
from ansible_collections.xmpp.prosody.plugins.module_utils._prosodyctl import shell
from ansible_collections.xmpp.prosody.plugins.module_utils._runtime import (
    ServiceError,
)

GATED = ("start", "restart", "fresh", "reload", "activate")  # what the health gate looks at afterwards


def _activate(module, argv, down, up) -> None:
    rc, out, err = shell(module, argv, activation_chunk(down, up))
    if rc != 0:
        raise ServiceError(
            "activating the changed hosts in the running server failed (they stay pending; the next run tries "
            "again): %s" % (out + err).strip()
        )


def _answering(module, argv) -> None:
    """After a start: wait until the server answers its admin shell, so that what follows this step
    (accounts, activations) finds it serving - at thousands of hosts a start takes minutes."""
    rc, out, err = shell(module, argv, "server:version()")
    if rc != 0:
        raise ServiceError("Prosody was started but does not answer its admin shell: %s" % (out + err).strip())


def _checked(module, server, paths: dict, record: dict | None, action: str, up, before) -> tuple:
    """The health gate after ``action``: the hosts it brought up (all served ones after a start) answer a
    stream with their features, and Prosody logged no module error since ``before`` (the log's mark)."""
    served = _record.served(record or {"vhosts": [], "components": []})
    expected = set(up) if action == "activate" else set() if action == "reload" else set(served)
    vhosts, components = (
        [n for n in (record or {}).get(kind, []) if n in expected] for kind in ("vhosts", "components")
    )
    probed = {}
    if vhosts or components:
        argv = _health.probe_argv(server.command(_health.LUA), record.get("probe"), vhosts, components)
        rc, out, err = module.run_command(argv, data=_health.PROBE)
        if rc != 0:
            raise ServiceError("the health probe (%s) could not run: %s" % (_health.LUA, (err or out).strip()))
        probed = _health.parse_probe(out)
    errors = _health.module_errors(_health.since(paths["log"], before, action in ("start", "restart", "fresh")))
    return _health.verdict(probed, errors, vhosts + components)


def _deployed_files(tier, paths: dict, record: dict | None) -> list[str]:
    """The record and every file of the tier that the collection writes, for the hosts it records."""
    names = (record or {}).get("vhosts", []) + (record or {}).get("components", [])
    found = [paths["record"]]
    for f in tier.files:
        found += [paths[f.key].format(host=name) for name in names] if "{host}" in paths[f.key] else [paths[f.key]]
    return found


def run_module(module) -> dict:
    params = module.params
    where = Deployment(module)
    tier, paths, record = where.tier, where.paths, where.record
    pending = _record.pending_of(params["pending"] or (record or {}).get("pending"))
    pending["reload"] = bool(pending["reload"] or params["reload"])
    server = where.runtime
    server.require_server()
    # started after the record and every file of the deployment were written: it has read them
    fresh = server.started_after(_deployed_files(tier, paths, record))
    if fresh:
        pending = dict(_record.NOTHING_PENDING)
    decision = decide(params["enabled"], server.active, server.at_boot, pending, params["activation_limit"])
    clear = record is not None and _record.pending_of(record["pending"]) != _record.NOTHING_PENDING
    # what the server did with the change is read from its log after this point
    before = _health.mark(paths["log"])
    # a container that took up the pending changes by starting after them is checked like a start
    gated = "fresh" if fresh and clear and decision.action == "none" else decision.action
    problems, broken, server_wide = [], set(), False
    if not module.check_mode:
        argv = server.prosodyctl(paths["config"])
        if decision.daemon_reload:
            server.daemon_reload()
        if decision.enable is not None:
            server.enable(decision.enable)
        if decision.action == "activate":
            _activate(module, argv, decision.down, decision.up)
        elif decision.action != "none":
            server.apply(decision.action)
        if gated in ("start", "restart", "fresh"):
            _answering(module, argv)
        if gated in GATED:
            problems, broken, server_wide = _checked(module, server, paths, record, gated, decision.up, before)
        if record is not None and (clear or problems):
            # what failed stays pending: the next run activates (or restarts) it again and checks it again
            failed = {"restart": server_wide, "hosts": broken, "serving": _record.served(record)} if problems else {}
            record["pending"] = _record.merge_pending(None, **failed)
            _record.write(paths["record"], record, *_record.owner(tier))
        if problems:
            raise ServiceError(
                "Prosody runs, but not every host works after the %s (the configuration stays as it is; fix it and "
                "run again: these hosts stay pending, so the next run applies and checks them again): %s"
                % ("start" if gated == "fresh" else gated, "; ".join(problems))
            )
    return {
        "changed": decision.changed or clear,
        "action": decision.action,
        "daemon_reload": decision.daemon_reload,
        "down": list(decision.down),
        "up": list(decision.up),
    }


def main():
    module = AnsibleModule(
        argument_spec=dict(
            **deployment_spec(),
            enabled=dict(type="bool", default=True),
            pending=dict(type="dict"),
            reload=dict(type="bool", default=False),
            activation_limit=dict(type="int", default=ACTIVATION_LIMIT),
        ),
        supports_check_mode=True,
    )
    finish(module, lambda: run_module(module), "service")


if __name__ == "__main__":
    main()
