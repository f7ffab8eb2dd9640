# SPDX-License-Identifier: GPL-3.0-or-later
"""After the restore into a fresh container: the old password logs in, and the roster entry, the
archived messages and the uploaded bytes are there; a restored SQLite database is sound."""

from __future__ import annotations

import json
import os

from xmpp_helpers import PROBE, TIERS, resolve_roots, well_known_paths

BACKUPS = "/tmp/xmpp-prosody-molecule-backups"  # prosody_backup_fetch in molecule.yml
TIER = {
    "xmpp-deb12-files": "debian",
    "xmpp-deb12-sql": "minimal",
    "xmpp-deb13-files": "enterprise",
    "xmpp-deb13-sql": "debian",
}
SQL = {"xmpp-deb12-sql", "xmpp-deb13-sql"}


def paths(host):
    tier = TIER[host.backend.get_hostname()]
    return well_known_paths(tier, resolve_roots(TIERS[tier], None))


def expected(host):
    with open(os.path.join(BACKUPS, host.backend.get_hostname(), "expected.json"), encoding="utf-8") as handle:
        return json.load(handle)


def alice(host, *options):
    command = "XMPP_PASSWORD=Alice-Pw-1 python3 %s --jid alice@b.test --cafile %s %s" % (
        PROBE,
        paths(host)["ca_cert"],
        " ".join(options),
    )
    result = host.run(command)
    assert result.rc == 0, result.stdout + result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_the_old_password_logs_in_and_finds_roster_and_archive(host):
    found = alice(host, "--roster", "--archive")
    assert found["authenticated"] is True, found
    assert found["roster"] == ["bob@b.test"], found
    assert {"before the backup", "after the full backup"} <= set(found["archive"]), found


def test_the_upload_has_its_bytes(host):
    upload = expected(host)["upload"]
    found = alice(host, "--fetch", upload["upload_url"])
    assert (found["fetched_bytes"], found["fetched_sha256"]) == (1048576, upload["upload_sha256"]), found


def test_a_restored_database_is_sound(host):
    if host.backend.get_hostname() not in SQL:
        assert not host.file(paths(host)["sqlite"]).exists
        return
    check = (
        "python3 -c 'import sqlite3, sys; "
        'print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])\' %s'
    )
    assert host.check_output(check, paths(host)["sqlite"]) == "ok"
