# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""The engine of xmpp.prosody.config: a tier's whole configuration in one plan, one validation, one record.

Plan every file (the main file, the option files it includes, each host's and component's file or
section, and further files such as the service's drop-in), compare with the disk, write what
differs through one journal, let ``prosodyctl check config`` judge the result (and put everything
back when it refuses), then record in the deployment record what the running server has to pick
up: a restart, a reload, or the hosts to activate in place.
"""

from __future__ import annotations

import functools
import os

from ansible_collections.xmpp.prosody.plugins.module_utils import _community, _health, _record, _turn
from ansible_collections.xmpp.prosody.plugins.module_utils._changes import (
    apply_changes,
    apply_validated,
    diffs,
    existing_text,
    file_change,
    file_owner,
    report,
)
from ansible_collections.xmpp.prosody.plugins.module_utils._deployment import Deployment
from ansible_collections.xmpp.prosody.plugins.module_utils._errors import ProsodyError
from ansible_collections.xmpp.prosody.plugins.module_utils._options import (
    external_databases,
    global_options,
    render_files,
    restart_digest,
    sections_of,
)
from ansible_collections.xmpp.prosody.plugins.module_utils._sections import Plan, normalize_items

DIRECTORY_MODE = 0o755  # a missing parent of a further file (the drop-in's directory, for one)
# coturn's configuration, when the TURN server runs on this host: it holds the shared secret
_COTURN_FILE = {"path": _turn.CONFIG, "owner": "root", "group": "turnserver", "mode": "0640", "effect": "none"}


def _owner(module, owner: str, group: str, mode: str, params: dict) -> tuple:
    return file_owner(module, owner, group, mode, params["user"], params["group"])


def _changed_sections(current: str | None, wanted: dict) -> set:
    """Names whose section in the main file is new, gone or different."""
    have = sections_of(current)
    return {name for name in set(have) | set(wanted) if have.get(name) != wanted.get(name)}


def _community_plan(module, where: Deployment) -> list[dict]:
    """The community modules' steps (none when the option is not given)."""
    if module.params.get("community") is None:
        return []
    items = _community.normalize(module.params["community"], "community")
    return _community.plan_here(module, where.runtime, where.paths["community"], items, field="community")


def _host_files(where: Deployment, items, params, owner: tuple, main_now: str | None, sections: dict):
    """Step: each host's and component's file (tiers with a file per host), or which of the main file's
    ``sections`` change (the minimal tier). Returns the file changes and the hosts that changed."""
    if not where.tier.enable_by:
        return [], _changed_sections(main_now, sections)
    changes = []
    for kind in ("vhost", "component"):
        changes += Plan(where.tier.name, where.roots, items, kind, params["prune"], *owner[:2]).changes
    return changes, {change.name for change in changes}


def _main_files(where: Deployment, texts: dict, owner: tuple, main_now: str | None) -> list:
    """Step: the main file and the option files it includes."""
    changes = []
    for path, text in texts.items():
        current = main_now if path == where.paths["config"] else existing_text(path, "config")
        change = file_change(path, current, text, owner)
        if change:
            changes.append(change)
    return changes


def _further_files(module, params, turn: dict, vhosts: list) -> tuple[list, set]:
    """Step: the files the role renders from templates (scripts, the drop-in, ...) and coturn's
    configuration. Returns the changes and what they need from the running server (effects)."""
    coturn = [dict(_COTURN_FILE, content=_turn.coturn_config(turn, vhosts))] if turn.get("install") else []
    changes, effects = [], set()
    for extra in params["files"] + coturn:
        if not os.path.isabs(extra["path"]):
            raise ProsodyError("files: %r is not an absolute path; give the whole path" % extra["path"])
        owner = _owner(module, extra["owner"], extra["group"], extra["mode"], params)
        change = file_change(extra["path"], existing_text(extra["path"], "files"), extra["content"], owner)
        if change:
            changes.append(change)
            effects.add(extra["effect"])
    return changes, effects


def _new_record(where: Deployment, options: dict, present, names: dict, digest: str, pending: dict) -> dict:
    """Step: the deployment record this run leaves (what runs here, and what is still to apply)."""
    databases = external_databases(options, present)  # a backup of the host's files does not hold them
    probe = _health.target(options)  # where the health gate finds the listeners
    disabled = [i.name for i in present if not i.enabled]
    return {
        "format": _record.FORMAT,
        "tier": where.tier.name,
        "roots": where.roots,
        "config": where.paths["config"],
        "vhosts": names["vhost"],
        "components": names["component"],
        "digest": digest,
        "pending": pending,
        # each only when it says something: a record written before these keys existed stays equal
        **({"databases": databases} if databases else {}),
        **({"probe": probe} if probe != _health.DEFAULT_TARGET else {}),
        **({"disabled": disabled} if disabled else {}),
    }


def plan(module) -> dict:
    """Everything the run would change, computed without touching the disk, step by step: the host files,
    the main file and its option files, further files, community modules, the record. Their file changes
    are applied together (one journal, one validation), so a refusal puts every one of them back."""
    params = module.params
    where = Deployment(module)
    tier, paths = where.tier, where.paths
    items = normalize_items(params["vhosts"], params["components"])
    present = [item for item in items if item.state == "present"]
    names = {kind: [i.name for i in present if i.kind == kind] for kind in ("vhost", "component")}
    options = global_options(tier.name, paths, params, names["vhost"], names["component"])
    config = tier.file("config")
    config_owner = _owner(module, config.owner, config.group, config.mode, params)
    sections = {} if tier.enable_by else {i.name: i.section("option") for i in present}  # the minimal tier's
    main_now = existing_text(paths["config"], "config")

    changes, changed_hosts = _host_files(where, items, params, config_owner, main_now, sections)
    texts = render_files(tier.name, paths, options, sections.values())
    changes += _main_files(where, texts, config_owner, main_now)
    config_changed = bool(changes)
    turn = _turn.check(params.get("turn"))
    further, effects = _further_files(module, params, turn, names["vhost"])
    changes += further
    modules = _community_plan(module, where)

    old = where.record
    digest = restart_digest(options)
    restart = old is None or old["digest"] != digest or bool(effects & {"restart", "unit"})
    pending = _record.merge_pending(
        old and old["pending"],
        restart=restart or bool(_community.changing(modules)),  # new module code loads at a start
        daemon_reload="unit" in effects,
        reload=config_changed or "reload" in effects,
        hosts=changed_hosts,
        serving=[i.name for i in present if i.enabled],
        coturn=any(c.path == _COTURN_FILE["path"] for c in changes),  # coturn reads its file only when it starts
    )
    record = _new_record(where, options, present, names, digest, pending)
    # the TURN server's service: restarted while its new file is pending (even from a run cut short), else started
    coturn_state = ("restarted" if pending["coturn"] else "started") if turn.get("install") else ""
    return {
        "where": where,
        "tier": tier,
        "roots": where.roots,
        "paths": paths,
        "old_record": old,
        "changes": changes,
        "modules": modules,
        "coturn": coturn_state,
        "config_changed": config_changed,
        "hosts": sorted(changed_hosts),
        "record": record,
        "record_changed": old is None or dict(old, pending=_record.pending_of(old["pending"])) != record,
        "record_owner": _record.owner(tier),
    }


def _make_parents(changes) -> None:
    for change in changes:
        parent = os.path.dirname(change.path)
        if change.action == "create" and not os.path.isdir(parent):
            os.makedirs(parent, DIRECTORY_MODE)


def run(module) -> dict:
    """Plan, write (unless check mode), validate with prosodyctl, roll back on refusal, record."""
    planned = plan(module)
    changes, paths = planned["changes"], planned["paths"]
    validated = False
    if not module.check_mode:
        # The record first: a run cut short after the files are written still has their effect pending.
        if planned["record_changed"]:
            _record.write(paths["record"], planned["record"], *planned["record_owner"])
        if changes:
            _make_parents(changes)
            validate = module.params["validate"] and planned["config_changed"]
            write = functools.partial(apply_changes, changes=changes)
            try:
                where = planned["where"]
                checks = [where.runtime.check_command(where.roots, paths["config"])] if validate else []
                validated = apply_validated(module, write, checks)
            except (ProsodyError, OSError):
                if planned["record_changed"]:
                    _record.restore(paths["record"], planned["old_record"], planned["record_owner"])
                raise
        if _community.changing(planned["modules"]):  # after the record: the restart they need is in it
            _community.apply(planned["modules"], paths["community"])
    modules = _community.changing(planned["modules"])
    result = {
        "changed": bool(changes) or planned["record_changed"] or bool(modules),
        "changes": report(changes),
        "community": _community.outcome(planned["modules"]),
        "coturn": planned["coturn"],
        "hosts": planned["hosts"],
        "pending": planned["record"]["pending"],
        "digest": planned["record"]["digest"],
        "config": paths["config"],
        "validated": validated,
    }
    if module._diff:
        result["diff"] = diffs(changes) + ([_community.diff(modules, paths["community"])] if modules else [])
    return result
