# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""The files and option groups several tiers share."""

from __future__ import annotations

from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import File, root_file

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
ACME_HOOK = root_file(
    "acme_hook", "/usr/local/lib/xmpp-prosody/acme-deploy.sh", "0750", ACME_HOOK_PURPOSE, "acme-deploy.sh.j2"
)
# The options of a tier's security file, where it has one.
SECURITY_OPTIONS = (
    "c2s_require_encryption",
    "s2s_require_encryption",
    "s2s_secure_auth",
    "authentication",
    "allow_registration",
)


PRODUCTION_PURPOSE = "production: what the minimal tier's role writes for the same inputs"
