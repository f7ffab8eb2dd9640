#!/usr/bin/python
# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: config
short_description: Write and validate a tier's whole Prosody configuration in one call
version_added: 0.1.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - Renders the tier's main file and every file it includes (the enterprise tier's option files,
    each host's and component's file on tiers with a file per host, or their sections in the main
    file on the minimal tier) from one set of inputs, every value through the collection's Lua
    serializer, and writes only what differs, atomically.
  - After writing, C(prosodyctl check config) judges the whole configuration once; when Prosody
    refuses it, every file is put back as it was and the task fails with Prosody's message.
  - Further files (O(files), for example the service's drop-in or scripts) are written the same way.
  - Records in the deployment record (C(/var/lib/xmpp-prosody/deployment.json)) what the running
    server still has to pick up - a restart for modules, storage or the unit, a reload, or the hosts
    to activate in place - so that M(xmpp.prosody.service) applies it, even after a run that was
    cut short.
extends_documentation_fragment:
  - xmpp.prosody.attributes
  - xmpp.prosody.deployment
  - xmpp.prosody.container
  - xmpp.prosody.inputs
  - xmpp.prosody.objects.community
  - xmpp.prosody.objects.turn
  - xmpp.prosody.objects.vhosts
  - xmpp.prosody.objects.components
options:
  user:
    description: The account Prosody runs as (owner of the files a tier gives to it).
    type: str
    default: prosody
  group:
    description: The group Prosody runs as; configuration files are C(root) and this group's, mode C(0640).
    type: str
    default: prosody
  files:
    description: Further files written with the configuration, atomically and rolled back with it.
    type: list
    elements: dict
    default: []
    suboptions:
      path:
        description: Absolute path; missing parent directories are created C(0755).
        type: path
        required: true
      content:
        description: The whole content.
        type: str
        required: true
      owner:
        description: Owner (C({user}) and C({group}) stand for O(user) and O(group)).
        type: str
        default: root
      group:
        description: Group (C({user}) and C({group}) stand for O(user) and O(group)).
        type: str
        default: root
      mode:
        description: Mode, as an octal string.
        type: str
        required: true
      effect:
        description:
          - What a change of the file needs from the running server. C(unit) is a systemd drop-in (a
            daemon reload and a restart), C(restart) a module's code, C(reload) a file Prosody re-reads.
        type: str
        choices: [none, reload, restart, unit]
        default: none
  community:
    description:
      - Community modules (prosody-modules) to copy into the tier's community module directory in the same
        call, as M(xmpp.prosody.community) does with its O(xmpp.prosody.community#module:modules); a changed
        module is recorded as a restart. Not given - the directory is left as it is.
    type: list
    elements: dict
  turn:
    description:
      - Calls - a TURN server whose short-lived credentials Prosody hands to clients (XEP-0215, through
        C(turn_external), which is loaded). Not given - no TURN server is offered.
      - With O(turn.install), also writes coturn's C(/etc/turnserver.conf) (C(root:turnserver) C(0640); the
        C(coturn) package must be installed) with the same secret; its relay refuses peers in private,
        loopback and link-local ranges.
    type: dict
  prune:
    description: Remove host and component files this collection wrote earlier that are not declared now.
    type: bool
    default: false
  validate:
    description: Run C(prosodyctl --config <main file> check config) after writing, and roll back when it fails.
    type: bool
    default: true
notes:
  - Host names are validated and lowercased as Prosody does; option names must match C(^[a-z_][a-z0-9_]*$);
    every name is declared once across O(vhosts) and O(components).
  - A file this collection did not write (the package's C(localhost.cfg.lua)) is never overwritten or removed.
  - Check mode computes exactly the changes a real run would make, without validating.
seealso:
  - module: xmpp.prosody.vhost
  - module: xmpp.prosody.component
  - module: xmpp.prosody.service
  - module: xmpp.prosody.community
  - plugin: xmpp.prosody.to_lua
    plugin_type: filter
  - name: Configuring Prosody
    description: Every option of the configuration file.
    link: https://prosody.im/doc/configure
"""

EXAMPLES = r"""
- name: The enterprise tier's whole configuration for every tenant, in one call
  xmpp.prosody.config:
    tier: enterprise
    admins: [admin@t1.example]
    vhosts: "{{ tenants }}"  # [{name: t1.example}, {name: t2.example}, ...]
    components:
      - {name: upload.t1.example, type: http_file_share}
    prune: true
  register: config

- name: Apply what changed (restart, reload or activate hosts in place)
  xmpp.prosody.service:
    tier: enterprise
    pending: "{{ config.pending }}"
"""

RETURN = r"""
changes:
  description: Every file or link that was (or in check mode would be) created, updated, removed or repaired.
  returned: always
  type: list
  elements: dict
  sample: [{"path": "/srv/prosody/config/hosts/t1.example.cfg.lua", "action": "create", "name": "t1.example"}]
hosts:
  description: Hosts and components whose definition changed (to be activated in place).
  returned: always
  type: list
  elements: str
  sample: [t1.example]
pending:
  description:
    - What the running server still has to pick up, as recorded; pass it to M(xmpp.prosody.service).
    - C(up) are the changed hosts that are served now.
    - C(coturn) says coturn's configuration changed and coturn has not been restarted with it yet; restart it
      before M(xmpp.prosody.service), which marks everything pending applied (the roles do).
  returned: always
  type: dict
  sample: {"restart": false, "daemon_reload": false, "reload": true, "hosts": ["t1.example"], "up": ["t1.example"],
           "coturn": false}
digest:
  description: Digest of the options that only take effect when Prosody starts.
  returned: always
  type: str
config:
  description: The main configuration file.
  returned: always
  type: str
  sample: /srv/prosody/config/global/prosody.cfg.lua
validated:
  description: Whether C(prosodyctl check config) ran and accepted the result.
  returned: always
  type: bool
community:
  description: What happened to each community module (O(community)) and to copies no longer declared.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "cloud_notify", "source": "prosody-modules", "action": "copy", "digest": "sha256:6937..."}]
coturn:
  description:
    - The state coturn's service must be in, when O(turn) runs the TURN server on this host - C(restarted) while
      its changed configuration is pending (it reads the secret only when it starts; a run cut short before the
      restart leaves it pending), C(started) otherwise; empty when no TURN server runs here.
    - The roles pass it to M(ansible.builtin.systemd_service).
  returned: always
  type: str
  sample: restarted
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.xmpp.prosody.plugins.module_utils import _community, _turn
from ansible_collections.xmpp.prosody.plugins.module_utils._config_engine import run
from ansible_collections.xmpp.prosody.plugins.module_utils._deployment import deployment_spec
from ansible_collections.xmpp.prosody.plugins.module_utils._module import finish
from ansible_collections.xmpp.prosody.plugins.module_utils._options import input_spec

FILE = dict(
    path=dict(type="path", required=True),
    content=dict(type="str", required=True),
    owner=dict(type="str", default="root"),
    group=dict(type="str", default="root"),
    mode=dict(type="str", required=True),
    effect=dict(type="str", choices=["none", "reload", "restart", "unit"], default="none"),
)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            **deployment_spec(),
            user=dict(type="str", default="prosody"),
            group=dict(type="str", default="prosody"),
            **input_spec(),
            files=dict(type="list", elements="dict", default=[], options=FILE),
            turn=dict(type="dict", options=_turn.SPEC),
            community=dict(type="list", elements="dict", options=_community.SPEC),
            prune=dict(type="bool", default=False),
            validate=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    finish(module, lambda: run(module), "config")


if __name__ == "__main__":
    main()
