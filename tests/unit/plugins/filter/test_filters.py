# SPDX-License-Identifier: GPL-3.0-or-later
"""The filters wrap the shared implementation and turn its errors into AnsibleFilterError."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.xmpp.prosody.plugins.filter.input_errors import FilterModule as InputErrors
from ansible_collections.xmpp.prosody.plugins.filter.lua_options import FilterModule as LuaOptions
from ansible_collections.xmpp.prosody.plugins.filter.rendered_files import FilterModule as RenderedFiles
from ansible_collections.xmpp.prosody.plugins.filter.tier import FilterModule as Tier
from ansible_collections.xmpp.prosody.plugins.filter.to_lua import FilterModule as ToLua

to_lua = ToLua().filters()["to_lua"]
lua_options = LuaOptions().filters()["lua_options"]
input_errors = InputErrors().filters()["input_errors"]


def test_to_lua():
    assert to_lua({"a": [1, "b"]}) == '{ a = { 1, "b" } }'


def test_to_lua_error_is_a_filter_error_with_the_fqcn():
    with pytest.raises(AnsibleFilterError, match=r"xmpp.prosody.to_lua: value\[0\]: nan has no Lua literal"):
        to_lua([float("nan")])


def test_lua_options():
    assert lua_options({"admins": ["a@example.org"]}) == 'admins = { "a@example.org" }\n'


def test_lua_options_refuses_non_dict_and_bad_names():
    with pytest.raises(AnsibleFilterError, match=r"prosody_settings must be a dict, got list"):
        lua_options([], field="prosody_settings")
    with pytest.raises(AnsibleFilterError, match=r"xmpp\.prosody\.lua_options: prosody_settings: option name 'x\.y'"):
        lua_options({"x.y": 1}, field="prosody_settings")


def test_input_errors_filter():
    inputs = {"prosody_tier": "minimal", "prosody_vhosts": [{"name": "a b"}]}
    assert input_errors(inputs, {"prosody_tier": {}, "prosody_vhosts": {}}) == [
        "prosody_vhosts[0].name: 'a b' has an invalid label 'a b'; labels are 1-63 letters, digits or '-', "
        "not starting or ending with '-'"
    ]


def test_tier_filter_resolves_roots_and_refuses_unknown_tiers():
    record = Tier().filters()["tier"]("enterprise", {"root": "/srv/xmpp"})
    assert record["paths"]["config"] == "/srv/xmpp/config/global/prosody.cfg.lua"
    assert record["role"] == "xmpp.prosody.enterprise"
    with pytest.raises(AnsibleFilterError, match=r"prosody_tier: 'nope' is not a tier; set it to one of debian, "):
        Tier().filters()["tier"]("nope")
    assert Tier().filters()["tier"]("dev")["role"] == "xmpp.prosody.dev"


def test_rendered_files_pairs_templates_with_their_content():
    record = Tier().filters()["tier"]("minimal")
    templated = [f for f in record["files"] if f["template"]]
    files = RenderedFiles().filters()["rendered_files"](record, ["a"] * len(templated))
    assert [f["path"] for f in files] == [f["path"] for f in templated]
    assert all(f["content"] == "a\n" for f in files)
    wanted = r"xmpp.prosody.rendered_files: %d templates of tier minimal, but 1" % len(templated)
    assert len(templated) > 1
    with pytest.raises(AnsibleFilterError, match=wanted):
        RenderedFiles().filters()["rendered_files"](record, ["a"])


def test_revoked_entries_are_sorted_path_items():
    from ansible_collections.xmpp.prosody.plugins.filter.revoked_entries import revoked_entries

    assert revoked_entries(["/ca/revoked/b.pem", "/ca/revoked/a.pem"]) == [
        {"path": "/ca/revoked/a.pem"},
        {"path": "/ca/revoked/b.pem"},
    ]
    assert revoked_entries([]) == []
