# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""Atomic file writes and a journal that can put every touched path back as it was."""

from __future__ import annotations

import grp
import os
import pwd
import stat
import tempfile


def read_bytes(path: str) -> bytes | None:
    """Content of a regular file (not followed through a symlink), or None when there is none."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    with open(path, "rb") as handle:
        return handle.read()


def read_text(path: str) -> str | None:
    content = read_bytes(path)
    return None if content is None else content.decode("utf-8", errors="surrogateescape")


def uid_of(user: str) -> int:
    """A user name's uid, or a numeric uid as it is: the host of a container (the docker tier)
    usually has no account for the uid Prosody runs as inside it. KeyError when unknown."""
    return int(user) if str(user).isdigit() else pwd.getpwnam(user).pw_uid


def gid_of(group: str) -> int:
    """A group name's gid, or a numeric gid as it is (see uid_of). KeyError when unknown."""
    return int(group) if str(group).isdigit() else grp.getgrnam(group).gr_gid


def ids(owner: str, group: str) -> tuple[int, int]:
    return uid_of(owner), gid_of(group)


def file_attrs(path: str) -> tuple[int, int, int] | None:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    return st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)


def write_atomic(path: str, content: bytes, uid: int, gid: int, mode: int) -> None:
    """Write via a temp file in the same directory: owner and mode are set on the temp file before
    the rename, and it starts 0600, so the content is never readable by anyone it should not be."""
    directory = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(prefix=".xmpp-prosody.", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
            os.fchown(handle.fileno(), uid, gid)
            os.fchmod(handle.fileno(), mode)
        os.rename(tmp, path)
    except BaseException:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        raise


class Journal:
    """Remembers the original state of every path before it is changed, so a failed validation can
    restore all of them (content, owner, mode, symlink target or absence)."""

    def __init__(self):
        self._saved = {}

    def _remember(self, path: str) -> None:
        if path in self._saved:
            return
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            self._saved[path] = None
            return
        if stat.S_ISLNK(st.st_mode):
            self._saved[path] = ("link", os.readlink(path))
        else:
            with open(path, "rb") as handle:
                self._saved[path] = ("file", handle.read(), st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode))

    def write(self, path: str, content: bytes, uid: int, gid: int, mode: int) -> None:
        self._remember(path)
        write_atomic(path, content, uid, gid, mode)

    def symlink(self, path: str, target: str) -> None:
        self._remember(path)
        tmp = os.path.join(os.path.dirname(path), ".xmpp-prosody.link.%d" % os.getpid())
        if os.path.lexists(tmp):
            os.unlink(tmp)
        os.symlink(target, tmp)
        os.rename(tmp, path)

    def remove(self, path: str) -> None:
        self._remember(path)
        if os.path.lexists(path):
            os.unlink(path)

    def restore(self) -> None:
        for path, saved in reversed(list(self._saved.items())):
            if saved is None:
                if os.path.lexists(path):
                    os.unlink(path)
            elif saved[0] == "link":
                if os.path.lexists(path):
                    os.unlink(path)
                os.symlink(saved[1], path)
            else:
                _kind, content, uid, gid, mode = saved
                if os.path.lexists(path) and not os.path.isfile(path):
                    os.unlink(path)
                write_atomic(path, content, uid, gid, mode)
