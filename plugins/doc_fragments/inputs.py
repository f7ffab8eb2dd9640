# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """The inputs a configuration is rendered from, shared by the modules that render one (config, workspace);
    their argument spec is _options.input_spec()."""

    DOCUMENTATION = r"""
options:
  vhosts:
    description: The virtual hosts.
    type: list
    elements: dict
    default: []
  components:
    description: The components (chat rooms, file share, proxy, pubsub, external gateways).
    type: list
    elements: dict
    default: []
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
              vcard_legacy, version, uptime, time, ping, mam, smacks, csi_simple, bookmarks,
              server_contact_info]
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
"""
