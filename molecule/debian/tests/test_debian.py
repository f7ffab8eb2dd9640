# SPDX-License-Identifier: GPL-3.0-or-later
"""The debian tier: every path, owner and mode as the tier table says (the README's table is generated
from it), links, the global-only main file, statoverrides, logins, a chat room and an upload.
The steps before this (lifecycle.yml) disabled and enabled b.test and reinstalled the package."""

from __future__ import annotations

import re

import pytest
from xmpp_helpers import REPO, check_entry, check_file, expected_files, expected_tree, missing_features, probe

CA = "/etc/prosody/certs/.ca/ca.pem"  # the local CA that issued every host's certificate
CONFIG = "/etc/prosody/prosody.cfg.lua"
VHOSTS = ["a.test", "b.test"]
COMPONENTS = ["conference.a.test", "share.a.test", "proxy.a.test"]
FILES = expected_files("debian", VHOSTS, COMPONENTS)


def test_the_docs_show_the_tier_table():
    readme = (REPO / "docs/debian.md").read_text()
    assert "| `/etc/prosody/certs/<host>.key` | root:prosody | 0640 |" in readme
    assert len(FILES) == 18  # for two hosts and three components


@pytest.mark.parametrize(("path", "kind", "owner", "group", "mode"), expected_tree("debian"))
def test_layout_entry(host, path, kind, owner, group, mode):
    check_entry(host, path, kind, owner, group, mode)


@pytest.mark.parametrize(("path", "owner", "group", "mode"), FILES)
def test_file(host, path, owner, group, mode):
    check_file(host, path, owner, group, mode)


def test_hosts_enabled_by_symlink(host):
    for name in VHOSTS + COMPONENTS:
        link = host.file("/etc/prosody/conf.d/%s.cfg.lua" % name)
        assert link.is_symlink
        assert link.linked_to == "/etc/prosody/conf.avail/%s.cfg.lua" % name


def test_the_packages_own_host_is_left_alone(host):
    assert host.file("/etc/prosody/conf.d/localhost.cfg.lua").is_symlink
    assert not host.file("/etc/prosody/conf.avail/localhost.cfg.lua").content_string.startswith("-- Managed by")


def test_main_file_is_global_only(host):
    text = host.file(CONFIG).content_string
    assert not re.search(r"^\s*(VirtualHost|Component)\s", text, re.MULTILINE)
    assert text.rstrip().endswith('Include "conf.d/*.cfg.lua"')


def test_statoverrides_registered(host):
    listed = host.check_output("dpkg-statoverride --list")
    assert "root prosody 755 /etc/prosody" in listed
    assert "root prosody 750 /etc/prosody/certs/.ca" in listed
    assert "prosody adm 750 /var/log/prosody" in listed


def test_config_check_passes(host):
    result = host.run("prosodyctl check config")
    assert result.rc == 0, result.stdout + result.stderr


def test_logins_room_and_upload(host):
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


def test_a_client_finds_every_feature_of_a_modern_server(host):
    assert missing_features(host, "alice@a.test", "alice-pw", CA) == []


def test_the_community_module_is_loaded(host):
    # push: the copy in /usr/local/lib/prosody/modules on 0.12, the release's own module on 13
    loaded = host.run("echo 'module:list(\"a.test\")' | prosodyctl shell")
    assert loaded.rc == 0, loaded.stdout + loaded.stderr
    assert "cloud_notify" in loaded.stdout, loaded.stdout


def test_each_host_has_its_own_certificate_and_components_share_their_hosts(host):
    for name in VHOSTS:
        verified = host.run("openssl verify -CAfile %s /etc/prosody/certs/%s.crt", CA, name)
        assert verified.rc == 0, verified.stdout + verified.stderr
        names = host.check_output("openssl x509 -noout -ext subjectAltName -in /etc/prosody/certs/%s.crt", name)
        assert "DNS:%s, DNS:*.%s" % (name, name) in names
    assert not host.file("/etc/prosody/certs/conference.a.test.crt").exists
