#!/usr/bin/python
# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: backup
short_description: Back up a Prosody deployment - configuration, certificates and data - while it runs
version_added: 0.1.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - Saves the deployment on this host, as its tier lays it out, into a repository directory (root's
    alone, mode C(0700)) in three parts. C(config/<stamp>/) is the configuration of every backup, and
    C(config/latest) points at the newest. C(certs/current/) holds the certificates, the local CA
    included, and C(certs/archived/<stamp>/) the ones a change replaced. C(data/full/<stamp>/) and
    C(data/incremental/<stamp>/) are the data sets.
  - Every data set is complete and restores on its own. An incremental set hard-links every file
    that did not change since the newest set (C(rsync --link-dest)), so it costs only the changes.
    Owners are kept as numbers.
  - Prosody keeps running. A SQLite database is copied through SQLite's online backup API, a
    consistent copy even while Prosody writes to it (WAL mode included), then checked with
    C(PRAGMA integrity_check). Files the internal storage is replacing (C(*~)) are left out. An
    archive file (C(.list)) is appended to while Prosody runs, so its last record may be cut short
    in the copy; every earlier record is whole.
  - Each set holds a C(MANIFEST.json) with the number of records of every store (users of a keyval
    store, items of an archive, uploaded files). M(xmpp.prosody.restore) checks the restored host
    against it.
  - Keeps the newest O(keep_full) full and O(keep_incremental) incremental sets. An incremental set
    whose full set was removed still restores, because its files are hard links.
  - Check mode says which set would be written and writes nothing.
  - A deployment that keeps data in an SQL database of another server (MySQL or PostgreSQL, the
    C(databases) its deployment record names) is refused, since no file on the host holds that data;
    back that database up with its own tools.
requirements:
  - rsync (Debian package C(rsync)) on the target
extends_documentation_fragment:
  - xmpp.prosody.attributes.actions
  - xmpp.prosody.recorded
options:
  tenant:
    description:
      - Back up one tenant of the enterprise tier (its host, its components, their configuration,
        certificates and data) into C(tenants/<tenant>/) of the repository.
      - Refused when the deployment keeps its data in SQL (one database holds every tenant).
    type: str
  level:
    description:
      - A full set copies everything; an incremental set hard-links what did not change.
      - The first set of a repository is always full.
    type: str
    choices: [full, incremental]
    default: incremental
  keep_full:
    description: How many full sets to keep.
    type: int
    default: 4
  keep_incremental:
    description: How many incremental sets to keep.
    type: int
    default: 14
  export:
    description:
      - Also write the new set, its configuration and the current certificates as one gzipped tar
        file, C(<set>.tar.gz), for keeping elsewhere (the C(backup) entry point of the
        P(xmpp.prosody.prosody#role) role fetches it to the controller and removes it).
      - The file (0600) is alone in a new directory (0700) beside the repository, and both belong to
        the account that connected to the host (under C(sudo), the account that called it). A fetch
        without privilege escalation can read it and streams it, where one with escalation would read
        the whole file into memory.
      - M(xmpp.prosody.restore) restores from it.
    type: bool
    default: false
seealso:
  - module: xmpp.prosody.restore
  - module: xmpp.prosody.migrate
  - name: Prosody data storage
    description: Where Prosody keeps the data a backup copies.
    link: https://prosody.im/doc/storage
"""

EXAMPLES = r"""
- name: Back up the deployment on this host (its tier is read from the deployment record)
  xmpp.prosody.backup:

- name: A weekly full set, keeping eight of them
  xmpp.prosody.backup:
    level: full
    keep_full: 8

- name: Back up one tenant of the enterprise tier
  xmpp.prosody.backup:
    tenant: customer.example
"""

RETURN = r"""
name:
  description: The new set's name, its UTC time.
  returned: always
  type: str
  sample: 20261204T171200Z
level:
  description: The new set's level (C(full) for the first set of a repository).
  returned: always
  type: str
  sample: incremental
path:
  description: The new set's directory.
  returned: success
  type: str
  sample: /var/backups/prosody/data/incremental/20261204T171200Z
files:
  description: The number of files in the set.
  returned: success
  type: int
bytes:
  description: Their size.
  returned: success
  type: int
new_bytes:
  description: The bytes this set alone holds (the rest are hard links into an earlier set).
  returned: success
  type: int
stores:
  description: Record counts per host and store.
  returned: success
  type: dict
  sample: {"example.org": {"accounts": 2, "roster": 2, "archive": 14}}
sqlite:
  description: The database copied through the backup API and its C(integrity_check) answer, or null.
  returned: success
  type: dict
  sample: {"path": "/prosody/data/prosody.sqlite", "integrity": "ok"}
pruned:
  description: Sets removed by the retention policy, by level (and C(config) snapshots).
  returned: success
  type: dict
export:
  description: The exported file, alone in its directory; remove the directory once the file is kept elsewhere.
  returned: when O(export=true)
  type: str
  sample: /var/backups/.prosody-export.k2j3h4/20261204T171200Z.tar.gz
"""

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.xmpp.prosody.plugins.module_utils import _backup
from ansible_collections.xmpp.prosody.plugins.module_utils._hosts import normalize_host
from ansible_collections.xmpp.prosody.plugins.module_utils._module import finish


def run_module(module) -> dict:
    params = module.params
    tenant = params["tenant"] and normalize_host(params["tenant"], "tenant")
    where = _backup.deployment(dict(params, tenant=tenant))
    repository = where["repository"]
    found = _backup.sources(where["tier"], where["roots"], tenant, where["tenants"])
    if where["databases"]:
        raise _backup.BackupError(_backup.external_databases_refusal(where["databases"]))
    if not found["data"]:
        raise _backup.BackupError("tenant: nothing of %s on this host" % tenant if tenant else "no data to back up")
    if module.check_mode:
        level = params["level"] if _backup.newest(repository, "full") else "full"
        return {"changed": True, "name": _backup.stamp(), "level": level, "sources": found}
    module.get_bin_path("rsync", required=True)
    keep = {"full": params["keep_full"], "incremental": params["keep_incremental"]}
    # rsync 24: a file vanished while it was copied (Prosody replaced it): the set holds its successor or none
    run = _backup.runner(module, ok=(0, 24))
    manifest = _backup.backup(run, repository, found, where, params["level"], keep, tenant)
    if params["export"]:
        owner = _backup.login_ids()
        target = os.path.join(_backup.export_directory(where["home"], owner), manifest["name"] + ".tar.gz")
        manifest["export"] = _backup.export(run, repository, manifest["name"], manifest["level"], target, owner)
    manifest.pop("sources")
    return dict(manifest, changed=True)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            _backup.DEPLOYMENT_SPEC,
            level=dict(type="str", choices=list(_backup.LEVELS), default="incremental"),
            keep_full=dict(type="int", default=4),
            keep_incremental=dict(type="int", default=14),
            export=dict(type="bool", default=False),
        ),
        supports_check_mode=True,
    )
    for name in ("keep_full", "keep_incremental"):
        if module.params[name] < 1:
            module.fail_json(msg="%s: keep at least 1 set (the newest is the base of the next)" % name)
    os.umask(0o077)
    finish(module, lambda: run_module(module), "backup")


if __name__ == "__main__":
    main()
