# SPDX-License-Identifier: GPL-3.0-or-later
"""Which certificates an ACME server issues for a deployment, how certbot is asked, what it keeps."""

from __future__ import annotations

import pytest

from ansible_collections.xmpp.prosody.plugins.module_utils._acme import (
    LETS_ENCRYPT,
    OPTIONS,
    certonly,
    current,
    errors,
    failure,
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
        (
            {"emial": "x@a.example"},
            "prosody_acme: emial not an option; valid: agree_tos, directory, email, hosts, http_01_port, webroot",
        ),
        ({"webroot": "var/www"}, "prosody_acme.webroot: 'var/www' is not an absolute directory"),
        (
            {"webroot": "/var/www/html", "http_01_port": 8080},
            "prosody_acme.http_01_port: the web server of /var/www/html answers the challenge on its own port",
        ),
    ],
)
def test_bad_settings_are_refused_naming_the_field(acme, message):
    found = errors(dict(acme, agree_tos=True), VHOSTS, COMPONENTS)
    assert len(found) == 1, found
    assert found[0].startswith(message)
    assert errors(["a.example"], VHOSTS, COMPONENTS) == ["prosody_acme: give a dict (%s)" % ", ".join(OPTIONS)]


@pytest.mark.parametrize("agree", [None, False, "yes"])
def test_the_terms_are_accepted_by_the_operator_not_for_them(agree):
    acme = {"directory": "https://localhost:14000/dir"} if agree is None else {"agree_tos": agree}
    (found,) = errors(acme, VHOSTS, [])
    assert found.startswith("prosody_acme.agree_tos: an ACME server issues certificates only to an account that ")
    assert found.endswith(" and set agree_tos: true")


def test_good_settings_pass():
    good = {"directory": LETS_ENCRYPT, "email": "a@b.example", "hosts": ["A.example"], "agree_tos": True}
    assert errors(good, VHOSTS, []) == []
    assert errors({"agree_tos": True, "webroot": "/var/www/html"}, VHOSTS, []) == []


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
        "webroot": None,
        "cert": str(tmp_path / "live/a.example/cert.pem"),
    }
    # as certbot 2.1 writes a webroot lineage (a list of paths, and the map of each name)
    (tmp_path / "renewal/b.example.conf").write_text(
        "[renewalparams]\nauthenticator = webroot\nserver = https://localhost:14000/dir\n"
        "webroot_path = /var/www/acme,\n[[webroot_map]]\nb.example = /var/www/acme\n"
    )
    assert current("b.example", str(tmp_path))["webroot"] == "/var/www/acme"


def test_a_web_server_answers_the_challenge_from_its_document_root():
    argv = certonly("certbot", {"name": "a", "domains": ["a"]}, {"webroot": "/var/www/html"}, "/h")
    assert argv[4:7] == ["--webroot", "--webroot-path", "/var/www/html"]
    assert "--standalone" not in argv
    assert "--http-01-port" not in argv


# What certbot 2.1 printed for real (pebble; the last as Let's Encrypt words it), and what it means.
NXDOMAIN = """Certbot failed to authenticate some domains (authenticator: standalone). The Certificate Authority \
reported these problems:
  Domain: late.example.test
  Type:   connection
  Detail: Get "http://late.example.test:5002/.well-known/acme-challenge/oOjM": could not resolve URL \
"http://late.example.test:5002/.well-known/acme-challenge/oOjM"

Hint: The Certificate Authority failed to download the challenge files from the temporary standalone webserver
"""


@pytest.mark.parametrize(
    ("said", "cause"),
    [
        (NXDOMAIN, "DNS"),
        ("  Type:   dns\n  Detail: DNS problem: NXDOMAIN looking up A for t7.example\n", "DNS"),
        (
            "  Type:   connection\n  Detail: 203.0.113.7: Timeout during connect (likely firewall problem)\n",
            "connection",
        ),
        (
            "Could not bind TCP port 80 because it is already in use by another process on this system (such as a "
            "web server). Please stop the program in question and then try again.",
            "port",
        ),
        ("Error creating new order :: too many certificates (5) already issued for this exact set", "rate limit"),
        ("  Type:   unauthorized\n  Detail: 203.0.113.7: Invalid response from http://x/: 404\n", "unauthorized"),
        ("  Type:   caa\n  Detail: CAA record for t7.example prevents issuance\n", "CAA"),
        ("An unexpected error occurred:\nAttributeError: can't set attribute", "other"),
    ],
)
def test_why_a_name_failed_is_told_by_cause(said, cause):
    found = failure(said)
    assert found["cause"] == cause
    assert found["advice"]
    assert found["detail"]
    assert len(found["detail"]) <= 500


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
    found = errors({"hosts": ["conference.a.example", "rooms.other.example"], "agree_tos": True}, VHOSTS, COMPONENTS)
    assert found == [
        "prosody_acme.hosts[0]: 'conference.a.example' is served with 'a.example''s certificate; "
        "name 'a.example' instead"
    ]
    assert errors({"hosts": ["a.example"], "agree_tos": True}, VHOSTS, [], "minimal") == [
        "prosody_acme.hosts: the minimal tier keeps one certificate for every name; leave hosts empty"
    ]
    assert errors({"email": "x@a.example"}, VHOSTS, [], "debian", provided=True)[0].startswith(
        "prosody_acme and prosody_tls_certificate: both give every host its certificate; keep one"
    )
    assert central_ca_errors({"host": "ca1"}, VHOSTS, [], "debian", provided=True)[0].startswith(
        "prosody_central_ca and prosody_tls_certificate"
    )
