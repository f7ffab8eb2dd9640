# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""The five directory layout tiers, as data: the single source of truth for paths, owners and modes.

Every path is a template over the tier's roots (``{root}``, ``{config}`` ...) and, for per-host
entries, ``{host}``. Owners and groups are ``root``, ``adm`` or the service account ``{user}`` /
``{group}``. Roles, modules and tests read paths from here; nobody spells them out twice.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field

from ansible_collections.xmpp.prosody.plugins.module_utils._hosts import normalize_host

DIRECTORY = "directory"
FILE = "file"  # created empty when missing, content never touched
LINK = "link"  # a symlink to another entry inside the same root
HOST_KEYS = ("{host}", "{host_enc}", "{upload_enc}")  # placeholders of per-host entries


def prosody_encode(name: str) -> str:
    """Prosody's datamanager encoding of a host or store name in a path: every byte that is not an
    ASCII letter or digit becomes %xx (lowercase hex), as Lua's gsub("%W", ...) does."""
    return "".join(chr(b) if chr(b).isalnum() and b < 128 else "%%%02x" % b for b in name.encode("utf-8"))


@dataclass(frozen=True)
class Entry:
    path: str
    kind: str
    owner: str
    group: str
    mode: str
    purpose: str = ""
    target: str = ""  # LINK entries: where the link points, relative to the link's directory

    @property
    def per_host(self) -> bool:
        return any(key in self.path for key in HOST_KEYS)


@dataclass(frozen=True)
class Tier:
    name: str
    description: str
    roots: dict
    entries: tuple
    paths: dict = field(default_factory=dict)  # well-known files and dirs, same templates
    storage: str = "internal"  # the seed's default storage for the tier
    # How a host or component file is switched off: "symlink" (Debian: conf.d/ links to conf.avail/)
    # or "option" (enabled = false inside the file). None: the tier keeps hosts in its main file.
    enable_by: str | None = None
    # Register the entries with dpkg-statoverride, so package upgrades and reinstalls keep them.
    statoverride: bool = False


def _d(path, owner, group, mode, purpose=""):
    return Entry(path, DIRECTORY, owner, group, mode, purpose)


def _f(path, owner, group, mode, purpose=""):
    return Entry(path, FILE, owner, group, mode, purpose)


def _l(path, target, owner, group, purpose=""):
    return Entry(path, LINK, owner, group, "0777", purpose, target)


U, G = "{user}", "{group}"

TIERS = {
    "minimal": Tier(
        name="minimal",
        description="Minimal/embedded: one directory holds config, data, certificates, modules and the log.",
        roots={"root": "/prosody"},
        entries=(
            _d("{root}", "root", G, "0750", "tier root"),
            _d("{root}/data", U, G, "0750", "data_path; holds prosody.sqlite"),
            _d("{root}/certs", "root", G, "0750", "cert.pem and key.pem"),
            _d("{root}/modules", "root", G, "0750", "extra modules, first on plugin_paths"),
            _f("{root}/prosody.log", U, G, "0640", "the one log file"),
        ),
        paths={
            "config": "{root}/prosody.cfg.lua",
            "data": "{root}/data",
            "sqlite": "{root}/data/prosody.sqlite",
            "certs": "{root}/certs",
            "cert": "{root}/certs/cert.pem",
            "key": "{root}/certs/key.pem",
            "modules": "{root}/modules",
            "log": "{root}/prosody.log",
        },
        storage="sql",
    ),
    "debian": Tier(
        name="debian",
        description="Traditional Debian/Ubuntu FHS layout: conf.avail/ enabled by symlinks in conf.d/.",
        roots={"config": "/etc/prosody", "data": "/var/lib/prosody", "log": "/var/log/prosody"},
        entries=(
            _d("{config}", "root", G, "0755", "configuration root"),
            _d("{config}/conf.avail", "root", G, "0754", "available host and component files"),
            _d("{config}/conf.d", "root", G, "0754", "symlinks to enabled files in conf.avail"),
            _d("{config}/certs", "root", G, "0750", "<host>.crt and <host>.key"),
            _d("{data}", U, G, "0750", "data_path"),
            # adm, as Debian and its logrotate rule (create 640 prosody adm) have it
            _d("{log}", U, "adm", "0750", "logs"),
            _f("{log}/prosody.log", U, "adm", "0640", "info and above"),
            _f("{log}/prosody.err", U, "adm", "0640", "errors"),
        ),
        paths={
            "config": "{config}/prosody.cfg.lua",
            "available": "{config}/conf.avail",
            "enabled": "{config}/conf.d",
            "host_config": "{config}/conf.avail/{host}.cfg.lua",
            "host_link": "{config}/conf.d/{host}.cfg.lua",
            "component_config": "{config}/conf.avail/{host}.cfg.lua",
            "component_link": "{config}/conf.d/{host}.cfg.lua",
            "certs": "{config}/certs",
            "cert": "{config}/certs/{host}.crt",
            "key": "{config}/certs/{host}.key",
            "data": "{data}",
            "sqlite": "{data}/prosody.sqlite",
            "log": "{log}/prosody.log",
            "error_log": "{log}/prosody.err",
            "modules": "/usr/local/lib/prosody/modules",  # Debian's plugin_paths; the package's, not managed
        },
        enable_by="symlink",
        statoverride=True,
    ),
    "docker": Tier(
        name="docker",
        description="Container layout: /opt/prosody on the Docker host, one volume per concern.",
        roots={"root": "/opt/prosody"},
        entries=(
            _d("{root}", "root", "root", "0755", "application root"),
            _d("{root}/config", "root", G, "0750", "volume /prosody/config"),
            _d("{root}/config/modules.d", "root", G, "0750", "core, security and features includes"),
            _d("{root}/config/templates", "root", G, "0750", "virtualhost and component templates"),
            _d("{root}/data", U, G, "0750", "volume /prosody/data"),
            _d("{root}/data/uploads", U, G, "0750", "HTTP file uploads"),
            _d("{root}/data/archives", U, G, "0750", "message archives"),
            _d("{root}/certs", "root", G, "0750", "volume /prosody/certs"),
            _d("{root}/certs/auto", "root", G, "0750", "generated or ACME certificates"),
            _d("{root}/certs/custom", "root", G, "0750", "certificates provided by the operator"),
            _d("{root}/logs", U, G, "0750", "volume /prosody/logs"),
            _d("{root}/modules", "root", G, "0755", "plugin_paths"),
            _d("{root}/modules/core", "root", G, "0755"),
            _d("{root}/modules/community", "root", G, "0755"),
            _d("{root}/modules/custom", "root", G, "0755"),
            _d("{root}/scripts", "root", "root", "0755", "entrypoint, setup and backup scripts"),
        ),
        paths={
            "config": "{root}/config/prosody.cfg.lua",
            "includes": "{root}/config/modules.d",
            "data": "{root}/data",
            "sqlite": "{root}/data/prosody.sqlite",
            "certs": "{root}/certs",
            "cert": "{root}/certs/auto/{host}/fullchain.pem",
            "key": "{root}/certs/auto/{host}/privkey.pem",
            "log": "{root}/logs/prosody.log",
            "modules": "{root}/modules",
        },
    ),
    "enterprise": Tier(
        name="enterprise",
        description="Multi-tenant /srv/prosody: per-host config, data, certificates and logs.",
        roots={"root": "/srv/prosody"},
        entries=(
            _d("{root}", "root", G, "0750", "service root"),
            _d("{root}/config", "root", G, "0750"),
            _d("{root}/config/global", "root", G, "0750", "prosody.cfg.lua, security, monitoring"),
            _d("{root}/config/hosts", "root", G, "0750", "<host>.cfg.lua per tenant"),
            _d("{root}/config/components", "root", G, "0750"),
            _d("{root}/config/includes", "root", G, "0750", "ssl and modules includes"),
            _d("{root}/data", U, G, "0750"),
            _d("{root}/data/global", U, G, "0750", "data_path"),
            _d("{root}/data/hosts", U, G, "0750"),
            _d("{root}/data/hosts/{host}", U, G, "0750", "one tenant's stored data"),
            # data_path is global in Prosody; the tenant's encoded host directory under it leads here
            _l("{root}/data/global/{host_enc}", "../hosts/{host}", U, G, "tenant data, as Prosody finds it"),
            _d("{root}/data/uploads", U, G, "0750"),
            _d("{root}/data/uploads/{host}", U, G, "0750", "one tenant's uploads"),
            # the tenant's file share component is upload.<tenant>; its store lands in the tenant's uploads
            _l("{root}/data/global/{upload_enc}", "../uploads/{host}", U, G, "tenant uploads, as Prosody finds them"),
            _d("{root}/certs", "root", G, "0750"),
            _d("{root}/certs/ca", "root", G, "0750", "CA certificates"),
            _d("{root}/certs/domains", "root", G, "0750"),
            _d("{root}/certs/domains/{host}", "root", G, "0750", "fullchain.pem and privkey.pem"),
            _d("{root}/certs/admin", "root", "root", "0700", "admin certificates"),
            _d("{root}/logs", U, G, "0750"),
            _d("{root}/logs/global", U, G, "0750", "prosody.log and security.log"),
            _d("{root}/logs/hosts", U, G, "0750"),
            _f("{root}/logs/hosts/{host}.log", U, G, "0640", "one tenant's log"),
            _d("{root}/logs/components", U, G, "0750"),
            _d("{root}/modules", "root", G, "0755", "plugin_paths"),
            _d("{root}/modules/core", "root", G, "0755"),
            _d("{root}/modules/enterprise", "root", G, "0755"),
            _d("{root}/modules/community", "root", G, "0755"),
            _d("{root}/modules/custom", "root", G, "0755"),
            _d("{root}/scripts", "root", "root", "0755"),
            _d("{root}/scripts/deployment", "root", "root", "0755"),
            _d("{root}/scripts/maintenance", "root", "root", "0755"),
            _d("{root}/scripts/monitoring", "root", "root", "0755"),
            _d("{root}/scripts/backup", "root", "root", "0755"),
            _d("{root}/templates", "root", "root", "0755"),
            _d("{root}/templates/nginx", "root", "root", "0755"),
            _d("{root}/templates/systemd", "root", "root", "0755"),
            _d("{root}/templates/docker", "root", "root", "0755"),
            _d("{root}/backups", "root", "root", "0700", "backup storage"),
        ),
        paths={
            "config": "{root}/config/global/prosody.cfg.lua",
            "host_config": "{root}/config/hosts/{host}.cfg.lua",
            "component_config": "{root}/config/components/{host}.cfg.lua",
            "components": "{root}/config/components",
            "includes": "{root}/config/includes",
            "data": "{root}/data/global",
            "host_data": "{root}/data/hosts/{host}",
            "host_uploads": "{root}/data/uploads/{host}",
            # Prosody's `certificates` index scans this tree: only the domains, never admin/ (root only) or ca/
            "certs": "{root}/certs/domains",
            "ca": "{root}/certs/ca",
            "cert": "{root}/certs/domains/{host}/fullchain.pem",
            "key": "{root}/certs/domains/{host}/privkey.pem",
            "log": "{root}/logs/global/prosody.log",
            "security_log": "{root}/logs/global/security.log",
            "host_log": "{root}/logs/hosts/{host}.log",
            "component_log": "{root}/logs/components/{host}.log",
            "modules": "{root}/modules",
            "plugin_paths": (
                "{root}/modules/custom",
                "{root}/modules/community",
                "{root}/modules/enterprise",
                "{root}/modules/core",
            ),
            "enterprise_modules": "{root}/modules/enterprise",
            "scripts": "{root}/scripts",
            "templates": "{root}/templates",
            "archive": "{root}/backups/archive",  # where undeclared tenants go (layout archive_undeclared)
            "backups": "{root}/backups",
        },
        # Internal storage: each tenant's data lands in data/hosts/<tenant> through its link.
        storage="internal",
        enable_by="option",
    ),
    "dev": Tier(
        name="dev",
        description="Unprivileged development workspace, owned by the developer.",
        roots={"root": "~/prosody-dev"},
        entries=(
            _d("{root}", U, G, "0755", "workspace"),
            _d("{root}/src", U, G, "0755"),
            _d("{root}/src/prosody", U, G, "0755"),
            _d("{root}/src/modules", U, G, "0755", "custom modules, on plugin_paths"),
            _d("{root}/src/patches", U, G, "0755"),
            _d("{root}/config", U, G, "0755", "development, testing and production configs"),
            _d("{root}/certs", U, G, "0700", "self-signed certificates"),
            _d("{root}/data", U, G, "0750"),
            _d("{root}/data/dev", U, G, "0750"),
            _d("{root}/data/test", U, G, "0750"),
            _d("{root}/data/fixtures", U, G, "0755"),
            _d("{root}/tests", U, G, "0755"),
            _d("{root}/tests/unit", U, G, "0755"),
            _d("{root}/tests/integration", U, G, "0755"),
            _d("{root}/tests/e2e", U, G, "0755"),
            _d("{root}/tools", U, G, "0755", "dev-server.sh, run-tests.sh, deploy.sh"),
            _d("{root}/docs", U, G, "0755"),
            _d("{root}/docker", U, G, "0755"),
        ),
        paths={
            "config": "{root}/config/development.cfg.lua",
            "data": "{root}/data/dev",
            "certs": "{root}/certs",
            "cert": "{root}/certs/{host}.crt",
            "key": "{root}/certs/{host}.key",
            "modules": "{root}/src/modules",
        },
    ),
}


class LayoutError(ValueError):
    """A layout request that cannot be honoured; the message names the field and the fix."""


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


def resolve_roots(tier: Tier, overrides: dict | None, home: str | None = None) -> dict:
    """The tier's roots with user overrides applied, as absolute normalized paths."""
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - set(tier.roots))
    if unknown:
        raise LayoutError(
            "roots: %s not a root of tier %r; valid roots: %s"
            % (", ".join(map(repr, unknown)), tier.name, ", ".join(sorted(tier.roots)))
        )
    roots = {}
    for name, default in tier.roots.items():
        value = overrides.get(name) or default
        if value.startswith("~"):
            value = (home or os.path.expanduser("~")) + value[1:]
        if not os.path.isabs(value):
            raise LayoutError("roots.%s: %r must be an absolute path" % (name, value))
        value = os.path.normpath(value)
        if value == "/":
            raise LayoutError("roots.%s: refusing to manage '/' as a layout root; choose a dedicated directory" % name)
        roots[name] = value
    return roots


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


def well_known_paths(tier_name: str, roots: dict) -> dict:
    """The tier's named paths with roots filled in; per-host paths keep their ``{host}`` placeholder."""
    tier = TIERS[tier_name]

    def fill(template):
        if isinstance(template, tuple):
            return [fill(t) for t in template]
        return template.format(host="{host}", **roots)

    return {name: fill(template) for name, template in tier.paths.items()}


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
