# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""The docker tier, as data: container layout: /opt/prosody on the Docker host, one mount per concern,
Prosody in a container."""

from __future__ import annotations

from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.common import (
    ACME_HOOK_PURPOSE,
    RECORD,
    SECURITY_OPTIONS,
)

# the builders under short names keep the table one entry per line
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import File, G, Tier, U
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import certificates as _certificates
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import config_file as _config
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import directory as _d
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import empty_file as _f
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import link as _l
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import root_file as _root_file

TIER = Tier(
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
)
