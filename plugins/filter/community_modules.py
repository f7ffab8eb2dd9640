# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: community_modules
short_description: The roles' community modules as xmpp.prosody.community takes them, with what they need
version_added: 0.2.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - Turns C(prosody_community_modules) (names, or dicts with C(name), C(source), C(checksum), C(enabled)) into
    the items of M(xmpp.prosody.community), the packages they need (C(prosody-modules) when a module comes
    from it), and the names every host loads.
positional: _input
options:
  _input:
    description: The modules, each a name or a dict.
    type: list
    elements: raw
    required: true
seealso:
  - module: xmpp.prosody.community
"""

EXAMPLES = r"""
- name: What push notifications need
  ansible.builtin.debug:
    msg: "{{ ['cloud_notify'] | xmpp.prosody.community_modules }}"
  # {"items": [{"name": "cloud_notify", "source": null, "checksum": null, "enabled": true}],
  #  "packages": ["prosody-modules"], "enabled": ["cloud_notify"]}
"""

RETURN = r"""
_value:
  description: C(items) for M(xmpp.prosody.community), C(packages) to install, C(enabled) module names.
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.xmpp.prosody.plugins.module_utils._community import CommunityError, normalize, requirements


def community_modules(items):
    try:
        items = normalize(items, "prosody_community_modules")
        return dict(requirements(items), items=items)
    except CommunityError as exc:
        raise AnsibleFilterError(str(exc)) from exc


class FilterModule:
    """Community modules filter."""

    def filters(self):
        return {"community_modules": community_modules}
