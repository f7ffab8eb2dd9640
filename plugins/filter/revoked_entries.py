# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: revoked_entries
short_description: The revoked certificates of a central CA as community.crypto.x509_crl takes them
version_added: 0.1.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - Turns the paths of revoked certificate files into C(revoked_certificates) items, C({path}) each,
    sorted by path, so that the revocation list is the same whatever order the files were found in.
deprecated:
  removed_in: 1.0.0
  why: The central CA keeps its revocation list itself; the roles no longer use this filter.
  alternative: M(xmpp.prosody.central_ca)
positional: _input
options:
  _input:
    description: Paths of the revoked certificates' files.
    type: list
    elements: str
    required: true
seealso:
  - module: xmpp.prosody.central_ca
  - module: community.crypto.x509_crl
"""

EXAMPLES = r"""
- name: Items of the revocation list
  ansible.builtin.debug:
    msg: "{{ ['/srv/ca/revoked/b/cert.pem', '/srv/ca/revoked/a/cert.pem'] | xmpp.prosody.revoked_entries }}"
  # [{"path": "/srv/ca/revoked/a/cert.pem"}, {"path": "/srv/ca/revoked/b/cert.pem"}]
"""

RETURN = r"""
_value:
  description: Items, each C({path}).
  type: list
  elements: dict
"""


def revoked_entries(paths):
    return [{"path": path} for path in sorted(paths)]


class FilterModule:
    """Central CA revocation filter."""

    def filters(self):
        return {"revoked_entries": revoked_entries}
