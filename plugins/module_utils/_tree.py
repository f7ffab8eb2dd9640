# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""Ensure a set of directories and files (owner, group, mode) in one pass, without following symlinks."""

from __future__ import annotations

import grp
import os
import pwd
import stat

from ansible_collections.xmpp.prosody.plugins.module_utils._errors import LayoutError
from ansible_collections.xmpp.prosody.plugins.module_utils._fs import gid_of, uid_of
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import DIRECTORY, LINK


def lookup_ids(targets, check_mode: bool):
    """Map owner and group names (or numeric ids, kept as they are) to ids. Unknown names fail, except
    in check mode (the package that creates the account may not be installed yet): then they map to
    None and count as a change."""
    missing = []

    def ids(names, lookup, kind):
        found = {}
        for name in sorted(names):
            try:
                found[name] = lookup(name)
            except KeyError:
                found[name] = None
                missing.append("%s %r" % (kind, name))
        return found

    uids = ids({t.owner for t in targets}, uid_of, "user")
    gids = ids({t.group for t in targets}, gid_of, "group")
    if missing and not check_mode:
        raise LayoutError(
            "%s does not exist on this host; install Prosody first (it creates the account) or set user/group"
            % " and ".join(missing)
        )
    return uids, gids, missing


def _describe(st) -> dict:
    try:
        owner = pwd.getpwuid(st.st_uid).pw_name
    except KeyError:
        owner = str(st.st_uid)
    try:
        group = grp.getgrgid(st.st_gid).gr_name
    except KeyError:
        group = str(st.st_gid)
    return {"owner": owner, "group": group, "mode": "%04o" % stat.S_IMODE(st.st_mode)}


def _check_parents(target, seen_dirs: set):
    """Refuse a path whose parents inside the root include a symlink (it could lead out of the root)."""
    parent = os.path.dirname(target.path)
    chain = []
    while parent != target.root and parent.startswith(target.root + "/"):
        chain.append(parent)
        parent = os.path.dirname(parent)
    for directory in chain:
        if directory in seen_dirs:
            continue
        try:
            st = os.lstat(directory)
        except FileNotFoundError:
            continue
        if stat.S_ISLNK(st.st_mode):
            raise LayoutError(
                "%s: is a symlink (to %s); refusing to follow it out of %s"
                % (directory, os.readlink(directory), target.root)
            )
        seen_dirs.add(directory)


def inspect(targets, uids, gids):
    """Compare each target with the disk. Returns a list of (target, current attrs or None, wanted attrs)."""
    pending, seen_dirs = [], set()
    for target in targets:
        _check_parents(target, seen_dirs)
        if target.kind == LINK:
            wanted = {"owner": target.owner, "group": target.group, "target": target.target}
        else:
            wanted = {"owner": target.owner, "group": target.group, "mode": "%04o" % target.mode}
        try:
            st = os.lstat(target.path)
        except FileNotFoundError:
            pending.append((target, None, wanted))
            continue
        if target.kind == LINK:
            _inspect_link(target, st, uids, gids, wanted, pending)
            continue
        if stat.S_ISLNK(st.st_mode):
            raise LayoutError(
                "%s: is a symlink (to %s); layout entries must be real, refusing to follow it"
                % (target.path, os.readlink(target.path))
            )
        is_dir = stat.S_ISDIR(st.st_mode)
        if is_dir != (target.kind == DIRECTORY) or not (is_dir or stat.S_ISREG(st.st_mode)):
            raise LayoutError(
                "%s: exists but is not a %s; move it away so the layout can be created" % (target.path, target.kind)
            )
        if (
            st.st_uid != uids[target.owner]
            or st.st_gid != gids[target.group]
            or stat.S_IMODE(st.st_mode) != target.mode
        ):
            pending.append((target, _describe(st), wanted))
        if is_dir:
            seen_dirs.add(target.path)
    return pending


def _inspect_link(target, st, uids, gids, wanted, pending) -> None:
    if not stat.S_ISLNK(st.st_mode):
        raise LayoutError(
            "%s: is a real %s where the link to %s belongs (Prosody stored this tenant's data before the layout "
            "linked it); move its content into %s and remove it, then run again"
            % (
                target.path,
                "directory" if stat.S_ISDIR(st.st_mode) else "file",
                target.target,
                os.path.normpath(os.path.join(os.path.dirname(target.path), target.target)),
            )
        )
    have = os.readlink(target.path)
    if have != target.target or st.st_uid != uids[target.owner] or st.st_gid != gids[target.group]:
        current = _describe(st)
        pending.append((target, {"owner": current["owner"], "group": current["group"], "target": have}, wanted))


def apply(pending, uids, gids):
    """Create or repair each pending target. New paths start private (0700/0600) and open up only
    after chown, so nothing is ever more accessible than intended."""
    for target, current, _wanted in pending:
        if target.kind == LINK:
            if current is None or current["target"] != target.target:
                temporary = "%s.xmpp-prosody-new" % target.path
                if os.path.lexists(temporary):
                    os.unlink(temporary)
                os.symlink(target.target, temporary)
                os.rename(temporary, target.path)
            os.lchown(target.path, uids[target.owner], gids[target.group])
            continue
        if current is None:
            if target.kind == DIRECTORY:
                os.mkdir(target.path, 0o700)
            else:
                os.close(os.open(target.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
        os.lchown(target.path, uids[target.owner], gids[target.group])
        os.chmod(target.path, target.mode)  # the path was lstat-checked: not a symlink


def parse_statoverrides(text: str) -> dict:
    """`dpkg-statoverride --list` lines ("owner group mode path") as {path: (owner, group, mode)}."""
    found = {}
    for line in text.splitlines():
        parts = line.split(None, 3)
        if len(parts) == 4:
            found[parts[3]] = (parts[0], parts[1], "%04o" % int(parts[2], 8))
    return found


def statoverride_plan(targets, listed: dict) -> list[tuple[str, tuple, tuple | None]]:
    """Directories whose dpkg-statoverride entry is missing or differs: (path, wanted, current)."""
    plan = []
    for t in targets:
        if t.kind != DIRECTORY or t.host:
            continue
        wanted = (t.owner, t.group, "%04o" % t.mode)
        if listed.get(t.path) != wanted:
            plan.append((t.path, wanted, listed.get(t.path)))
    return plan


def archive(targets, destination: str) -> list[dict]:
    """Move a removed tenant's entries into ``destination`` (same relative paths below the root);
    links are removed once what they pointed to has moved. Nothing is deleted."""
    moved = []
    for target in sorted(targets, key=lambda t: t.kind != LINK):
        if not os.path.lexists(target.path):
            continue
        if target.kind == LINK:
            os.unlink(target.path)
            continue
        dest = os.path.join(destination, os.path.relpath(target.path, target.root))
        os.makedirs(os.path.dirname(dest), mode=0o700, exist_ok=True)
        os.rename(target.path, dest)
        moved.append({"path": target.path, "archived_to": dest})
    return moved
