# SPDX-License-Identifier: GPL-3.0-or-later
"""After the move to the enterprise tier: the same client checks pass there (old password, roster,
archive, upload bytes), the record names the new tier, and the old tree is still in place and archived."""

from __future__ import annotations

import json
import os

from xmpp_helpers import PROBE, TIERS, resolve_roots, well_known_paths

EXPECTED = "/tmp/xmpp-prosody-molecule-migrate"  # test_expected in molecule.yml
FROM = {"xmpp-deb12": "minimal", "xmpp-deb13": "debian"}
NEW = well_known_paths("enterprise", resolve_roots(TIERS["enterprise"], None))


def old_paths(host):
    tier = FROM[host.backend.get_hostname()]
    return tier, well_known_paths(tier, resolve_roots(TIERS[tier], None))


def alice(host, *options):
    command = "XMPP_PASSWORD=Alice-Pw-1 python3 %s --jid alice@b.test --cafile %s %s"
    result = host.run(command % (PROBE, NEW["ca_cert"], " ".join(options)))
    assert result.rc == 0, result.stdout + result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_the_client_finds_everything_on_the_new_tier(host):
    with open(os.path.join(EXPECTED, host.backend.get_hostname() + ".json"), encoding="utf-8") as handle:
        upload = json.load(handle)["upload"]
    found = alice(host, "--roster", "--archive", "--fetch", upload["upload_url"])
    assert found["roster"] == ["bob@b.test"], found
    assert "before the backup" in found["archive"], found
    assert (found["fetched_bytes"], found["fetched_sha256"]) == (1048576, upload["upload_sha256"]), found


def test_the_data_lives_in_the_tenant_directory(host):
    accounts = host.file(NEW["host_data"].format(host="b.test") + "/accounts/alice.dat")
    assert accounts.exists
    assert accounts.user == "prosody"
    assert host.file(NEW["data"] + "/b%2etest").is_symlink


def test_the_record_names_the_new_tier_and_no_move_is_under_way(host):
    record = json.loads(host.file("/var/lib/xmpp-prosody/deployment.json").content_string)
    assert (record["tier"], record["roots"]) == ("enterprise", {"root": "/srv/prosody"})
    assert not host.file("/var/lib/xmpp-prosody/migration.json").exists


def test_the_old_tree_is_in_place_and_archived(host):
    tier, old = old_paths(host)
    assert host.file(old["data"]).is_directory
    archive = host.check_output("ls -d %s/migrated/%s-*", NEW["backups"], tier).split()
    assert len(archive) == 1, archive
    record = json.loads(host.file(archive[0] + "/deployment.json").content_string)
    assert record["tier"] == tier
    manifest = host.check_output("cat %s/data/full/*/MANIFEST.json", archive[0])
    assert json.loads(manifest)["stores"]["b.test"]["accounts"] == 2
    saved = host.check_output("ls %s/data/full/*%s", archive[0], old["data"])
    assert "b%2etest" in saved or "prosody.sqlite" in saved, saved
