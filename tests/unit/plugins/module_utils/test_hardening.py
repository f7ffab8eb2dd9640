# SPDX-License-Identifier: GPL-3.0-or-later
"""Hostile and mistaken input, refused on the controller before anything on a host changes: roots,
admin JIDs, option names, certificates given as text. Each refusal names the field and the check."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from cryptography.hazmat.primitives import serialization

from ansible_collections.xmpp.prosody.plugins.module_utils._errors import LayoutError
from ansible_collections.xmpp.prosody.plugins.module_utils._hosts import HostNameError, check_jid
from ansible_collections.xmpp.prosody.plugins.module_utils._inputs import input_errors
from ansible_collections.xmpp.prosody.plugins.module_utils._roots import SYSTEM_DIRECTORIES, check_root, resolve_roots
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS
from ansible_collections.xmpp.prosody.tests.unit.plugins.modules.test_certdir import make_pair

SPEC = Path(__file__).resolve().parents[4] / "roles" / "prosody" / "meta" / "argument_specs.yml"
INTERFACE = list(yaml.safe_load(SPEC.read_text())["argument_specs"]["main"]["options"])


def errors(tier="minimal", **inputs):
    return input_errors(dict({"prosody_tier": tier, "prosody_vhosts": [{"name": "example.test"}]}, **inputs), INTERFACE)


@pytest.mark.parametrize(
    ("root", "message"),
    [
        ("/srv/prosody/../../etc", "'/srv/prosody/../../etc' is not a normalized path ('..' or '.'); write the "
         "directory it means as '/etc'"),
        ("/srv/./prosody", "is not a normalized path"),
        ("/srv/pro\nsody", "has characters a root cannot have"),
        ("/srv/pro\x00sody", "has characters a root cannot have"),
        ("/srv/my prosody", "has characters a root cannot have"),
        ("/srv/prosody%i", "has characters a root cannot have"),  # systemd expands % specifiers
        ('/srv/"prosody', "has characters a root cannot have"),
        ("/srv/prosody\\x", "has characters a root cannot have"),
        ("relative/prosody", "must be an absolute path"),
        ("~user/prosody", "must be an absolute path"),
        ("/", "'/' is a system directory or holds one"),
        ("/etc", "'/etc' is a system directory; the layout would set its owner and mode. Choose a directory of "
         "its own, e.g. '/etc/prosody'"),
        ("/etc/", "'/etc' is a system directory"),
        ("//etc", "'/etc' is a system directory"),
        ("/usr/local", "is a system directory"),
        ("/var/lib", "is a system directory"),
        ("/home", "is a system directory"),
        ("/etc/ssl/private", "is a system directory"),
        (42, "must be an absolute path"),
    ],
)  # fmt: skip
def test_a_root_that_could_reach_the_system_is_refused(root, message):
    with pytest.raises(LayoutError) as refused:
        check_root("root", root)
    assert str(refused.value).startswith("roots.root: ")
    assert message in str(refused.value)


@pytest.mark.parametrize("directory", SYSTEM_DIRECTORIES)
def test_every_system_directory_and_its_parents_are_refused(directory):
    for path in [directory] + [directory.rsplit("/", n)[0] or "/" for n in range(1, directory.count("/"))]:
        with pytest.raises(LayoutError, match="is a system directory"):
            check_root("root", path)


@pytest.mark.parametrize(
    ("root", "resolved"),
    [("/srv/prosody", "/srv/prosody"), ("/srv/prosody/", "/srv/prosody"),
     ("/srv//xmpp.b-1_c+d@e", "/srv/xmpp.b-1_c+d@e"), ("/var/lib/prosody", "/var/lib/prosody"), ("/data", "/data")],
)  # fmt: skip
def test_a_root_of_its_own_is_taken_normalized(root, resolved):
    assert check_root("root", root) == resolved


@pytest.mark.parametrize("tier", sorted(TIERS))
def test_every_tiers_default_roots_pass(tier):
    assert resolve_roots(TIERS[tier], {}, home="/home/dev")


@pytest.mark.parametrize(
    ("jid", "message"),
    [
        ("not a jid", "is not a bare JID"),
        ("admin", "is not a bare JID"),
        ("@example.org", "is not a bare JID"),
        ("admin@", "is not a bare JID"),
        ("ad min@example.org", "is not a bare JID"),
        ("admin@example.org/phone", "is not a bare JID"),
        ('ad"min@example.org', "is not a bare JID"),
        ("admin@bad host", "has an invalid label 'bad host'"),
        ("admin@bücher.test", "characters outside ASCII"),
        (["admin@example.org"], "is not a bare JID"),
    ],
)
def test_admins_must_be_bare_jids(jid, message):
    with pytest.raises(HostNameError) as refused:
        check_jid(jid, "vhosts[0].admins[0]")
    assert str(refused.value).startswith("vhosts[0].admins[0]: ")
    assert message in str(refused.value)


def test_admins_are_checked_wherever_they_are_named():
    found = errors(
        prosody_vhosts=[
            {"name": "a.test", "admins": ["ok@a.test", "not a jid"]},
            {"name": "b.test", "settings": {"admins": ["also wrong"]}},
        ],
        prosody_settings={"admins": ["x"]},
    )
    assert [f.split(":", maxsplit=1)[0] for f in found] == [
        "prosody_vhosts[0].admins[1]",
        "prosody_vhosts[1].admins[0]",
        "prosody_settings.admins[0]",
    ]
    assert check_jid("Admin@Example.ORG", "f") == "Admin@example.org"


def test_a_host_switch_hidden_in_settings_is_refused():
    # Prosody's internal __currenthost would move the options after it into another tenant.
    found = errors(prosody_vhosts=[{"name": "a.test", "settings": {"__currenthost": "b.test", "admins": ["x@b.test"]}}])
    assert found == [
        "prosody_vhosts[0].settings: option name '__currenthost' is not allowed; it is one of Prosody's internal "
        "names, not an option"
    ]
    assert "a Lua reserved word" in errors(prosody_settings={"end": 1})[0]


@pytest.mark.parametrize(
    ("roots", "message"),
    [
        ({"root": "/srv/prosody/../../etc"}, "roots.root: '/srv/prosody/../../etc' is not a normalized path"),
        ({"root": "/srv/pro\nsody"}, "roots.root: '/srv/pro\\nsody' has characters a root cannot have"),
        ({"root": "/usr"}, "roots.root: '/usr' is a system directory"),
    ],
)
def test_roots_are_part_of_the_input_check(roots, message):
    found = errors(prosody_roots=roots)
    assert len(found) == 1
    assert found[0].startswith(message)


@pytest.mark.parametrize(
    "name", ["bücher.test", "bü\u200bcher.test", "example\uff0etest", "exam\u00adple.test", "xn--bcher-kva.test"]
)
def test_internationalized_and_look_alike_names_are_refused_with_the_reason(name):
    found = errors(prosody_vhosts=[{"name": "example.test"}, {"name": name}])
    assert len(found) == 1
    assert found[0].startswith("prosody_vhosts[1].name: ")
    assert "internationalized domain names are not supported" in found[0] or "not supported yet" in found[0]


def _encrypted(key_pem: str) -> str:
    key = serialization.load_pem_private_key(key_pem.encode(), password=None)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"passphrase"),
    ).decode()


NAMES = ["example.test", "second.example.test"]
GOOD = make_pair(NAMES)
OTHER = make_pair(NAMES)


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        (("garbage", GOOD[1]), "prosody_tls_certificate: not a PEM certificate"),
        ((GOOD[0], "garbage"), "prosody_tls_key: not an unencrypted PEM private key (ValueError)"),
        ((GOOD[0], _encrypted(GOOD[1])), "prosody_tls_key: the key is encrypted; Prosody starts unattended"),
        ((GOOD[0], OTHER[1]), "prosody_tls_certificate: the key does not belong to the certificate"),
        (make_pair(["example.test"]), "prosody_tls_certificate: the certificate does not cover 'second.example.test'"),
        (make_pair(NAMES, days=-1, start_days=-10), "prosody_tls_certificate: the certificate expired on"),
    ],
)
def test_a_provided_pair_is_checked_before_the_host_changes(pair, message):
    found = errors(
        prosody_vhosts=[{"name": n} for n in NAMES], prosody_tls_certificate=pair[0], prosody_tls_key=pair[1]
    )
    assert len(found) == 1, found
    assert found[0].startswith(message)
    assert not any(line in found[0] for line in pair[1].splitlines())  # never key material


def test_a_good_pair_passes_and_host_pairs_are_named_by_host():
    assert errors(prosody_vhosts=[{"name": n} for n in NAMES], prosody_tls_certificate=GOOD[0],
                  prosody_tls_key=GOOD[1]) == []  # fmt: skip
    found = errors(
        "enterprise",
        prosody_vhosts=[{"name": "t1.test"}, {"name": "t2.test"}],
        prosody_tls_host_certificates={"t2.test": {"certificate": GOOD[0], "key": GOOD[1]}},
    )
    assert found == [
        "prosody_tls_host_certificates['t2.test']: the certificate does not cover 't2.test' (its DNS names: "
        "example.test, second.example.test); Prosody 13 needs the host in subjectAltName"
    ]


@pytest.mark.parametrize("tier", ["minimal", "debian", "enterprise"])
@pytest.mark.parametrize(
    ("component", "message"),
    [
        ({"type": "external"}, "prosody_components[0].secret: an external component needs the secret it connects with"),
        ({"type": "external", "secret": ""}, "prosody_components[0].secret: an external component needs the secret"),
        ({"type": "muc", "secret": "s"}, "prosody_components[0].secret: only external components take a secret"),
    ],
)
def test_component_rules_are_the_same_on_every_tier(tier, component, message):
    found = errors(tier, prosody_components=[dict(component, name="gw.example.test")])
    assert len(found) == 1
    assert found[0].startswith(message)


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"prosody_modules_enabled": ["mam", "../../tmp/evil"]}, "prosody_modules_enabled[1]: '../../tmp/evil' is not"),
        ({"prosody_modules_enabled": ["mod_mam"]}, "prosody_modules_enabled[0]: 'mod_mam': write 'mam', without"),
        ({"prosody_modules_disabled": ["Bad Name"]}, "prosody_modules_disabled[0]: 'Bad Name' is not a module name"),
        ({"prosody_settings": {"modules_enabled": ["a/b"]}}, "prosody_settings.modules_enabled[0]: 'a/b' is not"),
        ({"prosody_vhosts": [{"name": "a.test", "modules_enabled": ["x.y"]}]}, "prosody_vhosts[0].modules_enabled[0]"),
        (
            {"prosody_components": [{"name": "c.example.test", "type": "muc", "modules_enabled": ["../m"]}]},
            "prosody_components[0].modules_enabled[0]: '../m' is not a module name",
        ),
    ],
)
def test_module_names_cannot_reach_another_directory(inputs, message):
    found = errors(**inputs)
    assert len(found) == 1, found
    assert found[0].startswith(message)


def test_real_module_names_pass():
    modules = ["mam", "http_file_share", "cloud_notify", "s2s_bidi", "muc_mam", "csi_simple", "log_per_host", "e2e-x"]
    assert errors(prosody_modules_enabled=modules) == []
