#!/usr/bin/python
# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: vhost
short_description: Manage Prosody VirtualHost definitions as files in a tier's convention
version_added: 0.1.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - Declares, changes, disables and removes VirtualHosts, one or a whole set per call, each in its
    own file in the tier's convention, and validates the result with C(prosodyctl check config).
extends_documentation_fragment:
  - xmpp.prosody.attributes
  - xmpp.prosody.sections
options:
  hosts:
    description:
      - The hosts to manage; one item for one host, many for a whole set in one call.
      - With O(exclusive=true), hosts written earlier by this module and missing here are removed.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: Domain of the host.
        type: str
        required: true
      state:
        description: Whether the host's file exists.
        type: str
        choices: [present, absent]
        default: present
      enabled:
        description: Whether Prosody serves the host (symlink or C(enabled = false), by tier).
        type: bool
        default: true
      admins:
        description: Admin JIDs of this host (Prosody adds the global admins).
        type: list
        elements: str
      modules_enabled:
        description: Modules loaded on this host in addition to the global ones.
        type: list
        elements: str
      modules_disabled:
        description: Global modules not loaded on this host.
        type: list
        elements: str
      authentication:
        description: Authentication provider.
        type: str
        choices: [internal_hashed, internal_plain, anonymous, ldap, cyrus]
      allow_registration:
        description: Public in-band registration (needs C(register) in O(hosts[].modules_enabled)).
        type: bool
      storage:
        description: Storage backend name, or a table of store name to backend.
        type: raw
      sql:
        description:
          - SQL connection of this host (C(driver), C(database), C(host), C(port), C(username), C(password)).
          - The password is masked in diffs.
        type: dict
      settings:
        description: Further options of the host, rendered through the Lua serializer.
        type: dict
"""

EXAMPLES = r"""
- name: One host
  xmpp.prosody.vhost:
    tier: debian
    hosts:
      - name: example.org
        admins: [admin@example.org]
        modules_enabled: [mam]

- name: All tenants in one call; remove hosts no longer declared
  xmpp.prosody.vhost:
    tier: enterprise
    hosts: "{{ tenants | map('community.general.dict_kv', 'name') }}"
    exclusive: true

- name: Take a host out of service, keeping its file
  xmpp.prosody.vhost:
    tier: debian
    hosts:
      - name: old.example.org
        enabled: false
"""

RETURN = r"""
changes:
  description: Every file or link that was (or in check mode would be) created, updated, removed or repaired.
  returned: always
  type: list
  elements: dict
  sample:
    - path: /etc/prosody/conf.avail/example.org.cfg.lua
      action: create
      name: example.org
names:
  description: The declared hosts with their normalized names, state and file.
  returned: always
  type: list
  elements: dict
  sample:
    - name: example.org
      state: present
      enabled: true
      path: /etc/prosody/conf.avail/example.org.cfg.lua
validated:
  description: Whether C(prosodyctl check config) ran and accepted the result.
  returned: always
  type: bool
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.xmpp.prosody.plugins.module_utils._module import finish
from ansible_collections.xmpp.prosody.plugins.module_utils._sections import common_argument_spec, run

HOST_OPTIONS = dict(
    state=dict(type="str", choices=["present", "absent"], default="present"),
    enabled=dict(type="bool", default=True),
    admins=dict(type="list", elements="str"),
    modules_enabled=dict(type="list", elements="str"),
    modules_disabled=dict(type="list", elements="str"),
    authentication=dict(type="str", choices=["internal_hashed", "internal_plain", "anonymous", "ldap", "cyrus"]),
    allow_registration=dict(type="bool"),
    storage=dict(type="raw"),
    sql=dict(type="dict"),
    settings=dict(type="dict"),
)
RENDERED = ("admins", "modules_enabled", "modules_disabled", "authentication", "allow_registration", "storage", "sql")


def to_item(host: dict) -> dict:
    options = dict(host.get("settings") or {})
    options.update({key: host[key] for key in RENDERED if host.get(key) is not None})
    return {"name": host["name"], "state": host["state"], "enabled": host["enabled"], "options": options}


def main():
    argument_spec = common_argument_spec()
    argument_spec["hosts"] = dict(
        type="list", elements="dict", required=True, options=dict(HOST_OPTIONS, name=dict(type="str", required=True))
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    finish(module, lambda: run(module, "vhost", [to_item(h) for h in module.params["hosts"]]), "vhost")


if __name__ == "__main__":
    main()
