# SPDX-License-Identifier: GPL-3.0-or-later
"""Moving between tiers: every store is found (the migrator copies only those it is told), files go
through the new tier's links, and a count that differs stops the move."""

from __future__ import annotations

import os
import sqlite3
import subprocess

import pytest

from ansible_collections.xmpp.prosody.plugins.module_utils import _backup, _migrate, _stores


def run(argv):
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode:
        raise _backup.BackupError(done.stderr)
    return done.stdout


def write(path, content=b"x"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(content)


@pytest.fixture
def files(tmp_path):
    data = str(tmp_path / "old")
    write(data + "/b%2etest/accounts/alice.dat")
    write(data + "/b%2etest/roster/alice.dat")
    write(data + "/b%2etest/archive/alice.list", b"item({});\nitem({});\n")
    write(data + "/b%2etest/archive/alice.lidx")
    write(data + "/b%2etest/vcard/alice.dat~")  # being written: not a store of its own
    write(data + "/b%2etest/cron.dat")  # host-wide keyval data
    write(data + "/upload%2eb%2etest/uploads.list", b"item({});\n")
    write(data + "/upload%2eb%2etest/http_file_share/slot.bin", b"bytes")
    return data


def test_internal_stores_are_named_as_the_migrator_wants_them(files):
    assert _migrate.file_stores(files) == {
        "b.test": ["accounts", "archive-archive", "cron", "roster"],
        "upload.b.test": ["uploads-archive"],
    }


def test_sql_stores_come_from_both_tables(tmp_path):
    path = str(tmp_path / "prosody.sqlite")
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE prosody (host, user, store, key, type, value)")
    db.execute("CREATE TABLE prosodyarchive (host, user, store, sort_id, key, value)")
    db.execute("INSERT INTO prosody VALUES ('b.test', 'ann', 'accounts', 'password', 'string', 'x')")
    db.execute("INSERT INTO prosody VALUES ('b.test', 'ann', 'roster', 'bo@b.test', 'json', '{}')")
    db.execute("INSERT INTO prosodyarchive VALUES ('b.test', 'ann', 'archive', 1, 'k', 'v')")
    db.commit()
    db.close()
    assert _migrate.sql_stores(path) == {"b.test": ["accounts", "archive-archive", "roster"]}


def test_the_migrator_config_names_every_store_in_safe_lua():
    text = _migrate.migrator_config(
        {'b"x.test': ["accounts"]}, {"type": "internal", "path": "/old"}, {"type": "sql", "database": "/new.sqlite"}
    )
    assert text.startswith("input {")
    assert '["b\\"x.test"] = {' in text
    assert 'database = "/new.sqlite"' in text
    assert 'driver = "SQLite3"' in text
    assert "output {" in text
    assert 'path = "/old"' in text


def test_files_go_through_the_new_tiers_links(files, tmp_path):
    root = tmp_path / "srv"
    (root / "data/hosts/b.test").mkdir(parents=True)
    (root / "data/uploads/b.test").mkdir(parents=True)
    (root / "data/global").mkdir(parents=True)
    os.symlink("../hosts/b.test", root / "data/global/b%2etest")
    os.symlink("../uploads/b.test", root / "data/global/upload%2eb%2etest")
    target = {
        "data": str(root / "data/global"),
        "sqlite": str(root / "data/global/prosody.sqlite"),
        "storage": "internal",
    }
    source = {"data": files, "sqlite": files + "/prosody.sqlite"}
    done = _migrate.transfer(run, "/nonexistent/prosody-migrator", source, target, str(tmp_path / "m.cfg.lua"))
    assert done == ["copied the internal storage of b.test, upload.b.test"]
    assert (root / "data/hosts/b.test/accounts/alice.dat").is_file()
    assert (root / "data/uploads/b.test/http_file_share/slot.bin").read_bytes() == b"bytes"
    assert not (root / "data/hosts/b.test/vcard/alice.dat~").exists()
    assert os.path.islink(root / "data/global/b%2etest")
    expected = _stores.stores(files, source["sqlite"])
    assert _migrate.verify(expected, target) == expected


@pytest.mark.skipif(os.geteuid() != 0, reason="giving files to another owner needs root")
def test_a_containers_files_are_given_to_the_new_tiers_owner(files, tmp_path):
    # the docker tier's files belong to the container's uid; the new tier's data path says who owns the copies
    for top, dirs, names in os.walk(tmp_path / "old"):
        for name in dirs + names:
            os.lchown(os.path.join(top, name), 5222, 5222)
    target_data = tmp_path / "new"
    target_data.mkdir()
    os.chown(target_data, 4321, 4321)
    target = {"data": str(target_data), "sqlite": str(target_data / "prosody.sqlite"), "storage": "internal"}
    source = {"data": files, "sqlite": files + "/prosody.sqlite"}
    _migrate.transfer(run, "/nonexistent/prosody-migrator", source, target, str(tmp_path / "m.cfg.lua"))
    owners = {(st.st_uid, st.st_gid) for st in (p.lstat() for p in target_data.rglob("*"))}
    assert owners == {(4321, 4321)}
    assert (target_data / "upload%2eb%2etest/http_file_share/slot.bin").read_bytes() == b"bytes"


def test_a_count_that_differs_stops_the_move(files, tmp_path):
    target = {"data": str(tmp_path / "empty"), "sqlite": str(tmp_path / "empty/prosody.sqlite")}
    expected = _stores.stores(files, files + "/prosody.sqlite")
    with pytest.raises(_migrate.MigrationError, match=r"b.test/accounts: expected 1, found 0; b.test/archive"):
        _migrate.verify(expected, target)


def test_a_marker_that_is_not_ours_is_refused(tmp_path):
    path = str(tmp_path / "migration.json")
    assert _migrate.read_marker(path) is None
    _migrate.write_marker({"target": {"tier": "enterprise"}}, path)
    assert _migrate.read_marker(path) == {"target": {"tier": "enterprise"}}
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    write(path, b"{not json")
    with pytest.raises(_migrate.MigrationError, match="not a move this collection started"):
        _migrate.read_marker(path)
