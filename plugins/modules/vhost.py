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
options:
  vhosts:
    description:
      - The hosts to manage; one item for one host, many for a whole set in one call.
      - With O(prune=true), hosts written earlier by this module and missing here are removed.
    type: list
    elements: dict
    required: true
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
        description:
          - Authentication provider of this host. Not given - C(internal_hashed), Prosody's own accounts.
          - C(ldap) checks logins against a directory (C(ldap), required with it); accounts are the directory's,
            so M(xmpp.prosody.account) refuses the host. The roles install C(lua-ldap).
        type: str
        choices: [internal_hashed, internal_plain, anonymous, ldap]
      ldap:
        description: 'The LDAP directory of a host with C(authentication: ldap); its password is never logged
          and masked in diffs.'
        type: dict
        suboptions:
          server:
            description: The directory server, C(host) or C(host:port) (LuaLDAP); not given - C(localhost).
            type: str
          base:
            description: Where the users are, for example C(ou=people,dc=example,dc=org). Required.
            type: str
            required: true
          filter:
            description: How a user is found; C($user) is the login name, escaped. Not given - C((uid=$user)).
            type: str
          scope:
            description: How deep below C(base) users are searched. Not given - C(subtree).
            type: str
            choices: [subtree, onelevel, base]
          rootdn:
            description: The DN Prosody binds as to search for users; not given - an anonymous search.
            type: str
          password:
            description: The password of C(rootdn). Never logged, masked in diffs.
            type: str
          tls:
            description: Whether to use StartTLS to the directory server.
            type: bool
          mode:
            description: C(bind) checks a password by binding as the user (the password never leaves the directory);
              C(getpasswd) reads C(userPassword) (plain text in the directory). Not given - C(bind).
            type: str
            choices: [bind, getpasswd]
          admin_filter:
            description: Users this search finds are admins of the host (C($user) as in C(filter)).
            type: str
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
