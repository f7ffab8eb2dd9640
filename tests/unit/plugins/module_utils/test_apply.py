# SPDX-License-Identifier: GPL-3.0-or-later
"""The one apply decision, as a table, and the activation program run in real Lua 5.4."""

from __future__ import annotations

import lupa.lua54 as lupa
import pytest

from ansible_collections.xmpp.prosody.plugins.module_utils._apply import ACTIVATION_LIMIT, activation_chunk, decide

NOTHING = {"restart": False, "daemon_reload": False, "reload": False, "hosts": [], "up": []}


def pending(**changes):
    return dict(NOTHING, **changes)


MANY = ["t%d.example" % i for i in range(ACTIVATION_LIMIT + 1)]
LIMIT = ["t%d.example" % i for i in range(ACTIVATION_LIMIT)]

# (wanted, running now, enabled at boot, pending) -> (action, daemon reload, enable, down, up)
TABLE = [
    # nothing changed
    (True, True, True, pending(), ("none", False, None, (), ())),
    # a stopped server is started: a start reads everything, nothing else is left to do
    (True, False, True, pending(), ("start", False, None, (), ())),
    (True, False, True, pending(restart=True, hosts=["a"], up=["a"]), ("start", False, None, (), ())),
    (True, False, False, pending(daemon_reload=True, restart=True), ("start", True, True, (), ())),
    # what only a start applies: restart (the drop-in changed: re-read it first)
    (True, True, True, pending(restart=True), ("restart", False, None, (), ())),
    (True, True, True, pending(restart=True, daemon_reload=True), ("restart", True, None, (), ())),
    (True, True, True, pending(restart=True, reload=True, hosts=["a"], up=["a"]), ("restart", False, None, (), ())),
    # changed hosts: activated in place (the activation reloads the config itself)
    (True, True, True, pending(hosts=["a", "b"], up=["a"]), ("activate", False, None, ("a", "b"), ("a",))),
    (True, True, True, pending(reload=True, hosts=["a"], up=["a"]), ("activate", False, None, ("a",), ("a",))),
    (True, True, True, pending(hosts=LIMIT, up=LIMIT), ("activate", False, None, tuple(LIMIT), tuple(LIMIT))),
    # more changed hosts than the limit: one restart is quicker
    (True, True, True, pending(hosts=MANY, up=MANY), ("restart", False, None, (), ())),
    # only options Prosody re-reads
    (True, True, True, pending(reload=True), ("reload", False, None, (), ())),
    (True, True, False, pending(reload=True), ("reload", False, True, (), ())),
    # not wanted: stop (and disable), whatever is pending
    (False, True, True, pending(restart=True, hosts=["a"], up=["a"]), ("stop", False, False, (), ())),
    (False, False, True, pending(reload=True), ("none", False, False, (), ())),
    (False, False, False, pending(), ("none", False, None, (), ())),
    (False, False, False, pending(daemon_reload=True), ("none", True, None, (), ())),
]


@pytest.mark.parametrize(("wanted", "active", "at_boot", "todo", "expected"), TABLE)
def test_decide(wanted, active, at_boot, todo, expected):
    decision = decide(wanted, active, at_boot, todo)
    assert (decision.action, decision.daemon_reload, decision.enable, decision.down, decision.up) == expected
    assert decision.changed == (expected != ("none", False, None, (), ()))


def test_the_limit_is_a_parameter():
    assert decide(True, True, True, pending(hosts=["a", "b"], up=["a", "b"]), limit=1).action == "restart"


class Shell:
    """The admin shell's `config` and `host` commands, recorded, with activations that may fail."""

    def __init__(self, failing=()):
        self.calls, self.failing = [], set(failing)

    def run(self, chunk: str):
        lua = lupa.LuaRuntime(unpack_returned_tuples=True)
        calls, failing = self.calls, self.failing

        def reload(_self):
            calls.append(("reload",))

        def deactivate(_self, name):
            calls.append(("deactivate", name))
            return True

        def activate(_self, name):
            calls.append(("activate", name))
            return (None, "port in use") if name in failing else (True, "Host activated")

        env = lua.table_from(
            {
                "config": lua.table_from({"reload": reload}),
                "host": lua.table_from({"deactivate": deactivate, "activate": activate}),
            }
        )
        # The admin shell runs a chunk without the standard globals: no ipairs, tostring or error.
        load = lua.eval("function(chunk, env) return assert(load(chunk, 'shell', 't', env)) end")
        return load(chunk, env)()


def test_activation_reloads_once_takes_every_changed_host_down_and_brings_the_served_up():
    shell = Shell()
    result = shell.run(activation_chunk(["new.example", "gone.example"], ["new.example"]))
    assert result == (True, "hosts re-activated")
    assert shell.calls == [
        ("reload",),
        ("deactivate", "new.example"),
        ("deactivate", "gone.example"),
        ("activate", "new.example"),
    ]


def test_activation_names_every_host_that_did_not_come_up():
    shell = Shell(failing={"b.example", "c.example"})
    ok, message = shell.run(
        activation_chunk(["a.example", "b.example", "c.example"], ["a.example", "b.example", "c.example"])
    )
    assert ok is None
    assert message == "b.example: port in use; c.example: port in use; "


def test_host_names_reach_the_program_only_as_lua_strings():
    hostile = 'x"); os.exit(1) --'
    shell = Shell()
    shell.run(activation_chunk([hostile], [hostile]))  # os is not even in the environment: a leak would fail
    assert shell.calls[1:] == [("deactivate", hostile), ("activate", hostile)]
    assert "\n" not in activation_chunk([hostile, "a\nb"], [])  # one line: the shell reads lines
