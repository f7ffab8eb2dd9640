# SPDX-License-Identifier: GPL-3.0-or-later
"""A plugin's documentation as ansible-doc shows it: its DOCUMENTATION with its doc fragments merged in."""

from __future__ import annotations

import copy
import importlib

import yaml


def with_fragments(doc: dict) -> dict:
    """Merge each fragment's options as Ansible does: per option, the plugin's own keys win over the
    fragment's (a module says what a list means to it; the fragment brings the fields of its items)."""
    doc = copy.deepcopy(doc)
    for fragment in doc.get("extends_documentation_fragment") or []:
        name, _dot, part = fragment.removeprefix("xmpp.prosody.").partition(".")
        imported = importlib.import_module("ansible_collections.xmpp.prosody.plugins.doc_fragments." + name)
        extra = yaml.safe_load(getattr(imported.ModuleDocFragment, (part or "documentation").upper()))
        options = doc.setdefault("options", {})
        for key, value in (extra.get("options") or {}).items():
            options[key] = dict(value, **options[key]) if key in options else value
    return doc
