# SPDX-License-Identifier: GPL-3.0-or-later
"""The minimal tier as a user sees it: tree, config check, service, and a real XMPP login."""

from __future__ import annotations

import pytest
from xmpp_helpers import converge, expected_tree, probe, register

ROOT = "/prosody"
CA = ROOT + "/certs/.ca/ca.pem"  # the local CA that issued the certificate
TREE = expected_tree("minimal")


@pytest.mark.parametrize(("path", "kind", "owner", "group", "mode"), TREE)
def test_layout_entry(host, path, kind, owner, group, mode):
    f = host.file(path)
    assert f.exists, path
    assert f.is_directory if kind == "directory" else f.is_file, path
    assert (f.user, f.group, "%04o" % f.mode) == (owner, group, mode)


@pytest.mark.parametrize(
    ("path", "owner", "group", "mode"),
    [
        (ROOT + "/prosody.cfg.lua", "root", "prosody", "0640"),
        (ROOT + "/certs/key.pem", "root", "prosody", "0640"),
        (ROOT + "/certs/cert.pem", "root", "prosody", "0644"),
        (CA, "root", "prosody", "0644"),
        (ROOT + "/certs/.ca/ca.key", "root", "root", "0600"),
        (ROOT + "/data/prosody.sqlite", "prosody", "prosody", "0640"),
    ],
)
def test_files(host, path, owner, group, mode):
    f = host.file(path)
    assert f.is_file, path
    assert (f.user, f.group, "%04o" % f.mode) == (owner, group, mode)


def test_config_passes_prosodyctl_check(host):
    result = host.run("prosodyctl --config %s/prosody.cfg.lua check config", ROOT)
    assert result.rc == 0, result.stdout + result.stderr


def test_hostile_setting_is_inert_string(host):
    config = host.file(ROOT + "/prosody.cfg.lua").content_string
    assert 'motd_text = "Welcome \\"home\\"; os.execute(\\"id\\") --"' in config
    assert 'VirtualHost "second.example.test"' in config


def test_service_runs_on_minimal_config(host):
    service = host.service("prosody")
    assert service.is_running
    assert service.is_enabled
    cmdline = host.run("cat /proc/$(systemctl show -p MainPID --value prosody)/cmdline | tr '\\0' ' '").stdout
    assert "--config %s/prosody.cfg.lua" % ROOT in cmdline
    assert host.socket("tcp://0.0.0.0:5222").is_listening or host.socket("tcp://:::5222").is_listening


def test_login_and_offline_message_stored_in_sqlite(host):
    register(host, ROOT + "/prosody.cfg.lua", "alice", "example.test", "alice-pw")
    register(host, ROOT + "/prosody.cfg.lua", "bob", "example.test", "bob-pw")
    body = "offline note %s" % host.backend.get_hostname()
    result = probe(host, "alice@example.test", "alice-pw", CA, send_to="bob@example.test", message=body)
    assert result["authenticated"] is True, result
    assert result["tls"].startswith("TLS"), result
    query = (
        "import sqlite3; db = sqlite3.connect('%s/data/prosody.sqlite'); "
        'print([r[0] for r in db.execute("select value from prosodyarchive '
        "where store='offline' and host='example.test' and user='bob'\")])" % ROOT
    )
    stored = host.check_output("python3 -c %s", query)
    assert body in stored


def test_wrong_password_is_refused(host):
    register(host, ROOT + "/prosody.cfg.lua", "carol", "example.test", "carol-pw")
    result = probe(host, "carol@example.test", "not-her-password", CA, expect_ok=False)
    assert result["authenticated"] is False
    assert "stream_error" not in result, result  # refused at authentication, not before
    assert "error" in result, result


def test_disabled_host_is_not_served(host):
    # The host is declared with enabled = false: the server answers as for a host it does not have.
    result = probe(host, "dave@off.example.test", "any-pw", CA, expect_ok=False)
    assert result["authenticated"] is False
    assert result.get("stream_error") == "host-unknown", result
    served = probe(host, "dave@example.test", "any-pw", CA, expect_ok=False)
    assert "stream_error" not in served, served  # an enabled host gets as far as authentication


def test_bad_input_fails_before_the_host_changes(host):
    """A converge with a hostile host name and option name fails with named fields; nothing changes."""
    listing = "find %s /etc/systemd/system/prosody.service.d -exec stat -c '%%n %%Y %%a' {} +"
    before = host.check_output(listing, ROOT)
    bad = {
        "prosody_vhosts": [{"name": 'evil"; os.execute("id") --'}, {"name": "ok.example", "settings": {"a-b": 1}}],
    }
    result = converge(host, bad)
    assert result.returncode != 0
    output = result.stdout + result.stderr  # ansible-core 2.19 prints task errors on stderr
    # The message is quoted again by Ansible's output, so look for its parts.
    assert "prosody_vhosts[0].name: " in output
    assert "has an invalid label" in output
    assert "os.execute" in output  # the name is echoed back, not executed
    assert "prosody_vhosts[1].settings: option name 'a-b' is not allowed" in output
    assert host.check_output(listing, ROOT) == before
