# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""The change engine every writing module shares: a file's change (its diff with secrets masked), applied
through a journal, judged by ``prosodyctl check config``, and put back as it was when Prosody refuses it."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from ansible_collections.xmpp.prosody.plugins.module_utils._errors import ProsodyError
from ansible_collections.xmpp.prosody.plugins.module_utils._fs import Journal, file_attrs, ids, read_text
from ansible_collections.xmpp.prosody.plugins.module_utils._lua import lua_string
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import account

MASK = "********"
SECRET_CHANGED = "-- (a secret value changed; neither value is shown)\n"
SECRET_OPTIONS = ("component_secret", "ldap_password")
# A secret as the serializer writes it: component_secret = "..." or password = "..." inside sql = { },
# ldap_password = "...", turn_external_secret = "..."; and coturn's static-auth-secret=... (written by
# xmpp.prosody.config too).
_SECRET_VALUE = re.compile(
    r'\b(component_secret|password|ldap_password|turn_external_secret)(\s*=\s*)"(?:[^"\\]|\\.)*"'
)
_COTURN_SECRET = re.compile(r"^(static-auth-secret=).*$", re.MULTILINE)


class ChangeError(ProsodyError):
    """A file the engine cannot change, or a configuration Prosody refuses; the message says which."""


@dataclass
class Change:
    path: str
    action: str  # create, update, remove, link, unlink, repair
    name: str
    content: bytes | None = None
    target: str | None = None
    before: str = ""
    after: str = ""
    owner: tuple = (None, None, None)  # uid, gid, mode of a written file


def existing_text(path: str, where: str) -> str | None:
    """The text of the file at ``path``, None when there is none; anything but a regular file is refused."""
    current = read_text(path)
    if os.path.lexists(path) and current is None:
        raise ChangeError("%s: %s exists but is not a regular file; move it away" % (where, path))
    return current


def file_change(path: str, current: str | None, text: str, owner: tuple, name: str = "") -> Change | None:
    """The change that turns the file (``current``, its text now) into ``text`` with this owner, group
    and mode, or None when it is so already. Diffs show both texts with secrets masked, and say so
    when only a secret differs."""
    content = text.encode("utf-8")
    if current == text:
        return None if file_attrs(path) == owner else Change(path, "repair", name, content=content, owner=owner)
    before, after = mask_secrets(current), mask_secrets(text)
    if before == after:  # only a secret differs: say so, without showing either value
        after += SECRET_CHANGED
    action = "create" if current is None else "update"
    return Change(path, action, name, content, before=before, after=after, owner=owner)


def apply_changes(journal: Journal, changes) -> None:
    for change in changes:
        if change.action in ("create", "update", "repair"):
            journal.write(change.path, change.content, *change.owner)
        elif change.action == "link":
            journal.symlink(change.path, change.target)
        else:
            journal.remove(change.path)


def mask_secrets(text: str | None) -> str:
    """Hide every secret value in config text (for diffs and error messages)."""
    text = _SECRET_VALUE.sub(lambda m: m.group(1) + m.group(2) + lua_string(MASK), text or "")
    return _COTURN_SECRET.sub(lambda m: m.group(1) + MASK, text)


def diffs(changes) -> list[dict]:
    return [
        {"before_header": c.path, "after_header": c.path, "before": c.before, "after": c.after}
        for c in changes
        if c.action != "repair"
    ]


def report(changes) -> list[dict]:
    return [{"path": c.path, "action": c.action, "name": c.name} for c in changes]


def ownership(module, owner: str, group: str) -> tuple[int | None, int | None]:
    """The ids files are written with; unknown names fail, except in check mode (Prosody's package,
    which creates the group, may not be installed yet)."""
    try:
        return ids(owner, group)
    except KeyError:
        if module.check_mode:
            return None, None
        raise ChangeError(
            "group: %s:%s does not exist on this host; install Prosody first (it creates the group)" % (owner, group)
        ) from None


def file_owner(module, owner: str, group: str, mode: str, user: str, prosody_group: str) -> tuple:
    """uid, gid and mode of a file of the tier table (its {user} and {group}: Prosody's account and group)."""
    uid, gid = ownership(module, account(owner, user, prosody_group), account(group, user, prosody_group))
    return uid, gid, int(mode, 8)


def apply_validated(module, write, checks: list[list[str]]) -> bool:
    """Run ``write(journal)``, then each of ``checks`` (the argv of ``prosodyctl check config``, one per
    configuration to judge; none: no check); when Prosody refuses one (or a write fails), put every file
    back as it was. Returns whether checks ran and passed."""
    journal = Journal()
    try:
        write(journal)
        for check in checks:
            rc, out, err = module.run_command(check)
            if rc != 0:
                break
    except (OSError, ProsodyError):
        journal.restore()
        raise
    if checks and rc != 0:
        journal.restore()
        raise ChangeError(
            "prosodyctl check config refused the new configuration (rc %d); the previous files are back in place. "
            "Prosody said about %s:\n%s" % (rc, check[check.index("--config") + 1], mask_secrets((out + err).strip()))
        )
    return bool(checks)
