#!/usr/bin/python
# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: preflight
short_description: Refuse a Prosody deployment that would switch tiers or remove most hosts by mistake
version_added: 0.1.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - Reads the deployment record that M(xmpp.prosody.config) keeps on the host
    (C(/var/lib/xmpp-prosody/deployment.json)) and compares the planned deployment with it, changing nothing.
  - Fails when the host already runs another tier of this collection, or the same tier under other
    roots; either would start an empty instance beside the old one and orphan its accounts and data.
  - Fails when the declared hosts would remove every virtual host, or more than half of the hosts
    and components managed here (at least two), unless O(prune_confirm) gives the number removed.
    An empty or misspelled host list therefore never prunes a server.
  - A host without a record (nothing deployed yet) passes.
  - A tier that runs Prosody in a container (docker) fails when the host has no C(docker) command; the
    collection runs on an existing Docker engine and never installs one.
  - Also says which of O(packages) are not installed, so that a run which needs none skips the package
    manager altogether.
extends_documentation_fragment:
  - xmpp.prosody.attributes
  - xmpp.prosody.deployment
  - xmpp.prosody.container
options:
  vhosts:
    description: The virtual hosts planned (as for M(xmpp.prosody.config)).
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
    description: The components planned.
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
  prune_confirm:
    description: The number of managed hosts and components this run may remove when that is most of them.
    type: int
    default: 0
  packages:
    description: Debian packages the deployment needs; RV(missing) names those not installed.
    type: list
    elements: str
    default: []
seealso:
  - module: xmpp.prosody.layout
  - module: xmpp.prosody.config
"""

EXAMPLES = r"""
- name: Compare the plan with the deployment on the host before anything changes
  xmpp.prosody.preflight:
    tier: enterprise
    vhosts: "{{ tenants }}"  # [{name: t1.example}, {name: t2.example}, ...]
"""

RETURN = r"""
deployed:
  description: The tier deployed on the host, or null when there is none yet.
  returned: always
  type: str
  sample: enterprise
removed:
  description: Managed hosts and components the plan no longer declares (they would be removed).
  returned: always
  type: list
  elements: str
  sample: [t3.example]
missing:
  description: The packages of O(packages) that are not installed.
  returned: always
  type: list
  elements: str
  sample: [prosody]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.xmpp.prosody.plugins.module_utils import _record
from ansible_collections.xmpp.prosody.plugins.module_utils._deployment import Deployment, deployment_spec
from ansible_collections.xmpp.prosody.plugins.module_utils._module import finish
from ansible_collections.xmpp.prosody.plugins.module_utils._packages import missing_packages
from ansible_collections.xmpp.prosody.plugins.module_utils._schema import COMPONENT, VHOST, argument_spec
from ansible_collections.xmpp.prosody.plugins.module_utils._sections import normalize_items


def run_module(module) -> dict:
    params = module.params
    where = Deployment(module)
    items = normalize_items(params["vhosts"], params["components"])
    record = where.record
    errors = _record.refusals(record, where.tier.name, where.roots, items, params["prune_confirm"])
    if errors:
        raise _record.RecordError("; ".join(errors))
    # the runtime's own tools (docker on the container tier): the role installs packages, never a Docker engine
    where.runtime.require()
    return {
        "changed": False,
        "deployed": record and record["tier"],
        "removed": sorted(_record.removed(record, items)),
        "missing": missing_packages(module, params["packages"]),
    }


def main():
    module = AnsibleModule(
        argument_spec=dict(
            **deployment_spec(),
            vhosts=dict(type="list", elements="dict", default=[], options=argument_spec(VHOST)),
            components=dict(type="list", elements="dict", default=[], options=argument_spec(COMPONENT)),
            prune_confirm=dict(type="int", default=0),
            packages=dict(type="list", elements="str", default=[]),
        ),
        supports_check_mode=True,
    )
    finish(module, lambda: run_module(module), "preflight")


if __name__ == "__main__":
    main()
