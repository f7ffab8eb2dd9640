# SPDX-License-Identifier: GPL-3.0-or-later
"""The deployment record: what is pending survives a run cut short, and the guards before a run."""

from __future__ import annotations

import pytest

from ansible_collections.xmpp.prosody.plugins.module_utils import _record
from ansible_collections.xmpp.prosody.plugins.module_utils._sections import normalize_items

ROOTS = {"root": "/srv/prosody"}
TENANTS = ["t%d.example" % i for i in range(1, 7)]


def record(vhosts=TENANTS, components=(), tier="enterprise"):
    return {
        "format": 1,
        "tier": tier,
        "roots": dict(ROOTS),
        "vhosts": list(vhosts),
        "components": list(components),
        "pending": _record.NOTHING_PENDING,
    }


def items(vhosts=(), components=()):
    return normalize_items([{"name": n} for n in vhosts], [{"name": n, "type": "muc"} for n in components])


def test_pending_changes_add_up_until_applied():
    first = _record.merge_pending(None, reload=True, hosts=["b", "a"], serving=["a", "b"])
    assert first == dict(_record.NOTHING_PENDING, reload=True, hosts=["a", "b"], up=["a", "b"])
    # the run was cut short; the next one changes c, no longer serves b and writes coturn's file
    second = _record.merge_pending(first, restart=True, hosts=["c"], serving=["a", "c"], coturn=True)
    assert second == {
        "restart": True,
        "daemon_reload": False,
        "reload": True,
        "hosts": ["a", "b", "c"],
        "up": ["a", "c"],
        "coturn": True,
    }
    assert _record.merge_pending(second)["coturn"] is True  # still owed until applied
    assert _record.merge_pending(None) == _record.NOTHING_PENDING
    # a reload for new certificates (certdir) changes no host: the hosts owed an activation keep it
    assert _record.merge_pending(second, reload=True)["up"] == ["a", "c"]


def test_a_record_from_before_a_pending_key_existed_reads_with_its_default():
    old = {"restart": True, "daemon_reload": False, "reload": False, "hosts": [], "up": []}
    assert _record.pending_of(old) == dict(_record.NOTHING_PENDING, restart=True)
    assert _record.merge_pending(old)["coturn"] is False


def test_no_record_means_nothing_to_refuse():
    assert _record.refusals(None, "minimal", {"root": "/prosody"}, items(), 0) == []


@pytest.mark.parametrize(
    ("tier", "roots"),
    [("minimal", {"root": "/prosody"}), ("enterprise", {"root": "/srv/xmpp"})],
)
def test_another_tier_or_root_is_refused_with_the_way_forward(tier, roots):
    (message,) = _record.refusals(record(), tier, roots, items(TENANTS), 0)
    assert message.startswith(
        'tier: this host runs the enterprise tier of xmpp.prosody (roots {"root": "/srv/prosody"}'
    )
    assert "would start an empty instance beside it and orphan its accounts and data" in message
    assert "Keep prosody_tier: enterprise and its prosody_roots, or move the deployment as docs/migration.md" in message


@pytest.mark.parametrize(
    ("declared", "components", "confirm", "refused"),
    [
        ([], [], 0, True),  # an empty (or misspelled) host list
        ([], [], 5, True),  # the wrong count is no confirmation
        ([], [], 6, False),
        (TENANTS[:2], [], 0, True),  # four of six: more than half
        (TENANTS[:3], [], 0, False),  # three of six: half
        (TENANTS[:2], [], 4, False),
        (TENANTS[1:], [], 0, False),  # one tenant goes
        (["new.example"], [], 0, True),  # a rename of everything is a removal of everything
    ],
)
def test_removing_most_hosts_needs_the_count(declared, components, confirm, refused):
    found = _record.refusals(record(), "enterprise", ROOTS, items(declared, components), confirm)
    assert bool(found) == refused
    if refused:
        assert found[0].startswith("vhosts: this run would remove")
        assert "Nothing was changed. If you mean it, confirm the number: prune_confirm:" in found[0]


def test_a_single_host_may_be_renamed_and_components_removed():
    one = record(["a.example"], ["conference.a.example"])
    assert _record.refusals(one, "enterprise", ROOTS, items(["b.example"], ["conference.a.example"]), 0) == []
    assert _record.refusals(one, "enterprise", ROOTS, items(["a.example"]), 0) == []
    (message,) = _record.refusals(one, "enterprise", ROOTS, items([], ["conference.a.example"]), 0)
    assert "remove 1 of the 2 hosts and components managed here (a.example), every virtual host among them" in message


def test_absent_items_do_not_count_as_declared():
    absent = normalize_items([{"name": n, "state": "absent"} for n in TENANTS])
    assert _record.refusals(record(), "enterprise", ROOTS, absent, 0)


def test_a_record_that_is_not_ours_is_named(tmp_path):
    path = tmp_path / "deployment.json"
    assert _record.read(str(path)) is None
    path.write_text("{not json")
    with pytest.raises(_record.RecordError, match=r"not a deployment record of this version of xmpp\.prosody"):
        _record.read(str(path))
    path.write_bytes(_record.dump(record()))
    assert _record.read(str(path))["tier"] == "enterprise"
