#!/usr/bin/python
# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: restore
short_description: Restore a Prosody deployment from a backup and prove that every record is back
version_added: 0.1.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - Puts the parts of a backup that M(xmpp.prosody.backup) took back in place on a deployment of the
    same tier. The source is a repository on the host, or a file it exported.
  - Prosody is stopped for the restore (for a tenant too, since Prosody would write its cached state
    over the restored files) and started again when it was running before.
  - Before Prosody stops, the set is checked. It must be a backup of this deployment (same tier and
    roots) of the same scope (the whole deployment, or the same O(tenant)), and it must hold every
    part asked for.
  - Before anything is replaced, the host's current state is backed up into C(pre-restore/) of the
    tier's repository, which is never pruned. A restore never loses what it replaces. When a restore
    fails halfway, Prosody is left stopped and the message names that copy.
  - A directory gets exactly the backup's content back, with the backup's owners (as numbers) and
    modes. A SQLite database is written through SQLite's backup API.
  - Afterwards the records of every store are counted again and compared with the set's manifest.
    Any difference fails the task and names the stores.
  - Check mode says which set and parts would be restored and changes nothing.
requirements:
  - rsync (Debian package C(rsync)) on the target
extends_documentation_fragment:
  - xmpp.prosody.attributes.actions
  - xmpp.prosody.recorded
options:
  tenant:
    description:
      - Restore one tenant of the enterprise tier from C(tenants/<tenant>/) of the repository.
      - The other tenants' files stay as they are.
    type: str
  archive:
    description:
      - A file on the host that M(xmpp.prosody.backup) exported (O(xmpp.prosody.backup#module:export)).
      - It is restored instead of O(repository).
    type: path
  set:
    description: The set to restore, by name (its UTC time), or C(latest).
    type: str
    default: latest
  parts:
    description:
      - What to put back. C(data) is the accounts, rosters, archives and uploads. C(certs) is the
        certificates and the local CA. C(config) is the configuration saved with the set.
      - C(config) is left out by default, because the inventory renders the configuration and the
        next run of the tier's role would write it again.
    type: list
    elements: str
    choices: [config, certs, data]
    default: [data, certs]
  container:
    description:
      - The container that runs Prosody, on the docker tier; the same dict as the other modules take (C(name),
        C(image), C(user)), of which the restore needs the name.
      - A name alone (a string) still works until 1.0.0, with a deprecation warning.
      - Without it, the container named C(prosody).
    type: raw
seealso:
  - module: xmpp.prosody.backup
  - module: xmpp.prosody.migrate
  - name: Prosody data storage
    description: Where Prosody keeps the data a restore puts back.
    link: https://prosody.im/doc/storage
"""

EXAMPLES = r"""
- name: Restore the newest backup's data and certificates
  xmpp.prosody.restore:

- name: Restore a set that was exported and copied to the host
  xmpp.prosody.restore:
    archive: /root/prosody-20261204T171200Z.tar.gz
"""

RETURN = r"""
name:
  description: The restored set.
  returned: success
  type: str
  sample: 20261204T171200Z
parts:
  description: Each restored part and where it came from.
  returned: success
  type: dict
stores:
  description: Record counts per host and store on the host after the restore (equal to the set's).
  returned: success
  type: dict
pre_restore:
  description: The set that holds what the host had before the restore.
  returned: success
  type: str
"""

import os
import shutil
import tempfile

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.xmpp.prosody.plugins.module_utils import _backup, _restore
from ansible_collections.xmpp.prosody.plugins.module_utils._errors import ProsodyError
from ansible_collections.xmpp.prosody.plugins.module_utils._hosts import normalize_host
from ansible_collections.xmpp.prosody.plugins.module_utils._module import finish
from ansible_collections.xmpp.prosody.plugins.module_utils._runtime import runtime

SAFETY_KEEP = {"full": None, "incremental": None}  # never pruned


def _container(module) -> dict | None:
    """The container option as every module takes it; a name alone is its former form; none: the
    container named prosody (the role's default, and this option's before it became a dict)."""
    value = module.params["container"]
    if value is None:
        return {"name": "prosody"}
    if isinstance(value, str):
        module.deprecate(
            "container: a name alone is deprecated; give the dict the other modules take, e.g. {name: %s}" % value,
            version="1.0.0",
            collection_name="xmpp.prosody",
        )
        return {"name": value}
    if value is not None and not (isinstance(value, dict) and value.get("name")):
        raise ProsodyError(
            "container: %r is not the container's dict; give at least its name, e.g. {name: prosody}" % value
        )
    return value


def _pause(server):
    """Stop Prosody (its systemd unit or its container) if it runs; returns what starts it again."""
    ran = server.active
    if ran:
        server.apply("stop")
    return lambda: ran and server.apply("start")


def run_module(module) -> dict:
    params = module.params
    tenant = params["tenant"] and normalize_host(params["tenant"], "tenant")
    where = _backup.deployment(dict(params, tenant=tenant))
    tier, roots, home = where["tier"], where["roots"], where["home"]
    source = where["repository"]
    if params["archive"]:
        if not os.path.isfile(params["archive"]):
            raise _backup.BackupError("archive: no file %s on this host" % params["archive"])
        if module.check_mode:
            return {"changed": True, "archive": params["archive"], "parts": params["parts"]}
        os.makedirs(home, _backup.REPOSITORY_MODE, exist_ok=True)
        run = _backup.runner(module)
        source = _restore.unpack(run, params["archive"], tempfile.mkdtemp(prefix=".unpacked-", dir=home))
    try:
        planned = _restore.plan(source, params["set"], params["parts"], tier.name, roots, tenant)
        if module.check_mode:
            return {"changed": True, "name": planned["name"], "level": planned["level"], "parts": planned["snapshots"]}
        module.get_bin_path("rsync", required=True)
        return _restore_planned(module, where, source, planned, tenant)
    finally:
        if params["archive"]:
            shutil.rmtree(source, ignore_errors=True)


def _restore_planned(module, where, source, planned, tenant) -> dict:
    paths, tier = where["paths"], where["tier"]
    run = _backup.runner(module)
    found = _backup.sources(tier, where["roots"], tenant, where["tenants"])
    # Stopped even for one tenant: Prosody would otherwise write its cached state over the restored files.
    resume = _pause(runtime(module, tier, _container(module)))
    try:  # the pre-restore copy is never pruned: it is what the restore replaces
        before = _backup.backup(run, where["pre_restore"], found, where, "full", SAFETY_KEEP, tenant)
    except (ProsodyError, OSError):
        resume()  # nothing was replaced yet
        raise
    try:
        result = _restore.restore(run, source, planned, paths["data"], paths["sqlite"], tenant, where["tenants"])
    except (ProsodyError, OSError) as exc:
        raise _backup.BackupError(
            "%s. Prosody was left stopped; what the host held before the restore is in %s" % (exc, before["path"])
        ) from exc
    resume()
    return dict(result, changed=True, pre_restore=before["path"])


def main():
    module = AnsibleModule(
        argument_spec=dict(
            _backup.DEPLOYMENT_SPEC,
            archive=dict(type="path"),
            set=dict(type="str", default="latest"),
            parts=dict(type="list", elements="str", choices=list(_backup.PARTS), default=["data", "certs"]),
            container=dict(type="raw"),  # CONTAINER_SPEC's dict; a string until 1.0.0 (deprecated)
        ),
        mutually_exclusive=[("archive", "repository")],
        supports_check_mode=True,
    )
    os.umask(0o077)
    finish(module, lambda: run_module(module), "restore")


if __name__ == "__main__":
    main()
