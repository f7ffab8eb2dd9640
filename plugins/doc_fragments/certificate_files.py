# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """Where and as whom the modules that write certificates and keys write them (literal text)."""

    DOCUMENTATION = r"""
options:
  tier:
    description: Layout tier whose certificate convention is used.
    type: str
    required: true
  roots:
    description: Override the tier's root directories by name (see M(xmpp.prosody.layout)).
    type: dict
    default: {}
  user:
    description: The account Prosody runs as (owner of the files on tiers that give them to it).
    type: str
    default: prosody
  group:
    description: Group of the files; Prosody's group, so it can read the key.
    type: str
    default: prosody
"""
