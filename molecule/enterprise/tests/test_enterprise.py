# SPDX-License-Identifier: GPL-3.0-or-later
"""The enterprise tier: the tree, tenant isolation of accounts, messages, uploads and logs, scripts, removal."""

from __future__ import annotations

import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from xmpp_helpers import converge, expected_tree, probe, register

from ansible_collections.xmpp.prosody.plugins.module_utils._certs import Issuer

ROOT = "/srv/prosody"
CONFIG = ROOT + "/config/global/prosody.cfg.lua"
TENANTS = ["t1.test", "t2.test", "t3.test"]
TREE = expected_tree("enterprise", hosts=TENANTS)


CA = ROOT + "/certs/ca/ca.pem"  # the instance's CA: it issued every tenant's certificate


@pytest.mark.parametrize(("path", "kind", "owner", "group", "mode"), TREE)
def test_layout_entry(host, path, kind, owner, group, mode):
    f = host.file(path)
    assert f.exists, path
    if kind == "link":
        assert f.is_symlink, path
        assert (f.user, f.group) == (owner, group), path
        return
    assert f.is_directory if kind == "directory" else f.is_file, path
    assert (f.user, f.group, "%04o" % f.mode) == (owner, group, mode), path


def test_config_passes_prosodyctl_check(host):
    result = host.run("prosodyctl --config %s check config", CONFIG)
    assert result.rc == 0, result.stdout + result.stderr
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
        register(host, CONFIG, "alice", tenant, "pw-" + tenant)
        register(host, CONFIG, "bob", tenant, "bob-" + tenant)
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
        register(host, CONFIG, "carol", tenant, "carol-pw")
        assert probe(host, "carol@" + tenant, "carol-pw", CA)["authenticated"] is True
    for tenant in TENANTS:
        log = host.file("%s/logs/hosts/%s.log" % (ROOT, tenant)).content_string
        assert "carol@" + tenant in log, (tenant, log[-2000:])
        for other in set(TENANTS) - {tenant}:
            assert "carol@%s" % other not in log, (tenant, other)
    assert host.file(ROOT + "/logs/components/upload.t1.test.log").exists


def test_health_check_tells_up_from_down(host):
    script = ROOT + "/scripts/monitoring/healthcheck.sh"
    assert host.run(script).rc == 0
    host.check_output("systemctl stop prosody")
    try:
        down = host.run(script)
        assert down.rc != 0
        assert "CRITICAL" in down.stdout
    finally:
        host.check_output("systemctl start prosody")
    for _attempt in range(20):
        if host.run(script).rc == 0:
            break
        host.run("sleep 0.5")
    assert host.run(script).rc == 0


def test_tenant_backup(host):
    archive = host.check_output("%s/scripts/backup/tenant-backup.sh t2.test", ROOT).strip()
    listing = host.check_output("tar -tzf %s", archive)
    assert "data/hosts/t2.test/accounts/alice.dat" in listing
    assert "config/hosts/t2.test.cfg.lua" in listing
    assert "t1.test" not in listing
    assert host.run("%s/scripts/backup/tenant-backup.sh ../etc", ROOT).rc != 0


def main_pid(host):
    return host.check_output("systemctl show prosody -p MainPID --value")


def test_a_new_tenant_comes_up_without_restarting_the_others(host):
    pid = main_pid(host)
    grown = {
        "prosody_vhosts": [{"name": t} for t in [*TENANTS, "t4.test"]],
        "prosody_components": [{"name": "upload." + t, "type": "http_file_share"} for t in [*TENANTS, "t4.test"]],
    }
    result = converge(host, grown)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert "Activate and deactivate the changed hosts" in result.stdout
    assert main_pid(host) == pid  # activated in the running server: nobody else was disconnected
    register(host, CONFIG, "dora", "t4.test", "dora-pw")
    result = probe(host, "dora@t4.test", "dora-pw", CA, upload_to="upload.t4.test", message="t4 is up")
    assert result["authenticated"] is True
    assert host.file(ROOT + "/data/hosts/t4.test/accounts/dora.dat").exists
    assert "dora@t4.test" in host.file(ROOT + "/logs/hosts/t4.test.log").content_string


REMAINING = {
    "prosody_vhosts": [{"name": "t1.test"}, {"name": "t2.test"}],
    "prosody_components": [
        {"name": "upload.t1.test", "type": "http_file_share"},
        {"name": "upload.t2.test", "type": "http_file_share"},
    ],
}


def test_removing_a_tenant_archives_its_data(host):
    pid = main_pid(host)
    result = converge(host, REMAINING)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert main_pid(host) == pid  # deactivated in the running server
    archives = host.check_output("ls -d %s/backups/archive/t3.test-*", ROOT).split()
    assert len(archives) == 1
    assert host.file(archives[0] + "/data/hosts/t3.test/accounts/alice.dat").exists
    assert host.check_output("grep -rlF -- %s %s/data/uploads/t3.test || true", "note for bob on t3.test", archives[0])
    assert not host.file(ROOT + "/data/hosts/t3.test").exists
    assert not host.file(ROOT + "/config/hosts/t3.test.cfg.lua").exists
    assert probe(host, "alice@t1.test", "pw-t1.test", CA)["authenticated"] is True
    gone = probe(host, "alice@t3.test", "pw-t3.test", CA, expect_ok=False)
    assert gone.get("stream_error") == "host-unknown", gone


def test_purging_a_declared_tenant_is_refused_before_anything_changes(host):
    before = host.check_output("ls -d %s/backups/archive/t3.test-* %s/data/hosts/t1.test", ROOT, ROOT)
    result = converge(host, dict(REMAINING, prosody_purge_tenants=["t1.test"]))
    assert result.returncode != 0
    said = " ".join((result.stdout + result.stderr).split())  # failures may go to stderr, folded
    assert "prosody_purge_tenants deletes archived tenant data" in said
    assert "(t1.test)" in said
    assert host.check_output("ls -d %s/backups/archive/t3.test-* %s/data/hosts/t1.test", ROOT, ROOT) == before


def tenant_ca():
    """A CA of the tenant's own (as its ACME provider would be): its certificate and key, PEM."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "t2's own CA")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return cert.public_bytes(serialization.Encoding.PEM), pem


def test_a_tenant_brings_its_own_certificate(host):
    ca_cert, ca_key = tenant_ca()
    cert, key = Issuer(ca_cert, ca_key, "test CA").issue(["t2.test", "*.t2.test"], 30)
    own = {"t2.test": {"certificate": cert.decode(), "key": key.decode()}}
    result = converge(host, dict(REMAINING, prosody_tls_host_certificates=own))
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert "PRIVATE KEY" not in result.stdout + result.stderr
    assert host.file(ROOT + "/certs/domains/t2.test/fullchain.pem").content_string == cert.decode()
    host.check_output("printf '%%s' %s > /tmp/t2-ca.pem", ca_cert.decode())
    assert probe(host, "alice@t2.test", "pw-t2.test", "/tmp/t2-ca.pem")["authenticated"] is True
    assert probe(host, "alice@t1.test", "pw-t1.test", CA)["authenticated"] is True  # the others keep the CA's


def test_purge_deletes_only_the_named_tenants_archive(host):
    result = converge(host, dict(REMAINING, prosody_purge_tenants=["t3.test"]))
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert host.run("ls -d %s/backups/archive/t3.test-*", ROOT).rc != 0
    assert host.file(ROOT + "/data/hosts/t1.test/accounts/alice.dat").exists
    # t2's own certificate is no longer given: the instance CA issued it a new one
    assert probe(host, "alice@t2.test", "pw-t2.test", CA)["authenticated"] is True


def test_service_has_room_for_a_descriptor_per_host_log(host):
    assert host.check_output("systemctl show prosody -p LimitNOFILE --value") == "65536"
