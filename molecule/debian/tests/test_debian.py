# SPDX-License-Identifier: GPL-3.0-or-later
"""The debian tier: the README's owner/mode table, logins, a chat room, an upload, disable/enable, reinstall."""

from __future__ import annotations

import re

import pytest
from xmpp_helpers import REPO, converge, probe, register

CA = "/etc/prosody/certs/.ca/ca.pem"  # the local CA that issued every host's certificate
README = REPO / "roles" / "debian" / "README.md"
ROW = re.compile(r"^\| (/\S+) \| (\w+):(\w+) \| (0\d{3}) \|$")
TABLE = [ROW.match(line).groups() for line in README.read_text().splitlines() if ROW.match(line)]
CONFIG = "/etc/prosody/prosody.cfg.lua"
VHOSTS = [{"name": "a.test"}, {"name": "b.test"}]


def test_readme_table_is_not_empty():
    assert len(TABLE) >= 15


@pytest.mark.parametrize(("path", "owner", "group", "mode"), TABLE)
def test_owner_and_mode_as_documented(host, path, owner, group, mode):
    f = host.file(path)
    assert f.exists, path
    assert (f.user, f.group, "%04o" % f.mode) == (owner, group, mode), path


def test_hosts_enabled_by_symlink(host):
    for name in ("a.test", "b.test", "conference.a.test", "share.a.test"):
        link = host.file("/etc/prosody/conf.d/%s.cfg.lua" % name)
        assert link.is_symlink
        assert link.linked_to == "/etc/prosody/conf.avail/%s.cfg.lua" % name


def test_main_file_is_global_only(host):
    text = host.file(CONFIG).content_string
    assert "VirtualHost" not in text.replace('"VirtualHost', "")  # only in comments, never declared
    assert not re.search(r"^\s*(VirtualHost|Component)\s", text, re.MULTILINE)
    assert text.rstrip().endswith('Include "conf.d/*.cfg.lua"')


def test_statoverrides_registered(host):
    listed = host.check_output("dpkg-statoverride --list")
    assert "root prosody 755 /etc/prosody" in listed
    assert "prosody adm 750 /var/log/prosody" in listed


def test_config_check_passes(host):
    result = host.run("prosodyctl check config")
    assert result.rc == 0, result.stdout + result.stderr


def test_logins_room_and_upload(host):
    register(host, CONFIG, "alice", "a.test", "alice-pw")
    register(host, CONFIG, "bob", "b.test", "bob-pw")
    bob = probe(host, "bob@b.test", "bob-pw", CA)
    assert bob["authenticated"] is True, bob
    body = "upload from %s" % host.backend.get_hostname()
    alice = probe(
        host,
        "alice@a.test",
        "alice-pw",
        CA,
        join_room="lobby@conference.a.test/alice",
        upload_to="share.a.test",
        message=body,
    )
    assert alice["joined"] == "lobby@conference.a.test/alice", alice
    assert alice["upload_status"] in (200, 201), alice
    stored = host.check_output("grep -rlF --include=*.bin -- %s /var/lib/prosody || true", body)
    assert "/var/lib/prosody/share%2ea%2etest/" in stored, stored


def test_disable_then_enable_a_host(host):
    register(host, CONFIG, "carol", "b.test", "carol-pw")
    off = converge(host, {"prosody_vhosts": [VHOSTS[0], dict(VHOSTS[1], enabled=False)]})
    assert off.returncode == 0, (off.stdout + off.stderr)[-3000:]
    assert not host.file("/etc/prosody/conf.d/b.test.cfg.lua").exists
    assert host.file("/etc/prosody/conf.avail/b.test.cfg.lua").exists
    refused = probe(host, "carol@b.test", "carol-pw", CA, expect_ok=False)
    assert refused.get("stream_error") == "host-unknown", refused
    on = converge(host, {"prosody_vhosts": VHOSTS})
    assert on.returncode == 0, (on.stdout + on.stderr)[-3000:]
    assert host.file("/etc/prosody/conf.d/b.test.cfg.lua").is_symlink
    back = probe(host, "carol@b.test", "carol-pw", CA)
    assert back["authenticated"] is True, back


def test_reinstall_keeps_everything(host):
    before = host.check_output("sha256sum %s /etc/prosody/conf.avail/*.cfg.lua", CONFIG)
    host.check_output("DEBIAN_FRONTEND=noninteractive apt-get install --reinstall -y prosody")
    after_reinstall = converge(host, {})
    output = after_reinstall.stdout + after_reinstall.stderr
    assert after_reinstall.returncode == 0, output[-3000:]
    assert re.search(r"changed=0\s", output), output[-2000:]
    assert host.check_output("sha256sum %s /etc/prosody/conf.avail/*.cfg.lua", CONFIG) == before
