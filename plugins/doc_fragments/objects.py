# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """The fields of each object the modules take (one fragment per option that lists them), generated
    from the object schemas. A module documents the option itself (what the list means to it); the
    fragment adds the fields, the same wherever the object appears."""

    VHOSTS = r"""
options:
  vhosts:
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
"""

    COMPONENTS = r"""
options:
  components:
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
"""

    CERTIFICATES = r"""
options:
  certificates:
    suboptions:
      # BEGIN generated from CERTIFICATE in plugins/module_utils/_schema.py (make generate)
      name:
        description: The host the certificate is for.
        type: str
        required: true
      certificate:
        description: Certificate in PEM form (the chain may follow); give neither this nor C(certificate_src)
          (and no key) to have the issuer issue one.
        type: str
      key:
        description: Private key in PEM form, unencrypted. Never logged.
        type: str
      certificate_src:
        description: Path of the certificate on the target, instead of C(certificate).
        type: path
      key_src:
        description: Path of the key on the target, instead of C(key).
        type: path
      also_covers:
        description: Further names the certificate must cover (for example C(*.<host>) for its components);
          an issued certificate lists them as subjectAltNames.
        type: list
        elements: str
        default: []
      # END generated
"""

    ACCOUNTS = r"""
options:
  accounts:
    suboptions:
      # BEGIN generated from ACCOUNT in plugins/module_utils/_schema.py (make generate)
      jid:
        description: The account's bare JID, on a host the server serves.
        type: str
        required: true
      password:
        description: Its password; required for an account that is present. Never logged.
        type: str
      state:
        description: Whether the account exists.
        type: str
        choices: [present, absent]
        default: present
      update_password:
        description: C(always) sets the password when the stored one differs; C(on_create) sets it only when
          the account is created and never touches an existing password.
        type: str
        choices: [always, on_create]
        default: always
      role:
        description: The account's role on its host (Prosody 13, for example C(prosody:admin)); 0.12 has no
          roles.
        type: str
      # END generated
"""

    COMMUNITY = r"""
options:
  community:
    suboptions:
      # BEGIN generated from COMMUNITY in plugins/module_utils/_schema.py (make generate)
      name:
        description: The module's name, without C(mod_).
        type: str
        required: true
      source:
        description:
          - An absolute path on the host - the module's directory, a directory that holds it (such as a prosody-modules
            checkout), or an archive (C(.tar.gz), C(.tar.xz), C(.zip)) that holds it.
          - Not given - Debian's C(prosody-modules) package, which must be installed (the roles install it).
        type: str
      checksum:
        description: The module's digest, C(sha256:<hex>), as the modules report it; required with a C(source).
        type: str
      enabled:
        description:
          - Whether it is loaded on every host (false - installed only, for a component).
          - The roles and M(xmpp.prosody.workspace) load it; M(xmpp.prosody.config) and M(xmpp.prosody.community)
            only install it.
        type: bool
        default: true
      # END generated
"""

    TURN = r"""
options:
  turn:
    suboptions:
      # BEGIN generated from TURN in plugins/module_utils/_schema.py (make generate)
      secret:
        description: The secret Prosody and the TURN server share (16 characters or more); never logged, masked.
        type: str
        required: true
      host:
        description: The TURN server's name or address as clients reach it; not given - each host's own name.
        type: str
      port:
        description: The TURN server's port.
        type: int
        default: 3478
      realm:
        description: coturn's realm; not given - the TURN host, else the first host.
        type: str
      install:
        description: Whether the TURN server is coturn on this host (false - a TURN server elsewhere, same secret).
        type: bool
        default: true
      external_ip:
        description: The public address coturn announces when the host is behind NAT.
        type: str
      relay_ports:
        description: The UDP port range coturn relays on (open it in the firewall).
        type: str
        default: 49152-65535
      # END generated
"""

    ALL_TIERS = r"""
options:
  tier:
    description: The layout tier.
    type: str
    required: true
    # BEGIN generated from TIERS in plugins/module_utils/tiers/table.py (make generate)
    choices: [debian, dev, docker, enterprise, minimal]
    # END generated
  roots:
    description: Override the tier's root directories by name (see M(xmpp.prosody.layout)).
    type: dict
    default: {}
"""
