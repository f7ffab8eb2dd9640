#!/usr/bin/python
# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: community
short_description: Install Prosody community modules into a tier's community directory, pinned by content
version_added: 0.2.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - Copies each named community module into the tier's community module directory, which comes first on
    Prosody's C(plugin_paths). A module comes from Debian's C(prosody-modules) package, or from a
    directory or archive on the host.
  - A module the installed Prosody release ships itself (C(cloud_notify) in Prosody 13) is not copied;
    a copy made earlier for an older release is removed, so that it cannot shadow the release's own.
  - What Prosody loads changes only when this module copies it, not when the package is upgraded. Each
    module is identified by the digest of its files; O(community[].checksum) pins it, and a source whose
    files differ is refused before anything changes.
  - A changed module marks a restart of Prosody in the deployment record (before the files are written),
    which M(xmpp.prosody.service) applies.
  - Only modules this module copied (listed in the directory's C(.xmpp-prosody.json)) are ever replaced or
    removed; other files in the directory are left alone.
  - The roles do the same through M(xmpp.prosody.config)'s O(xmpp.prosody.config#module:community) option,
    in the call that writes the configuration.
extends_documentation_fragment:
  - xmpp.prosody.attributes
  - xmpp.prosody.deployment
  - xmpp.prosody.container
  - xmpp.prosody.objects.community
options:
  community:
    description:
      - The community modules. Modules no longer listed that this module copied earlier are removed.
      - On a container tier they are read from O(container.image), which holds C(prosody-modules).
      - The same option as M(xmpp.prosody.config)'s. Its former name C(modules) still works until 1.0.0.
    type: list
    elements: dict
    required: true
    aliases: [modules]
seealso:
  - module: xmpp.prosody.config
  - module: xmpp.prosody.service
  - name: Community modules
    description: The modules of the prosody-modules project and their documentation.
    link: https://modules.prosody.im/
"""

EXAMPLES = r"""
- name: Push notifications on every release (copied from prosody-modules where Prosody lacks it)
  xmpp.prosody.community:
    tier: debian
    community: [cloud_notify]

- name: A module from a reviewed prosody-modules snapshot, pinned
  xmpp.prosody.community:
    tier: enterprise
    community:
      - name: muc_moderation
        source: /var/cache/prosody-modules-4d4e2f.tar.gz
        checksum: sha256:5b0f64a0d8f0e3c4b4a9b7f1f2a4a1e6f9c1d5c6b2e4f3a8d7c9e0b1a2f3d4e5
        enabled: false
"""

RETURN = r"""
modules:
  description: Each module and what was done with it.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The module's name.
      type: str
    source:
      description: Where it comes from - C(prosody) (the release ships it), C(prosody-modules), or the path given.
      type: str
    action:
      description: C(copy) (new or changed), C(keep) (unchanged), C(bundled) (the release's own), C(remove).
      type: str
    digest:
      description: The digest of its files (what O(community[].checksum) pins); null for a bundled module.
      type: str
directory:
  description: The tier's community module directory.
  returned: always
  type: str
restart:
  description: Whether Prosody has to restart to load what changed.
  returned: always
  type: bool
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.xmpp.prosody.plugins.module_utils import _community, _record
from ansible_collections.xmpp.prosody.plugins.module_utils._deployment import Deployment, deployment_spec
from ansible_collections.xmpp.prosody.plugins.module_utils._module import finish


def run_module(module) -> dict:
    params = module.params
    where = Deployment(module)
    paths = where.paths
    items = _community.normalize(params["community"], "community")
    steps = _community.plan_here(module, where.runtime, paths["community"], items, field="community")
    changed = _community.changing(steps)
    if changed and not module.check_mode:
        _record.mark_pending(paths["record"], _record.owner(where.tier), restart=True)
        _community.apply(steps, paths["community"])
    result = {
        "changed": bool(changed),
        "restart": bool(changed),
        "directory": paths["community"],
        "modules": _community.outcome(steps),
    }
    if module._diff:
        result["diff"] = _community.diff(changed, paths["community"])
    return result


def main():
    module = AnsibleModule(
        argument_spec=dict(
            **deployment_spec(),
            community=dict(
                type="list",
                elements="dict",
                required=True,
                options=_community.SPEC,
                aliases=["modules"],
                # one name for the community modules in every module (config and workspace say community)
                deprecated_aliases=[dict(name="modules", version="1.0.0", collection_name="xmpp.prosody")],
            ),
        ),
        supports_check_mode=True,
    )
    finish(module, lambda: run_module(module), "community")


if __name__ == "__main__":
    main()
