# SPDX-License-Identifier: GPL-3.0-or-later
"""Which certificate file each host gets, and from where."""

from __future__ import annotations

import pytest

from ansible_collections.xmpp.prosody.plugins.module_utils._certplan import certificate_items, host_certificate_errors

PAIR = {"certificate": "C", "key": "K"}
VHOSTS = [{"name": "T1.example"}, {"name": "t2.example"}]
COMPONENTS = [{"name": n} for n in ("conference.t1.example", "a.b.t2.example", "pubsub.elsewhere.example")]


def test_issued_per_host_with_own_files_only_where_prosody_cannot_use_the_parent():
    items = certificate_items(VHOSTS, COMPONENTS, "enterprise")
    assert items == [
        {"name": "t1.example", "also_covers": ["*.t1.example"]},
        {"name": "t2.example", "also_covers": ["*.t2.example"]},
        {"name": "a.b.t2.example", "also_covers": ["*.a.b.t2.example"]},  # two labels below: no parent lookup
        {"name": "pubsub.elsewhere.example", "also_covers": ["*.pubsub.elsewhere.example"]},
    ]


def test_a_hosts_own_pair_wins_over_the_provided_one():
    own = {"certificate_src": "/le/t2/fullchain.pem", "key_src": "/le/t2/privkey.pem"}
    items = certificate_items(VHOSTS, [], "debian", provided=PAIR, host_certs={"T2.example": own})
    assert items == [
        {"name": "t1.example", "also_covers": [], **PAIR},
        {"name": "t2.example", "also_covers": [], **own},
    ]


def test_one_item_covering_every_name_on_tiers_without_per_host_files():
    items = certificate_items(VHOSTS, COMPONENTS[:1], "minimal")
    assert items == [{"name": "t1.example", "also_covers": ["t1.example", "t2.example", "conference.t1.example"]}]


@pytest.mark.parametrize("tier", ["minimal", "enterprise"])
def test_without_hosts_one_certificate_for_the_server_itself(tier):
    assert certificate_items([], [], tier, fallback="chat.example")[0]["name"] == "chat.example"


@pytest.mark.parametrize(
    ("host_certs", "per_host", "message"),
    [
        ({"t9.example": PAIR}, True, "prosody_tls_host_certificates['t9.example']: not a declared host"),
        ({"t1.example": {"certificate": "C"}}, True, "give certificate and key (PEM text), or certificate_src"),
        ({"t1.example": {"certificate": "C", "key_src": "/k"}}, True, "give certificate and key"),
        ({"t1.example": dict(PAIR, chain="x")}, True, "give certificate and key"),
        ({"t1.example": "PEM"}, True, "give certificate and key"),
        ({"t1.example": PAIR}, False, "this tier keeps one certificate for every host"),
    ],
)
def test_bad_host_certificates_are_named(host_certs, per_host, message):
    errors = host_certificate_errors(host_certs, {"t1.example", "t2.example"}, per_host)
    assert len(errors) == 1
    assert message in errors[0]
