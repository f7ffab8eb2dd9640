# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """Options of the modules that find the deployment through the record the roles keep on the host."""

    DOCUMENTATION = r"""
options:
  tier:
    description:
      - The layout tier of the deployment.
      - Read from the deployment record that the roles keep on the host when left out; when given,
        it must agree with the record.
    type: str
  roots:
    description: The tier's roots, when they differ from the defaults. Read from the deployment record when left out.
    type: dict
  repository:
    description:
      - The backup repository, a directory on the host.
      - Default is the tier's C(backups) path (see P(xmpp.prosody.tier#filter)).
    type: path
"""
