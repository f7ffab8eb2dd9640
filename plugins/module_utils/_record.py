# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""The record the collection keeps of its deployment on a host.

It says which tier runs here (and under which roots), which hosts and components the collection
manages, the restart digest of the written configuration, and the changes written but not yet
applied to the running server. xmpp.prosody.config writes it, xmpp.prosody.service applies and
clears what is pending, and xmpp.prosody.preflight refuses a run that would switch tiers or remove
most hosts by mistake. A run cut short after writing leaves its changes pending: the next run
still restarts, reloads or activates what it has to.
"""

from __future__ import annotations

import json
import os

from ansible_collections.xmpp.prosody.plugins.module_utils._errors import ProsodyError
from ansible_collections.xmpp.prosody.plugins.module_utils._fs import ids, read_text, write_atomic

FORMAT = 1
DIRECTORY_MODE = 0o755  # /var/lib/xmpp-prosody: what is deployed here is no secret; the record itself is 0640
# coturn: the TURN server's configuration changed and it has not been restarted with it yet
NOTHING_PENDING = {"restart": False, "daemon_reload": False, "reload": False, "hosts": [], "up": [], "coturn": False}


class RecordError(ProsodyError):
    """A record or a plan the collection refuses to act on; the message names the fix."""


def read(path: str) -> dict | None:
    """The record at ``path``, or None when this host has none yet."""
    text = read_text(path)
    if text is None:
        if os.path.lexists(path):
            raise RecordError("%s: exists but is not a regular file; move it away" % path)
        return None
    try:
        record = json.loads(text)
    except ValueError:
        record = None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise RecordError(
            "%s: not a deployment record of this version of xmpp.prosody; move it away if you know the host's "
            "deployment, the next run writes a new one" % path
        )
    return record


def owner(tier) -> tuple[int, int, int]:
    """uid, gid and mode of the tier's record (root's: there is no {user} or {group} to fill in)."""
    spec = tier.file("record")
    return (*ids(spec.owner, spec.group), int(spec.mode, 8))


def dump(record: dict) -> bytes:
    return (json.dumps(record, indent=1, sort_keys=True) + "\n").encode("utf-8")


def merge_pending(
    old: dict | None, restart=False, daemon_reload=False, reload=False, hosts=(), serving=None, coturn=False
) -> dict:
    """What the running server (and coturn) still have to pick up: what was pending before and what changed
    now. ``up`` are the changed hosts that are served now (take down every changed host, bring these up);
    without ``serving`` (a caller that changes no host, such as a reload for certificates) it stays as it was."""
    old = pending_of(old)
    changed = sorted(set(old["hosts"]) | set(hosts))
    return {
        "restart": bool(old["restart"] or restart),
        "daemon_reload": bool(old["daemon_reload"] or daemon_reload),
        "reload": bool(old["reload"] or reload),
        "hosts": changed,
        "up": sorted(set(changed) & set(serving)) if serving is not None else old["up"],
        "coturn": bool(old["coturn"] or coturn),
    }


def served(record: dict) -> list[str]:
    """The hosts and components of a record that Prosody serves (not disabled)."""
    off = set(record.get("disabled", []))
    return [name for name in record["vhosts"] + record["components"] if name not in off]


def pending_of(pending: dict | None) -> dict:
    """A record's pending changes with every key (a record written before a key existed lacks it)."""
    return dict(NOTHING_PENDING, **(pending or {}))


def _names(items, kind: str) -> set:
    return {item.name for item in items if item.state == "present" and item.kind == kind}


def removed(record: dict | None, items) -> set:
    """The hosts and components the record manages that ``items`` no longer declare (as the same kind)."""
    if record is None:
        return set()
    return (set(record["vhosts"]) - _names(items, "vhost")) | (set(record["components"]) - _names(items, "component"))


def write(path: str, record: dict, uid: int, gid: int, mode: int) -> None:
    """Write the record atomically, making its directory when it is the first."""
    os.makedirs(os.path.dirname(path), DIRECTORY_MODE, exist_ok=True)
    write_atomic(path, dump(record), uid, gid, mode)


def mark_pending(path: str, owner: tuple, **pending) -> bool:
    """Add to the pending changes of the record at ``path`` (when the host has one) before a change
    is made, so that a run cut short right after it still applies it. Returns whether it wrote."""
    record = read(path)
    if record is None:
        return False  # no record yet: the first run's config step records a restart anyway
    marked = dict(record, pending=merge_pending(record["pending"], **pending))
    if marked == record:
        return False
    write(path, marked, *owner)
    return True


def restore(path: str, record: dict | None, owner: tuple) -> None:
    """Put the record back as it was before a run that was refused (None: there was none)."""
    if record is None:
        if os.path.lexists(path):
            os.unlink(path)
    else:
        write(path, record, *owner)


def _listed(names, limit: int = 5) -> str:
    names = sorted(names)
    return ", ".join(names[:limit]) + (" and %d more" % (len(names) - limit) if len(names) > limit else "")


def tier_refusal(record: dict | None, tier: str, roots: dict) -> str | None:
    """Why a run of ``tier`` under ``roots`` must not touch this host: it runs another tier, or the same
    under other roots (a run would start an empty instance beside it and orphan its accounts and data)."""
    if record is None or (record["tier"], record["roots"]) == (tier, roots):
        return None
    return (
        "tier: this host runs the %s tier of xmpp.prosody (roots %s, %d hosts); deploying the %s tier with "
        "roots %s would start an empty instance beside it and orphan its accounts and data. Keep prosody_tier: "
        "%s and its prosody_roots, or move the deployment as docs/migration.md describes"
        % (
            record["tier"],
            json.dumps(record["roots"], sort_keys=True),
            len(record["vhosts"]),
            tier,
            json.dumps(roots, sort_keys=True),
            record["tier"],
        )
    )


def with_sections(old: dict | None, where: dict, kind: str, items, changed, gone) -> dict:
    """The record after a call of the vhost or component module (``kind``): its names of that kind with
    the ``items`` declared present added and those ``gone`` (declared absent, or pruned) dropped, and the
    ``changed`` names pending for xmpp.prosody.service to activate. ``where``: tier, roots and config of
    a host that has no record yet (it gets one without a digest: the config module's first run restarts)."""
    key = kind + "s"
    record = dict(old) if old else dict(where, format=FORMAT, vhosts=[], components=[], digest=None)
    present = [item.name for item in items if item.kind == kind and item.state == "present"]
    record[key] = [n for n in record[key] if n not in gone] + [n for n in present if n not in record[key]]
    declared = {item.name for item in items if item.kind == kind} | set(gone)
    served = {item.name for item in items if item.kind == kind and item.state == "present" and item.enabled}
    still_up = set(pending_of(record.get("pending"))["up"]) - declared  # pending from an earlier call
    record["pending"] = merge_pending(record.get("pending"), hosts=changed, serving=served | still_up)
    off = [n for n in record.get("disabled", []) if n not in declared]
    off += [item.name for item in items if item.kind == kind and item.state == "present" and not item.enabled]
    record.pop("disabled", None)
    if off:  # only when there are: a record without any stays as it was
        record["disabled"] = off
    return record


def refusals(record: dict | None, tier: str, roots: dict, items, confirm: int) -> list[str]:
    """Why a run must not go ahead on this host: a switch of tier or roots (which would start an empty
    instance and orphan the old one's accounts and data), or a declared set that would remove every
    host, or more than half of the hosts and components the collection manages here, without
    ``confirm`` giving the number removed."""
    if record is None:
        return []
    switch = tier_refusal(record, tier, roots)
    if switch:
        return [switch]
    errors = []
    gone = removed(record, items)
    managed = len(record["vhosts"]) + len(record["components"])
    everything = bool(record["vhosts"]) and not _names(items, "vhost")
    most = len(gone) >= 2 and 2 * len(gone) > managed
    if (everything or most) and confirm != len(gone):
        errors.append(
            "vhosts: this run would remove %d of the %d hosts and components managed here (%s)%s. An empty or "
            "misspelled host list? Nothing was changed. If you mean it, confirm the number: prune_confirm: %d "
            "(in the roles: prosody_prune_confirm: %d)"
            % (
                len(gone),
                managed,
                _listed(gone),
                ", every virtual host among them" if everything else "",
                len(gone),
                len(gone),
            )
        )
    return errors
