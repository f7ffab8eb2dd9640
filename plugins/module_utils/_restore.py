# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""Restores from a repository that _backup wrote: a plan checked before anything changes, then the
parts put back exactly, then every store's records counted against the set's manifest."""

from __future__ import annotations

import json
import os

from ansible_collections.xmpp.prosody.plugins.module_utils._backup import (
    EXCLUDES,
    MANIFEST,
    BackupError,
    copy_sqlite,
    in_set,
    set_path,
    sets,
    snapshot_of,
)
from ansible_collections.xmpp.prosody.plugins.module_utils._stores import stores, tenant_stores


def read_manifest(set_dir: str) -> dict:
    try:
        with open(os.path.join(set_dir, MANIFEST), encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as exc:
        raise BackupError("%s: no readable %s (%s); name another set" % (set_dir, MANIFEST, exc)) from exc


def choose(repository: str, name: str) -> tuple[str, str]:
    """The set to restore: ``latest`` or a set's name."""
    found = sets(repository)
    if not found:
        raise BackupError("repository: %s holds no backup (data/full or data/incremental)" % repository)
    if name == "latest":
        return found[-1]
    for entry in found:
        if entry[0] == name:
            return entry
    raise BackupError("set: %s is not in %s; it holds %s" % (name, repository, ", ".join(s[0] for s in found[-5:])))


def plan(repository: str, name: str, parts: list, tier: str, roots: dict, tenant: str | None) -> dict:
    """What a restore of ``parts`` of set ``name`` would put back, checked before anything changes:
    the set belongs to this deployment (tier, roots) and is of the same scope (the whole deployment,
    or the same tenant), and it holds every part asked for."""
    name, level = choose(repository, name)
    manifest = read_manifest(set_path(repository, name, level))
    mine = (manifest.get("tier"), manifest.get("roots"), manifest.get("tenant"))
    if mine != (tier, roots, tenant):
        raise BackupError(
            "set: %s is a backup of the %s tier (roots %s, tenant %s), not of this host's %s tier (roots %s, tenant "
            "%s); nothing was changed. Restore it onto a deployment like the one it came from"
            % (name, mine[0], json.dumps(mine[1]), mine[2], tier, json.dumps(roots), tenant)
        )
    snapshots = {part: snapshot_of(repository, part, name, level) for part in parts}
    missing = sorted(part for part, snapshot in snapshots.items() if snapshot is None)
    if missing:
        raise BackupError(
            "parts: %s holds no %s for set %s; nothing was changed. Leave it out of parts"
            % (repository, " or ".join(missing), name)
        )
    return {"name": name, "level": level, "manifest": manifest, "snapshots": snapshots}


def _relative_excludes(path: str, others: list) -> list:
    prefix = path.rstrip("/") + "/"
    return ["/%s/" % other[len(prefix) :] for other in others if other.startswith(prefix)]


def restore_part(run, snapshot: str, paths: list, others: list) -> None:
    """Put each of ``paths`` back from ``snapshot`` (a mirror of absolute paths), deleting what the
    backup does not hold; other parts' paths inside them are left alone."""
    for path in paths:
        saved = in_set(snapshot, path)
        if os.path.islink(saved):
            # a link (the enterprise tier's data/global/<tenant>) is put back as a link, never followed
            temp = path + ".restored"
            if os.path.lexists(temp):
                os.unlink(temp)
            os.symlink(os.readlink(saved), temp)
            st = os.lstat(saved)
            os.lchown(temp, st.st_uid, st.st_gid)
            os.replace(temp, path)
        elif os.path.isdir(saved):
            argv = ["rsync", "-a", "--numeric-ids", "--hard-links", "--delete"]
            argv += ["--exclude=%s" % p for p in (*_relative_excludes(path, others), *EXCLUDES)]
            run([*argv, saved + "/", path.rstrip("/") + "/"])
        elif os.path.exists(saved):
            run(["rsync", "-a", "--numeric-ids", saved, path])


def restore(run, repository: str, planned: dict, data_path: str, sqlite_path: str, tenant=None, tenants=()) -> dict:
    """Put the planned parts back on the host (Prosody stopped), then count the stores again: a restore
    that does not give back every record of the manifest fails."""
    manifest = planned["manifest"]
    saved = manifest["sources"]
    everything = [p for part in saved for p in saved[part]]
    for part, snapshot in planned["snapshots"].items():
        others = [p for p in everything if p not in saved.get(part, [])]
        restore_part(run, snapshot, saved.get(part, []), others)
    if "data" in planned["snapshots"] and manifest.get("sqlite"):
        copy_sqlite(in_set(planned["snapshots"]["data"], manifest["sqlite"]["path"]), sqlite_path)
    now = tenant_stores(stores(data_path, sqlite_path), tenant, tenants)
    if "data" in planned["snapshots"] and now != manifest["stores"]:
        raise BackupError(
            "restore of %s: the stores on the host differ from the backup's; host %s, backup %s"
            % (planned["name"], json.dumps(now, sort_keys=True), json.dumps(manifest["stores"], sort_keys=True))
        )
    return {"name": planned["name"], "level": planned["level"], "parts": planned["snapshots"], "stores": now}


def unpack(run, archive: str, directory: str) -> str:
    """Unpack an exported file into ``directory``: a repository to restore from. GNU tar maps owners
    by name where the name exists here (a rebuilt host may give prosody another uid), else by number,
    and never writes outside the directory."""
    os.makedirs(directory, 0o700, exist_ok=True)
    try:
        run(["tar", "--extract", "--gzip", "--file", archive, "--directory", directory])
    except BackupError as exc:
        raise BackupError("archive: %s is not a backup this collection exported (%s)" % (archive, exc)) from exc
    return directory
