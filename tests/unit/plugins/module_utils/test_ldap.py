# SPDX-License-Identifier: GPL-3.0-or-later
"""A host that checks logins against LDAP: typed options rendered as Prosody's ldap_* options (read
back by real Lua), the directory required with the provider and only with it, the bind password
masked, and LuaLDAP among the packages."""

from __future__ import annotations

import lupa.lua54 as lupa
import pytest

from ansible_collections.xmpp.prosody.plugins.module_utils._changes import mask_secrets
from ansible_collections.xmpp.prosody.plugins.module_utils._role_view import describe
from ansible_collections.xmpp.prosody.plugins.module_utils._sections import SectionError, normalize_items

DIRECTORY = {
    "server": "127.0.0.1:389",
    "base": "ou=people,dc=example,dc=test",
    "rootdn": "cn=prosody,dc=example,dc=test",
    "password": 'bind-pw"; os.execute("id") --',
    "tls": False,
    "scope": "onelevel",
    "filter": "(&(uid=$user)(memberOf=cn=xmpp,dc=example,dc=test))",
    "mode": "bind",
    "admin_filter": "(&(uid=$user)(memberOf=cn=admins,dc=example,dc=test))",
}


def section(vhost: dict) -> str:
    (item,) = normalize_items([vhost])
    return item.section("symlink")


def options_of(text: str) -> dict:
    """The host's options as Prosody reads them (the section in real Lua)."""
    lua = lupa.LuaRuntime(unpack_returned_tuples=True)
    found = lua.execute(
        "local found, env = {}, {}; "
        "env.VirtualHost = function() end; "
        "setmetatable(env, {__newindex = function(_, k, v) found[k] = v end}); "
        "assert(load(..., 'config', 't', env))(); return found",
        text,
    )
    return dict(found.items())


def test_the_directory_becomes_prosodys_ldap_options():
    text = section({"name": "corp.example", "authentication": "ldap", "ldap": DIRECTORY})
    read = options_of(text)
    assert read["authentication"] == "ldap"
    assert {k: read["ldap_" + k] for k in DIRECTORY} == DIRECTORY
    assert "os.execute" not in mask_secrets(text)
    assert 'ldap_password = "********"' in mask_secrets(text)


def test_options_not_given_are_left_to_prosody():
    read = options_of(section({"name": "corp.example", "authentication": "ldap", "ldap": {"base": "dc=x"}}))
    assert sorted(k for k in read if k.startswith("ldap_")) == ["ldap_base"]


@pytest.mark.parametrize(
    ("vhost", "message"),
    [
        (
            {"name": "corp.example", "authentication": "ldap"},
            "vhosts[0].ldap: give the directory (at least its base) with authentication: ldap",
        ),
        (
            {"name": "corp.example", "ldap": {"base": "dc=x"}},
            "vhosts[0].ldap: only a host with authentication: ldap uses a directory; set it, or remove ldap",
        ),
    ],
)
def test_the_directory_goes_with_the_provider(vhost, message):
    with pytest.raises(SectionError) as refused:
        normalize_items([vhost])
    assert str(refused.value) == message


def test_lualdap_is_installed_where_prosody_runs():
    vhosts = [{"name": "a.example"}, {"name": "corp.example", "authentication": "ldap"}]
    assert "lua-ldap" in describe("debian", vhosts=vhosts)["packages"]
    assert "lua-ldap" not in describe("debian", vhosts=vhosts[:1])["packages"]
    docker = describe("docker", vhosts=vhosts)
    assert "lua-ldap" in docker["image_packages"]  # in the image, not on the Docker host
    assert "lua-ldap" not in docker["packages"]
