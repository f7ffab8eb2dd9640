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
  - To manage a tier's whole configuration (global options, hosts and components) in one call, use
    M(xmpp.prosody.config).
extends_documentation_fragment:
  - xmpp.prosody.attributes
  - xmpp.prosody.sections
  - xmpp.prosody.objects.vhosts
options:
  vhosts:
    description:
      - The hosts to manage; one item for one host, many for a whole set in one call.
      - With O(prune=true), hosts written earlier by this module and missing here are removed.
    type: list
    elements: dict
    required: true
seealso:
  - module: xmpp.prosody.component
  - module: xmpp.prosody.config
  - name: Adding a host
    description: How Prosody reads VirtualHost sections.
    link: https://prosody.im/doc/configure
"""

EXAMPLES = r"""
- name: One host
  xmpp.prosody.vhost:
    tier: debian
    vhosts:
      - name: example.org
        admins: [admin@example.org]
        modules_enabled: [mam]

- name: All tenants in one call; remove hosts no longer declared
  xmpp.prosody.vhost:
    tier: enterprise
    vhosts: "{{ tenants }}"  # [{name: t1.example}, {name: t2.example}, ...]
    prune: true

- name: Take a host out of service, keeping its file
  xmpp.prosody.vhost:
    tier: debian
    vhosts:
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
from ansible_collections.xmpp.prosody.plugins.module_utils._schema import VHOST, argument_spec
from ansible_collections.xmpp.prosody.plugins.module_utils._sections import common_argument_spec, run


def main():
    spec = dict(
        common_argument_spec(), vhosts=dict(type="list", elements="dict", required=True, options=argument_spec(VHOST))
    )
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True)
    finish(module, lambda: run(module, "vhost", module.params["vhosts"]), "vhost")


if __name__ == "__main__":
    main()
