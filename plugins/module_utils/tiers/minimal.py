# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""The minimal tier, as data: minimal/embedded: one directory holds config, data, certificates, modules and the log."""

from __future__ import annotations

from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.common import (
    ACME_HOOK,
    LOGROTATE,
    PROSODYCTL,
    RECORD,
    UNIT,
)

# the builders under short names keep the table one entry per line
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import G, Tier, U
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import certificates as _certificates
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import config_file as _config
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import directory as _d
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import empty_file as _f

TIER = Tier(
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
)
