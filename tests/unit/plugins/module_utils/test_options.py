# SPDX-License-Identifier: GPL-3.0-or-later
"""A tier's global options, where each lives, and the text of its files, run through real Lua 5.4."""

from __future__ import annotations

import lupa.lua54 as lupa
import pytest

from ansible_collections.xmpp.prosody.plugins.module_utils._options import (
    DEFAULT_MODULES,
    external_databases,
    global_options,
    render_files,
    restart_digest,
    sections_of,
)
from ansible_collections.xmpp.prosody.plugins.module_utils._roots import resolve_roots
from ansible_collections.xmpp.prosody.plugins.module_utils._sections import normalize_items
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS, well_known_paths

PARAMS = {
    "admins": ["admin@a.example"],
    "modules_enabled": list(DEFAULT_MODULES),
    "modules_disabled": [],
    "allow_registration": False,
    "storage": "",
    "sql": {},
    "log_level": "info",
    "settings": {},
}


def paths(tier):
    return well_known_paths(tier, resolve_roots(TIERS[tier], None))


def options(tier, vhosts=("a.example",), components=("upload.a.example",), **params):
    return global_options(tier, paths(tier), dict(PARAMS, **params), vhosts, components)


def run_lua(text: str) -> dict:
    """Execute a config file as Prosody would (sections and includes recorded), return its globals."""
    lua = lupa.LuaRuntime(unpack_returned_tuples=True)
    lua.execute(
        "sections, includes = {}, {} "
        "function VirtualHost(name) sections[#sections + 1] = 'VirtualHost ' .. name end "
        "function Component(name) return function(module) sections[#sections + 1] = 'Component ' .. name .. ' ' "
        ".. module end end "
        "function Include(path) includes[#includes + 1] = path end"
    )
    lua.execute(text)
    return lua.globals()


def to_py(value):
    if lupa.lua_type(value) != "table":
        return value
    keys = list(value.keys())
    if keys == list(range(1, len(keys) + 1)):
        return [to_py(value[k]) for k in keys]
    return {k: to_py(v) for k, v in value.items()}


def test_every_tier_starts_from_the_same_policy():
    for tier in ("minimal", "debian", "enterprise"):
        found = options(tier)
        assert found["c2s_require_encryption"] is True
        assert found["s2s_secure_auth"] is True
        assert found["authentication"] == "internal_hashed"
        assert found["admins"] == ["admin@a.example"]
        assert found["data_path"] == paths(tier)["data"]
        assert found["modules_enabled"][: len(DEFAULT_MODULES)] == list(DEFAULT_MODULES)
        assert "admin_shell" in found["modules_enabled"]  # hosts are activated in place through it


def test_the_tiers_differ_where_their_records_say():
    minimal, debian, enterprise = options("minimal"), options("debian"), options("enterprise")
    assert minimal["ssl"] == {"certificate": "/prosody/certs/cert.pem", "key": "/prosody/certs/key.pem"}
    assert "ssl" not in debian
    assert "ssl" not in enterprise
    assert minimal["storage"] == "sql"
    assert minimal["sql"] == {"driver": "SQLite3", "database": "/prosody/data/prosody.sqlite"}
    assert debian["storage"] == "internal"
    assert "sql" not in debian
    assert debian["log"] == {"info": "/var/log/prosody/prosody.log", "error": "/var/log/prosody/prosody.err"}
    assert minimal["log"] == {"info": "/prosody/prosody.log"}
    assert enterprise["log"][2] == {
        "levels": {"min": "info"},
        "to": "per_host",
        "files": {
            "a.example": "/srv/prosody/logs/hosts/a.example.log",
            "upload.a.example": "/srv/prosody/logs/components/upload.a.example.log",
        },
    }
    assert "log_per_host" in enterprise["modules_enabled"]
    assert "log_per_host" not in debian["modules_enabled"]
    assert enterprise["plugin_paths"][0] == "/srv/prosody/modules/custom"
    assert debian["plugin_paths"] == ["/usr/local/lib/prosody/modules"]


def test_registration_adds_its_module_once_and_settings_win():
    found = options(
        "debian",
        allow_registration=True,
        modules_enabled=["register", "admin_shell"],
        settings={"c2s_require_encryption": False},
    )
    assert found["modules_enabled"] == ["register", "admin_shell"]
    assert found["allow_registration"] is True
    assert found["c2s_require_encryption"] is False


def test_the_restart_digest_follows_only_what_needs_a_start():
    base = options("enterprise")
    assert restart_digest(base) == restart_digest(options("enterprise", admins=["other@a.example"]))
    assert restart_digest(base) == restart_digest(options("enterprise", vhosts=("a.example", "b.example")))
    assert restart_digest(base) != restart_digest(options("enterprise", modules_enabled=["roster"]))
    assert restart_digest(base) != restart_digest(options("enterprise", storage="sql"))


def test_enterprise_keeps_its_options_in_the_files_the_tier_names():
    files = render_files("enterprise", paths("enterprise"), options("enterprise"))
    config = "/srv/prosody/config/global/"
    main = run_lua(files[config + "prosody.cfg.lua"])
    assert to_py(main["includes"]) == [
        "security.cfg.lua",
        "monitoring.cfg.lua",
        "../includes/modules.cfg.lua",
        "../includes/ssl.cfg.lua",
        "../hosts/*.cfg.lua",
        "../components/*.cfg.lua",
    ]
    assert main["admins"] is not None
    assert main["c2s_require_encryption"] is None  # in security.cfg.lua
    security = run_lua(files[config + "security.cfg.lua"])
    assert security["c2s_require_encryption"] is True
    assert security["authentication"] == "internal_hashed"
    modules = run_lua(files["/srv/prosody/config/includes/modules.cfg.lua"])
    assert "log_per_host" in to_py(modules["modules_enabled"])
    assert to_py(run_lua(files[config + "monitoring.cfg.lua"])["log"])[1]["filename"].endswith("security.log")


def test_docker_splits_its_options_into_modules_d_and_keeps_hosts_in_the_main_file():
    items = normalize_items(vhosts=[{"name": "d.example"}], components=[])
    sections = [item.section("option") for item in items]
    files = render_files("docker", paths("docker"), options("docker", settings={"motd_text": "hi"}), sections)
    config = "/opt/prosody/config/"
    main = run_lua(files[config + "prosody.cfg.lua"])
    assert to_py(main["includes"]) == [
        "modules.d/core.cfg.lua",
        "modules.d/security.cfg.lua",
        "modules.d/features.cfg.lua",
    ]
    assert to_py(main["sections"]) == ["VirtualHost d.example"]
    assert main["pidfile"] == "/opt/prosody/data/prosody.pid"  # the container has no /run/prosody of its own
    assert main["motd_text"] == "hi"
    core = run_lua(files[config + "modules.d/core.cfg.lua"])
    assert core["storage"] == "sql"
    assert to_py(core["sql"]) == {"driver": "SQLite3", "database": "/opt/prosody/data/prosody.sqlite"}
    assert to_py(core["plugin_paths"])[0] == "/opt/prosody/modules/custom"
    assert run_lua(files[config + "modules.d/security.cfg.lua"])["s2s_secure_auth"] is True
    features = run_lua(files[config + "modules.d/features.cfg.lua"])
    assert to_py(features["log"]) == {"info": "/opt/prosody/logs/prosody.log", "error": "/opt/prosody/logs/error.log"}
    assert to_py(features["http_interfaces"]) == ["*"]  # the tier's own default ...
    moved = options("docker", settings={"http_interfaces": ["127.0.0.1"]})
    assert moved["http_interfaces"] == ["127.0.0.1"]  # ... which the operator's settings override


def test_debian_includes_only_what_is_enabled():
    files = render_files("debian", paths("debian"), options("debian"))
    assert list(files) == ["/etc/prosody/prosody.cfg.lua"]
    main = run_lua(files["/etc/prosody/prosody.cfg.lua"])
    assert to_py(main["includes"]) == ["conf.d/*.cfg.lua"]
    assert to_py(main["sections"]) is None or len(main["sections"]) == 0


def test_minimal_keeps_hosts_and_components_after_the_global_options():
    items = normalize_items(
        [
            {"name": "a.example", "settings": {"motd_text": 'hi "there"; os.execute("id") --'}},
            {"name": "off.example", "enabled": False},
        ],
        [{"name": "upload.a.example", "type": "http_file_share"}],
    )
    sections = [item.section("option") for item in items]
    files = render_files("minimal", paths("minimal"), options("minimal"), sections)
    text = files["/prosody/prosody.cfg.lua"]
    found = run_lua(text)
    assert to_py(found["sections"]) == [
        "VirtualHost a.example",
        "VirtualHost off.example",
        "Component upload.a.example http_file_share",
    ]
    assert to_py(found["includes"]) is None or len(found["includes"]) == 0
    assert text.index("storage = ") < text.index('VirtualHost "a.example"')  # globals first
    assert found["motd_text"] == 'hi "there"; os.execute("id") --'  # a string, never code
    assert found["enabled"] is None or found["enabled"] is False  # off.example's own option
    assert sections_of(text) == {item.name: item.section("option") for item in items}


@pytest.mark.parametrize("tier", ["minimal", "debian", "enterprise"])
def test_every_file_is_marked_as_managed(tier):
    for text in render_files(tier, paths(tier), options(tier)).values():
        assert text.startswith("-- Managed by xmpp.prosody.config; edits here are overwritten.\n")


def test_sections_of_a_missing_or_foreign_file_is_empty():
    assert sections_of(None) == {}
    assert sections_of("-- nothing here\nadmins = {}\n") == {}


def test_databases_of_another_server_are_named_without_their_password():
    """The deployment record keeps them: a backup of the host's files refuses what it cannot hold."""
    pg = {"driver": "PostgreSQL", "database": "prosody", "host": "db.example", "password": "s3cret"}
    found = external_databases(
        options("debian", storage="sql", sql=pg),
        normalize_items([{"name": "a.example"}, {"name": "b.example", "sql": {"driver": "MySQL", "database": "b"}}]),
    )
    assert found == [
        "PostgreSQL database 'prosody' on db.example (global)",
        "MySQL database 'b' on localhost (b.example)",
    ]
    assert "s3cret" not in repr(found)


def test_sqlite_and_files_are_on_the_host():
    assert external_databases(options("minimal"), normalize_items([{"name": "a.example"}])) == []
    assert external_databases(options("debian", storage="sql")) == []
