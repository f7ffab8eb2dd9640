# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """The container of a tier that runs Prosody in one (docker), for the modules that talk to Prosody."""

    DOCUMENTATION = r"""
options:
  container:
    description:
      - Tiers that run Prosody in a container (docker); required there, ignored elsewhere.
      - Admin commands run with C(docker exec) in the running container; a new configuration is checked
        in a throwaway container of O(container.image) with the same mounts and no network.
    type: dict
    suboptions:
      name:
        description: Name of the running container.
        type: str
        required: true
      image:
        description: The image the container runs; required where a configuration is checked (M(xmpp.prosody.config)).
        type: str
      user:
        description: C(uid:gid) Prosody runs as in the container.
        type: str
        required: true
"""
