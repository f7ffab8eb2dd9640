# SPDX-License-Identifier: GPL-3.0-or-later
"""The converged enterprise tier: the tree and files as the tier table says, each tenant's own
certificate, tenant isolation of accounts, messages, uploads and logs, the health check, limits.
(Accounts: molecule/shared/accounts.yml. What the lifecycle steps change: tests/changed.)"""

from __future__ import annotations

import pytest
from xmpp_helpers import check_entry, check_file, expected_files, expected_tree, missing_features, probe

ROOT = "/srv/prosody"
CONFIG = ROOT + "/config/global/prosody.cfg.lua"
TENANTS = ["t1.test", "t2.test", "t3.test"]
UPLOADS = ["upload." + t for t in TENANTS]
SERVICES = [*UPLOADS, "conference.t1.test", "proxy.t1.test"]
CA = ROOT + "/certs/ca/ca.pem"  # the instance's CA: it issued every tenant's certificate
TREE = expected_tree("enterprise", hosts=TENANTS)
FILES = expected_files("enterprise", TENANTS, SERVICES)


@pytest.mark.parametrize(("path", "kind", "owner", "group", "mode"), TREE)
def test_layout_entry(host, path, kind, owner, group, mode):
    check_entry(host, path, kind, owner, group, mode)


@pytest.mark.parametrize(("path", "owner", "group", "mode"), FILES)
def test_file(host, path, owner, group, mode):
    check_file(host, path, owner, group, mode)


def test_config_passes_prosodyctl_check(host):
    result = host.run("prosodyctl --config %s check config", CONFIG)
    assert result.rc == 0, result.stdout + result.stderr


def test_prosodyctl_addresses_this_deployment_without_config(host):
    # root's PATH finds /usr/local/sbin/prosodyctl first: it adds this deployment's --config
    result = host.run("prosodyctl check config")
    assert result.rc == 0, result.stdout + result.stderr
    assert CONFIG in result.stdout  # "The following configuration files have been loaded: ..."
    # Prosody indexes only certs/domains: certs/admin is root's alone and must not be scanned.
    assert "Error indexing" not in result.stdout + result.stderr


@pytest.mark.parametrize("tenant", TENANTS)
def test_each_tenant_has_its_own_certificate_from_the_instance_ca(host, tenant):
    cert = "%s/certs/domains/%s/fullchain.pem" % (ROOT, tenant)
    verified = host.run("openssl verify -CAfile %s %s", CA, cert)
    assert verified.rc == 0, verified.stdout + verified.stderr
    names = host.check_output("openssl x509 -noout -ext subjectAltName -in %s", cert)
    assert "DNS:%s, DNS:*.%s" % (tenant, tenant) in names
    others = [t for t in TENANTS if t != tenant]
    assert not any("DNS:" + other in names for other in others)


def test_tenants_are_isolated(host):
    for tenant in TENANTS:
        body = "note for bob on %s" % tenant
        result = probe(
            host,
            "alice@" + tenant,
            "pw-" + tenant,
            CA,
            send_to="bob@" + tenant,
            upload_to="upload." + tenant,
            message=body,
        )
        assert result["authenticated"] is True, result
        assert result["upload_status"] in (200, 201), result
    # alice@t1's password is not alice@t2's: a user of one tenant cannot log in on another
    crossed = probe(host, "alice@t2.test", "pw-t1.test", CA, expect_ok=False)
    assert crossed["authenticated"] is False
    assert "stream_error" not in crossed
    for tenant in TENANTS:
        body = "note for bob on %s" % tenant
        hits = host.check_output("grep -rlF -- %s %s/data || true", body, ROOT).split()
        own = ["%s/data/hosts/%s/" % (ROOT, tenant), "%s/data/uploads/%s/" % (ROOT, tenant)]
        assert hits, tenant
        assert all(any(hit.startswith(prefix) for prefix in own) for hit in hits), hits
        assert any(hit.startswith(own[1]) for hit in hits), hits  # the upload
        accounts = host.check_output("find %s/data -name alice.dat", ROOT).split()
        assert "%s/data/hosts/%s/accounts/alice.dat" % (ROOT, tenant) in accounts
        assert all(a.startswith(ROOT + "/data/hosts/") for a in accounts), accounts


def test_per_host_logs_hold_their_own_logins(host):
    for tenant in TENANTS:
        assert probe(host, "carol@" + tenant, "carol-pw", CA)["authenticated"] is True
    for tenant in TENANTS:
        log = host.file("%s/logs/hosts/%s.log" % (ROOT, tenant)).content_string
        assert "carol@" + tenant in log, (tenant, log[-2000:])
        for other in set(TENANTS) - {tenant}:
            assert "carol@%s" % other not in log, (tenant, other)
    assert host.file(ROOT + "/logs/components/upload.t1.test.log").exists


def test_a_client_finds_every_feature_of_a_modern_server(host):
    assert missing_features(host, "alice@t1.test", "pw-t1.test", CA) == []


def test_health_check_says_ok(host):
    result = host.run(ROOT + "/scripts/monitoring/healthcheck.sh")
    assert result.rc == 0, result.stdout
    assert result.stdout.startswith("OK: Prosody answers for t1.test")


def test_service_has_room_for_a_descriptor_per_host_log(host):
    assert host.check_output("systemctl show prosody -p LimitNOFILE --value") == "65536"


def test_nothing_is_pending_in_the_record(host):
    record = host.file("/var/lib/xmpp-prosody/deployment.json").content_string
    assert '"tier": "enterprise"' in record
    assert '"restart": false' in record
    assert '"hosts": []' in record
