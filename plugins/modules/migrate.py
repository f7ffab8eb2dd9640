#!/usr/bin/python
# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: migrate
short_description: Move a Prosody deployment to another tier on the same host, with every record
version_added: 0.1.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - The two steps of C(playbooks/migrate.yml) around a run of the new tier's role. The deployment
    record on the host says which tier runs now. O(tier) and O(roots) say where it goes.
  - C(step=prepare) stops Prosody and takes a full backup of the old deployment (configuration,
    certificates, data) into C(migrated/<old tier>-<time>/) of the new tier's repository. On the docker
    tier it stops the container O(container) names and takes its restart policy away, so that neither the
    engine nor a reboot starts it again; the container is kept, like the old tree. The old
    tree is archived there and stays in place, never deleted. The local CA goes with the deployment
    when the new tier has none, so clients that trust it keep trusting the new certificates. Then
    the record is updated to the new tier, so that the new tier's role may run. Nothing happens
    when the record already names the new tier.
  - C(step=data), after the new tier's role ran with Prosody stopped, copies the data into the new
    tier's places. It converts the data with C(prosody-migrator) when the storage backend differs,
    naming every store it found (the migrator copies only the stores it is told). Uploaded files
    are copied as files. Then it counts every store's records and fails on any difference with the
    archived backup.
  - A run cut short resumes where it stopped. C(/var/lib/xmpp-prosody/migration.json) holds the move
    under way until the data step succeeds.
  - Check mode says whether the host would be moved and changes nothing.
requirements:
  - rsync (Debian package C(rsync)) and Prosody's C(prosody-migrator) on the target
extends_documentation_fragment:
  - xmpp.prosody.attributes.move
options:
  step:
    description: C(prepare) before the new tier's role runs, C(data) after it.
    type: str
    choices: [prepare, data]
    required: true
  tier:
    description:
      - The tier to move to (a tier that runs the packaged C(prosody.service)).
      - The tier it moves from is the one the deployment record names, any but the dev workspace.
    type: str
    required: true
    choices: [debian, enterprise, minimal]
  roots:
    description: The new tier's roots, when they differ from its defaults.
    type: dict
    default: {}
  container:
    description:
      - The container of the old deployment, when it is on the docker tier (the dict the other modules
        take; this module uses its name). Without it, the container named C(prosody).
    type: dict
    suboptions:
      name:
        description: The container's name.
        type: str
        required: true
      image:
        description: The image it runs (not used here).
        type: str
      user:
        description: C(uid:gid) Prosody runs as in the container (not used here).
        type: str
        required: true
  storage:
    description: The new tier's storage backend (C(internal) or C(sql)); empty is the tier's default.
    type: str
    default: ""
    choices: ["", internal, sql]
seealso:
  - module: xmpp.prosody.backup
  - module: xmpp.prosody.restore
  - name: prosody-migrator
    description: The tool that converts data between storage backends.
    link: https://prosody.im/doc/migrator
"""

EXAMPLES = r"""
- name: Prepare the move to the enterprise tier
  xmpp.prosody.migrate:
    step: prepare
    tier: enterprise
  register: move
"""

RETURN = r"""
moving:
  description: Whether a move is under way (the new tier's role and the data step have work to do).
  returned: always
  type: bool
source:
  description: The old tier, its roots, data path and database.
  returned: when moving
  type: dict
packages:
  description: The Debian packages the data step needs on the host (the SQLite driver when SQL is on either side).
  returned: O(step=prepare), when moving
  type: list
  elements: str
archive:
  description: The repository that holds the backup of the old deployment.
  returned: when moving
  type: str
stores:
  description: Record counts per host and store, before the move (prepare) and after it (data).
  returned: when moving
  type: dict
done:
  description: What the data step did.
  returned: when O(step=data)
  type: list
  elements: str
"""

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.xmpp.prosody.plugins.module_utils import _backup, _migrate, _record, _stores
from ansible_collections.xmpp.prosody.plugins.module_utils._deployment import deployment_spec
from ansible_collections.xmpp.prosody.plugins.module_utils._fs import ids, read_bytes, write_atomic
from ansible_collections.xmpp.prosody.plugins.module_utils._module import finish
from ansible_collections.xmpp.prosody.plugins.module_utils._role_view import SQL_PACKAGES
from ansible_collections.xmpp.prosody.plugins.module_utils._roots import resolve_roots
from ansible_collections.xmpp.prosody.plugins.module_utils._runtime import runtime
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.common import RECORD
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import account
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS, well_known_paths


def _target(params) -> dict:
    tier = TIERS[params["tier"]]  # one of _migrate.target_tiers(): the option's choices
    roots = resolve_roots(tier, params["roots"])
    paths = well_known_paths(tier.name, roots)
    storage = params["storage"] or tier.storage
    return {"tier": tier.name, "roots": roots, "data": paths["data"], "sqlite": paths["sqlite"], "storage": storage}


def _carry_ca(old: dict, new_tier, new_paths: dict) -> bool:
    """Copy the old local CA to the new tier's place when it has none (certdir then issues with it)."""
    if not os.path.exists(old["ca_cert"]) or os.path.exists(new_paths["ca_cert"]):
        return False
    for key in ("ca_cert", "ca_key"):
        spec = new_tier.file(key)
        os.makedirs(os.path.dirname(new_paths[key]), 0o750, exist_ok=True)
        # root's until the data step: coming from a container, the new tier's account may not exist yet
        write_atomic(new_paths[key], read_bytes(old[key]), 0, 0, int(spec.mode, 8))
    return True


def _own_ca(new_tier, new_paths: dict) -> None:
    """Give the carried CA's files to the owners the tier table names (its package is installed now)."""
    for key in ("ca_cert", "ca_key"):
        spec = new_tier.file(key)
        os.chown(new_paths[key], *ids(account(spec.owner), account(spec.group)))


def _packages(source: dict, target: dict) -> list[str]:
    """What prosody-migrator needs on the host for the move: the SQLite driver when SQL is on either side
    (a container's deployment left none on the host, and the new tier's role installs only its own)."""
    return list(SQL_PACKAGES) if os.path.exists(source["sqlite"]) or target["storage"] == "sql" else []


def prepare(module, target) -> dict:
    marker = _migrate.read_marker()
    record = _record.read(RECORD.path)
    if marker:
        if (marker["target"]["tier"], marker["target"]["roots"]) != (target["tier"], target["roots"]):
            raise _migrate.MigrationError(
                "tier: a move to the %s tier is under way on this host (%s); finish it with prosody_tier: %s"
                % (marker["target"]["tier"], _migrate.MARKER, marker["target"]["tier"])
            )
        if record is None:
            raise _migrate.MigrationError(
                "%s names a move under way, but the deployment record %s is gone; put it back from the move's "
                "archive (%s/deployment.json)" % (_migrate.MARKER, RECORD.path, marker["archive"])
            )
        # a run cut short between the marker and the record: the record names the new tier now
        changed = not module.check_mode and _point_record(record, target)
        return dict(marker, changed=changed, moving=True, packages=_packages(marker["source"], target))
    if record is None:
        raise _migrate.MigrationError("no deployment of xmpp.prosody on this host to move; deploy it with site.yml")
    if (record["tier"], record["roots"]) == (target["tier"], target["roots"]):
        return {"changed": False, "moving": False}
    old_tier = TIERS[record["tier"]]
    if old_tier.name not in _migrate.source_tiers():
        raise _migrate.MigrationError(
            "tier: moving from the %s tier is not supported; the tiers that move are %s"
            % (old_tier.name, ", ".join(_migrate.source_tiers()))
        )
    old = well_known_paths(old_tier.name, record["roots"])
    source = {"tier": old_tier.name, "roots": record["roots"], "data": old["data"], "sqlite": old["sqlite"]}
    if module.check_mode:
        return {"changed": True, "moving": True, "source": source, "packages": _packages(source, target)}
    module.get_bin_path("rsync", required=True)
    old_runtime = runtime(module, old_tier, module.params["container"] or {"name": "prosody"})
    old_runtime.apply("stop")
    old_runtime.retire()
    new_paths = well_known_paths(target["tier"], target["roots"])
    archive = os.path.join(new_paths["backups"], "migrated", "%s-%s" % (old_tier.name, _backup.stamp()))
    found = _backup.sources(old_tier, record["roots"])
    keep = {"full": 1, "incremental": 1}
    where = {"paths": old, "origin": {"tier": old_tier.name, "roots": record["roots"]}, "tenants": record["vhosts"]}
    manifest = _backup.backup(_backup.runner(module), archive, found, where, "full", keep)
    _record.write(os.path.join(archive, "deployment.json"), record, 0, 0, 0o600)
    carried = _carry_ca(old, TIERS[target["tier"]], new_paths)
    marker = {"source": source, "target": target, "archive": archive, "stores": manifest["stores"], "ca": carried}
    _migrate.write_marker(marker)
    _point_record(record, target)
    return dict(marker, changed=True, moving=True, packages=_packages(source, target))


def _point_record(record: dict, target: dict) -> bool:
    """Make the deployment record name the new tier (its hosts and components stay), so that the new
    tier's role may run; a restart is pending. Whether it wrote."""
    if (record["tier"], record["roots"]) == (target["tier"], target["roots"]):
        return False
    moved = dict(record, tier=target["tier"], roots=target["roots"])
    moved["pending"] = _record.merge_pending(record["pending"], restart=True)
    _record.write(RECORD.path, moved, *_record.owner(TIERS[target["tier"]]))
    return True


def data(module, target) -> dict:
    marker = _migrate.read_marker()
    if marker is None:
        return {"changed": False, "moving": False}
    if module.check_mode:
        return dict(marker, changed=True, moving=True, done=[])
    expected = marker["stores"]
    if marker["ca"]:
        _own_ca(TIERS[target["tier"]], well_known_paths(target["tier"], target["roots"]))
    now = _stores.stores(target["data"], target["sqlite"])
    if now == expected:
        done = ["the data was in place already"]  # a run cut short after the copy
    elif any(now.values()):
        raise _migrate.MigrationError(
            "the new tier's data path %s holds data already (%s); move it aside and run again"
            % (target["data"], ", ".join(sorted(now)))
        )
    else:
        migrator = module.get_bin_path("prosody-migrator", required=True)
        config = os.path.join(os.path.dirname(_migrate.MARKER), "migrator.cfg.lua")
        done = _migrate.transfer(_backup.runner(module), migrator, marker["source"], target, config)
    stores = _migrate.verify(expected, target)
    os.unlink(_migrate.MARKER)
    return dict(marker, changed=True, moving=True, stores=stores, done=done)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            step=dict(type="str", choices=["prepare", "data"], required=True),
            **deployment_spec(_migrate.target_tiers()),
            storage=dict(type="str", default="", choices=["", "internal", "sql"]),
        ),
        supports_check_mode=True,
    )
    step = prepare if module.params["step"] == "prepare" else data
    finish(module, lambda: step(module, _target(module.params)), "migrate")


if __name__ == "__main__":
    main()
