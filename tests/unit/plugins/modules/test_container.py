# SPDX-License-Identifier: GPL-3.0-or-later
"""The docker tier's modules against a stand-in docker command: what each runs, and when."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import types

import pytest
from conftest import MY_GROUP

from ansible_collections.xmpp.prosody.plugins.module_utils import _record, _runtime
from ansible_collections.xmpp.prosody.plugins.module_utils._errors import ProsodyError
from ansible_collections.xmpp.prosody.plugins.module_utils._runtime import ContainerError, started_ns
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS
from ansible_collections.xmpp.prosody.plugins.modules import account, config, layout, preflight, restore, service

CONTAINER = {"name": "prosody", "image": "xmpp-prosody:0123456789ab", "user": "5222:5222"}


def args(tmp_path, **more):
    return dict({"tier": "docker", "roots": {"root": str(tmp_path / "opt")}, "container": CONTAINER}, **more)


@pytest.fixture
def deployed(tmp_path, run_main, commands, record):
    """A laid-out docker tree with a written configuration (validated in the stand-in's throwaway container)."""
    tree = {"tier": "docker", "roots": {"root": str(tmp_path / "opt")}, "user": "root", "group": MY_GROUP}
    failed, result = run_main(layout, dict(tree, vhosts=[{"name": "d.example"}]))
    assert not failed, result
    failed, result = run_main(config, args(tmp_path, group=MY_GROUP, vhosts=[{"name": "d.example"}]))
    assert not failed, result
    return result


def started(commands, when_ns: int) -> None:
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(when_ns // 10**9)) + ".%09dZ" % (when_ns % 10**9)
    commands.set("state", json.dumps({"Running": True, "StartedAt": stamp}))


def test_the_configuration_is_checked_in_a_throwaway_container_with_the_live_mounts(tmp_path, deployed, commands):
    assert deployed["validated"] is True
    root = tmp_path / "opt"
    (check,) = [call for call in commands.calls if call.startswith("docker run")]
    assert check.startswith("docker run --rm --network none --user 5222:5222 --entrypoint prosodyctl ")
    assert "--mount type=bind,source=%s/config,target=%s/config,readonly " % (root, root) in check
    assert "--mount type=bind,source=%s/data,target=%s/data " % (root, root) in check
    assert check.endswith("xmpp-prosody:0123456789ab --config %s/config/prosody.cfg.lua check config" % root)
    assert not any(call.startswith("prosodyctl") for call in commands.calls)  # the host has no Prosody


def test_a_refused_configuration_never_reaches_the_live_files(tmp_path, run_main, deployed, commands):
    live = tmp_path / "opt/config/prosody.cfg.lua"
    before = live.read_bytes()
    commands.set("check-rc", 2)
    changed = args(tmp_path, group=MY_GROUP, vhosts=[{"name": "d.example"}], settings={"motd_text": "x"})
    failed, result = run_main(config, changed)
    assert failed
    assert "prosodyctl check config refused the new configuration (rc 2)" in result["msg"]
    assert "c2s_ports is misplaced" in result["msg"]
    assert live.read_bytes() == before


def test_an_option_change_is_a_sighup_to_the_same_container(tmp_path, run_main, deployed, commands, record):
    started(commands, os.stat(record).st_mtime_ns - 10**9)  # running since before the change was written
    commands.forget()
    failed, result = run_main(service, args(tmp_path, pending=dict(_record.NOTHING_PENDING, reload=True)))
    assert not failed, result
    assert result["action"] == "reload"
    assert commands.calls[-1] == "docker kill --signal HUP prosody"


def test_a_module_change_restarts_the_container_and_waits_for_its_admin_shell(
    tmp_path, run_main, deployed, commands, record
):
    started(commands, os.stat(record).st_mtime_ns - 10**9)
    commands.forget()
    failed, result = run_main(service, args(tmp_path, pending=dict(_record.NOTHING_PENDING, restart=True)))
    assert not failed, result
    assert result["action"] == "restart"
    root = tmp_path / "opt"
    assert commands.calls[-3:] == [
        "docker restart prosody",
        "docker exec --interactive --user 5222:5222 prosody prosodyctl --config %s/config/prosody.cfg.lua "
        "shell server:version()" % root,
        # the health gate: the host answers a client's stream, inside the container
        "docker exec --interactive --user 5222:5222 prosody lua5.4 - 10 127.0.0.1 5222 127.0.0.1 5269 c:d.example",
    ]
    assert json.loads(record.read_text())["pending"] == _record.NOTHING_PENDING


def test_a_container_started_after_the_change_has_it_already(tmp_path, run_main, deployed, commands, record):
    # e.g. just recreated on a new image by the role's container task: no second restart
    assert json.loads(record.read_text())["pending"]["restart"] is True
    started(commands, time.time_ns())  # after the record and every file were written
    commands.forget()
    failed, result = run_main(service, args(tmp_path))
    assert not failed, result
    assert (result["action"], result["changed"]) == ("none", True)
    # no restart: once its admin shell answers, the health gate looks at what it serves
    assert [call.split(" prosody ", 1)[-1] for call in commands.calls] == [
        "docker inspect --type container --format {{json .State}} prosody",
        "prosodyctl --config %s/opt/config/prosody.cfg.lua shell server:version()" % tmp_path,
        "lua5.4 - 10 127.0.0.1 5222 127.0.0.1 5269 c:d.example",
    ]
    assert json.loads(record.read_text())["pending"] == _record.NOTHING_PENDING


def test_an_unchanged_run_asks_the_container_nothing_more(tmp_path, run_main, deployed, commands, record):
    """The health gate looks at what a change brought up: a run with nothing pending costs one inspect."""
    started(commands, time.time_ns())
    assert not run_main(service, args(tmp_path))[0]  # took up the pending start: checked once
    commands.forget()
    failed, again = run_main(service, args(tmp_path))
    assert (failed, again["changed"]) == (False, False)
    assert commands.calls == ["docker inspect --type container --format {{json .State}} prosody"]


def test_a_container_that_restarted_before_a_file_was_written_still_gets_its_reload(
    tmp_path, run_main, deployed, commands, record
):
    # The container restarted on its own after the record was written but before a certificate was:
    # it has not read the certificate, so the pending reload still goes to it.
    started(commands, os.stat(record).st_mtime_ns + 1)
    key = tmp_path / "opt/certs/auto/d.example/privkey.pem"
    key.parent.mkdir(parents=True, exist_ok=True)
    key.write_text("written after the start\n")
    os.utime(key, ns=(os.stat(record).st_mtime_ns + 10**9, os.stat(record).st_mtime_ns + 10**9))
    commands.forget()
    failed, result = run_main(service, args(tmp_path, pending=dict(_record.NOTHING_PENDING, reload=True)))
    assert not failed, result
    assert result["action"] == "reload"
    assert commands.calls[-1] == "docker kill --signal HUP prosody"


def test_a_missing_container_is_named(tmp_path, run_main, deployed, commands):
    failed, result = run_main(service, args(tmp_path))
    assert failed
    assert result["msg"] == "container prosody does not exist; the role's container task creates it"
    failed, result = run_main(service, dict(args(tmp_path), container=None))
    assert failed
    assert result["msg"].startswith("container: required for tier 'docker'")


def test_accounts_are_managed_through_docker_exec(tmp_path, run_main, deployed, commands):
    started(commands, time.time_ns())
    commands.forget()
    run_main(account, args(tmp_path, accounts=[{"jid": "a@d.example", "password": "pw"}]))
    root = tmp_path / "opt"
    shells = [call for call in commands.calls if call.startswith("docker exec")]
    assert shells, commands.calls
    assert shells[0].startswith(
        "docker exec --interactive --user 5222:5222 --env LUA_INIT=package.preload.readline = function() "
    )
    assert shells[0].endswith(" prosody prosodyctl --config %s/config/prosody.cfg.lua shell" % root)
    assert "pw" not in " ".join(shells)  # the password goes in on stdin


def test_preflight_names_the_missing_docker_command(tmp_path, run_main, commands, record, monkeypatch):
    monkeypatch.setenv("PATH", str(commands.directory / "nothing"))
    failed, result = run_main(preflight, args(tmp_path))
    assert failed
    assert result["msg"] == "docker: no docker command on this host; install Docker (docker.io or docker-ce) first"


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("2026-11-25T16:47:31.123456789Z", 1795625251123456789),
        ("2026-11-25T16:47:31Z", 1795625251000000000),
        ("2026-11-25T16:47:31.5Z", 1795625251500000000),
    ],
)
def test_docker_start_times_are_read_to_the_nanosecond(text, wanted):
    assert started_ns(text) == wanted


def test_a_start_time_in_another_format_is_refused():
    with pytest.raises(ContainerError, match="not in Docker's format"):
        started_ns("2026-11-25 16:47:31")


def _bin(name, required=False):
    return shutil.which(name)


def _run(argv):
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    return done.returncode, done.stdout, done.stderr


def test_a_stopped_container_did_not_start_after_anything(commands):
    # docker's answer for a container that never ran: no start time to read
    commands.set("state", '{"Running": false, "StartedAt": "0001-01-01T00:00:00Z"}')
    module = types.SimpleNamespace(get_bin_path=_bin, run_command=_run, params={}, check_mode=False)
    server = _runtime.runtime(module, TIERS["docker"], {"name": "prosody", "user": "prosody"})
    assert server.active is False
    assert server.started_after([__file__]) is False


@pytest.mark.parametrize("tier", ["docker", "debian"])
@pytest.mark.parametrize("running", [True, False])
def test_a_restore_stops_a_running_server_and_starts_it_again(commands, tier, running):
    # the same runtime as the service module's: the container, or the systemd unit
    commands.set("state", json.dumps({"Running": running, "StartedAt": "2026-11-25T16:47:31Z"}))
    commands.set("active", "active" if running else "inactive")
    module = types.SimpleNamespace(get_bin_path=_bin, run_command=_run, params={}, check_mode=False)
    resume = restore._pause(_runtime.runtime(module, TIERS[tier], {"name": "prosody"}))
    resume()
    acted = [call for call in commands.calls if " inspect " not in call and " show " not in call]
    verb = {"docker": "docker %s prosody", "debian": "systemctl %s prosody.service"}[tier]
    assert acted == ([verb % "stop", verb % "start"] if running else [])


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"name": "prosody", "user": "5222:5222"}, {"name": "prosody", "user": "5222:5222"}),
        ("prosody", {"name": "prosody"}),
        (None, {"name": "prosody"}),  # the default, as before the option became a dict
    ],
)
def test_a_restore_takes_the_container_as_every_module_does_and_its_name_alone_for_now(given, expected):
    said = []
    module = types.SimpleNamespace(params={"container": given}, deprecate=lambda msg, **kw: said.append((msg, kw)))
    assert restore._container(module) == expected
    assert [kw["version"] for _msg, kw in said] == (["1.0.0"] if isinstance(given, str) else [])


def test_a_restore_refuses_a_container_without_a_name():
    module = types.SimpleNamespace(params={"container": {"image": "x"}})
    with pytest.raises(ProsodyError, match=r"container: .* give at least its name"):
        restore._container(module)


def test_a_runtime_asks_for_its_tools_only_when_it_needs_them():
    # running prosodyctl (accounts, the configuration check) needs no systemctl, nor a container's name docker
    def bin_path(name, required=False):
        if name in ("systemctl", "docker"):
            raise AssertionError("%s looked up" % name)
        return "/usr/bin/" + name

    module = types.SimpleNamespace(get_bin_path=bin_path, params={}, check_mode=False)
    assert _runtime.runtime(module, TIERS["debian"]).prosodyctl("/etc/prosody/prosody.cfg.lua") == [
        "/usr/bin/prosodyctl",
        "--config",
        "/etc/prosody/prosody.cfg.lua",
    ]
    module.get_bin_path = lambda name, required=False: None  # a host without docker: preflight says so
    with pytest.raises(ContainerError, match="docker: no docker command on this host"):
        _runtime.runtime(module, TIERS["docker"]).require()
