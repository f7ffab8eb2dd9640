# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""The five directory layout tiers: the single source of truth for paths, owners and modes. Each
tier is one file of this package; this table is how the rest of the collection finds them. Roles,
modules and tests read paths from here; nobody spells them out twice."""

from __future__ import annotations

from ansible_collections.xmpp.prosody.plugins.module_utils.tiers import debian, dev, docker, enterprise, minimal

TIERS = {tier.name: tier for tier in (minimal.TIER, debian.TIER, docker.TIER, enterprise.TIER, dev.TIER)}


def well_known_paths(tier_name: str, roots: dict) -> dict:
    """The tier's named paths and files with roots filled in; per-host ones keep their ``{host}`` placeholder."""
    tier = TIERS[tier_name]

    def fill(template):
        if isinstance(template, tuple):
            return [fill(t) for t in template]
        return template.format(host="{host}", **roots)

    named = dict(tier.paths, **{f.key: f.path for f in tier.files})
    return {name: fill(template) for name, template in named.items()}


def tiers_with(capability: str) -> list[str]:
    """The tiers whose record has this field set (role, archive, enable_by, ...), sorted."""
    return sorted(name for name, tier in TIERS.items() if getattr(tier, capability))


def mounts(tier_name: str, roots: dict) -> list[tuple]:
    """The tier's container mounts, (directory, read-only), roots filled in."""
    return [(path.format(**roots), read_only) for path, read_only in TIERS[tier_name].mounts]
