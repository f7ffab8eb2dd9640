# SPDX-License-Identifier: GPL-3.0-or-later
"""The minimal tier as a user sees it: tree and files as the tier table says, config check, service,
and real XMPP logins (accounts from molecule/shared/accounts.yml; the steps before this added
third.example.test to the running server)."""

from __future__ import annotations

import pytest
from xmpp_helpers import check_entry, check_file, expected_files, expected_tree, missing_features, probe

ROOT = "/prosody"
CONFIG = ROOT + "/prosody.cfg.lua"
CA = ROOT + "/certs/.ca/ca.pem"  # the local CA that issued the certificate
TREE = expected_tree("minimal")
FILES = expected_files("minimal")


@pytest.mark.parametrize(("path", "kind", "owner", "group", "mode"), TREE)
def test_layout_entry(host, path, kind, owner, group, mode):
    check_entry(host, path, kind, owner, group, mode)


@pytest.mark.parametrize(("path", "owner", "group", "mode"), FILES)
def test_file(host, path, owner, group, mode):
    check_file(host, path, owner, group, mode)


def test_prosody_creates_its_database_private_to_its_group(host):
    f = host.file(ROOT + "/data/prosody.sqlite")  # UMask=0027 in the drop-in (Prosody 13 made it 0644)
    assert (f.user, f.group, "%04o" % f.mode) == ("prosody", "prosody", "0640")


def test_config_passes_prosodyctl_check(host):
    result = host.run("prosodyctl --config %s check config", CONFIG)
    assert result.rc == 0, result.stdout + result.stderr


def test_prosodyctl_addresses_this_deployment_without_config(host):
    # root's PATH finds /usr/local/sbin/prosodyctl first: it adds this deployment's --config
    result = host.run("prosodyctl check config")
    assert result.rc == 0, result.stdout + result.stderr
    assert CONFIG in result.stdout  # "The following configuration files have been loaded: ..."


def test_hostile_setting_is_inert_string(host):
    config = host.file(CONFIG).content_string
    assert 'motd_text = "Welcome \\"home\\"; os.execute(\\"id\\") --"' in config
    assert 'VirtualHost "second.example.test"' in config


def test_the_record_names_the_tier_and_nothing_pending(host):
    record = host.file("/var/lib/xmpp-prosody/deployment.json").content_string
    assert '"tier": "minimal"' in record
    assert '"restart": false' in record
    assert '"hosts": []' in record


def test_service_runs_on_minimal_config(host):
    service = host.service("prosody")
    assert service.is_running
    assert service.is_enabled
    cmdline = host.run("cat /proc/$(systemctl show -p MainPID --value prosody)/cmdline | tr '\\0' ' '").stdout
    assert "--config %s" % CONFIG in cmdline
    assert host.socket("tcp://0.0.0.0:5222").is_listening or host.socket("tcp://:::5222").is_listening


def test_login_and_offline_message_stored_in_sqlite(host):
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


def test_a_client_finds_every_feature_of_a_modern_server(host):
    assert missing_features(host, "alice@example.test", "alice-pw", CA) == []


def test_wrong_password_is_refused(host):
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


def test_the_host_added_in_place_is_served_under_the_one_certificate(host):
    names = host.check_output("openssl x509 -noout -ext subjectAltName -in %s/certs/cert.pem", ROOT)
    assert "DNS:third.example.test" in names
    assert probe(host, "dave@third.example.test", "dave-pw", CA)["authenticated"] is True
