#!/usr/bin/python
# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: layout
short_description: Ensure a Prosody directory layout tier's whole tree in one call
version_added: 0.1.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - Creates the directories and files of one of the five layout tiers (C(minimal), C(debian),
    C(docker), C(enterprise), C(dev)) and repairs owner, group and mode drift, in a single call.
  - The tiers' paths, owners and modes are data in the collection (C(module_utils/tiers/), a file per tier); the
    module returns the tier's well-known paths so roles never spell a path out themselves.
  - Files are only created empty when missing (log files, for example); their content is never touched.
  - Everything stays inside the tier's roots. A symlink where an entry or one of its parents should
    be makes the module fail before anything changes; it is never followed.
  - When an owner or group does not exist yet, the module fails before changing anything, except in
    check mode, where the entry is reported as a change.
  - For the C(debian) tier the directories are also registered with C(dpkg-statoverride), so that the
    package's maintainer scripts keep these owners and modes on upgrades and reinstalls.
extends_documentation_fragment:
  - xmpp.prosody.attributes
  - xmpp.prosody.objects.all_tiers
  - xmpp.prosody.objects.vhosts
options:
  tier:
    description: The layout tier.
    type: str
    required: true
  roots:
    description:
      - Override the tier's root directories, by root name (C(root) for most tiers; C(config),
        C(data) and C(log) for C(debian)). Unnamed roots keep their defaults.
    type: dict
    default: {}
  vhosts:
    description:
      - Virtual hosts whose per-host entries (tenant data, certificate and log paths) are ensured; only
        their names and C(state) count here (the items are those of M(xmpp.prosody.config)). A host with
        C(state=absent) is not declared, so its entries are not ensured, and O(prune) archives them.
      - Names are validated and lowercased as Prosody does.
    type: list
    elements: dict
    default: []
  user:
    description: The account Prosody runs as; owner of data and log entries.
    type: str
    default: prosody
  group:
    description: The group of the Prosody account; group of most entries.
    type: str
    default: prosody
  prune:
    description:
      - Tiers with an archive (C(enterprise)) move the per-host entries of every host found on disk
        but not in O(vhosts) (its data, uploads, certificates and log) into
        C(backups/archive/<host>-<UTC timestamp>/) inside the root, and remove its data links.
        Nothing is deleted. Take the hosts out of service first.
    type: bool
    default: false
  purge:
    description:
      - Hosts whose archives (every C(backups/archive/<host>-*/)) are deleted for good, after
        O(prune) has moved them there. Only for tiers with an archive.
      - A host still in O(vhosts) is refused; remove it from service first. Naming the hosts one by
        one is the explicit ask; nothing else ever deletes tenant data.
    type: list
    elements: str
    default: []
seealso:
  - module: xmpp.prosody.config
  - module: xmpp.prosody.certdir
  - module: xmpp.prosody.preflight
  - plugin: xmpp.prosody.tier
    plugin_type: filter
"""

EXAMPLES = r"""
- name: Lay out the minimal tier under /prosody
  xmpp.prosody.layout:
    tier: minimal

- name: Lay out the enterprise tier for all tenants in one call
  xmpp.prosody.layout:
    tier: enterprise
    roots:
      root: /srv/prosody
    vhosts: "{{ tenants }}"  # [{name: t1.example}, {name: t2.example}, ...]
  register: layout

- name: Archive tenants no longer declared, and delete old.example's archives for good
  xmpp.prosody.layout:
    tier: enterprise
    vhosts: "{{ tenants }}"  # [{name: t1.example}, {name: t2.example}, ...]
    prune: true
    purge: [old.example]

- name: Use the tier's paths instead of hard-coding them
  ansible.builtin.debug:
    msg: "main config is {{ layout.paths.config }}"
"""

RETURN = r"""
roots:
  description: The resolved root directories of the tier.
  returned: always
  type: dict
  sample: {"root": "/prosody"}
paths:
  description: The tier's well-known paths; per-host ones keep a C({host}) placeholder.
  returned: always
  type: dict
  sample: {"config": "/prosody/prosody.cfg.lua", "data": "/prosody/data", "cert": "/prosody/certs/cert.pem"}
storage:
  description: The tier's default storage backend (C(internal) or C(sql)).
  returned: always
  type: str
  sample: sql
undeclared:
  description:
    - Tenants with data on disk that O(vhosts) no longer declares (tiers with an archive); O(prune)
      archives them.
  returned: always
  type: list
  elements: str
  sample: [old.example]
entries:
  description: How many paths the tier defines for the given hosts.
  returned: always
  type: int
  sample: 5
statoverrides:
  description: Directories whose dpkg-statoverride entry was (or would be) added or replaced.
  returned: always
  type: list
  elements: dict
  sample: [{"path": "/etc/prosody", "owner": "root", "group": "prosody", "mode": "0755"}]
archived:
  description: Hosts whose entries were (or would be) moved into the archive, with where each path went.
  returned: always
  type: list
  elements: dict
  sample: [{"host": "old.example", "archive": "/srv/prosody/backups/archive/old.example-20261124T080000Z", "paths": []}]
purged:
  description: Archive directories that were (or would be) deleted because their host is in O(purge).
  returned: always
  type: list
  elements: str
  sample: ["/srv/prosody/backups/archive/old.example-20261124T080000Z"]
changes:
  description: One item per path that was (or in check mode would be) created or repaired.
  returned: always
  type: list
  elements: dict
  sample:
    - path: /prosody/data
      action: create
      after: {"owner": "prosody", "group": "prosody", "mode": "0750"}
"""

import datetime
import glob
import os
import re
import shutil

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.xmpp.prosody.plugins.module_utils._deployment import deployment_spec
from ansible_collections.xmpp.prosody.plugins.module_utils._errors import LayoutError
from ansible_collections.xmpp.prosody.plugins.module_utils._hosts import normalize_host
from ansible_collections.xmpp.prosody.plugins.module_utils._layout import plan, undeclared_hosts
from ansible_collections.xmpp.prosody.plugins.module_utils._module import finish
from ansible_collections.xmpp.prosody.plugins.module_utils._schema import VHOST, argument_spec
from ansible_collections.xmpp.prosody.plugins.module_utils._tree import (
    apply,
    archive,
    inspect,
    lookup_ids,
    parse_statoverrides,
    statoverride_plan,
)
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import LINK
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS, tiers_with, well_known_paths

# An archive is named <host>-<UTC stamp>; purge deletes exactly that form and nothing else.
ARCHIVE_STAMP = "%Y%m%dT%H%M%SZ"
ARCHIVE_STAMP_PATTERN = r"\d{8}T\d{6}Z"


def _line(path, attrs):
    if not attrs:
        return ""
    last = "-> %s" % attrs["target"] if "target" in attrs else attrs["mode"]
    return "%s %s:%s %s\n" % (path, attrs["owner"], attrs["group"], last)


def _statoverrides(module, targets) -> list[dict]:
    """Register the tier's directories with dpkg-statoverride (one --list, then only what differs)."""
    dpkg = module.get_bin_path("dpkg-statoverride", required=True)
    rc, out, err = module.run_command([dpkg, "--list"])
    if rc not in (0, 1):  # 1: no overrides at all
        raise LayoutError("dpkg-statoverride --list failed: %s" % (err or out).strip())
    plan = statoverride_plan(targets, parse_statoverrides(out))
    for path, (owner, group, mode), current in plan if not module.check_mode else []:
        if current is not None:
            module.run_command([dpkg, "--remove", path], check_rc=True)
        module.run_command([dpkg, "--add", owner, group, mode, path], check_rc=True)
    return [{"path": p, "owner": w[0], "group": w[1], "mode": w[2]} for p, w, _c in plan]


def _archive(module, gone, base) -> list[dict]:
    """Move every undeclared host's per-host entries into the tier's archive (base)."""
    params = module.params
    if not gone:
        return []
    _roots, targets = plan(params["tier"], params["roots"], gone, params["user"], params["group"])
    stamp = datetime.datetime.now(datetime.UTC).strftime(ARCHIVE_STAMP)
    result = []
    for host in gone:
        mine = [t for t in targets if t.host == host]
        destination = os.path.join(base, "%s-%s" % (host, stamp))
        paths = [t.path for t in mine if os.path.lexists(t.path) and t.kind != LINK]
        if not module.check_mode:
            paths = [m["archived_to"] for m in archive(mine, destination)]
        result.append({"host": host, "archive": destination, "paths": paths})
    return result


def _purge_list(params, declared) -> list[str]:
    """The hosts to purge, checked before anything changes."""
    purge = [normalize_host(h, "purge[%d]" % i) for i, h in enumerate(params["purge"])]
    if purge and not TIERS[params["tier"]].archive:
        raise LayoutError(
            "purge: the %s tier keeps no archive; purge is for tiers with one (%s)"
            % (params["tier"], ", ".join(tiers_with("archive")))
        )
    for index, host in enumerate(purge):
        if host in declared:
            raise LayoutError(
                "purge[%d]: %s is still declared in vhosts; take it out of vhosts first (purge deletes its "
                "archived data for good)" % (index, host)
            )
    return purge


def _purge(module, base, purge) -> list[str]:
    """Delete the archives (in base) of the hosts named in purge, and only those."""
    # <host>-<UTC stamp> exactly: a.example must not take a.example-shop.example's archives along
    doomed = sorted(
        path
        for host in purge
        for path in glob.glob(os.path.join(glob.escape(base), glob.escape(host) + "-*"))
        if re.fullmatch(re.escape(host) + "-" + ARCHIVE_STAMP_PATTERN, os.path.basename(path))
    )
    if not module.check_mode:
        for path in doomed:
            shutil.rmtree(path)
    return doomed


def run_module(module):
    params = module.params
    tier = TIERS[params["tier"]]
    # an absent host is not declared: its entries are not ensured, and pruning archives them
    declared = [
        normalize_host(h.get("name"), "vhosts[%d].name" % i)
        for i, h in enumerate(params["vhosts"])
        if h.get("state", "present") == "present"
    ]
    purge = _purge_list(params, declared)
    roots, targets = plan(tier.name, params["roots"], declared, params["user"], params["group"])
    uids, gids, missing = lookup_ids(targets, module.check_mode)
    for name in missing:
        module.warn("%s does not exist yet; entries owned by it are reported as changes" % name)
    pending = inspect(targets, uids, gids)
    if pending and not module.check_mode:
        apply(pending, uids, gids)
    overrides = _statoverrides(module, targets) if tier.statoverride else []
    paths = well_known_paths(tier.name, roots)
    undeclared = undeclared_hosts(tier.name, roots, declared) if tier.archive else []
    archived = _archive(module, undeclared, paths["archive"]) if params["prune"] else []
    purged = _purge(module, paths["archive"], purge) if purge else []
    changes = [
        dict(
            {"path": t.path, "action": "create" if before is None else "repair", "after": after},
            **({"before": before} if before else {}),
        )
        for t, before, after in pending
    ]
    result = {
        "changed": bool(pending or overrides or archived or purged),
        "archived": archived,
        "purged": purged,
        "statoverrides": overrides,
        "roots": roots,
        "paths": paths,
        "entries": len(targets),
        "storage": tier.storage,
        "undeclared": undeclared,
        "changes": changes,
    }
    if module._diff:
        result["diff"] = {
            "before_header": "layout %s" % params["tier"],
            "after_header": "layout %s" % params["tier"],
            "before": "".join(_line(t.path, before) for t, before, _after in pending),
            "after": "".join(_line(t.path, after) for t, _before, after in pending),
        }
    return result


def main():
    module = AnsibleModule(
        argument_spec=dict(
            **deployment_spec(sorted(TIERS), container=False),
            vhosts=dict(type="list", elements="dict", default=[], options=argument_spec(VHOST)),
            user=dict(type="str", default="prosody"),
            group=dict(type="str", default="prosody"),
            prune=dict(type="bool", default=False),
            purge=dict(type="list", elements="str", default=[]),
        ),
        supports_check_mode=True,
    )
    finish(module, lambda: run_module(module), "layout")


if __name__ == "__main__":
    main()
