# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""What a tier is made of: directory entries, files with content and the tier itself, and the
builders the tier files are written with. Every path is a template over the tier's roots (``{root}``,
``{config}`` ...) and, for per-host entries, ``{host}``; owners and groups are ``root``, ``adm`` or the
service account ``{user}`` / ``{group}``."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

DIRECTORY = "directory"
FILE = "file"  # created empty when missing, content never touched
LINK = "link"  # a symlink to another entry inside the same root
HOST_KEYS = ("{host}", "{host_enc}", "{upload_enc}")  # placeholders of per-host entries


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
    template: str = ""  # the role's source of it: a template (templates/, *.j2) or a file as it is (files/)
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


def directory(path, owner, group, mode, purpose=""):
    return Entry(path, DIRECTORY, owner, group, mode, purpose)


def empty_file(path, owner, group, mode, purpose=""):
    return Entry(path, FILE, owner, group, mode, purpose)


def link(path, target, owner, group, purpose=""):
    return Entry(path, LINK, owner, group, "0777", purpose, target)


U, G = "{user}", "{group}"


def config_file(key, path, purpose, **kwargs):
    """A Prosody configuration file: root's, readable by Prosody's group only (it may hold secrets)."""
    return File(key, path, "root", G, "0640", kwargs.pop("writer", "config"), purpose, **kwargs)


def certificates(cert: str, key: str, ca: str) -> tuple:
    """Certificate, key and the local CA: keys never readable by others, the CA's key by root alone."""
    return (
        File("cert", cert, "root", G, "0644", "certdir", "certificate (chain included)"),
        File("key", key, "root", G, "0640", "certdir", "its private key"),
        File("ca_cert", ca + "/ca.pem", "root", G, "0644", "certdir", "the local CA: what clients trust"),
        File("ca_key", ca + "/ca.key", "root", "root", "0600", "certdir", "the local CA's key"),
    )


def root_file(key, path, mode, purpose, template, writer="role", effect="none"):
    """A file from one of the role's templates, root's alone (scripts, references, the service's files)."""
    return File(key, path, "root", "root", mode, writer, purpose, template, effect)


def workspace_file(key, path, mode, purpose, writer="workspace", jinja=False):
    """A file of the dev workspace, the developer's own. writer: workspace (xmpp.prosody.workspace
    renders it), dev (one of the role's, kept up to date) or starter (one of the role's, written once);
    the role's are files as they are (files/dev/), or with ``jinja`` templates (templates/dev/*.j2)."""
    template = "dev/%s%s" % (os.path.basename(path), ".j2" if jinja else "") if writer != "workspace" else ""
    return File(key, path, U, G, mode, writer, purpose, template)


def section_files(host_config: str, component_config: str) -> tuple:
    """A VirtualHost's and a Component's own file, written by xmpp.prosody.vhost and .component."""
    return (
        config_file("host_config", host_config, "one VirtualHost", writer="sections"),
        config_file("component_config", component_config, "one Component", writer="sections"),
    )
