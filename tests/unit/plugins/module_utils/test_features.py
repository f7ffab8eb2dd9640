# SPDX-License-Identifier: GPL-3.0-or-later
"""What a default server offers clients: the feature list, contact addresses, MUC archives."""

from __future__ import annotations

import pytest

from ansible_collections.xmpp.prosody.plugins.module_utils._features import (
    FEATURES,
    check_contact_info,
    checks,
    missing,
)
from ansible_collections.xmpp.prosody.plugins.module_utils._option_syntax import ConfigError
from ansible_collections.xmpp.prosody.plugins.module_utils._options import DEFAULT_MODULES, global_options
from ansible_collections.xmpp.prosody.plugins.module_utils._roots import resolve_roots
from ansible_collections.xmpp.prosody.plugins.module_utils._sections import to_item
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS, well_known_paths

PARAMS = {
    "admins": ["admin@a.example", "ops@a.example"],
    "modules_enabled": list(DEFAULT_MODULES),
    "modules_disabled": [],
    "allow_registration": False,
    "storage": "",
    "sql": {},
    "log_level": "info",
    "settings": {},
}


def options(**params):
    paths = well_known_paths("debian", resolve_roots(TIERS["debian"], None))
    return global_options("debian", paths, dict(PARAMS, **params), ["a.example"], [])


def test_the_probe_asks_for_every_feature_once():
    keys = [key for key, _where, _var in checks()]
    assert len(keys) == len(set(keys)) == len(FEATURES) == 20
    assert {where for _key, where, _var in checks()} == {"stream", "server", "account", "service", "room"}


def test_every_host_module_a_default_feature_needs_is_loaded_by_default():
    for feature in FEATURES:
        module = feature.provided_by
        on_hosts = feature.default and " " not in module and feature.where in ("server", "account", "stream")
        if on_hosts and module not in ("turn_external", "cloud_notify"):  # calls and push: their own inputs
            assert module in DEFAULT_MODULES, feature.key
    assert "register" not in DEFAULT_MODULES


def test_an_answer_with_everything_but_registration_has_no_problem():
    assert missing({f.key: f.default for f in FEATURES}) == []


def test_a_missing_feature_and_open_registration_are_named_with_their_module():
    found = {f.key: f.default for f in FEATURES}
    found.update(push=False, register=True)
    assert missing(found) == [
        "In-band registration (XEP-0077, register): offered, though off by default",
        "Push notifications (XEP-0357, cloud_notify): missing",
    ]


def test_contact_addresses_are_the_admins_by_default():
    uris = ["xmpp:admin@a.example", "xmpp:ops@a.example"]
    assert options()["contact_info"] == {"abuse": uris, "admin": uris}


def test_contact_addresses_from_settings_win_and_are_checked():
    given = {"abuse": ["mailto:abuse@a.example"], "security": ["https://a.example/security"]}
    assert options(settings={"contact_info": given})["contact_info"] == given
    with pytest.raises(ConfigError, match=r"settings.contact_info.abuse\[0\]: 'abuse@a.example' is not a URI"):
        options(settings={"contact_info": {"abuse": ["abuse@a.example"]}})


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("mailto:a@b", "give a dict of address kinds"),
        ({"abuses": ["mailto:a@b"]}, r"f.abuses: not an address kind; use abuse, admin"),
        ({"abuse": []}, "f.abuse: give a non-empty list of URIs"),
        ({"abuse": "mailto:a@b"}, "f.abuse: give a non-empty list of URIs"),
        ({"abuse": ["xmpp:"]}, r"f.abuse\[0\]: 'xmpp:' is not a URI"),
    ],
)
def test_contact_info_that_prosody_could_not_use_is_refused(value, message):
    with pytest.raises(ConfigError, match=message):
        check_contact_info(value, "f")


def test_no_contact_addresses_without_admins_or_without_the_module():
    assert "contact_info" not in options(admins=[])
    assert "contact_info" not in options(modules_disabled=["server_contact_info"])
    modules = [m for m in DEFAULT_MODULES if m != "server_contact_info"]
    assert "contact_info" not in options(modules_enabled=modules)


def test_a_muc_component_archives_its_rooms_unless_told_otherwise():
    muc = to_item("component", "c", {"name": "conference.a.example", "type": "muc"})
    assert muc.options["modules_enabled"] == ["muc_mam"]
    bare = to_item("component", "c", {"name": "conference.a.example", "type": "muc", "modules_enabled": []})
    assert bare.options["modules_enabled"] == []
    share = to_item("component", "c", {"name": "share.a.example", "type": "http_file_share"})
    assert "modules_enabled" not in share.options
