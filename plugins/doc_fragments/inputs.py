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
        description: Modules loaded on the component (components do not inherit the server-wide list). Not given,
          a C(muc) component loads C(muc_mam) (archives in rooms); C([]) loads none.
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
