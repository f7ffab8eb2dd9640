# SPDX-License-Identifier: GPL-3.0-or-later
"""What the lifecycle steps (lifecycle.yml) left: t4 serving with its own data and log, t3 gone
with its archive purged, t1's data kept, t2 back on a certificate from the instance CA."""

from __future__ import annotations

import pytest
from xmpp_helpers import check_entry, check_file, expected_files, expected_tree, probe

ROOT = "/srv/prosody"
CONFIG = ROOT + "/config/global/prosody.cfg.lua"
CA = ROOT + "/certs/ca/ca.pem"
TENANTS = ["t1.test", "t2.test", "t4.test"]
UPLOADS = ["upload." + t for t in TENANTS]
SERVICES = [*UPLOADS, "conference.t1.test", "proxy.t1.test"]


@pytest.mark.parametrize(("path", "kind", "owner", "group", "mode"), expected_tree("enterprise", hosts=TENANTS))
def test_layout_entry(host, path, kind, owner, group, mode):
    check_entry(host, path, kind, owner, group, mode)


@pytest.mark.parametrize(("path", "owner", "group", "mode"), expected_files("enterprise", TENANTS, SERVICES))
def test_file(host, path, owner, group, mode):
    check_file(host, path, owner, group, mode)


def test_config_passes_prosodyctl_check(host):
    result = host.run("prosodyctl --config %s check config", CONFIG)
    assert result.rc == 0, result.stdout + result.stderr


def test_the_added_tenant_has_its_own_data_and_log(host):
    assert host.file(ROOT + "/data/hosts/t4.test/accounts/dora.dat").exists
    assert "dora@t4.test" in host.file(ROOT + "/logs/hosts/t4.test.log").content_string
    assert "dora@t4.test" not in host.file(ROOT + "/logs/hosts/t1.test.log").content_string


def test_the_removed_tenant_is_gone_and_its_purged_archive_too(host):
    for path in (
        "/data/hosts/t3.test",
        "/data/uploads/t3.test",
        "/config/hosts/t3.test.cfg.lua",
        "/certs/domains/t3.test",
    ):
        assert not host.file(ROOT + path).exists, path
    assert not host.file(ROOT + "/config/components/upload.t3.test.cfg.lua").exists
    assert host.run("ls -d %s/backups/archive/t3.test-*", ROOT).rc != 0
    assert '"t3.test"' not in host.file("/var/lib/xmpp-prosody/deployment.json").content_string


def test_the_other_tenants_keep_their_data_and_serve(host):
    assert host.file(ROOT + "/data/hosts/t1.test/accounts/alice.dat").exists
    assert probe(host, "alice@t1.test", "pw-t1.test", CA)["authenticated"] is True


def test_a_tenant_without_its_own_pair_gets_one_from_the_instance_ca_again(host):
    verified = host.run("openssl verify -CAfile %s %s/certs/domains/t2.test/fullchain.pem", CA, ROOT)
    assert verified.rc == 0, verified.stdout + verified.stderr
    assert probe(host, "alice@t2.test", "pw-t2.test", CA)["authenticated"] is True
