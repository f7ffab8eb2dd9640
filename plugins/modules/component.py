#!/usr/bin/python
# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: component
short_description: Manage Prosody components (MUC, file share, proxy65, pubsub, external) as files
version_added: 0.1.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - Declares, changes, disables and removes internal components (C(muc), C(http_file_share),
    C(proxy65), C(pubsub)) and external XEP-0114 components, one or many per call, in the tier's
    file convention, and validates the result with C(prosodyctl check config).
  - The secret of an external component never appears in a diff, a return value or an error message.
extends_documentation_fragment:
  - xmpp.prosody.attributes
  - xmpp.prosody.sections
  - xmpp.prosody.objects.components
options:
  components:
    description:
      - The components to manage; one item for one component, many for a whole set in one call.
      - With O(prune=true), components written earlier by this module and missing here are removed.
    type: list
    elements: dict
    required: true
seealso:
  - module: xmpp.prosody.vhost
  - module: xmpp.prosody.config
  - name: Prosody components
    description: What each kind of component does and its options.
    link: https://prosody.im/doc/components
"""

EXAMPLES = r"""
- name: Chat rooms and a gateway for example.org
  xmpp.prosody.component:
    tier: debian
    components:
      - name: conference.example.org
        type: muc
        modules_enabled: [muc_mam]
        settings:
          restrict_room_creation: local
      - name: gateway.example.org
        type: external
        secret: "{{ vault_gateway_secret }}"
"""

RETURN = r"""
changes:
  description: Every file or link that was (or in check mode would be) created, updated, removed or repaired.
  returned: always
  type: list
  elements: dict
  sample:
    - path: /etc/prosody/conf.avail/conference.example.org.cfg.lua
      action: create
      name: conference.example.org
names:
  description: The declared components with their normalized names, state and file.
  returned: always
  type: list
  elements: dict
  sample:
    - name: conference.example.org
      state: present
      enabled: true
      path: /etc/prosody/conf.avail/conference.example.org.cfg.lua
validated:
  description: Whether C(prosodyctl check config) ran and accepted the result.
  returned: always
  type: bool
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.xmpp.prosody.plugins.module_utils._module import finish
from ansible_collections.xmpp.prosody.plugins.module_utils._schema import COMPONENT, argument_spec
from ansible_collections.xmpp.prosody.plugins.module_utils._sections import common_argument_spec, run


def main():
    spec = dict(
        common_argument_spec(),
        components=dict(type="list", elements="dict", required=True, options=argument_spec(COMPONENT)),
    )
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True)
    finish(module, lambda: run(module, "component", module.params["components"]), "component")


if __name__ == "__main__":
    main()
