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
import re
from dataclasses import dataclass, field

from ansible_collections.xmpp.prosody.plugins.module_utils._errors import ProsodyError
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
class File:
    """A file with content that the collection writes (the layout only creates empty FILE entries)."""

    key: str  # its name among the tier's paths (config, cert, ...)
    path: str
    owner: str
    group: str
    mode: str
    # what writes it: config, sections (vhost/component), certdir, role (a rendered template, written by
    # xmpp.prosody.config) or image (the Dockerfile, a template written before the image is built)
    writer: str
    purpose: str = ""
    template: str = ""  # writer "role": the engine role's template that renders it
    effect: str = "none"  # what a change needs from the running server: none, reload, restart or unit
    options: tuple = ()  # option files: the global options kept in this file instead of the main file


@dataclass(frozen=True)
class Tier:
    """Everything the collection knows about a tier; the engine branches on these fields, never on the name."""

    name: str
    description: str  # one line, for docs and messages
    roots: dict
    entries: tuple
    paths: dict = field(default_factory=dict)  # well-known directories and locations, same templates
    files: tuple = ()  # files with content, their owners, modes and writers
    storage: str = "internal"  # the seed's default storage for the tier
    # How a host or component file is switched off: "symlink" (Debian: conf.d/ links to conf.avail/)
    # or "option" (enabled = false inside the file). None: the tier keeps hosts in its main file.
    enable_by: str | None = None
    # Register the entries with dpkg-statoverride, so package upgrades and reinstalls keep them.
    statoverride: bool = False
    per_host_certs: bool = False  # a certificate per host (else one for every name)
    per_host_logs: bool = False  # a log file per host and component, written by mod_log_per_host
    archive: bool = False  # removed tenants' data is moved into an archive inside the root
    service: str = "systemd"  # systemd: the package's prosody.service with the collection's drop-in
    role: str = ""  # the tier role that deploys it; empty while the tier has none
    packages: tuple = ("prosody", "python3-cryptography")  # python3-cryptography: xmpp.prosody.certdir
    # service "container": the directories mounted into the container, (path, read-only), same path inside
    mounts: tuple = ()
    options: dict = field(default_factory=dict)  # global options the tier sets (the operator's settings win)
    # What a backup holds: (part, path) with part config, certs or data; a path is a directory or a
    # file, and a path inside another part's path is left to that part.
    backup: tuple = ()
    # One tenant's share of it ({host}: the tenant; globs name its components); empty: whole backups only.
    tenant_backup: tuple = ()

    def file(self, key: str) -> File:
        return next(f for f in self.files if f.key == key)


def account(name: str, user: str = "prosody", group: str = "prosody") -> str:
    """An owner or group of the table with the service account's names filled in."""
    return {"{user}": user, "{group}": group}.get(name, name)


def _d(path, owner, group, mode, purpose=""):
    return Entry(path, DIRECTORY, owner, group, mode, purpose)


def _f(path, owner, group, mode, purpose=""):
    return Entry(path, FILE, owner, group, mode, purpose)


def _l(path, target, owner, group, purpose=""):
    return Entry(path, LINK, owner, group, "0777", purpose, target)


U, G = "{user}", "{group}"


def _config(key, path, purpose, **kwargs):
    """A Prosody configuration file: root's, readable by Prosody's group only (it may hold secrets)."""
    return File(key, path, "root", G, "0640", kwargs.pop("writer", "config"), purpose, **kwargs)


def _certificates(cert: str, key: str, ca: str) -> tuple:
    """Certificate, key and the local CA: keys never readable by others, the CA's key by root alone."""
    return (
        File("cert", cert, "root", G, "0644", "certdir", "certificate (chain included)"),
        File("key", key, "root", G, "0640", "certdir", "its private key"),
        File("ca_cert", ca + "/ca.pem", "root", G, "0644", "certdir", "the local CA: what clients trust"),
        File("ca_key", ca + "/ca.key", "root", "root", "0600", "certdir", "the local CA's key"),
    )


def _root_file(key, path, mode, purpose, template, writer="role", effect="none"):
    """A file from one of the role's templates, root's alone (scripts, references, the service's files)."""
    return File(key, path, "root", "root", mode, writer, purpose, template, effect)


def _workspace(key, path, mode, purpose, writer="workspace"):
    """A file of the dev workspace, the developer's own. writer: workspace (xmpp.prosody.workspace
    renders it), dev (a template of the role, kept up to date) or starter (a template written once)."""
    template = "dev/%s.j2" % os.path.basename(path) if writer != "workspace" else ""
    return File(key, path, U, G, mode, writer, purpose, template)


PRODUCTION_PURPOSE = "production: what the minimal tier's role writes for the same inputs"


def _sections(host_config: str, component_config: str) -> tuple:
    return (
        _config("host_config", host_config, "one VirtualHost", writer="sections"),
        _config("component_config", component_config, "one Component", writer="sections"),
    )


# Every systemd tier: the drop-in that runs the packaged prosody.service on the tier, and the record
# of what this collection deployed on the host (the tier, its roots and hosts, changes not yet applied).
UNIT = File(
    "unit",
    "/etc/systemd/system/prosody.service.d/xmpp-prosody.conf",
    "root",
    "root",
    "0644",
    "role",
    "runs the packaged prosody.service on this layout",
    template="prosody.service.conf.j2",
    effect="unit",
)
RECORD = File(
    "record",
    "/var/lib/xmpp-prosody/deployment.json",
    "root",
    "root",
    "0640",
    "config",
    "what the collection deployed here: tier, roots, hosts, changes not yet applied",
)
LOGROTATE = File(
    "logrotate", "/etc/logrotate.d/xmpp-prosody", "root", "root", "0644", "role", "rotates the logs", "logrotate.j2"
)
# `prosodyctl` for this host's deployment: root's PATH finds /usr/local/sbin before /usr/bin, so admin
# commands address the server prosody.service runs, without --config (docs/design.md, "Accounts").
PROSODYCTL = File(
    "prosodyctl",
    "/usr/local/sbin/prosodyctl",
    "root",
    "root",
    "0755",
    "role",
    "prosodyctl with this deployment's --config (an explicit --config still wins)",
    "prosodyctl.j2",
)
# certbot's deploy hook: installs an obtained or renewed certificate and reloads Prosody.
ACME_HOOK_PURPOSE = "certbot's deploy hook: copies a renewed certificate into place, reloads Prosody"
ACME_HOOK = _root_file(
    "acme_hook", "/usr/local/lib/xmpp-prosody/acme-deploy.sh", "0750", ACME_HOOK_PURPOSE, "acme-deploy.sh.j2"
)
SQL_PACKAGES = ("lua-dbi-sqlite3",)
AUTH_PACKAGES = {"ldap": ("lua-ldap",)}  # what an authentication provider of a host needs (LuaLDAP)
# The options of a tier's security file, where it has one.
SECURITY_OPTIONS = (
    "c2s_require_encryption",
    "s2s_require_encryption",
    "s2s_secure_auth",
    "authentication",
    "allow_registration",
)

TIERS = {
    "minimal": Tier(
        name="minimal",
        description="Minimal/embedded: one directory holds config, data, certificates, modules and the log.",
        roots={"root": "/prosody"},
        entries=(
            _d("{root}", "root", G, "0750", "tier root"),
            _d("{root}/data", U, G, "0750", "data_path; holds prosody.sqlite"),
            _d("{root}/certs", "root", G, "0750", "cert.pem and key.pem"),
            _d("{root}/certs/.ca", "root", G, "0750", "the local CA (a directory Prosody does not index)"),
            _d("{root}/modules", "root", G, "0750", "extra modules, first on plugin_paths"),
            _f("{root}/prosody.log", U, G, "0640", "the one log file"),
        ),
        paths={
            "data": "{root}/data",
            "sqlite": "{root}/data/prosody.sqlite",
            "certs": "{root}/certs",
            "ca": "{root}/certs/.ca",
            "modules": "{root}/modules",
            "community": "{root}/modules",  # community modules the collection copies (first on plugin_paths)
            "log": "{root}/prosody.log",
            "backups": "{root}/backups",
        },
        backup=(
            ("config", "{root}/prosody.cfg.lua"),
            ("config", "{root}/modules"),
            ("certs", "{root}/certs"),
            ("data", "{root}/data"),
        ),
        files=(
            _config("config", "{root}/prosody.cfg.lua", "the whole configuration, hosts and components included"),
            *_certificates("{root}/certs/cert.pem", "{root}/certs/key.pem", "{root}/certs/.ca"),
            UNIT,
            PROSODYCTL,
            ACME_HOOK,
            LOGROTATE,
            RECORD,
        ),
        storage="sql",
        role="xmpp.prosody.minimal",
    ),
    "debian": Tier(
        name="debian",
        description="Traditional Debian/Ubuntu FHS layout: conf.avail/ enabled by symlinks in conf.d/.",
        roots={"config": "/etc/prosody", "data": "/var/lib/prosody", "log": "/var/log/prosody"},
        entries=(
            _d("{config}", "root", G, "0755", "configuration root"),
            _d("{config}/conf.avail", "root", G, "0754", "available host and component files"),
            _d("{config}/conf.d", "root", G, "0754", "symlinks to enabled files in conf.avail"),
            _d("{config}/certs", "root", G, "0750", "a certificate and key per host"),
            _d("{config}/certs/.ca", "root", G, "0750", "the local CA (a directory Prosody does not index)"),
            _d("{data}", U, G, "0750", "data_path"),
            # adm, as Debian and its logrotate rule (create 640 prosody adm) have it
            _d("{log}", U, "adm", "0750", "logs"),
            _f("{log}/prosody.log", U, "adm", "0640", "info and above"),
            _f("{log}/prosody.err", U, "adm", "0640", "errors"),
        ),
        paths={
            "available": "{config}/conf.avail",
            "enabled": "{config}/conf.d",
            "host_link": "{config}/conf.d/{host}.cfg.lua",
            "component_link": "{config}/conf.d/{host}.cfg.lua",
            "certs": "{config}/certs",
            "ca": "{config}/certs/.ca",
            "data": "{data}",
            "sqlite": "{data}/prosody.sqlite",
            "log": "{log}/prosody.log",
            "error_log": "{log}/prosody.err",
            "modules": "/usr/local/lib/prosody/modules",  # Debian's plugin_paths; the package's, not managed
            "community": "/usr/local/lib/prosody/modules",
            "backups": "/var/backups/prosody",
        },
        backup=(("config", "{config}"), ("certs", "{config}/certs"), ("data", "{data}")),
        files=(
            _config("config", "{config}/prosody.cfg.lua", "global options; includes conf.d/*.cfg.lua"),
            *_sections("{config}/conf.avail/{host}.cfg.lua", "{config}/conf.avail/{host}.cfg.lua"),
            File(
                "example",
                "{config}/conf.avail/example.cfg.lua",
                "root",
                G,
                "0644",
                "role",
                "a commented example, not loaded",
                "debian/example.cfg.lua.j2",
            ),
            File(
                "template",
                "{config}/conf.avail/template.cfg.lua",
                "root",
                G,
                "0644",
                "role",
                "the shape of every host file, not loaded",
                "debian/template.cfg.lua.j2",
            ),
            *_certificates("{config}/certs/{host}.crt", "{config}/certs/{host}.key", "{config}/certs/.ca"),
            UNIT,
            PROSODYCTL,
            ACME_HOOK,
            RECORD,
        ),
        enable_by="symlink",
        statoverride=True,
        per_host_certs=True,
        role="xmpp.prosody.debian",
    ),
    "docker": Tier(
        name="docker",
        description="Container layout: /opt/prosody on the Docker host, one mount per concern, Prosody in a container.",
        roots={"root": "/opt/prosody"},
        entries=(
            _d("{root}", "root", "root", "0755", "application root"),
            _d("{root}/config", "root", G, "0750", "mounted read-only"),
            _d("{root}/config/modules.d", "root", G, "0750", "core, security and features includes"),
            _d("{root}/config/templates", "root", G, "0750", "the shape of a host and a component (not loaded)"),
            _d("{root}/data", U, G, "0750", "mounted read-write; data_path, prosody.sqlite"),
            _d("{root}/data/uploads", U, G, "0750", "mounted read-write; HTTP file share blobs"),
            _d("{root}/data/uploads/{host}", U, G, "0750", "the uploads of upload.<host>"),
            # Prosody keeps a component's files under data_path; the link leads upload.<host>'s into uploads/
            _l("{root}/data/{upload_enc}", "uploads/{host}", U, G, "upload.<host>'s files, as Prosody finds them"),
            _d("{root}/data/archives", U, G, "0750", "message archive exports (not written by Prosody)"),
            _d("{root}/certs", "root", G, "0750", "mounted read-only; Prosody's certificate index"),
            _d("{root}/certs/auto", "root", G, "0750", "certificates the collection issues or obtains"),
            _d("{root}/certs/auto/{host}", "root", G, "0750", "fullchain.pem and privkey.pem"),
            _d("{root}/certs/custom", "root", G, "0750", "certificates provided by the operator"),
            _d("{root}/ca", "root", G, "0750", "the local CA, never mounted into the container"),
            _d("{root}/logs", U, G, "0750", "mounted read-write"),
            _f("{root}/logs/prosody.log", U, G, "0640", "info and above"),
            _f("{root}/logs/error.log", U, G, "0640", "errors"),
            _d("{root}/modules", "root", G, "0755", "mounted read-only; plugin_paths"),
            _d("{root}/modules/core", "root", G, "0755"),
            _d("{root}/modules/community", "root", G, "0755"),
            _d("{root}/modules/custom", "root", G, "0755"),
            _d("{root}/scripts", "root", "root", "0755", "mounted read-only; entrypoint, health check, setup"),
            _d("{root}/image", "root", "root", "0755", "the image's build context: its Dockerfile"),
            _d("{root}/backups", "root", "root", "0700", "the backup repository (playbooks/backup.yml)"),
        ),
        paths={
            "includes": "{root}/config/modules.d",
            "data": "{root}/data",
            "sqlite": "{root}/data/prosody.sqlite",
            "pidfile": "{root}/data/prosody.pid",
            "certs": "{root}/certs",
            "ca": "{root}/ca",
            "log": "{root}/logs/prosody.log",
            "error_log": "{root}/logs/error.log",
            "modules": "{root}/modules",
            "community": "{root}/modules/community",
            "plugin_paths": ("{root}/modules/custom", "{root}/modules/community", "{root}/modules/core"),
            "scripts": "{root}/scripts",
            "image": "{root}/image",
            "backups": "{root}/backups",
        },
        # scripts/ and image/ are the role's output; the local CA is kept with the certificates.
        backup=(
            ("config", "{root}/config"),
            ("config", "{root}/modules"),
            ("certs", "{root}/certs"),
            ("certs", "{root}/ca"),
            ("data", "{root}/data"),
        ),
        files=(
            _config("config", "{root}/config/prosody.cfg.lua", "global options; includes modules.d/*.cfg.lua"),
            _config(
                "core",
                "{root}/config/modules.d/core.cfg.lua",
                "modules, where they are found, storage",
                options=("modules_enabled", "modules_disabled", "plugin_paths", "storage", "sql"),
            ),
            _config(
                "security",
                "{root}/config/modules.d/security.cfg.lua",
                "encryption, authentication, registration, admins",
                options=(*SECURITY_OPTIONS, "admins"),
            ),
            _config(
                "features",
                "{root}/config/modules.d/features.cfg.lua",
                "logging, HTTP",
                options=("log", "http_interfaces"),
            ),
            File(
                "host_template",
                "{root}/config/templates/virtualhost.lua.tpl",
                "root",
                G,
                "0644",
                "role",
                "the shape of a VirtualHost section, not loaded",
                "docker/virtualhost.lua.tpl.j2",
            ),
            File(
                "component_template",
                "{root}/config/templates/component.lua.tpl",
                "root",
                G,
                "0644",
                "role",
                "the shape of a Component section, not loaded",
                "docker/component.lua.tpl.j2",
            ),
            *_certificates(
                "{root}/certs/auto/{host}/fullchain.pem",
                "{root}/certs/auto/{host}/privkey.pem",
                "{root}/ca",
            ),
            _root_file(
                "entrypoint",
                "{root}/scripts/entrypoint.sh",
                "0755",
                "the container's command: checks its mounts, then runs Prosody in the foreground",
                "docker/entrypoint.sh.j2",
                effect="restart",
            ),
            _root_file(
                "healthcheck",
                "{root}/scripts/healthcheck.sh",
                "0755",
                "the container's health check: exits 0 when Prosody answers an XMPP stream",
                "docker/healthcheck.sh.j2",
            ),
            _root_file(
                "setup",
                "{root}/scripts/setup.sh",
                "0750",
                "puts the tree's owners and modes right and checks the config in a throwaway container",
                "docker/setup.sh.j2",
            ),
            _root_file(
                "prosodyctl",
                "/usr/local/sbin/prosodyctl",
                "0755",
                "prosodyctl in the container, as Prosody's uid, with its --config",
                "docker/prosodyctl.j2",
            ),
            _root_file("acme_hook", "{root}/scripts/deploy.sh", "0750", ACME_HOOK_PURPOSE, "acme-deploy.sh.j2"),
            _root_file(
                "dockerfile",
                "{root}/image/Dockerfile",
                "0644",
                "the image: Debian's Prosody, the prosody account with fixed ids",
                "docker/Dockerfile.j2",
                writer="image",
            ),
            RECORD,
        ),
        # (directory, read-only): each its own bind mount, directories only (a single-file mount keeps
        # the old inode after an atomic rename), at the same path in the container as on the host.
        mounts=(
            ("{root}/config", True),
            ("{root}/data", False),
            ("{root}/data/uploads", False),
            ("{root}/certs", True),
            ("{root}/logs", False),
            ("{root}/modules", True),
            ("{root}/scripts", True),
        ),
        # Plain HTTP on the container's own network (published only when asked), not on loopback: a
        # proxy container reaches it there, and a container has no ::1 for Prosody's default.
        options={"http_interfaces": ["*"]},
        storage="sql",
        per_host_certs=True,
        service="container",
        role="xmpp.prosody.docker",
        packages=("python3-cryptography", "python3-requests"),  # python3-requests: community.docker
    ),
    "enterprise": Tier(
        name="enterprise",
        description="Multi-tenant /srv/prosody: per-host config, data, certificates and logs.",
        roots={"root": "/srv/prosody"},
        entries=(
            _d("{root}", "root", G, "0750", "service root"),
            _d("{root}/config", "root", G, "0750"),
            _d("{root}/config/global", "root", G, "0750", "prosody.cfg.lua, security, monitoring"),
            _d("{root}/config/hosts", "root", G, "0750", "a file per tenant"),
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
            _d("{root}/certs/ca", "root", G, "0750", "the instance's CA"),
            _d("{root}/certs/domains", "root", G, "0750", "Prosody's certificate directory"),
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
            _d("{root}/templates", "root", "root", "0755"),
            _d("{root}/templates/nginx", "root", "root", "0755"),
            _d("{root}/templates/systemd", "root", "root", "0755"),
            _d("{root}/templates/docker", "root", "root", "0755"),
            _d("{root}/backups", "root", "root", "0700", "the backup repository (playbooks/backup.yml)"),
        ),
        paths={
            "components": "{root}/config/components",
            "includes": "{root}/config/includes",
            "data": "{root}/data/global",
            "sqlite": "{root}/data/global/prosody.sqlite",  # SQL storage: one database for every tenant
            "host_data": "{root}/data/hosts/{host}",
            "host_uploads": "{root}/data/uploads/{host}",
            # Prosody's `certificates` index scans this tree: only the domains, never admin/ (root only) or ca/
            "certs": "{root}/certs/domains",
            "ca": "{root}/certs/ca",
            "log": "{root}/logs/global/prosody.log",
            "security_log": "{root}/logs/global/security.log",
            "host_log": "{root}/logs/hosts/{host}.log",
            "component_log": "{root}/logs/components/{host}.log",
            "modules": "{root}/modules",
            "community": "{root}/modules/community",
            "plugin_paths": (
                "{root}/modules/custom",
                "{root}/modules/community",
                "{root}/modules/enterprise",
                "{root}/modules/core",
            ),
            "scripts": "{root}/scripts",
            "templates": "{root}/templates",
            "archive": "{root}/backups/archive",  # where undeclared tenants go (layout prune)
            "backups": "{root}/backups",
        },
        backup=(
            ("config", "{root}/config"),
            ("config", "{root}/modules"),
            ("certs", "{root}/certs"),
            ("data", "{root}/data"),
        ),
        # a tenant and its components (conference.<tenant>, upload.<tenant>: "%2e" is an encoded dot)
        tenant_backup=(
            ("config", "{root}/config/hosts/{host}.cfg.lua"),
            ("config", "{root}/config/components/*.{host}.cfg.lua"),
            ("certs", "{root}/certs/domains/{host}"),
            ("certs", "{root}/certs/domains/*.{host}"),
            ("data", "{root}/data/hosts/{host}"),
            ("data", "{root}/data/uploads/{host}"),
            ("data", "{root}/data/global/{host_enc}"),
            ("data", "{root}/data/global/*%2e{host_enc}"),
        ),
        files=(
            _config("config", "{root}/config/global/prosody.cfg.lua", "global options; includes the files below"),
            _config(
                "security",
                "{root}/config/global/security.cfg.lua",
                "encryption, authentication, registration",
                options=SECURITY_OPTIONS,
            ),
            _config("monitoring", "{root}/config/global/monitoring.cfg.lua", "logging", options=("log",)),
            _config(
                "modules_include",
                "{root}/config/includes/modules.cfg.lua",
                "modules and where they are found",
                options=("modules_enabled", "modules_disabled", "plugin_paths"),
            ),
            _config("ssl_include", "{root}/config/includes/ssl.cfg.lua", "TLS", options=("ssl", "tls_profile")),
            *_sections("{root}/config/hosts/{host}.cfg.lua", "{root}/config/components/{host}.cfg.lua"),
            *_certificates(
                "{root}/certs/domains/{host}/fullchain.pem",
                "{root}/certs/domains/{host}/privkey.pem",
                "{root}/certs/ca",
            ),
            File(
                "log_per_host",
                "{root}/modules/enterprise/mod_log_per_host.lua",
                "root",
                G,
                "0644",
                "role",
                "the log sink that writes each host's lines to its own file",
                "enterprise/mod_log_per_host.lua.j2",
                effect="restart",
            ),
            _root_file(
                "healthcheck",
                "{root}/scripts/monitoring/healthcheck.sh",
                "0755",
                "exits 0 when Prosody answers an XMPP stream",
                "enterprise/healthcheck.sh.j2",
            ),
            _root_file(
                "nginx",
                "{root}/templates/nginx/prosody.conf",
                "0644",
                "reverse proxy for the HTTP services (reference)",
                "enterprise/nginx.conf.j2",
            ),
            _root_file(
                "systemd",
                "{root}/templates/systemd/prosody.service",
                "0644",
                "this instance as a stand-alone unit (reference)",
                "enterprise/prosody.service.j2",
            ),
            _root_file(
                "compose",
                "{root}/templates/docker/compose.yaml",
                "0644",
                "this instance in a container (reference)",
                "enterprise/compose.yaml.j2",
            ),
            _root_file(
                "acme_hook", "{root}/scripts/deployment/acme-deploy.sh", "0750", ACME_HOOK_PURPOSE, "acme-deploy.sh.j2"
            ),
            UNIT,
            PROSODYCTL,
            LOGROTATE,
            RECORD,
        ),
        # Internal storage: each tenant's data lands in data/hosts/<tenant> through its link.
        storage="internal",
        enable_by="option",
        per_host_certs=True,
        per_host_logs=True,
        archive=True,
        role="xmpp.prosody.enterprise",
    ),
    "dev": Tier(
        name="dev",
        description="Unprivileged development workspace, owned by the developer.",
        roots={"root": "~/prosody-dev"},
        entries=(
            _d("{root}", U, G, "0755", "workspace"),
            _d("{root}/src", U, G, "0755"),
            _d("{root}/src/prosody", U, G, "0755", "a Prosody source checkout, used once built"),
            _d("{root}/src/modules", U, G, "0755", "your modules, on plugin_paths"),
            _d("{root}/src/modules/spec", U, G, "0755", "their busted specs"),
            _d("{root}/src/patches", U, G, "0755"),
            _d("{root}/community", U, G, "0755", "community modules the role copies, on plugin_paths after yours"),
            _d("{root}/config", U, G, "0755", "development, testing and production configs"),
            _d("{root}/certs", U, G, "0700", "certificates of the local CA"),
            _d("{root}/data", U, G, "0750"),
            _d("{root}/data/dev", U, G, "0750", "the development server's data"),
            _d("{root}/data/test", U, G, "0750", "the test server's log (its storage is in memory)"),
            _d("{root}/data/fixtures", U, G, "0755"),
            _d("{root}/tests", U, G, "0755"),
            _d("{root}/tests/unit", U, G, "0755", "busted specs"),
            _d("{root}/tests/integration", U, G, "0755", "executables run against the test server"),
            _d("{root}/tests/e2e", U, G, "0755"),
            _d("{root}/tools", U, G, "0755"),
            _d("{root}/docs", U, G, "0755"),
            _d("{root}/docker", U, G, "0755"),
        ),
        paths={
            "data": "{root}/data/dev",
            "sqlite": "{root}/data/dev/prosody.sqlite",
            "log": "*console",  # the development server logs to the terminal it runs in
            "pidfile": "{root}/data/dev/prosody.pid",
            "test_data": "{root}/data/test",
            "certs": "{root}/certs",
            "ca": "{root}/certs/.ca",
            "modules": "{root}/src/modules",
            "community": "{root}/community",
            # yours first: a community module you are working on in src/modules wins over its copy
            "plugin_paths": ("{root}/src/modules", "{root}/community"),
            "source": "{root}/src/prosody",
        },
        files=(
            _workspace("config", "{root}/config/development.cfg.lua", "0640", "development: debug log, high ports"),
            _workspace("testing_config", "{root}/config/testing.cfg.lua", "0640", "testing: memory storage, own ports"),
            _workspace("production_config", "{root}/config/production.cfg.lua", "0640", PRODUCTION_PURPOSE),
            _workspace("production_inputs", "{root}/config/production.json", "0600", "the inputs, for tools/deploy.sh"),
            _workspace("fixtures", "{root}/data/fixtures/accounts.json", "0600", "test accounts run-tests.sh loads"),
            _workspace("environment", "{root}/config/workspace.env", "0644", "ports and paths the tools read"),
            _workspace("dev_server", "{root}/tools/dev-server.sh", "0755", "runs the development server", "dev"),
            _workspace("run_tests", "{root}/tools/run-tests.sh", "0755", "luacheck, busted, a real login", "dev"),
            _workspace("deploy", "{root}/tools/deploy.sh", "0755", "hands the inputs to xmpp.prosody.site", "dev"),
            _workspace("client", "{root}/tools/xmpp-client.py", "0755", "a real XMPP client (slixmpp)", "dev"),
            _workspace("tools_env", "{root}/tools/env.sh", "0644", "what the tools share: ports, which Prosody", "dev"),
            _workspace("dockerfile_dev", "{root}/docker/Dockerfile.dev", "0644", "the development server", "dev"),
            _workspace("dockerfile_test", "{root}/docker/Dockerfile.test", "0644", "the tests in a container", "dev"),
            _workspace("compose", "{root}/docker/docker-compose.yml", "0644", "both, on this workspace", "dev"),
            # starter files: written once when missing, never overwritten (they are yours to edit)
            _workspace("sample_module", "{root}/src/modules/mod_hello.lua", "0644", "a sample module", "starter"),
            _workspace("sample_spec", "{root}/src/modules/spec/hello_spec.lua", "0644", "its spec", "starter"),
            _workspace("sample_test", "{root}/tests/integration/hello.sh", "0755", "its integration test", "starter"),
            _workspace("luacheckrc", "{root}/.luacheckrc", "0644", "luacheck's settings", "starter"),
            _workspace("readme", "{root}/docs/README.md", "0644", "what is where, and the commands", "starter"),
            File("cert", "{root}/certs/{host}.crt", U, G, "0644", "certdir", "certificate"),
            File("key", "{root}/certs/{host}.key", U, G, "0600", "certdir", "its private key"),
            File("ca_cert", "{root}/certs/.ca/ca.pem", U, G, "0644", "certdir", "the local CA"),
            File("ca_key", "{root}/certs/.ca/ca.key", U, G, "0600", "certdir", "the local CA's key"),
        ),
        per_host_certs=True,
        service="foreground",  # run by tools/dev-server.sh, as the developer
        role="xmpp.prosody.dev",
        # python3-slixmpp: the client of run-tests.sh; python3-cryptography: xmpp.prosody.certdir
        packages=("prosody", "lua-busted", "lua-check", "python3-slixmpp", "python3-cryptography"),
    ),
}


class LayoutError(ProsodyError):
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


# Directories of the operating system: a root may live below them, but never be one of them or
# hold one (the layout sets a root's owner and mode, and /etc at 0750 locks out every other user).
SYSTEM_DIRECTORIES = (
    "/bin", "/boot", "/dev", "/etc", "/etc/ssl", "/etc/ssl/certs", "/etc/ssl/private", "/etc/systemd",
    "/etc/systemd/system", "/home", "/lib", "/lib64", "/media", "/mnt", "/opt", "/proc", "/root", "/run",
    "/sbin", "/srv", "/sys", "/tmp", "/usr", "/usr/bin", "/usr/lib", "/usr/local", "/usr/local/bin",
    "/usr/sbin", "/usr/share", "/var", "/var/backups", "/var/cache", "/var/lib", "/var/lib/apt",
    "/var/lib/dpkg", "/var/lib/systemd", "/var/log", "/var/mail", "/var/spool", "/var/tmp", "/var/www",
)  # fmt: skip
# What a root may be spelled with: it reaches systemd unit lines (split at white space, % expanded)
# and shell-free scripts as well as Lua strings, so only the characters every one of them takes.
_ROOT_PATH = re.compile(r"(/[A-Za-z0-9._+@-]+)+")


def check_root(name: str, value) -> str:
    """A root as given (``~`` already expanded): absolute, normalized, plain characters, not a system
    directory nor a parent of one. Returns it, or raises LayoutError naming the root and the fix."""
    field = "roots.%s" % name
    if not isinstance(value, str) or not value.startswith("/"):
        raise LayoutError("%s: %r must be an absolute path (e.g. '/srv/prosody')" % (field, value))
    if {"..", "."} & set(value.split("/")):
        raise LayoutError(
            "%s: %r is not a normalized path ('..' or '.'); write the directory it means as %r, after "
            "checking that this is the one you want" % (field, value, os.path.normpath(value))
        )
    value = re.sub("/+", "/", value).rstrip("/") or "/"
    if not _ROOT_PATH.fullmatch(value) and value != "/":
        raise LayoutError(
            "%s: %r has characters a root cannot have (white space, control characters, quotes, '%%', '\\' ...); "
            "use letters, digits and . _ + @ -" % (field, value)
        )
    if value == "/" or value in SYSTEM_DIRECTORIES or any(d.startswith(value + "/") for d in SYSTEM_DIRECTORIES):
        raise LayoutError(
            "%s: %r is a system directory%s; the layout would set its owner and mode. Choose a directory of "
            "its own, e.g. %r"
            % (field, value, "" if value in SYSTEM_DIRECTORIES else " or holds one", value.rstrip("/") + "/prosody")
        )
    return value


def resolve_roots(tier: Tier, overrides: dict | None, home: str | None = None) -> dict:
    """The tier's roots with user overrides applied, each checked by check_root."""
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
        if isinstance(value, str) and value.startswith("~"):
            value = (home or os.path.expanduser("~")) + value[1:]
        roots[name] = check_root(name, value)
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


def role_tiers() -> list[str]:
    """The tiers whose role deploys a server through the engine, sorted (not the dev workspace, which
    its own role lays out for one developer)."""
    return [name for name in tiers_with("role") if TIERS[name].service != "foreground"]


def describe(
    tier_name: str, roots=None, storage: str = "", user: str = "prosody", group: str = "prosody", vhosts=None
) -> dict:
    """The whole tier as plain data for roles and templates: roots and paths resolved, capabilities,
    files (owners, modes, templates), the storage backend and the packages it needs (for ``storage``
    and the authentication of ``vhosts``)."""
    tier = TIERS.get(tier_name)
    if tier is None or not tier.role:
        raise LayoutError(
            "prosody_tier: %r is %s; set it to one of %s"
            % (tier_name, "not a tier" if tier is None else "a tier without a role yet", ", ".join(role_tiers()))
        )
    resolved = resolve_roots(tier, roots)
    paths = well_known_paths(tier_name, resolved)
    storage = storage or tier.storage
    needed = list(SQL_PACKAGES) if storage == "sql" else []  # Prosody's libraries for the storage and logins
    providers = {str((item or {}).get("authentication")) for item in vhosts or []}
    needed += [package for name in sorted(providers & set(AUTH_PACKAGES)) for package in AUTH_PACKAGES[name]]
    container = tier.service == "container"
    return {
        "name": tier.name,
        "description": tier.description,
        "role": tier.role,
        "roots": resolved,
        "root": resolved.get("root", resolved.get("config")),
        "paths": paths,
        "files": [
            {
                "key": f.key,
                "path": paths[f.key],
                "owner": account(f.owner, user, group),
                "group": account(f.group, user, group),
                "mode": f.mode,
                "writer": f.writer,
                "template": f.template,
                "effect": f.effect,
            }
            for f in tier.files
        ],
        "storage": storage,
        # a container tier's host needs its own packages; Prosody's go into the image
        "packages": list(tier.packages) + (needed if not container else []),
        "image_packages": ["prosody", *needed] if container else [],
        "per_host_certs": tier.per_host_certs,
        "per_host_logs": tier.per_host_logs,
        "archive": tier.archive,
        "service": tier.service,
        "mounts": [
            {"type": "bind", "source": path, "target": path, "read_only": read_only}
            for path, read_only in mounts(tier_name, resolved)
        ],
    }


def mounts(tier_name: str, roots: dict) -> list[tuple]:
    """The tier's container mounts, (directory, read-only), roots filled in."""
    return [(path.format(**roots), read_only) for path, read_only in TIERS[tier_name].mounts]


def rendered_files(record: dict, contents: list) -> list[dict]:
    """The record's files that come from templates, each with its content (for xmpp.prosody.config's
    ``files``); ``contents`` are the rendered templates in the record's order."""
    templated = [f for f in record["files"] if f["writer"] == "role"]
    if len(templated) != len(contents):
        raise LayoutError("%d templates of tier %s, but %d contents" % (len(templated), record["name"], len(contents)))
    return [
        {
            "path": f["path"],
            "content": text if text.endswith("\n") else text + "\n",
            "owner": f["owner"],
            "group": f["group"],
            "mode": f["mode"],
            "effect": f["effect"],
        }
        for f, text in zip(templated, contents, strict=True)
    ]


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
