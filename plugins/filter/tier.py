# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: tier
short_description: Everything the collection knows about a layout tier, as data
version_added: 0.1.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - Returns the tier's record - its roots and well-known paths resolved, its files with owners, modes
    and writers, what it can do (a certificate or a log file per host, an archive of removed tenants),
    its service, its storage backend and the packages it needs, and the role that deploys it.
  - The same table drives the modules, so roles and playbooks never spell a path or a mode out themselves.
  - An unknown tier fails with the list of tiers that have a role.
positional: _input
options:
  _input:
    description: The tier name.
    type: str
    required: true
  roots:
    description: Overrides of the tier's root directories, by name.
    type: dict
    default: {}
  storage:
    description: The storage backend; empty picks the tier's default.
    type: str
    default: ""
  user:
    description: The account Prosody runs as.
    type: str
    default: prosody
  group:
    description: The group Prosody runs as.
    type: str
    default: prosody
  vhosts:
    description: The declared virtual hosts; the packages their authentication needs are added (C(lua-ldap)).
    type: list
    elements: dict
    default: []
    version_added: 0.2.0
seealso:
  - module: xmpp.prosody.layout
  - plugin: xmpp.prosody.rendered_files
    plugin_type: filter
"""

EXAMPLES = r"""
- name: Where the enterprise tier keeps its main configuration
  ansible.builtin.debug:
    msg: "{{ ('enterprise' | xmpp.prosody.tier).paths.config }}"
  # /srv/prosody/config/global/prosody.cfg.lua

- name: Apply the role of each host's tier
  ansible.builtin.include_role:
    name: "{{ (prosody_tier | xmpp.prosody.tier).role }}"
"""

RETURN = r"""
_value:
  description: The tier's record (C(name), C(description), C(role), C(roots), C(root), C(paths), C(files),
    C(storage), C(packages), C(per_host_certs), C(per_host_logs), C(archive), C(service)).
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.xmpp.prosody.plugins.module_utils._errors import ProsodyError
from ansible_collections.xmpp.prosody.plugins.module_utils._role_view import describe


def tier(name, roots=None, storage="", user="prosody", group="prosody", vhosts=None):
    try:
        return describe(name, roots, storage, user, group, vhosts)
    except ProsodyError as exc:
        raise AnsibleFilterError("xmpp.prosody.tier: %s" % exc, orig_exc=exc) from exc


class FilterModule:
    """Tier record filter."""

    def filters(self):
        return {"tier": tier}
