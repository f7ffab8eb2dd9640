# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """Options shared by the modules that manage VirtualHost and Component files."""

    DOCUMENTATION = r"""
options:
  tier:
    description:
      - Layout tier whose file convention is used. C(debian) writes C(conf.avail/<name>.cfg.lua) and
        enables it with a symlink in C(conf.d/); C(enterprise) writes C(config/hosts/<name>.cfg.lua) or
        C(config/components/<name>.cfg.lua) and disables with C(enabled = false) inside the file.
    type: str
    required: true
    # BEGIN generated from FILE_TIERS in plugins/module_utils/tiers/table.py (make generate)
    choices: [debian, enterprise]
    # END generated
  roots:
    description: Override the tier's root directories by name (see M(xmpp.prosody.layout)).
    type: dict
    default: {}
  prune:
    description:
      - Remove files of this kind that this module wrote earlier but that are not declared now.
      - Files the module did not write (no marker line) are never touched.
    type: bool
    default: false
  validate:
    description:
      - Run C(prosodyctl --config <config> check config) after writing. When Prosody refuses the
        configuration, every file is put back as it was and the task fails with Prosody's message.
    type: bool
    default: true
  config:
    description: Main configuration file to validate; defaults to the tier's.
    type: path
  group:
    description: The group Prosody runs as; the written files are C(root) and this group's, mode C(0640).
    type: str
    default: prosody
notes:
  - Names are validated and lowercased as Prosody does; quotes, slashes, spaces, empty labels,
    over-long labels and internationalized names (Unicode or C(xn--)) are refused before anything is read or written.
  - Every value goes through the collection's Lua serializer; option names must match C(^[a-z_][a-z0-9_]*$) and
    not be a Lua reserved word, a function of the config file (C(include)) or an internal name (C(__currenthost)).
  - A file this module did not write is never overwritten; a name that is already the other kind
    (VirtualHost or Component) is refused.
  - Check mode computes exactly the changes a real run would make, without validating.
"""
