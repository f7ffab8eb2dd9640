# SPDX-License-Identifier: GPL-3.0-or-later
"""The dev workspace's client (tools/xmpp-client.py) writes Lua strings of its own (it runs on its own, without
the collection): each one means in real Lua 5.4 what the collection's serializer's means."""

from __future__ import annotations

import ast
import pathlib

import lupa.lua54 as lupa
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.xmpp.prosody.plugins.module_utils._lua import to_lua

CLIENT = pathlib.Path(__file__).parents[3] / "roles/prosody/files/dev/xmpp-client.py"
LUA = lupa.LuaRuntime(encoding=None, unpack_returned_tuples=False)


def _client_function(name: str):
    """One function of the client, without running the script (it imports slixmpp and logs in)."""
    tree = ast.parse(CLIENT.read_text())
    found = next(node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == name)
    scope = {}
    exec(compile(ast.Module(body=[found], type_ignores=[]), str(CLIENT), "exec"), scope)
    return scope[name]


lua_string = _client_function("lua_string")


@settings(max_examples=1000, deadline=None)
@given(text=st.text())
def test_the_client_and_the_serializer_write_the_same_string(text):
    mine, theirs = (LUA.execute("return " + literal) for literal in (lua_string(text), to_lua(text)))
    assert mine == theirs == text.encode("utf-8")


def test_quotes_newlines_and_brackets_stay_inside_the_string():
    text = 'a"\n]]..os.exit(1)--\\'
    assert LUA.execute("return " + lua_string(text)) == text.encode("utf-8")
