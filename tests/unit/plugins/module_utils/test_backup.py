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

from ansible_collections.xmpp.prosody.plugins.module_utils import _backup, _restore, _stores
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS

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
    where = {"paths": d, "origin": {"tier": "minimal", "roots": {"root": d["root"]}}, "tenants": []}
    return _backup.backup(run, d["repo"], d["found"], where, level, keep or KEEP, now=at(second))


def put_back(d, repository=None, name="latest", parts=("data",)):
    planned = _restore.plan(repository or d["repo"], name, list(parts), "minimal", {"root": d["root"]}, None)
    return _restore.restore(run, repository or d["repo"], planned, d["data"], d["sqlite"])


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
    assert _stores.integrity(kept + "/data/prosody.sqlite") == "ok"
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
    result = put_back(minimal)
    assert result["stores"] == before["stores"]
    assert not os.path.exists(minimal["data"] + "/stray.dat")
    with open(minimal["data"] + "/upload%2eexample%2etest/http_file_share/slot.bin", "rb") as handle:
        assert handle.read() == UPLOAD
    assert _stores.integrity(minimal["sqlite"]) == "ok"


def test_a_restore_that_misses_records_fails(minimal):
    manifest = take(minimal, second=1)
    path = os.path.join(manifest["path"], _backup.MANIFEST)
    text = read(path).decode().replace('"accounts": 2', '"accounts": 3')
    with open(path, "w") as handle:
        handle.write(text)
    with pytest.raises(_backup.BackupError, match="stores on the host differ"):
        put_back(minimal)


def test_an_exported_set_restores_elsewhere(minimal, tmp_path):
    manifest = take(minimal, second=1)
    exported = _backup.export(run, minimal["repo"], manifest["name"], manifest["level"], str(tmp_path / "set.tar.gz"))
    assert oct(os.stat(exported).st_mode & 0o777) == "0o600"
    shutil.rmtree(minimal["repo"])
    write(minimal["root"] + "/prosody.cfg.lua", b"-- replaced")
    unpacked = _restore.unpack(run, exported, str(tmp_path / "unpacked"))
    result = put_back(minimal, unpacked, manifest["name"], ("config", "data", "certs"))
    assert result["stores"] == manifest["stores"]
    assert read(minimal["root"] + "/prosody.cfg.lua") == b'VirtualHost "example.test"\n'


def test_choosing_a_set_names_what_the_repository_holds(minimal):
    with pytest.raises(_backup.BackupError, match="holds no backup"):
        _restore.choose(minimal["repo"], "latest")
    take(minimal, second=1)
    with pytest.raises(_backup.BackupError, match=r"set: 20250101T000000Z is not in .* it holds 20261204T170001Z"):
        _restore.choose(minimal["repo"], "20250101T000000Z")


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
    counts = _stores.stores(root + "/data/global", root + "/data/global/prosody.sqlite")
    assert counts == {
        "a.example": {"accounts": 1},
        "b.example": {"accounts": 1},
        "conference.a.example": {"persistent": 1},
    }
    assert _stores.tenant_stores(counts, "a.example") == {
        "a.example": {"accounts": 1},
        "conference.a.example": {"persistent": 1},
    }


def test_a_repository_inside_what_is_saved_is_refused(minimal):
    saved = [minimal["data"], minimal["root"] + "/certs"]
    with pytest.raises(
        _backup.BackupError, match=r"repository: .*/data/backups lies inside .*/data, which a backup saves"
    ):
        _backup.check_repository(minimal["data"] + "/backups", saved)
    with pytest.raises(_backup.BackupError, match="contains"):
        _backup.check_repository(minimal["root"], saved)
    with pytest.raises(_backup.BackupError, match="not an absolute path"):
        _backup.check_repository("backups", saved)
    _backup.check_repository(minimal["repo"], saved)


def test_a_set_restores_only_onto_its_own_deployment_and_scope(minimal):
    take(minimal, second=1)
    roots = {"root": minimal["root"]}
    with pytest.raises(_backup.BackupError, match=r"is a backup of the minimal tier .* not of this host's debian tier"):
        _restore.plan(minimal["repo"], "latest", ["data"], "debian", roots, None)
    with pytest.raises(_backup.BackupError, match=r"tenant None.*tenant b.test"):
        _restore.plan(minimal["repo"], "latest", ["data"], "minimal", roots, "b.test")
    shutil.rmtree(minimal["repo"] + "/config")
    with pytest.raises(_backup.BackupError, match=r"parts: .* holds no config for set .*; nothing was changed"):
        _restore.plan(minimal["repo"], "latest", ["data", "config"], "minimal", roots, None)


def test_retention_keeps_the_configuration_of_every_kept_set(minimal):
    keep = {"full": 2, "incremental": 1}
    for second, level in enumerate(("full", "incremental", "incremental", "full", "incremental"), start=1):
        take(minimal, level, second, keep)
    kept = sorted(name for name, _level in _backup.sets(minimal["repo"]))
    assert kept == [_backup.stamp(at(s)) for s in (1, 4, 5)]
    assert sorted(os.listdir(minimal["repo"] + "/config")) == [*kept, "latest"]


def test_a_saved_link_comes_back_as_a_link(tmp_path):
    snapshot, live = tmp_path / "set", tmp_path / "live"
    (snapshot / str(live).lstrip("/") / "hosts/a").mkdir(parents=True)
    os.symlink("hosts/a", snapshot / str(live).lstrip("/") / "a%2eexample")
    (live / "hosts/a").mkdir(parents=True)
    os.symlink("hosts/a", live / "a%2eexample")
    _restore.restore_part(run, str(snapshot), [str(live / "a%2eexample")], [])
    assert os.readlink(live / "a%2eexample") == "hosts/a"
    assert os.listdir(live / "hosts/a") == []  # nothing was copied into the directory it leads to


def test_a_tenant_takes_one_label_below_it_and_not_other_tenants(tmp_path):
    root = str(tmp_path / "srv")
    for name in ("example.org", "team.example.org", "conference.example.org", "conference.team.example.org"):
        write(os.path.join(root, "certs/domains", name, "fullchain.pem"))
        write(os.path.join(root, "data/global", name.replace(".", "%2e"), "persistent/room.dat"))
    tenants = ["example.org", "team.example.org"]
    found = _backup.sources(TIERS["enterprise"], {"root": root}, "example.org", tenants)
    assert [os.path.basename(p) for p in found["certs"]] == ["example.org", "conference.example.org"]
    assert [os.path.basename(p) for p in found["data"]] == ["example%2eorg", "conference%2eexample%2eorg"]
    counts = _stores.stores(root + "/data/global", root + "/none.sqlite")
    assert sorted(_stores.tenant_stores(counts, "example.org", tenants)) == ["conference.example.org", "example.org"]


def test_an_export_is_private_and_handed_to_the_account_that_connected(minimal, tmp_path, monkeypatch):
    """The file and its directory: the caller's alone, so that a fetch without escalation streams it."""
    manifest = take(minimal, second=1)
    monkeypatch.setenv("SUDO_UID", str(os.getuid()))
    owner = _backup.login_ids()
    assert owner == (os.getuid(), os.getgid())
    directory = _backup.export_directory(minimal["repo"], owner)
    assert os.path.dirname(directory) == os.path.dirname(minimal["repo"])  # on the repository's file system
    target = os.path.join(directory, manifest["name"] + ".tar.gz")
    exported = _backup.export(run, minimal["repo"], manifest["name"], manifest["level"], target, owner)
    assert os.listdir(directory) == [os.path.basename(exported)]  # no partial file left beside it
    for path, mode in ((directory, 0o700), (exported, 0o600)):
        info = os.stat(path)
        assert (info.st_uid, info.st_gid, info.st_mode & 0o777) == (*owner, mode)


@pytest.mark.parametrize(("recorded", "expected"), [("65534\n", 65534), ("4294967295", 0)])
def test_the_login_uid_names_the_caller_when_sudo_does_not(recorded, expected, tmp_path, monkeypatch):
    """Under su (no SUDO_UID) the kernel's login uid says who connected; (uid_t)-1 means nobody did: root keeps it."""
    loginuid = tmp_path / "loginuid"
    loginuid.write_text(recorded)
    monkeypatch.setattr(_backup, "LOGINUID", str(loginuid))
    monkeypatch.delenv("SUDO_UID", raising=False)
    monkeypatch.setattr(os, "getuid", lambda: 0)
    monkeypatch.setattr(os, "getgid", lambda: 0)
    assert _backup.login_ids()[0] == expected


def test_an_external_database_refusal_names_it():
    text = _backup.external_databases_refusal(["PostgreSQL database 'prosody' on db.example (global)"])
    assert "(PostgreSQL database 'prosody' on db.example (global))" in text
    assert "pg_dump" in text
    assert text.endswith("nothing was written")
