# SPDX-License-Identifier: GPL-3.0-or-later
"""The accounts program, run in real Lua against a usermanager that keeps accounts in a table;
the shell's input (one line per batch, passwords only as Lua strings) and how its answer is read."""

from __future__ import annotations

import lupa.lua54 as lupa
import pytest

from ansible_collections.xmpp.prosody.plugins.module_utils._accounts import (
    BATCH,
    AccountError,
    lines,
    listing_line,
    normalize,
    outcomes,
    undeclared,
)

# Prosody's usermanager and util.jid, reduced to what the program uses; every call is recorded.
SERVER = """
local users, roles, calls, with_roles = ...
local function key(u, h) return u .. "@" .. h end
local um = {}
function um.user_exists(u, h) return users[key(u, h)] ~= nil end
function um.test_password(u, h, p) calls[#calls + 1] = "test " .. key(u, h); return users[key(u, h)] == p or nil end
function um.create_user(u, p, h) calls[#calls + 1] = "create " .. key(u, h); users[key(u, h)] = p; return true end
function um.set_password(u, p, h) calls[#calls + 1] = "set " .. key(u, h); users[key(u, h)] = p; return true end
function um.delete_user(u, h) calls[#calls + 1] = "delete " .. key(u, h); users[key(u, h)] = nil; return true end
function um.users(h)
  local list = {}
  for k in pairs(users) do local u, at = k:match("^(.-)@(.*)$"); if at == h then list[#list + 1] = u end end
  table.sort(list)
  local i = 0
  return function() i = i + 1; return list[i] end
end
if with_roles then
  function um.get_user_role(u, h) return { name = roles[key(u, h)] or "prosody:registered" } end
  function um.set_user_role(u, h, r) calls[#calls + 1] = "role " .. key(u, h) .. " " .. r; roles[key(u, h)] = r end
end
local jid = {}
function jid.prep(s) if s and not s:find("[%s\\"]") then return s:lower() end end
function jid.split(s)
  if not s then return nil end
  local node, host, resource = s:match("^([^@/]+)@([^@/]+)/?(.*)$")
  if resource == "" then resource = nil end
  return node, host, resource
end
local modules = { ["core.usermanager"] = um, ["util.jid"] = jid }
local prosody = { hosts = {
  ["example.org"] = { users = { name = "internal_hashed" } },
  ["corp.example"] = { users = { name = "ldap" } },  -- authentication = "ldap"
} }
return { require = function(name) return modules[name] end, prosody = prosody, table = table }
"""


class Server:
    def __init__(self, users=None, roles=True):
        self.lua = lupa.LuaRuntime(unpack_returned_tuples=True)
        self.users = self.lua.table_from(users or {})
        self.roles = self.lua.table_from({})
        self.calls = self.lua.table_from({})
        self.env = self.lua.execute(SERVER, self.users, self.roles, self.calls, roles)

    def shell(self, accounts, apply):
        """What `prosodyctl shell` prints for the program's lines."""
        load = self.lua.eval("function(chunk, env) return assert(load(chunk, 'shell', 't', env)) end")
        out = []
        for line in lines(normalize(accounts), apply):
            assert line.startswith("> ")
            assert "\n" not in line  # the shell reads lines
            out.append("| Result: %s" % load(line[2:], self.env)())
        return "\n".join(out)

    def listing(self, accounts):
        load = self.lua.eval("function(chunk, env) return assert(load(chunk, 'shell', 't', env)) end")
        line = listing_line(normalize(accounts))
        assert line.startswith("> ")
        return "prosody> | Result: %s" % load(line[2:], self.env)()

    def run(self, accounts, apply=True):
        return outcomes(self.shell(accounts, apply), normalize(accounts))

    @property
    def log(self):
        return list(self.calls.values())


def test_each_account_gets_what_it_needs_and_nothing_more():
    server = Server({"alice@example.org": "a-pw", "bob@example.org": "old", "carol@example.org": "c-pw"})
    accounts = [
        {"jid": "alice@example.org", "password": "a-pw"},
        {"jid": "Bob@example.org", "password": "new"},
        {"jid": "carol@example.org", "state": "absent"},
        {"jid": "dave@example.org", "password": "d-pw"},
        {"jid": "eve@example.org", "state": "absent"},
    ]
    assert server.run(accounts, apply=False) == ["unchanged", "updated", "deleted", "created", "absent"]
    assert server.log == ["test alice@example.org", "test bob@example.org"]  # comparing changes nothing
    assert server.run(accounts) == ["unchanged", "updated", "deleted", "created", "absent"]
    assert dict(server.users) == {"alice@example.org": "a-pw", "bob@example.org": "new", "dave@example.org": "d-pw"}
    before = len(server.log)
    assert server.run(accounts) == ["unchanged", "unchanged", "absent", "unchanged", "absent"]
    assert server.log[before:] == ["test alice@example.org", "test bob@example.org", "test dave@example.org"]


def test_on_create_never_touches_an_existing_password():
    server = Server({"alice@example.org": "kept"})
    accounts = [{"jid": "alice@example.org", "password": "other", "update_password": "on_create"}]
    assert server.run(accounts) == ["unchanged"]
    assert server.log == []  # not even compared
    assert server.users["alice@example.org"] == "kept"


def test_passwords_reach_lua_only_as_strings():
    hostile = 'x"]] os.exit(1) --\nnext line'
    server = Server()
    assert server.run([{"jid": "alice@example.org", "password": hostile}]) == ["created"]
    assert server.users["alice@example.org"] == hostile


def test_roles_on_prosody_13_and_their_absence_on_0_12():
    server = Server({"alice@example.org": "pw"})
    admin = [{"jid": "alice@example.org", "password": "pw", "role": "prosody:admin"}]
    assert server.run(admin) == ["role"]
    assert server.run(admin) == ["unchanged"]
    assert Server({"alice@example.org": "pw"}, roles=False).shell(admin, False) == "| Result: accounts:no-roles"
    with pytest.raises(AccountError, match=r"accounts\[0\] \(alice@example.org\): role needs Prosody 13"):
        Server({"alice@example.org": "pw"}, roles=False).run(admin)


def test_every_problem_is_named_before_anything_changes():
    server = Server()
    accounts = [{"jid": "a@unknown.org", "password": "pw"}, {"jid": "b@example.org", "password": "pw"}]
    with pytest.raises(AccountError) as refused:
        server.run(accounts, apply=False)
    assert str(refused.value) == ("accounts[0] (a@unknown.org): the server does not serve this host; declare it first")
    assert dict(server.users) == {}


def test_a_host_whose_logins_are_checked_elsewhere_is_refused():
    """An LDAP host's users are the directory's: creating or deleting them here would do nothing useful."""
    server = Server()
    accounts = [{"jid": "b@example.org", "password": "pw"}, {"jid": "c@corp.example", "state": "absent"}]
    assert server.shell(accounts, False) == "| Result: accounts:created,external:ldap"
    with pytest.raises(AccountError) as refused:
        server.run(accounts, apply=False)  # the module compares every account first
    assert str(refused.value) == (
        "accounts[1] (c@corp.example): the host's logins are checked by ldap, not against Prosody's own accounts "
        "(authentication); manage its users there and leave them out here"
    )
    assert dict(server.users) == {}


def test_many_accounts_take_one_line_per_batch():
    accounts = [{"jid": "u%d@example.org" % i, "password": "pw%d" % i} for i in range(BATCH * 2 + 1)]
    assert len(lines(normalize(accounts), True)) == 3
    server = Server()
    assert server.run(accounts) == ["created"] * len(accounts)


@pytest.mark.parametrize(
    ("accounts", "message"),
    [
        ([{"jid": "alice"}], r"accounts\[0\].jid: 'alice' is not a bare JID"),
        ([{"jid": "alice@example.org/phone", "password": "x"}], "is not a bare JID"),
        ([{"jid": "alice@example.org"}], r"accounts\[0\].password: required for an account that is present"),
        ([{"jid": "a@example.org", "password": "x"}, {"jid": "A@example.org", "password": "y"}], "already given"),
    ],
)
def test_bad_accounts_are_refused_before_the_shell(accounts, message):
    with pytest.raises(Exception, match=message):
        normalize(accounts)


def test_the_answer_is_read_from_the_tagged_result_lines_only():
    items = normalize([{"jid": "a@example.org", "password": "Secret-1"}])
    echoed = "prosody> < end; out[i] = r end\n| Result: nil\n| Result: accounts:created\nprosody> \n| Result: nil"
    assert outcomes(echoed, items) == ["created"]
    without_readline = "Welcome\nprosody> | Result: accounts:created\nprosody> "  # the prompt ends no line
    assert outcomes(without_readline, items) == ["created"]
    with pytest.raises(AccountError, match="is Prosody running") as refused:
        outcomes("Unable to connect to the admin socket", items)
    failed = "prosody> ! console:1: attempt to index a nil value near 'Secret-1'"
    with pytest.raises(AccountError) as refused:
        outcomes(failed, items)
    assert "Secret-1" not in str(refused.value)
    assert "near '********'" in str(refused.value)


def test_pruning_lists_the_undeclared_accounts_of_the_declared_hosts_only():
    server = Server({"alice@example.org": "a", "bob@example.org": "b", "carol@example.org": "c", "zed@other.org": "z"})
    accounts = [{"jid": "alice@example.org", "password": "a"}, {"jid": "carol@example.org", "state": "absent"}]
    gone = undeclared(server.listing(accounts), normalize(accounts))
    assert gone == [{"jid": "bob@example.org", "state": "absent", "update": "always"}]  # carol: already absent
    assert server.run([*accounts, *gone]) == ["unchanged", "deleted", "deleted"]
    assert dict(server.users) == {"alice@example.org": "a", "zed@other.org": "z"}  # another host: never pruned
    with pytest.raises(AccountError, match="could not list the accounts: no result"):
        undeclared("Unable to connect", normalize(accounts))
