# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""Accounts in the running server, every one of a call in one `prosodyctl shell` session.

Prosody's own usermanager does the work, whatever the storage (files or SQL): it tells whether an
account exists, whether a password is the stored one (``test_password`` compares, it does not
set: nobody is disconnected), and creates, sets or deletes. The accounts reach its Lua as literals
written by the serializer, on the shell's standard input - never in a command line, which every
user of the host can read in /proc. The shell echoes the end of each input line, so the accounts
come first and the static program last.
"""

from __future__ import annotations

import re

from ansible_collections.xmpp.prosody.plugins.module_utils._errors import ProsodyError
from ansible_collections.xmpp.prosody.plugins.module_utils._hosts import check_jid
from ansible_collections.xmpp.prosody.plugins.module_utils._lua import to_lua

BATCH = 100  # accounts per shell line: a line is one stanza to the admin socket
# The shell keeps a readline history of its input in data_path/.shell_history, passwords included:
# run it without readline (the standalone Lua interpreter runs LUA_INIT first), so it keeps none.
ENVIRONMENT = {"LUA_INIT": "package.preload.readline = function() error('no history: input holds passwords') end"}
# The shell answers each line; the program's answers carry a tag (an empty line answers "nil").
RESULT, ERROR = "| Result: accounts:", "! "
_PROMPTS = re.compile(r"^(?:[^\s|!]*> )*")
CHANGES = ("created", "updated", "deleted", "role")  # the outcomes that change the account

# Run in the server (a `>` line of the shell) after `local A, apply = {...}, true|false;`.
# Each outcome names what was (apply) or would be (not apply) done: created, updated, deleted, role
# (only the role changed), unchanged, absent (to delete, and not there), unknown-host (the server
# does not serve the host), external (the host's logins are checked elsewhere, e.g. LDAP: its
# accounts are not Prosody's), invalid (Prosody's jid.prep refuses it), no-roles (a role on a server
# without roles: Prosody 0.12), failed.
PROGRAM = (
    'local um, jid = require "core.usermanager", require "util.jid"; local out = {}; '
    "local own = { internal_hashed = true, internal_plain = true }; "
    "for i = 1, #A do local a = A[i]; local r; "
    "local node, host, resource = jid.split(jid.prep(a.jid)); "
    'if not node or not host or resource then r = "invalid" '
    'elseif not prosody.hosts[host] then r = "unknown-host" '
    "elseif not own[(prosody.hosts[host].users or {}).name] then r = "
    '"external:" .. ((prosody.hosts[host].users or {}).name or "none") '
    'elseif a.state == "absent" then '
    'if not um.user_exists(node, host) then r = "absent" '
    'elseif not apply or um.delete_user(node, host) then r = "deleted" else r = "failed" end '
    "elseif not um.user_exists(node, host) then "
    'if not apply or um.create_user(node, a.password, host) then r = "created" else r = "failed" end '
    'elseif a.update == "always" and not um.test_password(node, host, a.password) then '
    'if not apply or um.set_password(node, a.password, host) then r = "updated" else r = "failed" end '
    'else r = "unchanged" end; '
    'if a.role and (r == "created" or r == "updated" or r == "unchanged") then '
    'if not um.set_user_role then r = "no-roles" else '
    "local current = um.user_exists(node, host) and um.get_user_role(node, host); "
    "if not current or current.name ~= a.role then "
    'if r == "unchanged" then r = "role" end; '
    "if apply then um.set_user_role(node, host, a.role) end end end end; "
    'out[i] = r end; return "accounts:" .. table.concat(out, ",")'
)


# After `local H = {...}` (host names): every account of those hosts, for pruning.
LISTING = (
    'local um = require "core.usermanager"; local out = {}; '
    'for i = 1, #H do for user in um.users(H[i]) do out[#out + 1] = user .. "@" .. H[i] end end; '
    'return "accounts:" .. table.concat(out, ",")'
)


class AccountError(ProsodyError):
    """An account that cannot be applied; the message names it and the fix, never a password."""


def normalize(accounts: list[dict], field: str = "accounts") -> list[dict]:
    """The accounts as the program takes them, checked: a bare JID each (once), a password for
    every account that is present."""
    seen, items = {}, []
    for index, account in enumerate(accounts):
        where = "%s[%d]" % (field, index)
        local, _at, domain = check_jid(account.get("jid"), where + ".jid").partition("@")
        jid = local.lower() + "@" + domain  # Prosody's nodeprep folds case
        if jid in seen:
            raise AccountError("%s.jid: %r is already given as %s; give each account once" % (where, jid, seen[jid]))
        seen[jid] = where
        state = account.get("state") or "present"
        if state == "present" and not account.get("password"):
            raise AccountError("%s.password: required for an account that is present (%s)" % (where, jid))
        item = {"jid": jid, "state": state, "update": account.get("update_password") or "always"}
        if state == "present":
            item["password"] = account["password"]
        if account.get("role"):
            item["role"] = account["role"]
        items.append(item)
    return items


def lines(items: list[dict], apply: bool) -> list[str]:
    """The shell's input: one `>` line per batch of accounts."""
    return [
        "> local A, apply = %s, %s; %s" % (to_lua(items[i : i + BATCH]), "true" if apply else "false", PROGRAM)
        for i in range(0, len(items), BATCH)
    ]


def listing_line(items: list[dict]) -> str:
    """The shell line that lists every account of the hosts the present accounts are on."""
    hosts = sorted({item["jid"].split("@")[1] for item in items if item["state"] == "present"})
    return "> local H = %s; %s" % (to_lua(hosts), LISTING)


def undeclared(output: str, items: list[dict]) -> list[dict]:
    """The accounts the listing found that ``items`` do not name, as items to delete."""
    results = _answers(output, RESULT)
    if len(results) != 1:
        raise AccountError(
            "prosodyctl shell could not list the accounts: %s" % ("; ".join(_answers(output, ERROR)) or "no result")
        )
    named = {item["jid"] for item in items}
    return [
        {"jid": jid, "state": "absent", "update": "always"} for jid in results[0].split(",") if jid and jid not in named
    ]


def _answers(output: str, kind: str) -> list[str]:
    """The shell's answers of one kind (RESULT or ERROR), each after the prompts that precede it on
    its line (without readline the prompt ends no line: "prosody> | Result: ...")."""
    answers = (_PROMPTS.sub("", line, count=1) for line in output.splitlines())
    return [answer[len(kind) :] for answer in answers if answer.startswith(kind)]


def answered(output: str) -> bool:
    """Whether the program ran at all (a server that does not run answers nothing)."""
    return bool(_answers(output, RESULT))


def predicted(items: list[dict]) -> list[str]:
    """What a check run predicts where no server runs yet (a fresh host): every account is new."""
    return ["created" if item["state"] == "present" else "absent" for item in items]


def outcomes(output: str, items: list[dict]) -> list[str]:
    """Each account's outcome from the shell's output, or AccountError with what Prosody said
    (its error lines only: the shell echoes input, and input holds passwords)."""
    results, errors = _answers(output, RESULT), _answers(output, ERROR)
    if errors or len(results) != -(-len(items) // BATCH):  # one answer per batch
        said = "; ".join(errors) or "no result (is Prosody running? accounts are applied in the running server)"
        for item in items:  # never echo a password, whatever Prosody put in its message
            if item.get("password"):
                said = said.replace(item["password"], "********")
        raise AccountError("prosodyctl shell could not apply the accounts: %s" % said)
    found = ",".join(results).split(",") if items else []
    if len(found) != len(items):
        raise AccountError("prosodyctl shell answered for %d accounts instead of %d" % (len(found), len(items)))
    refused = {
        "invalid": "Prosody refuses this JID",
        "unknown-host": "the server does not serve this host; declare it first",
        "no-roles": "role needs Prosody 13 (0.12 has no roles); remove role",
        "failed": "Prosody's usermanager refused the change (see Prosody's log)",
    }
    external = (
        "the host's logins are checked by %s, not against Prosody's own accounts (authentication); manage its "
        "users there and leave them out here"
    )
    problems = [
        "accounts[%d] (%s): %s"
        % (i, item["jid"], refused[outcome] if outcome in refused else external % outcome.partition(":")[2])
        for i, (item, outcome) in enumerate(zip(items, found, strict=True))
        if outcome in refused or outcome.startswith("external:")
    ]
    if problems:
        raise AccountError("; ".join(problems))
    return found
