# SPDX-License-Identifier: GPL-3.0-or-later
"""Calls: the TURN input, Prosody's turn_external options, coturn's file, and the secret kept out of sight."""

from __future__ import annotations

import pytest

from ansible_collections.xmpp.prosody.plugins.module_utils import _turn
from ansible_collections.xmpp.prosody.plugins.module_utils._changes import mask_secrets
from ansible_collections.xmpp.prosody.plugins.module_utils._errors import ProsodyError
from ansible_collections.xmpp.prosody.plugins.module_utils._options import (
    DEFAULT_MODULES,
    global_options,
    restart_digest,
)
from ansible_collections.xmpp.prosody.plugins.module_utils._roots import resolve_roots
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS, well_known_paths

SECRET = "0123456789abcdef-turn"
PARAMS = {
    "admins": [],
    "modules_enabled": list(DEFAULT_MODULES),
    "modules_disabled": [],
    "allow_registration": False,
    "storage": "",
    "sql": {},
    "log_level": "info",
    "settings": {},
}


def options(turn):
    paths = well_known_paths("minimal", resolve_roots(TIERS["minimal"], None))
    return global_options("minimal", paths, dict(PARAMS, turn=turn), ["a.example"], [])


def test_no_turn_means_no_module_and_no_option():
    assert _turn.check({}) == {}
    found = options(None)
    assert "turn_external" not in found["modules_enabled"]
    assert not [name for name in found if name.startswith("turn_external")]


def test_turn_loads_the_module_with_the_shared_secret():
    found = options({"secret": SECRET, "host": "turn.a.example"})
    assert "turn_external" in found["modules_enabled"]
    assert (found["turn_external_secret"], found["turn_external_port"], found["turn_external_host"]) == (
        SECRET,
        3478,
        "turn.a.example",
    )
    assert "turn_external_host" not in options({"secret": SECRET})  # each host's own name


@pytest.mark.parametrize(
    ("turn", "message"),
    [
        ("s", "turn: give a dict with at least secret"),
        ({"secret": SECRET, "tls": True}, r"turn: unknown keys \['tls'\]"),
        ({"secret": "short"}, "turn.secret: give a random string of at least 16 characters"),
        ({"secret": SECRET + " x"}, "turn.secret: give a random string"),
        ({"secret": SECRET, "port": 70000}, "turn.port: a port number"),
        ({"secret": SECRET, "host": "bad host"}, "turn.host"),
        ({"secret": SECRET, "external_ip": "example.org"}, "turn.external_ip: 'example.org' is not an IP address"),
        ({"secret": SECRET, "relay_ports": "80-90"}, "turn.relay_ports: a range like 49152-65535"),
        ({"secret": SECRET, "relay_ports": "60000-50000"}, "turn.relay_ports"),
    ],
)
def test_turn_settings_that_cannot_work_are_refused_without_showing_the_secret(turn, message):
    with pytest.raises(ProsodyError, match=message) as refused:
        _turn.check(turn)
    assert SECRET not in str(refused.value)


def test_coturn_shares_the_secret_and_refuses_private_peers():
    turn = _turn.check({"secret": SECRET, "external_ip": "203.0.113.7", "relay_ports": "50000-50100"})
    text = _turn.coturn_config(turn, ["a.example", "b.example"])
    lines = text.splitlines()
    for line in (
        "use-auth-secret",
        "static-auth-secret=" + SECRET,
        "realm=a.example",
        "listening-port=3478",
        "min-port=50000",
        "max-port=50100",
        "external-ip=203.0.113.7",
        "denied-peer-ip=10.0.0.0-10.255.255.255",
        "denied-peer-ip=127.0.0.0-127.255.255.255",
        "denied-peer-ip=192.168.0.0-192.168.255.255",
    ):
        assert line in lines
    assert _turn.coturn_config(dict(turn, realm="calls.example"), ["a.example"]).count("realm=calls.example") == 1


def test_diffs_never_show_either_side_of_the_secret():
    coturn = _turn.coturn_config(_turn.check({"secret": SECRET}), ["a.example"])
    lua = 'turn_external_secret = "%s"\n' % SECRET
    assert SECRET not in mask_secrets(coturn)
    assert "static-auth-secret=********" in mask_secrets(coturn)
    assert mask_secrets(lua) == 'turn_external_secret = "********"\n'


def test_a_new_secret_restarts_prosody_so_that_its_credentials_match_the_turn_server():
    first = restart_digest(options({"secret": SECRET}))
    assert restart_digest(options({"secret": SECRET + "-new"})) != first
    assert restart_digest(options({"secret": SECRET, "port": 3479})) != first
    assert restart_digest(options({"secret": SECRET})) == first
