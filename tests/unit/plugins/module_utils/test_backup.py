# SPDX-License-Identifier: GPL-3.0-or-later
"""Backups and restores on a real tree with the real rsync: complete sets, hard-linked increments,
SQLite through its API, retention, and a restore that proves every record came back."""

from __future__ import annotations

import datetime
import os
import shutil
import sqlite3
import subprocess

import pytest

from ansible_collections.xmpp.prosody.plugins.module_utils import _backup
from ansible_collections.xmpp.prosody.plugins.module_utils._layout import TIERS

KEEP = {"full": 4, "incremental": 14}
UPLOAD = b"u" * 200_000


def run(argv):
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode:
        raise _backup.BackupError(done.stderr)
    return done.stdout


def at(second):
    return datetime.datetime(2026, 12, 4, 17, 0, second, tzinfo=datetime.UTC)


def read(path):
    with open(path, "rb") as handle:
        return handle.read()


def write(path, content=b"x"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(content)


def add_message(root, text="hi"):
    path = os.path.join(root, "data/example%2etest/archive/alice.list")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "ab") as handle:
        handle.write(b'item({key="%s";with="bob@example.test";});\n' % text.encode())


@pytest.fixture
def minimal(tmp_path):
    """A minimal-tier deployment under tmp_path: files and SQLite storage side by side."""
    root = str(tmp_path / "prosody")
    write(root + "/prosody.cfg.lua", b'VirtualHost "example.test"\n')
    write(root + "/certs/cert.pem", b"cert-1")
    write(root + "/certs/.ca/ca.key", b"ca-key")
    write(root + "/modules/mod_x.lua", b"-- x")
    write(root + "/data/example%2etest/accounts/alice.dat", b"return {};")
    write(root + "/data/example%2etest/accounts/bob.dat", b"return {};")
    write(root + "/data/example%2etest/roster/alice.dat~", b"half written")
    add_message(root, "one")
    add_message(root, "two")
    write(root + "/data/upload%2eexample%2etest/http_file_share/slot.bin", UPLOAD)
    db = sqlite3.connect(root + "/data/prosody.sqlite")
    db.execute("CREATE TABLE prosody (host, user, store, key, type, value)")
    db.execute("CREATE TABLE prosodyarchive (host, user, store, sort_id, key, value)")
    db.executemany(
        "INSERT INTO prosody VALUES ('example.test', ?, 'roster', ?, 'json', '{}')", [("ann", "a"), ("ann", "b")]
    )
    db.execute("INSERT INTO prosodyarchive VALUES ('example.test', 'ann', 'archive', 1, 'k', 'v')")
    db.commit()
    db.execute("PRAGMA journal_mode=WAL")  # as Prosody 13 may run it
    db.close()
    tier = TIERS["minimal"]
    roots = {"root": root}
    return {
        "root": root,
        "repo": str(tmp_path / "repo"),
        "found": _backup.sources(tier, roots),
        "data": root + "/data",
        "sqlite": root + "/data/prosody.sqlite",
    }


def take(d, level="incremental", second=0, keep=None):
    return _backup.backup(run, d["repo"], d["found"], d["data"], d["sqlite"], level, keep or KEEP, now=at(second))


def test_sources_follow_the_tier_record(minimal):
    assert minimal["found"] == {
        "config": [minimal["root"] + "/prosody.cfg.lua", minimal["root"] + "/modules"],
        "certs": [minimal["root"] + "/certs"],
        "data": [minimal["data"]],
    }
    with pytest.raises(_backup.BackupError, match="tenant: the minimal tier backs up the whole deployment"):
        _backup.sources(TIERS["minimal"], {"root": minimal["root"]}, "example.test")


def test_a_full_set_counts_every_store_and_copies_sqlite_through_its_api(minimal):
    manifest = take(minimal)  # the first set of a repository is full whatever was asked
    assert manifest["level"] == "full"
    assert manifest["stores"] == {
        "example.test": {"accounts": 2, "archive": 2 + 1, "roster": 1},
        "upload.example.test": {"http_file_share": 1},
    }
    assert manifest["sqlite"] == {"path": minimal["sqlite"], "integrity": "ok"}
    kept = _backup.in_set(manifest["path"], minimal["root"])
    assert not os.path.exists(kept + "/data/example%2etest/roster/alice.dat~")
    assert _backup.integrity(kept + "/data/prosody.sqlite") == "ok"
    assert not os.path.exists(kept + "/data/prosody.sqlite-wal")
    config = _backup.in_set(minimal["repo"] + "/config/latest", minimal["root"])
    assert read(config + "/prosody.cfg.lua") == b'VirtualHost "example.test"\n'
    assert not os.path.exists(config + "/data")
    assert os.stat(manifest["path"]).st_mode & 0o777 == 0o700
    assert os.readlink(minimal["repo"] + "/config/latest") == manifest["name"]


def test_an_incremental_set_links_what_did_not_change(minimal):
    full = take(minimal, "full", 1)
    add_message(minimal["root"], "three")
    incremental = take(minimal, "incremental", 2)
    assert incremental["level"] == "incremental"
    assert incremental["base"] == full["name"]
    assert incremental["stores"]["example.test"]["archive"] == 4
    assert full["bytes"] > len(UPLOAD)
    assert incremental["new_bytes"] < full["bytes"] / 10
    relative = "prosody/data/upload%2eexample%2etest/http_file_share/slot.bin"
    same = [
        os.stat(os.path.join(m["path"], relative.replace("prosody", minimal["root"].lstrip("/"), 1)))
        for m in (full, incremental)
    ]
    assert same[0].st_ino == same[1].st_ino  # one copy of the upload on disk


def test_certificates_keep_what_a_change_replaced(minimal):
    first = take(minimal, second=1)
    assert first["certs_changed"]
    assert not os.path.exists(minimal["repo"] + "/certs/archived")
    assert not take(minimal, second=2)["certs_changed"]
    write(minimal["root"] + "/certs/cert.pem", b"cert-2")
    third = take(minimal, second=3)
    archived = _backup.in_set(minimal["repo"] + "/certs/archived/" + third["name"], minimal["root"])
    current = _backup.in_set(minimal["repo"] + "/certs/current", minimal["root"])
    assert read(archived + "/certs/cert.pem") == b"cert-1"
    assert read(current + "/certs/cert.pem") == b"cert-2"


def test_retention_keeps_the_newest_and_every_set_stays_whole(minimal):
    keep = {"full": 1, "incremental": 2}
    take(minimal, "full", 1)
    for second in range(2, 6):
        add_message(minimal["root"], str(second))
        newest = take(minimal, "incremental", second, keep)
    assert [s[0] for s in _backup.sets(minimal["repo"])] == [_backup.stamp(at(s)) for s in (1, 4, 5)]
    assert newest["pruned"]["incremental"] == [_backup.stamp(at(3))]
    take(minimal, "full", 6, keep)  # the first full set goes; the incremental sets linked to it still restore
    assert [s[1] for s in _backup.sets(minimal["repo"])] == ["incremental", "incremental", "full"]
    kept = _backup.set_path(minimal["repo"], _backup.stamp(at(4)), "incremental")
    assert os.path.getsize(
        _backup.in_set(kept, minimal["data"]) + "/upload%2eexample%2etest/http_file_share/slot.bin"
    ) == len(UPLOAD)


def test_a_wiped_host_gets_every_record_back(minimal):
    before = take(minimal, second=1)
    shutil.rmtree(minimal["data"])
    os.makedirs(minimal["data"])
    write(minimal["data"] + "/stray.dat", b"not in the backup")
    result = _backup.restore(run, minimal["repo"], "latest", ["data"], minimal["data"], minimal["sqlite"])
    assert result["stores"] == before["stores"]
    assert not os.path.exists(minimal["data"] + "/stray.dat")
    with open(minimal["data"] + "/upload%2eexample%2etest/http_file_share/slot.bin", "rb") as handle:
        assert handle.read() == UPLOAD
    assert _backup.integrity(minimal["sqlite"]) == "ok"


def test_a_restore_that_misses_records_fails(minimal):
    manifest = take(minimal, second=1)
    path = os.path.join(manifest["path"], _backup.MANIFEST)
    text = read(path).decode().replace('"accounts": 2', '"accounts": 3')
    with open(path, "w") as handle:
        handle.write(text)
    with pytest.raises(_backup.BackupError, match="stores on the host differ"):
        _backup.restore(run, minimal["repo"], "latest", ["data"], minimal["data"], minimal["sqlite"])


def test_an_exported_set_restores_elsewhere(minimal, tmp_path):
    manifest = take(minimal, second=1)
    exported = _backup.export(minimal["repo"], manifest["name"], manifest["level"], str(tmp_path / "set.tar.gz"))
    assert oct(os.stat(exported).st_mode & 0o777) == "0o600"
    shutil.rmtree(minimal["repo"])
    write(minimal["root"] + "/prosody.cfg.lua", b"-- replaced")
    unpacked = _backup.unpack(exported, str(tmp_path / "unpacked"))
    result = _backup.restore(
        run, unpacked, manifest["name"], ["config", "data", "certs"], minimal["data"], minimal["sqlite"]
    )
    assert result["stores"] == manifest["stores"]
    assert read(minimal["root"] + "/prosody.cfg.lua") == b'VirtualHost "example.test"\n'


def test_choosing_a_set_names_what_the_repository_holds(minimal):
    with pytest.raises(_backup.BackupError, match="holds no backup"):
        _backup.choose(minimal["repo"], "latest")
    take(minimal, second=1)
    with pytest.raises(_backup.BackupError, match=r"set: 20250101T000000Z is not in .* it holds 20261204T170001Z"):
        _backup.choose(minimal["repo"], "20250101T000000Z")


def test_a_tenant_share_follows_its_links_and_components(tmp_path):
    root = str(tmp_path / "srv")
    for path in (
        "config/hosts/a.example.cfg.lua",
        "config/components/conference.a.example.cfg.lua",
        "config/hosts/b.example.cfg.lua",
        "data/hosts/a.example/accounts/ann.dat",
        "data/hosts/b.example/accounts/bo.dat",
        "data/global/conference%2ea%2eexample/persistent.dat",
        "certs/domains/a.example/fullchain.pem",
    ):
        write(os.path.join(root, path))
    os.symlink("../hosts/a.example", root + "/data/global/a%2eexample")
    os.symlink("../hosts/b.example", root + "/data/global/b%2eexample")
    found = _backup.sources(TIERS["enterprise"], {"root": root}, "a.example")
    assert found["config"] == [
        root + "/config/hosts/a.example.cfg.lua",
        root + "/config/components/conference.a.example.cfg.lua",
    ]
    assert found["data"] == [
        root + "/data/hosts/a.example",
        root + "/data/global/a%2eexample",
        root + "/data/global/conference%2ea%2eexample",
    ]
    counts = _backup.stores(root + "/data/global", root + "/data/global/prosody.sqlite")
    assert counts == {
        "a.example": {"accounts": 1},
        "b.example": {"accounts": 1},
        "conference.a.example": {"persistent": 1},
    }
    assert _backup.tenant_stores(counts, "a.example") == {
        "a.example": {"accounts": 1},
        "conference.a.example": {"persistent": 1},
    }
