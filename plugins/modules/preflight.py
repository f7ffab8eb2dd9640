#!/usr/bin/python
# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: preflight
short_description: Refuse a Prosody deployment that would switch tiers or remove most hosts by mistake
version_added: 0.1.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - Reads the deployment record that M(xmpp.prosody.config) keeps on the host
    (C(/var/lib/xmpp-prosody/deployment.json)) and compares the planned deployment with it, changing nothing.
  - Fails when the host already runs another tier of this collection, or the same tier under other
    roots; either would start an empty instance beside the old one and orphan its accounts and data.
  - Fails when the declared hosts would remove every virtual host, or more than half of the hosts
    and components managed here (at least two), unless O(prune_confirm) gives the number removed.
    An empty or misspelled host list therefore never prunes a server.
  - A host without a record (nothing deployed yet) passes.
  - A tier that runs Prosody in a container (docker) fails when the host has no C(docker) command; the
    collection runs on an existing Docker engine and never installs one.
  - Also says which of O(packages) are not installed, so that a run which needs none skips the package
    manager altogether.
extends_documentation_fragment:
  - xmpp.prosody.attributes
  - xmpp.prosody.deployment
  - xmpp.prosody.container
  - xmpp.prosody.objects.vhosts
  - xmpp.prosody.objects.components
options:
  vhosts:
    description: The virtual hosts planned (as for M(xmpp.prosody.config)).
    type: list
    elements: dict
    default: []
  components:
    description: The components planned.
    type: list
    elements: dict
    default: []
  prune_confirm:
    description: The number of managed hosts and components this run may remove when that is most of them.
    type: int
    default: 0
  packages:
    description: Debian packages the deployment needs; RV(missing) names those not installed.
    type: list
    elements: str
    default: []
seealso:
  - module: xmpp.prosody.layout
  - module: xmpp.prosody.config
"""

EXAMPLES = r"""
- name: Compare the plan with the deployment on the host before anything changes
  xmpp.prosody.preflight:
    tier: enterprise
    vhosts: "{{ tenants }}"  # [{name: t1.example}, {name: t2.example}, ...]
"""

RETURN = r"""
deployed:
  description: The tier deployed on the host, or null when there is none yet.
  returned: always
  type: str
  sample: enterprise
removed:
  description: Managed hosts and components the plan no longer declares (they would be removed).
  returned: always
  type: list
  elements: str
  sample: [t3.example]
missing:
  description: The packages of O(packages) that are not installed.
  returned: always
  type: list
  elements: str
  sample: [prosody]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.xmpp.prosody.plugins.module_utils import _record
from ansible_collections.xmpp.prosody.plugins.module_utils._deployment import Deployment, deployment_spec
from ansible_collections.xmpp.prosody.plugins.module_utils._module import finish
from ansible_collections.xmpp.prosody.plugins.module_utils._packages import missing_packages
from ansible_collections.xmpp.prosody.plugins.module_utils._schema import COMPONENT, VHOST, argument_spec
from ansible_collections.xmpp.prosody.plugins.module_utils._sections import normalize_items


def run_module(module) -> dict:
    params = module.params
    where = Deployment(module)
    items = normalize_items(params["vhosts"], params["components"])
    record = where.record
    errors = _record.refusals(record, where.tier.name, where.roots, items, params["prune_confirm"])
    if errors:
        raise _record.RecordError("; ".join(errors))
    # the runtime's own tools (docker on the container tier): the role installs packages, never a Docker engine
    where.runtime.require()
    return {
        "changed": False,
        "deployed": record and record["tier"],
        "removed": sorted(_record.removed(record, items)),
        "missing": missing_packages(module, params["packages"]),
    }


def main():
    module = AnsibleModule(
        argument_spec=dict(
            **deployment_spec(),
            vhosts=dict(type="list", elements="dict", default=[], options=argument_spec(VHOST)),
            components=dict(type="list", elements="dict", default=[], options=argument_spec(COMPONENT)),
            prune_confirm=dict(type="int", default=0),
            packages=dict(type="list", elements="str", default=[]),
        ),
        supports_check_mode=True,
    )
    finish(module, lambda: run_module(module), "preflight")


if __name__ == "__main__":
    main()
