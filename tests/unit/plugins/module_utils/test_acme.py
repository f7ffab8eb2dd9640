# SPDX-License-Identifier: GPL-3.0-or-later
"""Which certificates an ACME server issues for a deployment, how certbot is asked, what it keeps."""

from __future__ import annotations

import pytest

from ansible_collections.xmpp.prosody.plugins.module_utils._acme import (
    LETS_ENCRYPT,
    certonly,
    current,
    errors,
    groups,
    planned,
)
from ansible_collections.xmpp.prosody.plugins.module_utils._certplan import central_ca_errors, certificate_items

VHOSTS = [{"name": "A.example"}, {"name": "b.example"}]
COMPONENTS = [{"name": "conference.a.example"}, {"name": "upload.a.example"}, {"name": "rooms.other.example"}]


def test_a_host_and_the_components_one_label_below_it_share_a_lineage():
    assert groups(VHOSTS, COMPONENTS, "debian") == [
        {"name": "a.example", "domains": ["a.example", "conference.a.example", "upload.a.example"]},
        {"name": "b.example", "domains": ["b.example"]},
        {"name": "rooms.other.example", "domains": ["rooms.other.example"]},
    ]


def test_only_the_named_hosts_and_never_one_with_its_own_pair():
    assert [lineage["name"] for lineage in groups(VHOSTS, COMPONENTS, "enterprise", ["B.example"])] == ["b.example"]
    own = {"a.example": {"certificate_src": "/x", "key_src": "/y"}}
    assert [lineage["name"] for lineage in groups(VHOSTS, COMPONENTS, "docker", own_pairs=own)] == [
        "b.example",
        "rooms.other.example",
    ]
    assert planned({"prosody_tier": "debian", "prosody_vhosts": VHOSTS, "prosody_acme": {}})["acme"] == []


def test_a_tier_with_one_certificate_gets_one_lineage_for_every_name():
    (only,) = groups(VHOSTS, COMPONENTS, "minimal")
    assert only == {
        "name": "a.example",
        "domains": ["a.example", "b.example", "conference.a.example", "upload.a.example", "rooms.other.example"],
    }


def test_the_local_ca_issues_only_what_acme_does_not():
    names = [lineage["name"] for lineage in groups(VHOSTS, COMPONENTS, "debian", ["a.example"])]
    items = certificate_items(VHOSTS, COMPONENTS, "debian", elsewhere=names)
    assert [item["name"] for item in items] == ["b.example", "rooms.other.example"]
    assert certificate_items(VHOSTS, COMPONENTS, "minimal", elsewhere=["a.example"]) == []
    own = {"a.example": {"certificate": "C", "key": "K"}}
    assert [i["name"] for i in certificate_items(VHOSTS, [], "debian", host_certs=own, elsewhere=["a.example"])] == [
        "a.example",
        "b.example",
    ]


@pytest.mark.parametrize(
    ("acme", "message"),
    [
        (
            {"directory": "http://acme.example/dir"},
            "prosody_acme.directory: 'http://acme.example/dir' is not an https://",
        ),
        ({"email": "not an address"}, "prosody_acme.email: 'not an address' is not an e-mail address"),
        ({"hosts": ["c.example"]}, "prosody_acme.hosts[0]: 'c.example' is not a declared host"),
        ({"http_01_port": 0}, "prosody_acme.http_01_port: 0 is not a port number"),
        ({"emial": "x@a.example"}, "prosody_acme: emial not an option; valid: directory, email, hosts, http_01_port"),
        (["a.example"], "prosody_acme: give a dict"),
    ],
)
def test_bad_settings_are_refused_naming_the_field(acme, message):
    found = errors(acme, VHOSTS, COMPONENTS)
    assert len(found) == 1
    assert found[0].startswith(message)


def test_good_settings_pass():
    assert errors({"directory": LETS_ENCRYPT, "email": "a@b.example", "hosts": ["A.example"]}, VHOSTS, []) == []


def test_certbot_is_asked_for_one_lineage_with_the_tiers_hook():
    argv = certonly(
        "/usr/bin/certbot",
        {"name": "a.example", "domains": ["a.example", "conference.a.example"]},
        {"directory": "https://localhost:14000/dir", "http_01_port": 5002},
        "/usr/local/lib/xmpp-prosody/acme-deploy.sh",
    )
    assert argv[:5] == ["/usr/bin/certbot", "certonly", "--non-interactive", "--agree-tos", "--standalone"]
    assert argv[argv.index("--http-01-port") + 1] == "5002"
    assert argv[argv.index("--server") + 1] == "https://localhost:14000/dir"
    assert argv[argv.index("--cert-name") + 1] == "a.example"
    assert argv[argv.index("--deploy-hook") + 1] == "/usr/local/lib/xmpp-prosody/acme-deploy.sh"
    assert "--register-unsafely-without-email" in argv
    assert argv[-4:] == ["--domain", "a.example", "--domain", "conference.a.example"]
    with_mail = certonly("certbot", {"name": "a", "domains": ["a"]}, {"email": "x@a.example"}, "/h")
    assert with_mail[with_mail.index("--email") + 1] == "x@a.example"
    assert with_mail[with_mail.index("--server") + 1] == LETS_ENCRYPT


def test_what_certbot_keeps_is_read_from_its_renewal_file(tmp_path):
    assert current("a.example", str(tmp_path)) is None
    (tmp_path / "renewal").mkdir()
    (tmp_path / "renewal/a.example.conf").write_text(
        "# renew_before_expiry = 30 days\nversion = 2.1.0\narchive_dir = /etc/letsencrypt/archive/a.example\n"
        "[renewalparams]\nauthenticator = standalone\nserver = https://localhost:14000/dir\n"
        "renew_hook = /usr/local/lib/xmpp-prosody/acme-deploy.sh\n"
    )
    assert current("a.example", str(tmp_path)) == {
        "server": "https://localhost:14000/dir",
        "hook": "/usr/local/lib/xmpp-prosody/acme-deploy.sh",
        "cert": str(tmp_path / "live/a.example/cert.pem"),
    }


def test_the_central_ca_signs_what_neither_acme_nor_an_own_pair_provides():
    inputs = {
        "prosody_tier": "debian",
        "prosody_vhosts": VHOSTS,
        "prosody_components": COMPONENTS,
        "prosody_acme": {"hosts": ["a.example"]},
        "prosody_central_ca": {"host": "ca1"},
        "prosody_tls_host_certificates": {"b.example": {"certificate_src": "/x", "key_src": "/y"}},
    }
    found = planned(inputs)
    assert [item["name"] for item in found["acme"]] == ["a.example"]
    assert found["central"] == [{"name": "rooms.other.example", "domains": ["rooms.other.example"]}]
    elsewhere = [item["name"] for source in found.values() for item in source]
    local = certificate_items(
        VHOSTS, COMPONENTS, "debian", host_certs=inputs["prosody_tls_host_certificates"], elsewhere=elsewhere
    )
    assert [item["name"] for item in local] == ["b.example"]  # the operator's pair, through certdir
    assert planned(dict(inputs, prosody_central_ca={}, prosody_acme={}))["central"] == []


@pytest.mark.parametrize(
    ("central", "message"),
    [
        ({"directory": "/srv/ca"}, "prosody_central_ca.host: give the inventory name of the host"),
        ({"host": "ca1", "directory": "/etc"}, "prosody_central_ca.roots.directory: '/etc' is a system directory"),
        ({"host": "ca1", "hosts": ["c.example"]}, "prosody_central_ca.hosts[0]: 'c.example' is not a declared host"),
        ({"host": "ca1", "valid_days": 0}, "prosody_central_ca.valid_days: 0 is not a number of days"),
        ({"host": "ca1", "revoke": ["x"]}, "prosody_central_ca: revoke not an option; valid: host, directory"),
    ],
)
def test_bad_central_ca_settings_are_refused_naming_the_field(central, message):
    found = central_ca_errors(central, VHOSTS, COMPONENTS)
    assert len(found) == 1, found
    assert found[0].startswith(message)


def test_hosts_must_have_a_certificate_file_of_their_own_and_one_pair_for_all_does_not_mix():
    found = errors({"hosts": ["conference.a.example", "rooms.other.example"]}, VHOSTS, COMPONENTS)
    assert found == [
        "prosody_acme.hosts[0]: 'conference.a.example' is served with 'a.example''s certificate; "
        "name 'a.example' instead"
    ]
    assert errors({"hosts": ["a.example"]}, VHOSTS, [], "minimal") == [
        "prosody_acme.hosts: the minimal tier keeps one certificate for every name; leave hosts empty"
    ]
    assert errors({"email": "x@a.example"}, VHOSTS, [], "debian", provided=True)[0].startswith(
        "prosody_acme and prosody_tls_certificate: both give every host its certificate; keep one"
    )
    assert central_ca_errors({"host": "ca1"}, VHOSTS, [], "debian", provided=True)[0].startswith(
        "prosody_central_ca and prosody_tls_certificate"
    )
