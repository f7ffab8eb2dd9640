# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""Moving a deployment to another tier on the same host: its data, converted where the storage differs.

The data is copied, never moved: the old tree stays where it is, and a full backup of it goes into the
new tier's repository before anything else happens. Prosody's internal storage has the same layout in
every tier (``<data_path>/<encoded host>/<store>/<user>.dat|.list``), so file to file is a copy of
each host's directory (through the new tier's links). A change of backend goes through
``prosody-migrator``, which copies only the stores it is told: they are discovered first, from the
file names for internal storage and from the tables for SQL. Uploaded files are files in every
backend and are copied as such. The move counts every store's records before and after.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import urllib.parse

from ansible_collections.xmpp.prosody.plugins.module_utils._backup import BackupError, copy_sqlite
from ansible_collections.xmpp.prosody.plugins.module_utils._fs import ids
from ansible_collections.xmpp.prosody.plugins.module_utils._lua import to_lua
from ansible_collections.xmpp.prosody.plugins.module_utils._runtime import SystemdHost, role_tiers, runtime_class
from ansible_collections.xmpp.prosody.plugins.module_utils._stores import sql_rows, stores
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS

MARKER = "/var/lib/xmpp-prosody/migration.json"  # a move under way: where from, where to, what to expect
UPLOADS = "http_file_share"  # the upload component's files, next to its stores
MIGRATOR_USER = "prosody"  # the account prosody-migrator switches to when it starts as root


def target_tiers() -> list:
    """The tiers a deployment moves to: those that run the packaged prosody.service."""
    return [name for name in role_tiers() if runtime_class(TIERS[name]) is SystemdHost]


def source_tiers() -> list:
    """The tiers a deployment moves from: every tier whose server the engine runs, its container's too
    (its files belong to the container's uid; the copies are given to the new tier's owner)."""
    return role_tiers()


class MigrationError(BackupError):
    """A move that cannot go ahead or did not give back every record; the message names the fix."""


def file_stores(data_path: str) -> dict:
    """The internal storage's stores per host, as prosody-migrator names them (``archive-archive`` for
    an archive store, the bare name for a keyval one)."""
    found = {}
    if not os.path.isdir(data_path):
        return found
    for host in sorted(os.listdir(data_path)):
        top = os.path.join(data_path, host)
        if not os.path.isdir(top):
            continue
        names = set()
        for entry in os.listdir(top):
            path = os.path.join(top, entry)
            if os.path.isdir(path) and entry != UPLOADS:
                kinds = {os.path.splitext(name)[1] for name in os.listdir(path)}
                names |= {entry + suffix for ext, suffix in ((".dat", ""), (".list", "-archive")) if ext in kinds}
            elif entry.endswith(".dat"):
                names.add(entry[: -len(".dat")])  # host-wide data of a keyval store
            elif entry.endswith(".list"):
                names.add(entry[: -len(".list")] + "-archive")
        if names:
            found[urllib.parse.unquote(host)] = sorted(urllib.parse.unquote(name) for name in names)
    return found


def sql_stores(path: str) -> dict:
    """The stores per host in a SQLite database of Prosody's, named as prosody-migrator wants them."""
    found = {}
    for table, host, store, _n in sql_rows(path):
        found.setdefault(host, set()).add(store + ("-archive" if table == "prosodyarchive" else ""))
    return {host: sorted(names) for host, names in sorted(found.items())}


def migrator_config(hosts: dict, source: dict, target: dict) -> str:
    """A prosody-migrator configuration: ``input`` (with every store of every host) and ``output``.
    ``source`` and ``target`` are ``{"type": "internal", "path": ...}`` or ``{"type": "sql", "database": ...}``."""

    def store(spec, with_hosts):
        body = {"type": spec["type"]}
        if spec["type"] == "sql":
            body.update(driver="SQLite3", database=spec["database"])
        else:
            body["path"] = spec["path"]
        if with_hosts:
            body["hosts"] = hosts
        return body

    return "input %s\noutput %s\n" % (to_lua(store(source, True), indent=1), to_lua(store(target, False), indent=1))


def differences(expected: dict, found: dict) -> list[str]:
    """``host/store: expected n, found m`` for every store whose count differs."""
    lines = []
    for host in sorted(set(expected) | set(found)):
        want, have = expected.get(host, {}), found.get(host, {})
        for name in sorted(set(want) | set(have)):
            if want.get(name, 0) != have.get(name, 0):
                lines.append("%s/%s: expected %s, found %s" % (host, name, want.get(name, 0), have.get(name, 0)))
    return lines


def read_marker(path: str = MARKER) -> dict | None:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        return None
    except ValueError as exc:
        raise MigrationError("%s: not a move this collection started (%s); move it away" % (path, exc)) from exc


def write_marker(marker: dict, path: str = MARKER) -> None:
    os.makedirs(os.path.dirname(path), 0o755, exist_ok=True)
    temp = path + ".new"
    with open(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as handle:
        json.dump(marker, handle, indent=1, sort_keys=True)
    os.replace(temp, path)


def transfer(run, migrator, source: dict, target: dict, config_path: str) -> list[str]:
    """Copy the data of ``source`` ({data, sqlite}) into ``target`` ({data, sqlite, storage}): what
    was done, step by step. ``run(argv)`` runs a command; ``migrator`` is prosody-migrator's path. The
    copies belong to the owner of the new tier's data path, whoever owned the old files."""
    done = []
    files, sql = file_stores(source["data"]), sql_stores(source["sqlite"])
    internal = {"type": "internal"}
    owner = _owner(target["data"])
    chown = "--chown=%d:%d" % owner
    converts = (sql and target["storage"] != "sql") or (files and target["storage"] != "internal")
    staging = _readable(run, source, files, sql, os.path.dirname(config_path)) if converts else None
    with staging or contextlib.nullcontext(source) as readable:
        # the database first: a copy of it replaces the target database, a conversion adds to it
        if sql and target["storage"] == "sql":
            copy_sqlite(source["sqlite"], target["sqlite"])
            os.chown(target["sqlite"], *owner)
            done.append("copied the SQLite database")
        elif sql:
            _migrate(run, migrator, config_path, sql, _sql(readable), dict(internal, path=target["data"]))
            done.append("converted %s from SQL to internal storage" % ", ".join(sorted(sql)))
        if files and target["storage"] == "internal":
            for host in sorted(os.listdir(source["data"])):
                origin = os.path.join(source["data"], host)
                # a host's directory: stores, or uploaded files (not the docker tier's uploads/ or archives/)
                if urllib.parse.unquote(host) in files or os.path.isdir(os.path.join(origin, UPLOADS)):
                    # into the new tier's place for the host, through its link (enterprise: data/global/<host>
                    # -> ../hosts/<host>); resolved here, as rsync 3.4 refuses to follow a link it does not trust
                    destination = os.path.realpath(os.path.join(target["data"], host))
                    run(["rsync", "-a", "--numeric-ids", chown, "--exclude=*~", origin + "/", destination + "/"])
            done.append("copied the internal storage of %s" % ", ".join(sorted(files)))
        elif files:
            _migrate(run, migrator, config_path, files, dict(internal, path=readable["data"]), _sql(target))
            os.chown(target["sqlite"], *owner)
            done.append("converted %s from internal storage to SQL" % ", ".join(sorted(files)))
    if not (files and target["storage"] == "internal"):
        copied = _uploads(run, source["data"], target["data"], owner)
        if copied:
            done.append("copied the uploaded files of %s" % ", ".join(copied))
    return done


def _owner(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_uid, st.st_gid


@contextlib.contextmanager
def _readable(run, source: dict, files: dict, sql: dict, workdir: str):
    """The source as prosody-migrator can read it: as it is when the migrator's account owns it, else a
    copy of it that account owns (a container's files belong to the container's uid), removed after."""
    uid, gid = ids(MIGRATOR_USER, MIGRATOR_USER)
    if _owner(source["data"])[0] == uid:
        yield source
        return
    staged = tempfile.mkdtemp(prefix="source.", dir=workdir)
    try:
        os.chown(staged, uid, gid)
        copy = {"data": os.path.join(staged, "data"), "sqlite": os.path.join(staged, "prosody.sqlite")}
        if sql:
            copy_sqlite(source["sqlite"], copy["sqlite"])
            os.chown(copy["sqlite"], uid, gid)
        if files:
            chown = "--chown=%d:%d" % (uid, gid)
            run(["rsync", "-a", "--numeric-ids", chown, source["data"] + "/", copy["data"] + "/"])
        yield copy
    finally:
        shutil.rmtree(staged, ignore_errors=True)


def _sql(spec: dict) -> dict:
    return {"type": "sql", "database": spec["sqlite"]}


def _migrate(run, migrator, config_path, hosts, source, target) -> None:
    with open(os.open(config_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as handle:
        handle.write(migrator_config(hosts, source, target))
    # prosody-migrator becomes the prosody user before it reads its configuration
    os.chown(config_path, *ids(MIGRATOR_USER, MIGRATOR_USER))
    try:
        run([migrator, "--config=%s" % config_path, "input", "output"])
    finally:
        os.unlink(config_path)


def _uploads(run, source: str, target: str, owner: tuple[int, int]) -> list[str]:
    copied = []
    for host in sorted(os.listdir(source)) if os.path.isdir(source) else []:
        origin = os.path.join(source, host, UPLOADS)
        if os.path.isdir(origin):
            destination = os.path.realpath(os.path.join(target, host))  # through the tier's link, as above
            os.makedirs(destination, 0o750, exist_ok=True)
            os.chown(destination, *owner)
            chown = "--chown=%d:%d" % owner
            run(["rsync", "-a", "--numeric-ids", chown, origin + "/", os.path.join(destination, UPLOADS) + "/"])
            copied.append(urllib.parse.unquote(host))
    return copied


def verify(expected: dict, target: dict) -> dict:
    found = stores(target["data"], target["sqlite"])
    wrong = differences(expected, found)
    if wrong:
        raise MigrationError(
            "the new tier's stores differ from the old tier's: %s. Prosody stays stopped; the old tree is "
            "untouched and archived" % "; ".join(wrong)
        )
    return found
