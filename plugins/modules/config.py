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
options:
  user:
    description: The account Prosody runs as (owner of the files a tier gives to it).
    type: str
    default: prosody
  group:
    description: The group Prosody runs as; configuration files are C(root) and this group's, mode C(0640).
    type: str
    default: prosody
  vhosts:
    description:
      - The virtual hosts.
      - With O(prune=true), host and component files written earlier and missing here are removed.
    type: list
    elements: dict
    default: []
    suboptions:
      # BEGIN generated from VHOST in plugins/module_utils/_schema.py (make generate)
      name:
        description: 'Domain of the host: a lowercase ASCII DNS name (internationalized names are refused).'
        type: str
        required: true
      state:
        description: 'Whether the object exists. A role declares the whole set instead: what it no longer lists
          is removed.'
        type: str
        choices: [present, absent]
        default: present
      enabled:
        description: Whether Prosody serves the host; a disabled host keeps its file (unlinked, or C(enabled
          = false)).
        type: bool
        default: true
      admins:
        description: Admin JIDs of this host, in addition to the server-wide ones.
        type: list
        elements: str
      modules_enabled:
        description: Modules loaded on this host in addition to the server-wide ones.
        type: list
        elements: str
      modules_disabled:
        description: Server-wide modules not loaded on this host.
        type: list
        elements: str
      authentication:
        description: Authentication provider of this host.
        type: str
        choices: [internal_hashed, internal_plain, anonymous, ldap, cyrus]
      allow_registration:
        description: Public in-band registration on this host (also list C(register) in its C(modules_enabled)).
        type: bool
      storage:
        description: 'Storage backend of this host: a backend name, or a table of store name to backend.'
        type: raw
      sql:
        description: SQL connection of this host; the password is never logged and masked in diffs.
        type: dict
        suboptions:
          driver:
            description: Database driver; Prosody refuses a connection without one.
            type: str
            choices: [SQLite3, MySQL, PostgreSQL]
          database:
            description: Database name, or the file of an SQLite3 database.
            type: str
          host:
            description: Database server (MySQL, PostgreSQL).
            type: str
          port:
            description: Port of the database server.
            type: int
          username:
            description: User Prosody connects as.
            type: str
          password:
            description: Password Prosody connects with. Never logged, masked in diffs.
            type: str
      settings:
        description: Further options of this host, rendered through the Lua serializer.
        type: dict
      # END generated
  components:
    description: The components (chat rooms, file share, proxy, pubsub, external gateways).
    type: list
    elements: dict
    default: []
    suboptions:
      # BEGIN generated from COMPONENT in plugins/module_utils/_schema.py (make generate)
      name:
        description: Domain of the component; a subdomain of a host shares that host's certificate.
        type: str
        required: true
      type:
        description: Component module, or C(external) for a component that connects with a secret; required
          for a component that is present.
        type: str
        choices: [muc, http_file_share, proxy65, pubsub, external]
      state:
        description: 'Whether the object exists. A role declares the whole set instead: what it no longer lists
          is removed.'
        type: str
        choices: [present, absent]
        default: present
      enabled:
        description: Whether Prosody serves the component.
        type: bool
        default: true
      modules_enabled:
        description: Modules loaded on the component (components do not inherit the server-wide list).
        type: list
        elements: str
      secret:
        description: Shared secret of an external component. Never logged, masked in diffs.
        type: str
      settings:
        description: Further options of the component, rendered through the Lua serializer.
        type: dict
      # END generated
  admins:
    description: Server-wide admin JIDs.
    type: list
    elements: str
    default: []
  modules_enabled:
    description:
      - Modules loaded on every host. C(admin_shell) is always added (hosts are activated through it),
        C(register) with O(allow_registration), and the tier's own (C(log_per_host) on enterprise).
    type: list
    elements: str
    default: [roster, saslauth, tls, dialback, disco, carbons, pep, private, blocklist, vcard4,
              vcard_legacy, version, uptime, time, ping, mam, smacks, csi_simple]
  modules_disabled:
    description: Modules never loaded.
    type: list
    elements: str
    default: []
  allow_registration:
    description: Public in-band registration on every host.
    type: bool
    default: false
  storage:
    description: Storage backend; empty picks the tier's default.
    type: str
    default: ""
    choices: ["", internal, sql]
  sql:
    description:
      - The C(sql) option for SQL storage; none means SQLite in the tier's C(prosody.sqlite).
      - The password is never logged and masked in diffs.
    type: dict
    suboptions:
      # BEGIN generated from SQL in plugins/module_utils/_schema.py (make generate)
      driver:
        description: Database driver; Prosody refuses a connection without one.
        type: str
        choices: [SQLite3, MySQL, PostgreSQL]
      database:
        description: Database name, or the file of an SQLite3 database.
        type: str
      host:
        description: Database server (MySQL, PostgreSQL).
        type: str
      port:
        description: Port of the database server.
        type: int
      username:
        description: User Prosody connects as.
        type: str
      password:
        description: Password Prosody connects with. Never logged, masked in diffs.
        type: str
      # END generated
  log_level:
    description: Minimum level written to the log file.
    type: str
    default: info
    choices: [debug, info, warn, error]
  settings:
    description: Further global options (names C(^[a-z_][a-z0-9_]*$)); they win over the module's own.
    type: dict
    default: {}
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
  returned: always
  type: dict
  sample: {"restart": false, "daemon_reload": false, "reload": true, "hosts": ["t1.example"], "up": ["t1.example"]}
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
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.xmpp.prosody.plugins.module_utils._deploy import run
from ansible_collections.xmpp.prosody.plugins.module_utils._layout import role_tiers
from ansible_collections.xmpp.prosody.plugins.module_utils._module import finish
from ansible_collections.xmpp.prosody.plugins.module_utils._options import DEFAULT_MODULES
from ansible_collections.xmpp.prosody.plugins.module_utils._prosodyctl import CONTAINER_SPEC
from ansible_collections.xmpp.prosody.plugins.module_utils._schema import COMPONENT, SQL, VHOST, argument_spec

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
            tier=dict(type="str", required=True, choices=role_tiers()),
            roots=dict(type="dict", default={}),
            container=CONTAINER_SPEC,
            user=dict(type="str", default="prosody"),
            group=dict(type="str", default="prosody"),
            vhosts=dict(type="list", elements="dict", default=[], options=argument_spec(VHOST)),
            components=dict(type="list", elements="dict", default=[], options=argument_spec(COMPONENT)),
            admins=dict(type="list", elements="str", default=[]),
            modules_enabled=dict(type="list", elements="str", default=list(DEFAULT_MODULES)),
            modules_disabled=dict(type="list", elements="str", default=[]),
            allow_registration=dict(type="bool", default=False),
            storage=dict(type="str", default="", choices=["", "internal", "sql"]),
            sql=dict(type="dict", options=argument_spec(SQL)),
            log_level=dict(type="str", default="info", choices=["debug", "info", "warn", "error"]),
            settings=dict(type="dict", default={}),
            files=dict(type="list", elements="dict", default=[], options=FILE),
            prune=dict(type="bool", default=False),
            validate=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    finish(module, lambda: run(module), "config")


if __name__ == "__main__":
    main()
