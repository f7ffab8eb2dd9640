# SPDX-License-Identifier: GPL-3.0-or-later
"""Every module's main() with the arguments a task passes, against a real tree and stand-in commands."""

from __future__ import annotations

import json
import os
import stat

import pytest
from conftest import MY_GROUP
from cryptography import x509

from ansible_collections.xmpp.prosody.plugins.module_utils import (
    _community,
    _config_engine,
    _prosodyctl,
    _record,
    _turn,
)
from ansible_collections.xmpp.prosody.plugins.modules import (
    certdir,
    component,
    config,
    layout,
    preflight,
    service,
    vhost,
)

SECRET = 'gw-Secret"; os.execute("id") --'


def roots(tmp_path, tier="enterprise"):
    return (
        {"root": str(tmp_path / "srv")}
        if tier != "debian"
        else {
            "config": str(tmp_path / "etc"),
            "data": str(tmp_path / "lib"),
            "log": str(tmp_path / "log"),
        }
    )


def common(tmp_path, tier="enterprise"):
    return {"tier": tier, "roots": roots(tmp_path, tier), "group": MY_GROUP}


def lay_out(run_main, tmp_path, tier, names):
    args = dict(common(tmp_path, tier), user="root", vhosts=[{"name": n} for n in names])
    failed, result = run_main(layout, args)
    assert not failed, result
    return result


def test_layout_main_creates_repairs_and_reports_undeclared_tenants(tmp_path, run_main, commands):
    first = lay_out(run_main, tmp_path, "debian", [])
    assert first["changed"]
    assert "dpkg-statoverride --list" in commands.calls
    assert lay_out(run_main, tmp_path, "debian", [])["changed"] is False
    lay_out(run_main, tmp_path, "enterprise", ["t1.example", "t2.example"])
    assert lay_out(run_main, tmp_path, "enterprise", ["t1.example"])["undeclared"] == ["t2.example"]
    failed, result = run_main(layout, dict(common(tmp_path), user="root", vhosts=[{"name": "../etc"}]))
    assert failed
    assert result["msg"].startswith("vhosts[0].name: '../etc' is not a valid domain name")


def test_vhost_and_component_main_write_files_and_prune_their_own(tmp_path, run_main, commands):
    lay_out(run_main, tmp_path, "enterprise", ["a.example"])
    hosts = dict(common(tmp_path), vhosts=[{"name": "a.example"}, {"name": "b.example"}])
    failed, result = run_main(vhost, hosts)
    assert not failed, result
    assert result["validated"] is True
    assert [c["action"] for c in result["changes"]] == ["create", "create"]
    gateway = {"name": "gw.a.example", "type": "external", "secret": SECRET}
    failed, result = run_main(component, dict(common(tmp_path), components=[gateway]), diff=True)
    assert not failed, result
    assert SECRET not in json.dumps(result)
    assert 'component_secret = "********"' in result["diff"][0]["after"]
    failed, result = run_main(vhost, dict(common(tmp_path), vhosts=[{"name": "a.example"}], prune=True))
    assert [(c["action"], c["name"]) for c in result["changes"]] == [("remove", "b.example")]
    assert not (tmp_path / "srv/config/hosts/b.example.cfg.lua").exists()
    failed, result = run_main(vhost, dict(common(tmp_path, "minimal"), vhosts=[{"name": "a.example"}]))
    assert failed
    assert result["msg"] == "value of tier must be one of: debian, enterprise, got: minimal"


def test_hosts_added_by_the_modules_are_recorded_and_activated_by_service(tmp_path, run_main, commands, record):
    """The README's module_defaults example: vhost, then service, then the host is served (no restart)."""
    lay_out(run_main, tmp_path, "debian", [])
    failed, result = run_main(vhost, dict(common(tmp_path, "debian"), vhosts=[{"name": "a.example"}]), check=True)
    assert result["changed"]
    assert not record.exists()  # check mode writes no record either
    failed, result = run_main(vhost, dict(common(tmp_path, "debian"), vhosts=[{"name": "a.example"}]))
    assert not failed, result
    written = json.loads(record.read_text())
    assert (written["tier"], written["vhosts"], written["components"]) == ("debian", ["a.example"], [])
    assert (written["pending"]["hosts"], written["pending"]["up"]) == (["a.example"], ["a.example"])
    muc = {"name": "conference.a.example", "type": "muc"}
    failed, result = run_main(component, dict(common(tmp_path, "debian"), components=[muc]))
    written = json.loads(record.read_text())
    assert written["components"] == ["conference.a.example"]
    assert written["pending"]["up"] == ["a.example", "conference.a.example"]  # the earlier call's host stays
    args = {"tier": "debian", "roots": roots(tmp_path, "debian")}
    commands.forget()
    failed, result = run_main(service, args)
    assert (result["action"], result["up"]) == ("activate", ["a.example", "conference.a.example"])
    assert not any("restart" in call for call in commands.calls)
    assert json.loads(record.read_text())["pending"]["hosts"] == []
    # taken out: dropped from the record, and taken down in the running server
    failed, result = run_main(
        vhost, dict(common(tmp_path, "debian"), vhosts=[{"name": "a.example", "state": "absent"}])
    )
    written = json.loads(record.read_text())
    assert written["vhosts"] == []
    assert (written["pending"]["hosts"], written["pending"]["up"]) == (["a.example"], [])
    # unchanged: nothing to write, nothing pending
    failed, result = run_main(component, dict(common(tmp_path, "debian"), components=[muc]))
    assert result["changed"] is False


def test_a_host_that_does_not_work_after_the_change_fails_the_run_and_stays_pending(
    tmp_path, run_main, commands, record
):
    """The health gate: a host the server does not serve, or whose module Prosody could not load, is named;
    what failed stays pending, so the next run applies and checks it again instead of going green."""
    lay_out(run_main, tmp_path, "debian", [])
    hosts = [{"name": "a.example"}, {"name": "b.example"}, {"name": "c.example"}]
    assert not run_main(vhost, dict(common(tmp_path, "debian"), vhosts=hosts))[0]
    log = tmp_path / "log/prosody.log"
    log.write_text("Dec 07 15:00:00 startup\tinfo\tHello and welcome to Prosody version 13.0.1\n")
    commands.set("unserved", "b.example")
    args = {"tier": "debian", "roots": roots(tmp_path, "debian")}

    # what Prosody writes while the activation loads c.example's modules
    commands.set(
        "logged",
        "Dec 07 15:00:01 modulemanager\terror\tError initializing module 'muc' on 'c.example': "
        "MUC should be loaded as a component",
    )
    shell = '#!/bin/sh\necho "prosodyctl $*" >> "$FAKE/calls"\ncat "$FAKE/logged" >> %s\necho "| OK: re-activated"\n'
    (commands.directory / "prosodyctl").write_text(shell % log)
    failed, result = run_main(service, args)
    assert failed
    assert result["msg"].startswith("Prosody runs, but not every host works after the activate")
    assert "b.example is not served: the server answered host-unknown" in result["msg"]
    assert "c.example: module muc failed to load: MUC should be loaded as a component" in result["msg"]
    assert "a.example" not in result["msg"]
    pending = json.loads(record.read_text())["pending"]
    assert (pending["hosts"], pending["up"]) == (["b.example", "c.example"], ["b.example", "c.example"])
    # nothing fixed: the next run activates them again, and fails again
    failed, again = run_main(service, args)
    assert failed
    assert again["msg"] == result["msg"]


def test_the_modules_refuse_a_host_of_another_tier(tmp_path, run_main, commands, record):
    lay_out(run_main, tmp_path, "enterprise", ["a.example"])
    configure(run_main, tmp_path, vhosts=[{"name": "a.example"}])
    failed, result = run_main(vhost, dict(common(tmp_path, "debian"), vhosts=[{"name": "b.example"}]))
    assert failed
    assert result["msg"].startswith("tier: this host runs the enterprise tier of xmpp.prosody")
    assert json.loads(record.read_text())["vhosts"] == ["a.example"]


def test_certdir_main_makes_the_ca_once_and_issues_from_it(tmp_path, run_main):
    lay_out(run_main, tmp_path, "enterprise", ["a.example"])
    args = dict(
        common(tmp_path),
        user="root",
        certificates=[{"name": "a.example", "also_covers": ["*.a.example"]}],
        issuer={"create": True, "common_name": "Test CA"},
    )
    failed, predicted = run_main(certdir, args, check=True)
    assert not failed, predicted
    assert predicted["ca_created"] is True
    assert predicted["changed"] is True
    ca = tmp_path / "srv/certs/ca"
    assert os.listdir(ca) == []  # check mode made nothing
    failed, result = run_main(certdir, args)
    assert not failed, result
    assert result["ca_created"] is True
    assert result["certificates"][0]["issued"] is True
    assert result["certificates"][0]["dns_names"] == ["a.example", "*.a.example"]
    assert stat.S_IMODE(os.stat(ca / "ca.key").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(ca / "ca.pem").st_mode) == 0o644
    assert stat.S_IMODE(os.stat(tmp_path / "srv/certs/domains/a.example/privkey.pem").st_mode) == 0o640
    assert "PRIVATE KEY" not in json.dumps(result)
    ca_cert = x509.load_pem_x509_certificate((ca / "ca.pem").read_bytes())
    assert ca_cert.extensions.get_extension_for_class(x509.BasicConstraints).value.path_length == 0
    ca_usage = ca_cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert (ca_usage.key_cert_sign, ca_usage.digital_signature) == (True, False)
    issued = x509.load_pem_x509_certificate((tmp_path / "srv/certs/domains/a.example/fullchain.pem").read_bytes())
    usage = issued.extensions.get_extension_for_class(x509.KeyUsage).value
    assert (usage.key_cert_sign, usage.digital_signature) == (False, True)
    failed, again = run_main(certdir, args)
    assert again["changed"] is False
    assert again["ca_created"] is False


CONFIG = {"admins": ["admin@a.example"], "prune": True}


def configure(run_main, tmp_path, tier="enterprise", check=False, **args):
    args = dict(common(tmp_path, tier), **dict(CONFIG, **args))
    return run_main(config, args, check=check, diff=True)


def test_config_main_writes_validates_records_and_is_idempotent(tmp_path, run_main, commands, record):
    lay_out(run_main, tmp_path, "enterprise", ["a.example"])
    vhosts = [{"name": "a.example"}]
    unit = {"path": str(tmp_path / "unit/x.conf"), "content": "[Service]\n", "mode": "0644", "effect": "unit"}
    failed, predicted = configure(run_main, tmp_path, check=True, vhosts=vhosts, files=[unit])
    assert not failed, predicted
    assert not record.exists()
    failed, result = configure(run_main, tmp_path, vhosts=vhosts, files=[unit])
    assert not failed, result
    assert result["changes"] == predicted["changes"]
    assert result["validated"] is True
    assert commands.calls == ["prosodyctl --config %s check config" % result["config"]]
    # No record yet: what runs there now was not started from this configuration.
    assert result["pending"] == {
        "restart": True,
        "daemon_reload": True,
        "reload": True,
        "hosts": ["a.example"],
        "up": ["a.example"],
        "coturn": False,
    }
    written = json.loads(record.read_text())
    assert written["tier"] == "enterprise"
    assert written["vhosts"] == ["a.example"]
    assert written["pending"] == result["pending"]
    assert stat.S_IMODE(os.stat(tmp_path / "unit").st_mode) == 0o755  # a missing parent is made
    commands.forget()
    failed, again = configure(run_main, tmp_path, vhosts=vhosts, files=[unit])
    assert again["changed"] is False
    assert commands.calls == []  # nothing changed: nothing to validate


def test_config_main_puts_everything_back_when_prosody_refuses(tmp_path, run_main, commands, record):
    lay_out(run_main, tmp_path, "enterprise", ["a.example"])
    configure(run_main, tmp_path, vhosts=[{"name": "a.example"}])
    main = tmp_path / "srv/config/global/prosody.cfg.lua"
    before, recorded = main.read_text(), record.read_text()
    rendered = tmp_path / "nginx.conf"  # a file rendered from the role's templates, changed in the same run
    rendered.write_text("old\n")
    commands.set("check-rc", 2)
    nginx = {"path": str(rendered), "content": "new\n", "mode": "0644", "effect": "none"}
    failed, result = configure(
        run_main, tmp_path, vhosts=[{"name": "a.example", "settings": {"c2s_ports": [5222]}}], files=[nginx]
    )
    assert failed
    assert rendered.read_text() == "old\n"
    assert result["msg"].startswith("prosodyctl check config refused the new configuration (rc 2)")
    assert "c2s_ports is misplaced" in result["msg"]
    assert main.read_text() == before
    assert "c2s_ports" not in (tmp_path / "srv/config/hosts/a.example.cfg.lua").read_text()
    assert record.read_text() == recorded


def test_config_main_on_the_minimal_tier_names_the_changed_sections(tmp_path, run_main, commands, record):
    lay_out(run_main, tmp_path, "minimal", [])
    gateway = {"name": "gw.a.example", "type": "external", "secret": SECRET}
    failed, first = configure(run_main, tmp_path, "minimal", vhosts=[{"name": "a.example"}], components=[gateway])
    assert not failed, first
    assert first["hosts"] == ["a.example", "gw.a.example"]
    assert SECRET not in json.dumps(first)
    assert 'component_secret = "********"' in first["diff"][0]["after"]
    vhosts = [{"name": "a.example", "settings": {"motd_text": "hi"}}, {"name": "b.example"}]
    failed, second = configure(run_main, tmp_path, "minimal", vhosts=vhosts, components=[gateway])
    assert second["hosts"] == ["a.example", "b.example"]
    assert second["pending"]["restart"] is True  # still pending: nothing applied it yet
    assert second["pending"]["up"] == ["a.example", "b.example", "gw.a.example"]
    # only the secret changes: the diff says so, without either value (the sections share the main file)
    rotated = dict(gateway, secret="Rotated-Secret-0815")
    failed, secret = configure(run_main, tmp_path, "minimal", vhosts=vhosts, components=[rotated])
    assert secret["hosts"] == ["gw.a.example"]
    (main_diff,) = [d for d in secret["diff"] if d["after_header"].endswith("prosody.cfg.lua")]
    assert main_diff["after"].endswith("-- (a secret value changed; neither value is shown)\n")
    assert "Rotated-Secret-0815" not in json.dumps(secret)
    assert SECRET not in json.dumps(secret)
    failed, refused = configure(run_main, tmp_path, "minimal", vhosts=[{"name": "a.example", "settings": {"x-y": 1}}])
    assert failed
    assert refused["msg"].startswith("vhosts[0].settings: option name 'x-y' is not allowed")


def test_service_main_applies_what_is_pending_once(tmp_path, run_main, commands, record):
    lay_out(run_main, tmp_path, "enterprise", ["a.example"])
    configure(run_main, tmp_path, vhosts=[{"name": "a.example"}])
    args = common(tmp_path)
    del args["group"]
    commands.forget()
    failed, predicted = run_main(service, args, check=True)
    assert (predicted["action"], predicted["daemon_reload"]) == ("restart", False)
    assert commands.calls == ["systemctl show prosody.service --property=LoadState,ActiveState,UnitFileState"]
    failed, result = run_main(service, args)
    assert not failed, result
    assert result["action"] == "restart"
    assert "systemctl restart prosody.service" in commands.calls
    assert json.loads(record.read_text())["pending"]["restart"] is False
    failed, again = run_main(service, args)
    assert again["changed"] is False
    # a new tenant: activated in the running server, nobody restarted
    lay_out(run_main, tmp_path, "enterprise", ["a.example", "b.example"])
    failed, written = configure(run_main, tmp_path, vhosts=[{"name": "a.example"}, {"name": "b.example"}])
    commands.forget()
    failed, result = run_main(service, dict(args, pending=written["pending"]))
    assert (result["action"], result["down"], result["up"]) == ("activate", ["b.example"], ["b.example"])
    (shell,) = [call for call in commands.calls if " shell " in call]
    assert 'local down, up = { "b.example" }, { "b.example" };' in shell
    assert not any("restart" in call for call in commands.calls)
    # not wanted: stopped and disabled
    failed, result = run_main(service, dict(args, enabled=False))
    assert result["action"] == "stop"
    assert "systemctl disable prosody.service" in commands.calls


def test_service_main_starts_a_stopped_server_and_reports_a_failed_start(tmp_path, run_main, commands, record):
    commands.set("active", "inactive")
    args = {"tier": "minimal", "roots": roots(tmp_path, "minimal"), "reload": True}
    failed, result = run_main(service, args)
    assert (result["action"], result["changed"]) == ("start", True)
    commands.set("active", "failed")
    failing = '#!/bin/sh\n[ "$1" = show ] && { echo ActiveState=failed; echo UnitFileState=enabled; exit 0; }\nexit 1\n'
    (commands.directory / "systemctl").write_text(failing)
    failed, result = run_main(service, args)
    assert failed
    assert "systemctl start prosody.service failed" in result["msg"]
    assert "journal: prosody said something" in result["msg"]


def test_preflight_main_guards_the_deployment(tmp_path, run_main, commands, record):
    tenants = [{"name": "t%d.example" % i} for i in range(4)]
    args = dict(common(tmp_path), vhosts=tenants)
    del args["group"]
    failed, result = run_main(preflight, args)
    assert (failed, result["deployed"], result["changed"]) == (False, None, False)
    lay_out(run_main, tmp_path, "enterprise", [t["name"] for t in tenants])
    configure(run_main, tmp_path, vhosts=tenants)
    failed, result = run_main(preflight, dict(args, vhosts=tenants[1:]))
    assert (failed, result["removed"]) == (False, ["t0.example"])
    failed, result = run_main(preflight, dict(args, vhosts=[]))
    assert failed
    assert "would remove 4 of the 4 hosts and components managed here" in result["msg"]
    assert run_main(preflight, dict(args, vhosts=[], prune_confirm=4))[0] is False
    failed, result = run_main(preflight, {"tier": "minimal", "roots": roots(tmp_path, "minimal")})
    assert failed
    assert result["msg"].startswith("tier: this host runs the enterprise tier of xmpp.prosody")


def test_preflight_main_names_the_packages_that_are_missing(tmp_path, run_main, commands, record):
    commands.set("installed", "prosody\npython3-cryptography")
    args = {"tier": "minimal", "roots": roots(tmp_path, "minimal")}
    wanted = ["prosody", "python3-cryptography", "lua-dbi-sqlite3"]
    assert run_main(preflight, dict(args, packages=wanted))[1]["missing"] == ["lua-dbi-sqlite3"]
    assert run_main(preflight, dict(args, packages=wanted[:2]))[1]["missing"] == []
    assert run_main(preflight, args)[1]["missing"] == []


class Killed(BaseException):
    """The run dies here (the controller killed, the connection lost): nothing after it runs."""


def test_a_config_run_cut_short_after_writing_leaves_its_changes_pending(tmp_path, run_main, commands, record):
    lay_out(run_main, tmp_path, "enterprise", ["a.example", "b.example"])
    configure(run_main, tmp_path, vhosts=[{"name": "a.example"}])
    run_main(service, {"tier": "enterprise", "roots": roots(tmp_path)})  # applied: nothing pending
    assert json.loads(record.read_text())["pending"] == _record.NOTHING_PENDING
    real = _config_engine.apply_validated

    def killed(module, write, check):
        real(module, write, check)  # the new host's file is written and valid ...
        raise Killed  # ... and the run dies before the service step

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_config_engine, "apply_validated", killed)
        with pytest.raises(Killed):
            configure(run_main, tmp_path, vhosts=[{"name": "a.example"}, {"name": "b.example"}])
    failed, again = configure(run_main, tmp_path, vhosts=[{"name": "a.example"}, {"name": "b.example"}])
    assert not failed, again
    assert again["changes"] == []  # the files were written by the run that died
    assert (again["pending"]["reload"], again["pending"]["up"]) == (True, ["b.example"])  # still to apply
    failed, applied = run_main(service, {"tier": "enterprise", "roots": roots(tmp_path), "pending": again["pending"]})
    assert (applied["action"], applied["up"]) == ("activate", ["b.example"])


def test_a_certdir_run_cut_short_after_writing_still_owes_the_reload(tmp_path, run_main, commands, record):
    lay_out(run_main, tmp_path, "enterprise", ["a.example"])
    configure(run_main, tmp_path, vhosts=[{"name": "a.example"}])
    run_main(service, {"tier": "enterprise", "roots": roots(tmp_path)})
    args = dict(common(tmp_path), user="root", certificates=[{"name": "a.example"}], issuer={"create": True})
    failed, result = run_main(certdir, args)
    assert not failed, result
    assert result["changed"] is True
    # the run dies here, before the service step that would reload: the record still says so
    assert json.loads(record.read_text())["pending"]["reload"] is True
    failed, reloaded = run_main(service, {"tier": "enterprise", "roots": roots(tmp_path)})
    assert reloaded["action"] == "reload"
    assert json.loads(record.read_text())["pending"]["reload"] is False


def test_config_main_never_shows_an_sql_password(tmp_path, run_main, commands, record):
    # The module's whole output, its arguments (what -vvv prints) and its diff included.
    lay_out(run_main, tmp_path, "minimal", ["a.example"])
    sql = {
        "driver": "PostgreSQL",
        "database": "prosody",
        "host": "db",
        "username": "prosody",
        "password": "Sql-Pw-4711",
    }
    host_sql = dict(sql, password="Host-Pw-0815")
    failed, result = configure(
        run_main, tmp_path, "minimal", vhosts=[{"name": "a.example", "sql": host_sql}], storage="sql", sql=sql
    )
    assert not failed, result
    shown = json.dumps(result)
    assert "Sql-Pw-4711" not in shown
    assert "Host-Pw-0815" not in shown
    assert 'password = "********"' in result["diff"][0]["after"]
    written = (tmp_path / "srv/prosody.cfg.lua").read_text()
    assert 'password = "Sql-Pw-4711"' in written
    assert 'password = "Host-Pw-0815"' in written
    assert "port" not in written  # what was not given is not written (Ansible fills it in as None)
    failed, refused = configure(run_main, tmp_path, "minimal", vhosts=[{"name": "a.example"}], sql={"passwd": "x"})
    assert failed
    assert "passwd" in refused["msg"]


def test_service_main_waits_after_a_start_until_the_admin_shell_answers(
    tmp_path, run_main, commands, record, monkeypatch
):
    monkeypatch.setattr(_prosodyctl, "DELAY", 0)
    commands.set("active", "inactive")
    # The admin socket listens only from the third try on, as right after a start with many hosts.
    (commands.directory / "prosodyctl").write_text(
        '#!/bin/sh\necho "prosodyctl $*" >> "$FAKE/calls"\nn=$(($(cat "$FAKE/tries" 2>/dev/null || echo 0) + 1))\n'
        'echo $n > "$FAKE/tries"\n[ $n -ge 3 ] && { echo "| OK: 0.12"; exit 0; }\n'
        'echo "Unable to connect to server - is it running?"; exit 1\n'
    )
    failed, result = run_main(service, {"tier": "minimal", "roots": roots(tmp_path, "minimal")})
    assert not failed, result
    assert result["action"] == "start"
    shells = [call for call in commands.calls if " shell " in call]
    assert shells == ["prosodyctl --config %s/srv/prosody.cfg.lua shell server:version()" % tmp_path] * 3
    monkeypatch.setattr(_prosodyctl, "RETRIES", 2)
    (commands.directory / "tries").write_text("-10\n")  # never answers within the tries
    commands.set("active", "inactive")
    failed, result = run_main(service, {"tier": "minimal", "roots": roots(tmp_path, "minimal")})
    assert failed
    assert result["msg"].startswith("Prosody was started but does not answer its admin shell: Unable to connect")


def test_config_main_copies_community_modules_and_records_their_restart(
    tmp_path, run_main, commands, record, monkeypatch
):
    package = tmp_path / "prosody-modules"
    (package / "mod_cloud_notify").mkdir(parents=True)
    (package / "mod_cloud_notify" / "mod_cloud_notify.lua").write_text("-- push\n")
    read_directory = _community.read_directory
    monkeypatch.setattr(
        _community,
        "read_directory",
        lambda base, name: read_directory(str(package) if base == _community.SYSTEM else base, name),
    )
    monkeypatch.setattr(_community, "BUNDLED_LIST", str(tmp_path / "no-such-list"))
    lay_out(run_main, tmp_path, "minimal", [])
    push = [{"name": "cloud_notify"}]
    failed, predicted = configure(
        run_main, tmp_path, "minimal", check=True, vhosts=[{"name": "a.example"}], community=push
    )
    assert (failed, predicted["community"][0]["action"]) == (False, "copy")
    failed, first = configure(run_main, tmp_path, "minimal", vhosts=[{"name": "a.example"}], community=push)
    assert not failed, first
    assert (tmp_path / "srv/modules/mod_cloud_notify/mod_cloud_notify.lua").read_text() == "-- push\n"
    assert json.loads(record.read_text())["pending"]["restart"] is True
    failed, again = configure(run_main, tmp_path, "minimal", vhosts=[{"name": "a.example"}], community=push)
    assert (again["changed"], again["community"][0]["action"]) == (False, "keep")
    (package / "mod_cloud_notify" / "mod_cloud_notify.lua").write_text("-- push 2\n")
    written = json.loads(record.read_text())
    record.write_text(json.dumps(dict(written, pending=dict(written["pending"], restart=False))))
    failed, newer = configure(run_main, tmp_path, "minimal", vhosts=[{"name": "a.example"}], community=push)
    assert (newer["changed"], newer["pending"]["restart"]) == (True, True)  # new module code: a restart
    assert newer["diff"][-1]["after"].startswith(str(tmp_path / "srv/modules/mod_cloud_notify"))


def test_config_main_never_shows_the_turn_secret(tmp_path, run_main, commands, record, monkeypatch):
    monkeypatch.setattr(_turn, "CONFIG", str(tmp_path / "turnserver.conf"))
    monkeypatch.setitem(_config_engine._COTURN_FILE, "path", str(tmp_path / "turnserver.conf"))
    monkeypatch.setitem(_config_engine._COTURN_FILE, "group", MY_GROUP)
    lay_out(run_main, tmp_path, "minimal", [])
    turn = {"secret": "Turn-Secret-4711-abcdef"}
    failed, result = configure(run_main, tmp_path, "minimal", vhosts=[{"name": "a.example"}], turn=turn)
    assert not failed, result
    assert "Turn-Secret-4711-abcdef" not in json.dumps(result)
    assert "static-auth-secret=Turn-Secret-4711-abcdef" in (tmp_path / "turnserver.conf").read_text()
    assert 'turn_external_secret = "Turn-Secret-4711-abcdef"' in (tmp_path / "srv/prosody.cfg.lua").read_text()
    assert result["coturn"] == "restarted"  # coturn reads its secret only when it starts
    # the run is cut short before coturn restarts: the next one still says so
    failed, again = configure(run_main, tmp_path, "minimal", vhosts=[{"name": "a.example"}], turn=turn)
    assert (failed, again["changed"], again["coturn"]) == (False, False, "restarted")
    service_args = common(tmp_path, "minimal")
    del service_args["group"]
    failed, applied = run_main(service, service_args)  # after coturn's task: what was pending is applied
    assert (failed, applied["changed"], json.loads(record.read_text())["pending"]["coturn"]) == (False, True, False)
    failed, again = configure(run_main, tmp_path, "minimal", vhosts=[{"name": "a.example"}], turn=turn)
    assert (failed, again["changed"], again["coturn"]) == (False, False, "started")
    elsewhere = dict(turn, install=False)
    failed, other = configure(run_main, tmp_path, "minimal", vhosts=[{"name": "a.example"}], turn=elsewhere)
    assert (failed, other["coturn"]) == (False, "")  # the TURN server runs elsewhere: nothing to run here
