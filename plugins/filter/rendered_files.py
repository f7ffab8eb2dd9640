# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: rendered_files
short_description: A tier's templated files with their content, for xmpp.prosody.config
version_added: 0.1.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - Pairs each file of a tier record (M(xmpp.prosody.tier#filter)) that comes from a template with its
    rendered content, as items of the C(files) option of M(xmpp.prosody.config) - path, content, owner,
    group, mode and what a change needs (C(effect)).
positional: _input, contents
options:
  _input:
    description: The tier record.
    type: dict
    required: true
  contents:
    description: The rendered templates, in the record's order of templated files.
    type: list
    elements: str
    required: true
seealso:
  - module: xmpp.prosody.config
  - plugin: xmpp.prosody.tier
    plugin_type: filter
"""

EXAMPLES = r"""
- name: Write the tier's scripts and reference files with its configuration
  xmpp.prosody.config:
    tier: enterprise
    files: "{{ record | xmpp.prosody.rendered_files(query('ansible.builtin.template', *templates)) }}"
  vars:
    record: "{{ 'enterprise' | xmpp.prosody.tier }}"
    templates: "{{ record.files | selectattr('writer', 'eq', 'role') | map(attribute='template') }}"
"""

RETURN = r"""
_value:
  description: Items with C(path), C(content), C(owner), C(group), C(mode) and C(effect).
  type: list
  elements: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.xmpp.prosody.plugins.module_utils._errors import ProsodyError
from ansible_collections.xmpp.prosody.plugins.module_utils._role_view import rendered_files


def rendered_files_filter(record, contents):
    try:
        return rendered_files(record, list(contents))
    except ProsodyError as exc:
        raise AnsibleFilterError("xmpp.prosody.rendered_files: %s" % exc, orig_exc=exc) from exc


class FilterModule:
    """Templated files filter."""

    def filters(self):
        return {"rendered_files": rendered_files_filter}
