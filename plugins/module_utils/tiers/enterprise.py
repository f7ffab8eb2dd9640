# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""The enterprise tier, as data: multi-tenant /srv/prosody: per-host config, data, certificates and logs."""

from __future__ import annotations

from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.common import (
    ACME_HOOK_PURPOSE,
    LOGROTATE,
    PROSODYCTL,
    RECORD,
    SECURITY_OPTIONS,
    UNIT,
)

# the builders under short names keep the table one entry per line
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import File, G, Tier, U
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import certificates as _certificates
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import config_file as _config
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import directory as _d
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import empty_file as _f
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import link as _l
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import root_file as _root_file
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import section_files as _sections

TIER = Tier(
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
            "enterprise/mod_log_per_host.lua",
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
)
