# SPDX-License-Identifier: GPL-3.0-or-later
"""mod_log_per_host (the enterprise log sink) in real Lua 5.4, with Prosody's loggingmanager stubbed."""

from __future__ import annotations

import pathlib

import lupa.lua54 as lupa
import pytest

MODULE = pathlib.Path(__file__).parents[3] / "roles/prosody/files/enterprise/mod_log_per_host.lua"
HOSTS = ["t1.test", "conference.t1.test", "t2.test", "bücher.test"]


@pytest.fixture
def sink(tmp_path):
    lua = lupa.LuaRuntime(unpack_returned_tuples=True)
    lua.execute(
        """
        sinks = {}
        module = { set_global = function() end, hook_global = function() end }
        package.preload["core.loggingmanager"] = function()
            return { register_sink_type = function(name, make) sinks[name] = make end }
        end
        package.preload["util.format"] = function() return { format = string.format } end
        """
    )
    lua.execute(MODULE.read_text())
    files = lua.table_from({host: str(tmp_path / (host + ".log")) for host in HOSTS})
    return lua.globals().sinks["per_host"](lua.table_from({"files": files}))


def lines(tmp_path, host):
    path = tmp_path / (host + ".log")
    return path.read_text().splitlines() if path.exists() else []


@pytest.mark.parametrize(
    ("name", "message", "args", "host"),
    [
        ("t1.test:saslauth", "Authenticated", (), "t1.test"),
        ("conference.t1.test", "Room created", (), "conference.t1.test"),
        ("c2s55d", "Authenticated as %s", ("alice@t1.test",), "t1.test"),
        ("c2s55d", "Joined %s", ("room@conference.t1.test/nick",), "conference.t1.test"),
        ("c2s55d", "Session for %s.", ("bob@t2.test",), "t2.test"),
        ("c2s55d", "Authenticated as %s", ("ü@bücher.test",), "bücher.test"),
    ],
)
def test_a_line_lands_in_its_host_file_only(tmp_path, sink, name, message, args, host):
    sink(name, "info", message, *args)
    assert len(lines(tmp_path, host)) == 1
    assert [h for h in HOSTS if h != host and lines(tmp_path, h)] == []


@pytest.mark.parametrize("text", ["alice@t1.test.evil", "alice@xt1.test", "no jid at all", "mail to @t3.test"])
def test_a_line_about_no_configured_host_lands_nowhere(tmp_path, sink, text):
    sink("c2s55d", "info", text)
    assert [h for h in HOSTS if lines(tmp_path, h)] == []
