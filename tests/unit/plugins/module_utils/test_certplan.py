# SPDX-License-Identifier: GPL-3.0-or-later
"""Which certificate file each host gets, and from where."""

from __future__ import annotations

import pytest

from ansible_collections.xmpp.prosody.plugins.module_utils._certplan import certificate_items, host_certificate_errors
from ansible_collections.xmpp.prosody.plugins.module_utils._config import input_errors

PAIR = {"certificate": "C", "key": "K"}
VHOSTS = ["T1.example", "t2.example"]
COMPONENTS = ["conference.t1.example", "a.b.t2.example", "pubsub.elsewhere.example"]


def test_issued_per_host_with_own_files_only_where_prosody_cannot_use_the_parent():
    items = certificate_items(VHOSTS, COMPONENTS, per_host=True)
    assert items == [
        {"name": "t1.example", "also_covers": ["*.t1.example"]},
        {"name": "t2.example", "also_covers": ["*.t2.example"]},
        {"name": "a.b.t2.example", "also_covers": ["*.a.b.t2.example"]},  # two labels below: no parent lookup
        {"name": "pubsub.elsewhere.example", "also_covers": ["*.pubsub.elsewhere.example"]},
    ]


def test_a_hosts_own_pair_wins_over_the_provided_one():
    own = {"certificate_src": "/le/t2/fullchain.pem", "key_src": "/le/t2/privkey.pem"}
    items = certificate_items(VHOSTS, [], per_host=True, provided=PAIR, host_certs={"T2.example": own})
    assert items == [
        {"name": "t1.example", "also_covers": [], **PAIR},
        {"name": "t2.example", "also_covers": [], **own},
    ]


def test_one_item_covering_every_name_on_tiers_without_per_host_files():
    items = certificate_items(VHOSTS, [*COMPONENTS[:1], "t1.example"], per_host=False)
    assert items == [{"name": "t1.example", "also_covers": ["t1.example", "t2.example", "conference.t1.example"]}]


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


def test_input_errors_checks_host_certificates_against_the_declared_names_and_tier():
    vhosts = [{"name": "t1.example"}]
    components = [{"name": "upload.t1.example"}]
    assert input_errors(vhosts, {}, [], components, {"upload.t1.example": PAIR}, "enterprise") == []
    assert input_errors(vhosts, {}, [], components, {"t2.example": PAIR}, "enterprise")
    assert (
        "one certificate for every host" in input_errors(vhosts, {}, [], components, {"t1.example": PAIR}, "minimal")[0]
    )
