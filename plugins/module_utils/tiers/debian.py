# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""The debian tier, as data: traditional Debian/Ubuntu FHS layout: conf.avail/ enabled by symlinks in conf.d/."""

from __future__ import annotations

from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.common import ACME_HOOK, PROSODYCTL, RECORD, UNIT

# the builders under short names keep the table one entry per line
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import File, G, Tier, U
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import certificates as _certificates
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import config_file as _config
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import directory as _d
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import empty_file as _f
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import section_files as _sections

TIER = Tier(
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
)
