# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""VirtualHost and Component files in a tier's convention: the items, their files, and the run of the vhost
and component modules (two front ends to it), through the change engine of _changes.py.

Each managed file starts with a marker naming its kind; a file without its own marker is never
overwritten or pruned.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field

from ansible_collections.xmpp.prosody.plugins.module_utils import _record
from ansible_collections.xmpp.prosody.plugins.module_utils._changes import (
    MASK,
    SECRET_OPTIONS,
    Change,
    apply_changes,
    apply_validated,
    diffs,
    existing_text,
    file_change,
    mask_secrets,
    ownership,
    report,
)
from ansible_collections.xmpp.prosody.plugins.module_utils._deployment import deployment_spec
from ansible_collections.xmpp.prosody.plugins.module_utils._errors import LayoutError, ProsodyError
from ansible_collections.xmpp.prosody.plugins.module_utils._features import MUC_MODULES
from ansible_collections.xmpp.prosody.plugins.module_utils._fs import Journal, read_text
from ansible_collections.xmpp.prosody.plugins.module_utils._hosts import check_jids, normalize_host
from ansible_collections.xmpp.prosody.plugins.module_utils._lua import lua_string
from ansible_collections.xmpp.prosody.plugins.module_utils._option_syntax import (
    check_modules,
    check_option_name,
    render_options,
)
from ansible_collections.xmpp.prosody.plugins.module_utils._roots import resolve_roots
from ansible_collections.xmpp.prosody.plugins.module_utils._runtime import runtime
from ansible_collections.xmpp.prosody.plugins.module_utils._schema import COMPONENT_TYPES as TYPES
from ansible_collections.xmpp.prosody.plugins.module_utils._schema import VHOST_OPTIONS, given
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS, tiers_with, well_known_paths

KINDS = {"vhost": "VirtualHost", "component": "Component"}
FILE_KEYS = {"vhost": "host_config", "component": "component_config"}  # the tier's file of each kind
KIND_OPTIONS = {"vhost": "vhosts", "component": "components"}  # the option that lists each kind
MARKER = "-- Managed by xmpp.prosody.%s; edits here are overwritten.\n"


class SectionError(ProsodyError):
    """A request the engine refuses; the message names the field and the fix."""


@dataclass
class Item:
    """One VirtualHost or Component as declared."""

    name: str
    kind: str  # "vhost" or "component"
    state: str = "present"
    enabled: bool = True
    module: str | None = None  # component module; None for a VirtualHost or an external component
    options: dict = field(default_factory=dict)

    def render(self, enable_by: str, mask: bool = False) -> str:
        """The item's own file: the marker line, then its section."""
        return MARKER % self.kind + self.section(enable_by, mask)

    def section(self, enable_by: str, mask: bool = False) -> str:
        """``VirtualHost "name"`` or ``Component "name" "module"`` and its options."""
        declaration = "%s %s" % (KINDS[self.kind], lua_string(self.name))
        if self.module:
            declaration += " " + lua_string(self.module)
        options = dict(self.options)
        if enable_by == "option" and not self.enabled:
            options["enabled"] = False
        if mask:
            options.update({k: MASK for k in SECRET_OPTIONS if k in options})
            if isinstance(options.get("sql"), dict) and "password" in options["sql"]:
                options["sql"] = dict(options["sql"], password=MASK)
        return declaration + "\n" + render_options(options, self.label, indent=4)

    @property
    def label(self) -> str:
        return "%s %r" % (self.kind, self.name)


def _vhost_parts(where: str, raw: dict) -> tuple[str | None, dict]:
    options = dict(raw.get("settings") or {})
    options.update({key: raw[key] for key in VHOST_OPTIONS if raw.get(key) is not None})
    if "sql" in options:  # Ansible fills the suboptions not given with None
        options["sql"] = given(options["sql"])
    ldap = given(raw.get("ldap"))
    if raw.get("authentication") == "ldap" and not ldap:
        # Prosody would start the host with nobody able to log in ("ldap_base is a required option")
        raise SectionError("%s.ldap: give the directory (at least its base) with authentication: ldap" % where)
    if ldap and raw.get("authentication") != "ldap":
        raise SectionError(
            "%s.ldap: only a host with authentication: ldap uses a directory; set it, or remove ldap" % where
        )
    options.update({"ldap_" + key: value for key, value in ldap.items()})
    if "admins" in options:  # from settings too: every admin is checked wherever it is named
        check_jids(options["admins"], where + ".admins")
    return None, options


def _component_parts(where: str, raw: dict) -> tuple[str | None, dict]:
    kind, present = raw.get("type"), raw.get("state", "present") == "present"
    if present and kind is None:
        raise SectionError("%s.type: required for a present component; one of %s" % (where, ", ".join(TYPES)))
    if present and kind == "external" and not raw.get("secret"):
        raise SectionError("%s.secret: an external component needs the secret it connects with" % where)
    if raw.get("secret") and kind != "external":
        raise SectionError("%s.secret: only external components take a secret; remove it or set type: external" % where)
    options = dict(raw.get("settings") or {})
    if raw.get("modules_enabled") is not None:
        options["modules_enabled"] = raw["modules_enabled"]
    elif kind == "muc" and "modules_enabled" not in options:  # archives in rooms unless told otherwise
        options["modules_enabled"] = list(MUC_MODULES)
    if raw.get("secret"):
        options["component_secret"] = raw["secret"]
    return (None if kind == "external" else kind), options


PARTS = {"vhost": _vhost_parts, "component": _component_parts}


def to_item(kind: str, where: str, raw: dict) -> Item:
    """One declared VirtualHost or Component as an Item: its name, option names and values checked."""
    name = normalize_host(raw.get("name"), where + ".name")
    module, options = PARTS[kind](where, raw)
    for option in options:
        check_option_name(option, where + ".settings")
    for key in ("modules_enabled", "modules_disabled"):
        if key in options:  # from settings too
            check_modules(options[key], "%s.%s" % (where, key))
    item = Item(name, kind, raw.get("state", "present"), raw.get("enabled", True), module, options)
    item.render("option")  # every value must serialize before anything is planned
    return item


def duplicate(item: Item, where: str, seen: dict) -> str | None:
    """The refusal of a name declared twice (across both kinds), or None; remembers the name."""
    if item.name in seen:
        return (
            "%s.name: %r is already declared as %s; declare each name once (Prosody also refuses a name that is "
            "both a VirtualHost and a Component)" % (where, item.name, seen[item.name])
        )
    seen[item.name] = where
    return None


def normalize_items(vhosts=(), components=()) -> list[Item]:
    """Every declared VirtualHost and Component as an Item, each name, option name and value checked
    (and every name declared once, across both kinds) before anything on disk is looked at."""
    items, seen = [], {}
    for kind, field_name, raws in (("vhost", "vhosts", vhosts), ("component", "components", components)):
        for index, raw in enumerate(raws or ()):
            where = "%s[%d]" % (field_name, index)
            item = to_item(kind, where, raw)
            refusal = duplicate(item, where, seen)
            if refusal:
                raise SectionError(refusal)
            items.append(item)
    return items


def section_tier(name: str):
    """The tier, when it keeps a file per host and component."""
    spec = TIERS[name]
    if spec.enable_by is None:
        raise LayoutError(
            "tier: %r keeps its hosts and components in its one main file; manage them with xmpp.prosody.config "
            "(the roles' prosody_vhosts / prosody_components), or use a tier with per-host files (%s)"
            % (name, ", ".join(tiers_with("enable_by")))
        )
    return spec


class Plan:
    """What must change on disk for a set of items, computed without touching anything."""

    def __init__(self, tier: str, roots, items: list[Item], kind: str, prune: bool, uid: int | None, gid: int | None):
        spec = section_tier(tier)
        self.tier, self.kind, self.enable_by = tier, kind, spec.enable_by
        self.paths = well_known_paths(tier, resolve_roots(spec, roots))
        self.owner = (uid, gid, int(spec.file(FILE_KEYS[kind]).mode, 8))
        self.changes: list[Change] = []
        other = "component" if kind == "vhost" else "vhost"
        mine = [item for item in items if item.kind == kind]
        for item in mine:
            self._other_kind_collision(item, other)
            self._plan_item(item)
        if prune:
            self._plan_prune({item.name for item in mine})

    def _file(self, kind: str, name: str) -> str:
        return self.paths[FILE_KEYS[kind]].format(host=name)

    def _link(self, kind: str, name: str) -> str | None:
        template = self.paths.get("host_link" if kind == "vhost" else "component_link")
        return template.format(host=name) if template and self.enable_by == "symlink" else None

    def _other_kind_collision(self, item: Item, other: str) -> None:
        if item.state != "present":
            return
        path = self._file(other, item.name)
        if (read_text(path) or "").startswith(MARKER % other):
            raise SectionError(
                "%s: %r is already declared as a %s in %s; Prosody refuses a name that is both a VirtualHost "
                "and a Component: remove one of them" % (item.label, item.name, KINDS[other], path)
            )

    def _plan_item(self, item: Item) -> None:
        path = self._file(item.kind, item.name)
        current = existing_text(path, item.label)
        if current is not None and not current.startswith(MARKER % item.kind):
            raise SectionError(
                "%s: %s exists and was not written by xmpp.prosody.%s; move it away (or delete it) so the "
                "module can manage this name - it never overwrites a file it did not write"
                % (item.label, path, item.kind)
            )
        link = self._link(item.kind, item.name)
        if item.state == "absent":
            if link and os.path.lexists(link):
                self.changes.append(Change(link, "unlink", item.name, before="link -> %s\n" % os.readlink(link)))
            if current is not None:
                self.changes.append(Change(path, "remove", item.name, before=mask_secrets(current)))
            return
        change = file_change(path, current, item.render(self.enable_by), self.owner, item.name)
        if change:
            self.changes.append(change)
        if link:
            target = os.path.relpath(path, os.path.dirname(link))
            have = os.readlink(link) if os.path.islink(link) else None
            if os.path.lexists(link) and have is None:
                raise SectionError("%s: %s exists and is not a symlink; move it away" % (item.label, link))
            if item.enabled and have != target:
                self.changes.append(
                    Change(
                        link,
                        "link",
                        item.name,
                        target=target,
                        before=("link -> %s\n" % have) if have else "",
                        after="link -> %s\n" % target,
                    )
                )
            elif not item.enabled and have is not None:
                self.changes.append(Change(link, "unlink", item.name, before="link -> %s\n" % have))

    def _plan_prune(self, declared: set) -> None:
        pattern = self._file(self.kind, "*")
        for path in sorted(glob.glob(pattern)):
            name = os.path.basename(path)[: -len(".cfg.lua")]
            if name in declared or not (read_text(path) or "").startswith(MARKER % self.kind):
                continue
            link = self._link(self.kind, name)
            if link and os.path.lexists(link):
                self.changes.append(Change(link, "unlink", name, before="link -> %s\n" % os.readlink(link)))
            self.changes.append(Change(path, "remove", name, before=mask_secrets(read_text(path))))

    def apply(self, journal: Journal) -> None:
        apply_changes(journal, self.changes)


def common_argument_spec() -> dict:
    """Options every section module shares (tier, roots, group, pruning, validation)."""
    return dict(
        **deployment_spec(tiers_with("enable_by"), container=False),
        prune=dict(type="bool", default=False),
        validate=dict(type="bool", default=True),
        config=dict(type="path"),
        group=dict(type="str", default="prosody"),
    )


def run(module, kind: str, raw_items: list[dict]) -> dict:
    """Plan, apply (unless check mode), validate with prosodyctl and roll back on refusal. The deployment
    record names the hosts of the call and holds the changed ones pending, so that xmpp.prosody.service
    activates them in the running server."""
    params = module.params
    items = normalize_items(**{KIND_OPTIONS[kind]: raw_items})
    tier = section_tier(params["tier"])
    uid, gid = ownership(module, tier.file(FILE_KEYS[kind]).owner, params["group"])
    plan = Plan(params["tier"], params["roots"], items, kind, params["prune"], uid, gid)
    config = params["config"] or plan.paths["config"]
    roots = resolve_roots(tier, params["roots"])
    old = _record.read(plan.paths["record"])
    refusal = _record.tier_refusal(old, tier.name, roots)
    if refusal:
        raise SectionError(refusal)
    gone = {c.name for c in plan.changes if c.action == "remove"}
    changed = {c.name for c in plan.changes if c.action != "repair"}
    where = {"tier": tier.name, "roots": roots, "config": config}
    record = _record.with_sections(old, where, kind, items, changed, gone)
    record_changed = record != old
    result = {
        "changed": bool(plan.changes) or record_changed,
        "changes": report(plan.changes),
        "names": [
            {"name": i.name, "state": i.state, "enabled": i.enabled, "path": plan._file(kind, i.name)} for i in items
        ],
        "pending": record["pending"],
        "validated": False,
    }
    if not module.check_mode:
        owner = _record.owner(tier)
        if record_changed:  # first: a call cut short after the files are written still has them pending
            _record.write(plan.paths["record"], record, *owner)
        if plan.changes:
            try:
                server = runtime(module, tier, params.get("container")) if params["validate"] else None
                checks = [server.check_command({}, config)] if server else []
                result["validated"] = apply_validated(module, plan.apply, checks)
            except (ProsodyError, OSError):
                if record_changed:
                    _record.restore(plan.paths["record"], old, owner)
                raise
    if module._diff:
        result["diff"] = diffs(plan.changes)
    return result
