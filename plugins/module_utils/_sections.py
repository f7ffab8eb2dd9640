# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""VirtualHost and Component files in a tier's convention: plan, compare, apply, validate, roll back.

The vhost and component modules are two front ends to this one engine. Each managed file starts
with a marker naming its kind; the engine never overwrites or prunes a file without its own marker.
"""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass, field

from ansible_collections.xmpp.prosody.plugins.module_utils._config import ConfigError, check_option_name, render_options
from ansible_collections.xmpp.prosody.plugins.module_utils._fs import Journal, file_attrs, read_text
from ansible_collections.xmpp.prosody.plugins.module_utils._hosts import HostNameError, normalize_host
from ansible_collections.xmpp.prosody.plugins.module_utils._layout import (
    TIERS,
    LayoutError,
    resolve_roots,
    well_known_paths,
)
from ansible_collections.xmpp.prosody.plugins.module_utils._lua import lua_string

KINDS = {"vhost": "VirtualHost", "component": "Component"}
MARKER = "-- Managed by xmpp.prosody.%s; edits here are overwritten.\n"
MASK = "********"
SECRET_CHANGED = "-- (a secret value changed; neither value is shown)\n"
SECRET_OPTIONS = ("component_secret",)
# A secret as the serializer writes it: component_secret = "..." or password = "..." inside sql = { }.
_SECRET_VALUE = re.compile(r'\b(component_secret|password)(\s*=\s*)"(?:[^"\\]|\\.)*"')
FILE_MODE = 0o640


class SectionError(ValueError):
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
        header = MARKER % self.kind
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
        return header + declaration + "\n" + render_options(options, self.label, indent=4)

    @property
    def label(self) -> str:
        return "%s %r" % (self.kind, self.name)


def mask_secrets(text: str | None) -> str:
    """Hide every secret value in config text (for diffs and error messages)."""
    return _SECRET_VALUE.sub(lambda m: m.group(1) + m.group(2) + lua_string(MASK), text or "")


def normalize_items(raw_items, kind: str) -> list[Item]:
    """Validate names and option names of every item before anything is looked at on disk."""
    items, seen = [], {}
    for index, raw in enumerate(raw_items):
        where = "%s[%d]" % ("hosts" if kind == "vhost" else "components", index)
        try:
            name = normalize_host(raw.get("name"), where + ".name")
        except HostNameError as exc:
            raise SectionError(str(exc)) from None
        if name in seen:
            raise SectionError(
                "%s.name: %r is already declared as item %d; declare each name once" % (where, name, seen[name])
            )
        seen[name] = index
        options = dict(raw.get("options") or {})
        try:
            for option in options:
                check_option_name(option, where + ".settings")
        except ConfigError as exc:
            raise SectionError(str(exc)) from None
        item = Item(name, kind, raw.get("state", "present"), raw.get("enabled", True), raw.get("module"), options)
        try:
            item.render("option")  # every value must serialize before anything is planned
        except ConfigError as exc:
            raise SectionError(str(exc)) from None
        items.append(item)
    return items


@dataclass
class Change:
    path: str
    action: str  # create, update, remove, link, unlink, repair
    name: str
    content: bytes | None = None
    target: str | None = None
    before: str = ""
    after: str = ""


class Plan:
    """What must change on disk for a set of items, computed without touching anything."""

    def __init__(
        self, tier: str, roots, items: list[Item], kind: str, exclusive: bool, uid: int | None, gid: int | None
    ):
        spec = TIERS[tier]
        if spec.enable_by is None:
            raise LayoutError(
                "tier: %r keeps its hosts and components in its one main file; manage them with the role "
                "variables prosody_vhosts / prosody_components, or use a tier with per-host files (%s)"
                % (tier, ", ".join(sorted(t for t, s in TIERS.items() if s.enable_by)))
            )
        self.tier, self.kind, self.enable_by = tier, kind, spec.enable_by
        self.paths = well_known_paths(tier, resolve_roots(spec, roots))
        self.uid, self.gid = uid, gid
        self.changes: list[Change] = []
        other = "component" if kind == "vhost" else "vhost"
        for item in items:
            self._other_kind_collision(item, other)
            self._plan_item(item)
        if exclusive:
            declared = {item.name for item in items}
            self._plan_prune(declared)

    def _file(self, kind: str, name: str) -> str:
        return self.paths["host_config" if kind == "vhost" else "component_config"].format(host=name)

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
        current = read_text(path)
        if os.path.lexists(path) and current is None:
            raise SectionError("%s: %s exists but is not a regular file; move it away" % (item.label, path))
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
        wanted = item.render(self.enable_by)
        if current != wanted:
            before, after = mask_secrets(current), item.render(self.enable_by, mask=True)
            if before == after:  # only a secret differs: say so, without showing either value
                after += SECRET_CHANGED
            self.changes.append(
                Change(
                    path,
                    "create" if current is None else "update",
                    item.name,
                    content=wanted.encode("utf-8"),
                    before=before,
                    after=after,
                )
            )
        elif file_attrs(path) != (self.uid, self.gid, FILE_MODE):
            self.changes.append(Change(path, "repair", item.name, content=wanted.encode("utf-8")))
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
        for change in self.changes:
            if change.action in ("create", "update", "repair"):
                journal.write(change.path, change.content, self.uid, self.gid, FILE_MODE)
            elif change.action == "link":
                journal.symlink(change.path, change.target)
            else:
                journal.remove(change.path)

    def diffs(self) -> list[dict]:
        return [
            {"before_header": c.path, "after_header": c.path, "before": c.before, "after": c.after}
            for c in self.changes
            if c.action != "repair"
        ]

    def report(self) -> list[dict]:
        return [{"path": c.path, "action": c.action, "name": c.name} for c in self.changes]


def common_argument_spec() -> dict:
    """Options every section module shares (tier, roots, ownership, pruning, validation)."""
    return dict(
        tier=dict(type="str", required=True, choices=sorted(t for t, s in TIERS.items() if s.enable_by)),
        roots=dict(type="dict", default={}),
        exclusive=dict(type="bool", default=False),
        validate=dict(type="bool", default=True),
        config=dict(type="path"),
        owner=dict(type="str", default="root"),
        group=dict(type="str", default="prosody"),
    )


def run(module, kind: str, raw_items: list[dict]) -> dict:
    """Plan, apply (unless check mode), validate with prosodyctl and roll back on refusal."""
    from ansible_collections.xmpp.prosody.plugins.module_utils._fs import ids

    params = module.params
    items = normalize_items(raw_items, kind)
    try:
        uid, gid = ids(params["owner"], params["group"])
    except KeyError:
        if not module.check_mode:
            raise SectionError(
                "owner/group: %s:%s does not exist on this host; install Prosody first (it creates the group)"
                % (params["owner"], params["group"])
            ) from None
        uid = gid = None
    plan = Plan(params["tier"], params["roots"], items, kind, params["exclusive"], uid, gid)
    config = params["config"] or plan.paths["config"]
    result = {
        "changed": bool(plan.changes),
        "changes": plan.report(),
        "names": [
            {"name": i.name, "state": i.state, "enabled": i.enabled, "path": plan._file(kind, i.name)} for i in items
        ],
        "validated": False,
    }
    if plan.changes and not module.check_mode:
        journal = Journal()
        try:
            plan.apply(journal)
            if params["validate"]:
                prosodyctl = module.get_bin_path("prosodyctl", required=True)
                rc, out, err = module.run_command([prosodyctl, "--config", config, "check", "config"])
                if rc != 0:
                    journal.restore()
                    raise SectionError(
                        "prosodyctl check config refused the new configuration (rc %d); the previous files are "
                        "back in place. Prosody said:\n%s" % (rc, mask_secrets((out + err).strip()))
                    )
                result["validated"] = True
        except OSError:
            journal.restore()
            raise
    if module._diff:
        result["diff"] = plan.diffs()
    return result
