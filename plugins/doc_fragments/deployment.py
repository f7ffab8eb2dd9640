# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """Options of the modules that act on a deployment of a tier the roles deploy."""

    DOCUMENTATION = r"""
options:
  tier:
    description: The layout tier; its record says where the configuration and the deployment record are.
    type: str
    required: true
    # BEGIN generated from ROLE_TIERS in plugins/module_utils/tiers/table.py (make generate)
    choices: [debian, docker, enterprise, minimal]
    # END generated
  roots:
    description: Override the tier's root directories by name (see M(xmpp.prosody.layout)).
    type: dict
    default: {}
"""
