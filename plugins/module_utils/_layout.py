# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""The layout's plan: every concrete path of a tier for its roots and hosts, and the tenants found on
disk that are not declared (xmpp.prosody.layout)."""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass

from ansible_collections.xmpp.prosody.plugins.module_utils._errors import LayoutError
from ansible_collections.xmpp.prosody.plugins.module_utils._hosts import normalize_host, prosody_encode
from ansible_collections.xmpp.prosody.plugins.module_utils._roots import resolve_roots
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS


@dataclass(frozen=True)
class Target:
    """One concrete path the layout must ensure."""

    path: str
    root: str
    kind: str
    owner: str
    group: str
    mode: int
    host: str | None = None
    target: str | None = None


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def plan(tier_name: str, roots=None, hosts=(), user="prosody", group="prosody", home=None):
    """Return (roots, targets) for a tier: every concrete path to ensure, parents first."""
    tier = TIERS.get(tier_name)
    if tier is None:
        raise LayoutError("tier: %r is unknown; valid tiers: %s" % (tier_name, ", ".join(sorted(TIERS))))
    resolved = resolve_roots(tier, roots, home)
    names = sorted({normalize_host(h, "hosts[%d]" % i) for i, h in enumerate(hosts or ())})
    context = dict(resolved, user=user, group=group)
    targets = []
    for entry in tier.entries:
        for host in names if entry.per_host else [None]:
            values = (
                dict(context, host=host, host_enc=prosody_encode(host), upload_enc=prosody_encode("upload." + host))
                if host
                else context
            )
            path = os.path.normpath(entry.path.format(**values))
            root = next(r for name, r in resolved.items() if entry.path.startswith("{%s}" % name))
            if not _inside(path, root):  # cannot happen with validated hosts; kept as a hard stop
                raise LayoutError("%s: resolves outside its root %s" % (path, root))
            target = entry.target.format(**values) if entry.target else None
            if target and not _inside(os.path.normpath(os.path.join(os.path.dirname(path), target)), root):
                raise LayoutError("%s: link target %s leads outside its root %s" % (path, target, root))
            targets.append(
                Target(
                    path,
                    root,
                    entry.kind,
                    entry.owner.format(**context),
                    entry.group.format(**context),
                    int(entry.mode, 8),
                    host,
                    target,
                )
            )
    targets.sort(key=lambda t: (t.path.count("/"), t.path))
    return resolved, targets


def undeclared_hosts(tier_name: str, roots: dict, declared) -> list[str]:
    """Tenants that have a data directory (the tier's host_data path) but are not declared.
    Only that directory counts: certificate directories also exist for components."""
    template = TIERS[tier_name].paths["host_data"].format(host="\0", **roots)
    before, after = template.split("\0", 1)
    found = {path[len(before) : len(path) - len(after)] for path in glob.glob(glob.escape(before) + "*" + after)}
    valid = set()
    for name in found - set(declared):
        try:
            if normalize_host(name) == name:
                valid.add(name)
        except ValueError:
            continue
    return sorted(valid)
