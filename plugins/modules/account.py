#!/usr/bin/python
# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: account
short_description: XMPP accounts of the tier's running Prosody, many per call, passwords never shown
version_added: 0.1.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - Creates, updates and deletes accounts in the tier's running Prosody through its own
    usermanager, whatever the storage (files or SQL), all accounts of a call in one
    C(prosodyctl shell) session.
  - Idempotent without side effects - an account whose stored credentials match the given password
    is left alone (Prosody compares; setting a password would disconnect every session of that
    user with "Password changed").
  - Passwords reach Prosody on the shell's standard input, as literals of the collection's Lua
    serializer; never in a command line (which every user of the host can read), never in the
    module's output or diff.
  - Deleting an account (O(accounts[].state=absent)) removes the account and its credentials;
    Prosody also removes what it keeps for the user in its stores (roster, archive, vCard ...) as
    far as its storage modules do so on deletion. Take a backup first if that data matters.
  - Every account is compared first, in the running server, and nothing changes when one of them
    cannot be applied (a host the server does not serve, a JID Prosody refuses); then the accounts
    that differ are changed. An unchanged run is one shell session.
  - Prosody must be running (the roles apply accounts after the service step).
extends_documentation_fragment:
  - xmpp.prosody.attributes
  - xmpp.prosody.deployment
  - xmpp.prosody.container
  - xmpp.prosody.objects.accounts
options:
  accounts:
    description: The accounts, each named once.
    type: list
    elements: dict
    required: true
  prune:
    description:
      - Also delete every account of the hosts the present accounts are on that O(accounts) does not
        name. Accounts are user data - off by default; a host none of the accounts is on is never pruned.
    type: bool
    default: false
seealso:
  - module: xmpp.prosody.service
  - name: prosodyctl
    description: Prosody's command line tool, whose shell the module drives.
    link: https://prosody.im/doc/prosodyctl
  - name: Roles and permissions
    description: The roles Prosody 13 gives accounts.
    link: https://prosody.im/doc/roles
"""

EXAMPLES = r"""
- name: Accounts of example.org
  xmpp.prosody.account:
    tier: minimal
    accounts:
      - {jid: alice@example.org, password: "{{ vault_alice_password }}"}
      - {jid: bob@example.org, password: "{{ vault_bob_password }}", update_password: on_create}
      - {jid: mallory@example.org, state: absent}
"""

RETURN = r"""
accounts:
  description:
    - Each account with what was (or in check mode would be) done - created, updated, deleted, role
      (only its role changed), unchanged, or absent (to be deleted and not there).
  returned: always
  type: list
  elements: dict
  sample: [{jid: alice@example.org, outcome: created}]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.xmpp.prosody.plugins.module_utils._accounts import (
    CHANGES,
    ENVIRONMENT,
    answered,
    lines,
    listing_line,
    normalize,
    outcomes,
    predicted,
    undeclared,
)
from ansible_collections.xmpp.prosody.plugins.module_utils._deployment import Deployment, deployment_spec
from ansible_collections.xmpp.prosody.plugins.module_utils._module import finish
from ansible_collections.xmpp.prosody.plugins.module_utils._prosodyctl import shell
from ansible_collections.xmpp.prosody.plugins.module_utils._schema import ACCOUNT, argument_spec


def _run(module, where: Deployment, stdin: str) -> str:
    argv = where.prosodyctl(env=ENVIRONMENT)
    if not argv:
        return ""
    # the input (run_command ends it with a newline); a server still starting is waited for
    _rc, out, err = shell(module, argv, data=stdin, environ=ENVIRONMENT, wait=not module.check_mode)
    return out + "\n" + err


def _shell(module, where: Deployment, items: list[dict], apply: bool) -> list[str]:
    output = _run(module, where, "\n".join(lines(items, apply)))
    if module.check_mode and not answered(output):
        # A check run on a fresh host: Prosody is only predicted to be installed and started.
        module.warn("Prosody is not running (yet): every account that is present counts as created")
        return predicted(items)
    return outcomes(output, items)


def run_module(module) -> dict:
    params = module.params
    where = Deployment(module)
    items = normalize(params["accounts"])
    # First compare only: every account is checked (host served, JID valid) before any changes.
    found = _shell(module, where, items, apply=False) if items else []
    if params["prune"] and items:
        listed = _run(module, where, listing_line(items))
        if answered(listed) or not module.check_mode:  # a check run on a fresh host has nothing to prune
            gone = undeclared(listed, items)
            items, found = items + gone, found + ["deleted"] * len(gone)
    todo = [item for item, outcome in zip(items, found, strict=True) if outcome in CHANGES]
    if todo and not module.check_mode:
        _shell(module, where, todo, apply=True)
    changed = [(item["jid"], outcome) for item, outcome in zip(items, found, strict=True) if outcome in CHANGES]
    result = {
        "changed": bool(changed),
        "accounts": [{"jid": item["jid"], "outcome": outcome} for item, outcome in zip(items, found, strict=True)],
    }
    if module._diff:
        result["diff"] = {
            "before": "".join("%s\n" % jid for jid, outcome in changed if outcome != "created"),
            "after": "".join("%s (%s)\n" % (jid, outcome) for jid, outcome in changed if outcome != "deleted"),
        }
    return result


def main():
    module = AnsibleModule(
        argument_spec=dict(
            **deployment_spec(),
            accounts=dict(type="list", elements="dict", required=True, options=argument_spec(ACCOUNT)),
            prune=dict(type="bool", default=False),
        ),
        supports_check_mode=True,
    )
    finish(module, lambda: run_module(module), "account")


if __name__ == "__main__":
    main()
