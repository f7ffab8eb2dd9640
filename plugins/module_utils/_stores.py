# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""Counting Prosody's records, the same way for file and SQL storage, so that a backup, a restore and
a move between tiers or backends can prove that nothing is missing.

A store's count is the number of users with data in a keyval store (accounts, roster, vcard...; one
for the host's own data), the number of items of an archive store (messages, upload records), and
the number of files an upload component keeps (``http_file_share``).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import urllib.parse


def read_only(path: str):
    """A connection to a SQLite database that cannot write to it (Prosody may be using it), closed on exit."""
    return contextlib.closing(sqlite3.connect("file:%s?mode=ro" % urllib.parse.quote(path), uri=True))


def integrity(path: str) -> str:
    with read_only(path) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def _list_items(path: str) -> int:
    """Records of an internal storage archive (.list): one ``item(`` line each."""
    with open(path, "rb") as handle:
        return sum(1 for line in handle if line.startswith(b"item("))


def file_stores(data_path: str) -> dict:
    """Record counts of the internal storage under ``data_path`` (links followed, as Prosody does):
    per host and store, the users of a keyval store (``.dat``), the items of an archive (``.list``),
    and the files an upload component keeps (``http_file_share``)."""
    counts = {}
    if not os.path.isdir(data_path):
        return counts
    for directory, _dirs, files in os.walk(data_path, followlinks=True):
        parts = os.path.relpath(directory, data_path).split(os.sep)
        if parts[0] == "." or len(parts) > 2:
            continue
        for name in files:
            stem, ext = os.path.splitext(name)
            if len(parts) == 1 and ext in (".dat", ".list"):
                host, store = parts[0], stem  # a store without users (host-wide)
            elif len(parts) == 2 and (ext in (".dat", ".list") or (parts[1] == "http_file_share" and ext == ".bin")):
                host, store = parts
            else:
                continue
            n = _list_items(os.path.join(directory, name)) if ext == ".list" else 1
            key = (urllib.parse.unquote(host), urllib.parse.unquote(store))
            counts[key] = counts.get(key, 0) + n
    return counts


def sql_rows(path: str):
    """(table, host, store, records) of a SQLite database of Prosody's: users per keyval store
    (``prosody``), items per archive store (``prosodyarchive``). Nothing when there is no database."""
    if not os.path.isfile(path):
        return []
    with read_only(path) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        rows = []
        for table, count in (("prosody", "COUNT(DISTINCT user)"), ("prosodyarchive", "COUNT(*)")):
            if table in tables:
                query = "SELECT host, store, %s FROM %s GROUP BY host, store" % (count, table)
                rows += [(table, *row) for row in db.execute(query)]
        return rows


def sql_stores(path: str) -> dict:
    """Record counts in a SQLite database of Prosody's, by (host, store)."""
    counts = {}
    for _table, host, store, n in sql_rows(path):
        counts[(host, store)] = counts.get((host, store), 0) + n
    return counts


def stores(data_path: str, sqlite_path: str) -> dict:
    """Every store's record count, ``{"host": {"store": n}}``, from the files and the database."""
    merged = {}
    for counts in (file_stores(data_path), sql_stores(sqlite_path)):
        for (host, store), n in counts.items():
            merged.setdefault(host, {})
            merged[host][store] = merged[host].get(store, 0) + n
    return merged


def of_tenant(name: str, tenant: str, tenants=()) -> bool:
    """Whether a host or component belongs to a tenant: the tenant itself, or a name one label below it
    (conference.<tenant>) that is not a tenant of its own."""
    label, _dot, rest = name.partition(".")
    return name == tenant or (rest == tenant and bool(label) and name not in tenants)


def tenant_stores(counts: dict, tenant: str | None, tenants=()) -> dict:
    """The share of ``counts`` that belongs to a tenant (all of it when ``tenant`` is None)."""
    if tenant is None:
        return counts
    return {host: n for host, n in counts.items() if of_tenant(host, tenant, tenants)}
