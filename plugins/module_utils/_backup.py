# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""Backups of a deployment into a repository on the host (restores: _restore).

A repository holds three parts, each a mirror of the absolute paths it saves::

    config/<stamp>/...  config/latest -> <stamp>      the configuration of every backup
    certs/current/...   certs/archived/<stamp>/...    certificates: the newest, and the ones they replaced
    data/full/<stamp>/...  data/incremental/<stamp>/...  with <set>/MANIFEST.json

Every data set is complete: rsync --link-dest hard-links what did not change since the newest set, so
an incremental set costs only what changed and restores on its own. Owners stay numbers in the
repository (the docker tier's uid has no name on the host); an export also carries their names.
SQLite goes through its online backup API (a consistent copy while Prosody writes, WAL mode
included), never as a file; files of the internal storage being replaced (``*~``) are left out. The
manifest counts the records of every store, so a restore, and a move between tiers, can prove that
nothing is missing.
"""

from __future__ import annotations

import contextlib
import datetime
import glob
import json
import os
import pwd
import re
import shutil
import sqlite3
import stat
import tempfile
import urllib.parse

from ansible_collections.xmpp.prosody.plugins.module_utils import _record
from ansible_collections.xmpp.prosody.plugins.module_utils._errors import ProsodyError
from ansible_collections.xmpp.prosody.plugins.module_utils._hosts import prosody_encode
from ansible_collections.xmpp.prosody.plugins.module_utils._roots import resolve_roots
from ansible_collections.xmpp.prosody.plugins.module_utils._stores import (
    integrity,
    of_tenant,
    read_only,
    stores,
    tenant_stores,
)
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.common import RECORD
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS, well_known_paths

PARTS = ("config", "certs", "data")
LEVELS = ("full", "incremental")
MANIFEST = "MANIFEST.json"
STAMP = re.compile(r"^\d{8}T\d{6}Z$")
REPOSITORY_MODE = 0o700  # certificates' keys and every account's data: root's alone
# Never copied: files Prosody is replacing (its atomic writes), the live database (copied through its
# API instead), and what only means something to a running process.
EXCLUDES = ("*~", "*.sqlite", "*.sqlite-wal", "*.sqlite-shm", "*.sqlite-journal", "*.pid", "*.sock")
RSYNC = ("-a", "--numeric-ids", "--hard-links", "--relative")
LOGINUID = "/proc/self/loginuid"  # the kernel's record of who logged in (pam_loginuid), kept through sudo and su


class BackupError(ProsodyError):
    """A backup or a restore that cannot go ahead; the message names the fix."""


# The options that say which deployment, shared by the backup and restore modules.
DEPLOYMENT_SPEC = dict(
    tier=dict(type="str"),
    roots=dict(type="dict"),
    repository=dict(type="path"),
    tenant=dict(type="str"),
)


def deployment(params: dict) -> dict:
    """The tier, roots and paths of the deployment on this host, from its record; ``tier`` and ``roots``,
    when given, must agree with it. Also the repository (the tier's backups directory by default; a
    tenant's share under tenants/<tenant>/) and where a restore keeps what it replaces."""
    record = _record.read(RECORD.path)
    if record is None and not params["tier"]:
        raise BackupError("tier: this host has no deployment record (%s); name the tier and its roots" % RECORD.path)
    tier_name = params["tier"] or record["tier"]
    if tier_name not in TIERS or not TIERS[tier_name].backup:
        raise BackupError("tier: %r has no backup layout; use one of %s" % (tier_name, ", ".join(backup_tiers())))
    tier = TIERS[tier_name]
    roots = resolve_roots(tier, params["roots"] if params["roots"] is not None else record and record["roots"])
    if record is not None and (record["tier"], record["roots"]) != (tier.name, roots):
        raise BackupError(
            "tier: this host runs the %s tier (roots %s), not %s with %s; leave tier and roots out to use the record"
            % (record["tier"], json.dumps(record["roots"]), tier.name, json.dumps(roots))
        )
    paths = well_known_paths(tier.name, roots)
    home = params["repository"] or paths["backups"]
    check_repository(home, [template.format(**roots) for _part, template in tier.backup])
    share = ["tenants", params["tenant"]] if params["tenant"] else []
    return {
        "tier": tier,
        "roots": roots,
        "paths": paths,
        "home": home,  # the repository, with pre-restore/ in it
        "repository": os.path.join(home, *share),  # where this scope's sets are
        "pre_restore": os.path.join(home, "pre-restore", *share),
        "origin": {"tier": tier.name, "roots": roots},  # whose backups they are (the manifest says it)
        "tenants": record["vhosts"] if record else [],
        # SQL databases of another server (xmpp.prosody.config records them): not in any file here
        "databases": record.get("databases", []) if record else [],
    }


def check_repository(repository: str, saved: list) -> None:
    """A repository must be an absolute path outside everything a backup saves (a repository inside
    the data would be saved into itself, and a restore of the data would delete it)."""
    if not os.path.isabs(repository):
        raise BackupError("repository: %r is not an absolute path" % repository)
    for path in saved:
        inside = repository == path or repository.startswith(path.rstrip("/") + "/")
        if inside or path.startswith(repository.rstrip("/") + "/"):
            raise BackupError(
                "repository: %s %s %s, which a backup saves; choose a directory outside it (the default is the "
                "tier's backups directory)" % (repository, "lies inside" if inside else "contains", path)
            )


def backup_tiers() -> list:
    return sorted(name for name, tier in TIERS.items() if tier.backup)


def runner(module, ok=(0,)):
    """``run(argv)`` for the functions here: the command's output, or a BackupError with what it said."""

    def run(argv):
        rc, out, err = module.run_command(argv)
        if rc not in ok:
            raise BackupError("%s failed (rc %d): %s" % (" ".join(argv[:3]), rc, (err or out).strip()[-2000:]))
        return out

    return run


def stamp(now: datetime.datetime | None = None) -> str:
    return (now or datetime.datetime.now(datetime.UTC)).strftime("%Y%m%dT%H%M%SZ")


def sources(tier, roots: dict, tenant: str | None = None, tenants=()) -> dict:
    """The paths each part saves, absolute, existing ones only, from the tier record. With ``tenant``:
    that tenant's share, its components found by globs (one label below it, and not one of the other
    ``tenants``)."""
    if tenant is not None and not tier.tenant_backup:
        raise BackupError("tenant: the %s tier backs up the whole deployment only; leave tenant out" % tier.name)
    table = tier.backup if tenant is None else tier.tenant_backup
    fill = dict(roots, host=tenant or "", host_enc=prosody_encode(tenant or ""))
    found = {part: [] for part in PARTS}
    for part, template in table:
        for path in sorted(glob.glob(glob.escape(template.format(**fill)).replace(r"[*]", "*"))):
            if path in found[part] or (tenant is not None and not of_tenant(_host_of(path), tenant, tenants)):
                continue
            found[part].append(path)
    return found


def _host_of(path: str) -> str:
    """The host a tenant's path is named after (a file ``<host>.cfg.lua``, a directory ``<host>``, or
    Prosody's encoded ``<host>`` under data_path)."""
    name = os.path.basename(path)
    return urllib.parse.unquote(name[: -len(".cfg.lua")] if name.endswith(".cfg.lua") else name)


def _nested_excludes(paths: list, others: list) -> list:
    """rsync excludes for the paths of other parts that lie inside ``paths``."""
    return [
        "--exclude=%s/" % other
        for other in others
        if any(other != path and other.startswith(path.rstrip("/") + "/") for path in paths)
    ]


def sets(repository: str) -> list[tuple[str, str]]:
    """The data sets as (stamp, level), oldest first."""
    found = []
    for level in LEVELS:
        directory = os.path.join(repository, "data", level)
        if os.path.isdir(directory):
            found += [(name, level) for name in os.listdir(directory) if STAMP.match(name)]
    return sorted(found)


def set_path(repository: str, name: str, level: str) -> str:
    return os.path.join(repository, "data", level, name)


def newest(repository: str, level: str | None = None) -> tuple[str, str] | None:
    found = [s for s in sets(repository) if level is None or s[1] == level]
    return found[-1] if found else None


def _rsync_argv(*extra) -> list:
    """rsync as every copy into the repository runs it: mirrored absolute paths, numeric owners, no excluded files."""
    return ["rsync", *RSYNC, *("--exclude=%s" % pattern for pattern in EXCLUDES), *extra]


def _rsync(run, paths: list, target: str, link_dest: str | None = None, extra=()) -> None:
    argv = _rsync_argv(*extra)
    if link_dest:
        argv.append("--link-dest=%s" % os.path.abspath(link_dest))
    os.makedirs(os.path.dirname(target.rstrip("/")), REPOSITORY_MODE, exist_ok=True)
    run([*argv, *paths, target.rstrip("/") + "/"])


def copy_sqlite(source: str, target: str) -> None:
    """A consistent copy of a live database through SQLite's backup API (read-only on the source)."""
    with read_only(source) as origin, contextlib.closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, whatever the source's mode
    st = os.stat(source)
    os.chown(target, st.st_uid, st.st_gid)
    os.chmod(target, st.st_mode & 0o7777)


def in_set(set_dir: str, path: str) -> str:
    """Where an absolute path of the host is kept inside a set."""
    return os.path.join(set_dir, path.lstrip("/"))


def usage(set_dir: str) -> tuple[int, int, int]:
    """Files, bytes, and the bytes this set alone holds (files with no other link: new since the set it
    was linked to)."""
    files = size = own = 0
    for directory, _dirs, names in os.walk(set_dir):
        for name in names:
            st = os.lstat(os.path.join(directory, name))
            if not stat.S_ISREG(st.st_mode):
                continue
            files += 1
            size += st.st_size
            own += st.st_size if st.st_nlink == 1 else 0
    return files, size, own


def _prune(directory: str, keep: int | None, wanted=None) -> list:
    """Remove the oldest sets beyond ``keep`` (None: keep all), or those not in ``wanted``."""
    names = sorted(n for n in os.listdir(directory) if STAMP.match(n)) if os.path.isdir(directory) else []
    if wanted is not None:
        gone = [n for n in names if n not in wanted]
    else:
        gone = names[: max(len(names) - keep, 0)] if keep is not None else []
    for name in gone:
        shutil.rmtree(os.path.join(directory, name))
    return gone


def _same_tree(run, paths: list, target: str) -> bool:
    """Whether rsync would change nothing copying ``paths`` to ``target`` (checksums, owners, modes)."""
    if not os.path.isdir(target):
        return not paths
    out = run(
        [*_rsync_argv("--dry-run", "--checksum", "--delete", "--itemize-changes"), *paths, target.rstrip("/") + "/"]
    )
    return not any(line.strip() and not line.startswith(".d") for line in out.splitlines())


def _link_latest(directory: str, name: str) -> None:
    link = os.path.join(directory, "latest")
    temp = link + ".new"
    if os.path.lexists(temp):
        os.unlink(temp)
    os.symlink(name, temp)
    os.replace(temp, link)


def backup(run, repository, found, where, level, keep, tenant=None, now=None):
    """Take a backup of ``found`` (see sources) into ``repository``. ``run(argv)`` runs a command and
    returns its output (raising on failure). ``where`` is the deployment as ``deployment`` describes it:
    its ``paths`` (data, sqlite), ``origin`` (whose backup it is) and ``tenants``. Returns the manifest
    of the new data set."""
    data_path, sqlite_path, tenants = where["paths"]["data"], where["paths"]["sqlite"], where["tenants"]
    if tenant is not None and os.path.isfile(sqlite_path):
        raise BackupError(
            "tenant: this deployment keeps its data in %s, one database for every tenant; back up the whole "
            "deployment (leave tenant out)" % sqlite_path
        )
    os.makedirs(repository, REPOSITORY_MODE, exist_ok=True)
    os.chmod(repository, REPOSITORY_MODE)
    name = stamp(now)
    if any(s[0] == name for s in sets(repository)):
        raise BackupError("a backup named %s exists already; try again in a second" % name)
    base = newest(repository)
    if level == "incremental" and newest(repository, "full") is None:
        level = "full"  # the first backup of a repository is a full one
    everything = [p for part in PARTS for p in found[part]]

    # config: one snapshot per backup, linked to the previous one
    config_dir = os.path.join(repository, "config")
    os.makedirs(config_dir, REPOSITORY_MODE, exist_ok=True)
    previous = os.path.join(config_dir, "latest")
    target = os.path.join(config_dir, name)
    if found["config"]:
        extra = _nested_excludes(found["config"], [p for p in everything if p not in found["config"]])
        # small files: compared by content, not by size and time, before a link to the previous snapshot
        extra.append("--checksum")
        _rsync(run, found["config"], target, previous if os.path.isdir(previous) else None, extra)
        _link_latest(config_dir, name)

    # certs: current/ mirrors the host; what it held before a change moves to archived/<stamp>/
    current = os.path.join(repository, "certs", "current")
    archived = os.path.join(repository, "certs", "archived", name)
    certs_changed = not _same_tree(run, found["certs"], current)
    if certs_changed:
        if os.path.isdir(current):
            os.makedirs(os.path.dirname(archived), REPOSITORY_MODE, exist_ok=True)
            os.rename(current, archived)
        if found["certs"]:
            _rsync(run, found["certs"], current, archived if os.path.isdir(archived) else None, ["--checksum"])

    # data: a complete set, hard-linked to the newest one
    target = set_path(repository, name, level)
    os.makedirs(os.path.dirname(target), REPOSITORY_MODE, exist_ok=True)
    partial = target + ".partial"  # a run cut short leaves a .partial, never a set that looks whole
    for leftover in glob.glob(os.path.join(glob.escape(os.path.dirname(target)), "*.partial")):
        shutil.rmtree(leftover)
    os.makedirs(partial, REPOSITORY_MODE)
    link = set_path(repository, *base) if base and level == "incremental" else None
    if found["data"]:
        _rsync(run, found["data"], partial, link)
    database = None
    if os.path.isfile(sqlite_path) and any(sqlite_path.startswith(p + "/") for p in found["data"]):
        copy = in_set(partial, sqlite_path)
        os.makedirs(os.path.dirname(copy), exist_ok=True)
        copy_sqlite(sqlite_path, copy)
        database = {"path": sqlite_path, "integrity": integrity(copy)}
        if database["integrity"] != "ok":
            raise BackupError(
                "the copy of %s fails SQLite's integrity check: %s" % (sqlite_path, database["integrity"])
            )
    files, size, own = usage(partial)
    manifest = {
        "name": name,
        "level": level,
        "base": base and base[0] if link else None,
        "tier": where["origin"]["tier"],
        "roots": where["origin"]["roots"],
        "sources": found,
        "sqlite": database,
        "tenant": tenant,
        "stores": tenant_stores(stores(in_set(partial, data_path), in_set(partial, sqlite_path)), tenant, tenants),
        "files": files,
        "bytes": size,
        "new_bytes": own,
        "certs_changed": certs_changed,
    }
    with open(os.path.join(partial, MANIFEST), "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=1, sort_keys=True)
    os.rename(partial, target)
    manifest["path"] = target
    manifest["pruned"] = {lv: _prune(os.path.dirname(set_path(repository, "x", lv)), keep[lv]) for lv in LEVELS}
    # a configuration snapshot goes with its set
    manifest["pruned"]["config"] = _prune(config_dir, None, wanted={s[0] for s in sets(repository)})
    return manifest


def config_snapshot(repository: str, name: str) -> str | None:
    """The configuration saved with set ``name``, or the newest older one."""
    directory = os.path.join(repository, "config")
    names = sorted(n for n in os.listdir(directory) if STAMP.match(n) and n <= name) if os.path.isdir(directory) else []
    return os.path.join(directory, names[-1]) if names else None


def snapshot_of(repository: str, part: str, name: str, level: str) -> str | None:
    """Where ``part`` of set ``name`` is kept: the set itself, the config saved with it, current certs."""
    if part == "data":
        return set_path(repository, name, level)
    if part == "config":
        return config_snapshot(repository, name)
    current = os.path.join(repository, "certs", "current")
    return current if os.path.isdir(current) else None


def export(run, repository: str, name: str, level: str, target: str, owner: tuple | None = None) -> str:
    """Write set ``name`` with the configuration saved with it and the current certificates as one
    gzipped tar file (0600, ``owner``'s when given): a repository of one set, for keeping elsewhere."""
    members = [os.path.relpath(set_path(repository, name, level), repository)]
    for part in ("config", "certs"):
        snapshot = snapshot_of(repository, part, name, level)
        if snapshot:
            members.append(os.path.relpath(snapshot, repository))
    temp = target + ".partial"
    # GNU tar: owners by name and number (a rebuilt host maps the names), hard links kept
    run(["tar", "--create", "--gzip", "--file", temp, "--directory", repository, "--", *members])
    os.chmod(temp, 0o600)
    if owner is not None:
        os.chown(temp, *owner)
    os.replace(temp, target)
    return target


def login_ids() -> tuple[int, int]:
    """The uid and gid of the account that connected to this host, when the module runs as root through
    privilege escalation (sudo's SUDO_UID, else the kernel's login uid): a file given to it can be copied
    to the controller without escalation, streamed, instead of read whole into memory (Ansible's slurp)."""
    uid = os.getuid()
    if uid == 0:
        login = os.environ.get("SUDO_UID")
        if not (login or "").isdigit():
            try:
                with open(LOGINUID, encoding="ascii") as handle:
                    login = handle.read().strip()
            except OSError:
                login = None
        if login and login.isdigit() and int(login) != 0xFFFFFFFF:  # (uid_t)-1: no login recorded
            uid = int(login)
    try:
        return uid, pwd.getpwuid(uid).pw_gid
    except KeyError:
        return os.getuid(), os.getgid()


def external_databases_refusal(databases) -> str:
    return (
        "this deployment keeps data in an SQL database of its own server (%s), which a backup of the host's "
        "files does not hold: a set without it would have no account, roster or message of those hosts. Back that "
        "database up with its own tools (pg_dump, mysqldump) until xmpp.prosody.backup supports it; nothing was "
        "written" % "; ".join(databases)
    )


def export_directory(repository: str, owner: tuple[int, int]) -> str:
    """A new private directory (0700) beside the repository, on its file system, owned by ``owner``, for
    one exported set on its way to the controller; whoever fetches it removes it."""
    parent = os.path.dirname(os.path.abspath(repository).rstrip("/")) or "/"
    directory = tempfile.mkdtemp(prefix=".%s-export." % os.path.basename(repository.rstrip("/")), dir=parent)
    os.chown(directory, *owner)
    return directory
