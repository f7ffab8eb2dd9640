# SPDX-License-Identifier: GPL-3.0-or-later
"""One name, one type, one meaning: every module's options against the vocabulary table (_deployment.py)."""

from __future__ import annotations

import collections
import importlib
from pathlib import Path

import pytest

from ansible_collections.xmpp.prosody.plugins.module_utils._deployment import VOCABULARY, deployment_spec

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted(p.stem for p in (ROOT / "plugins/modules").glob("*.py"))
# an option in its former form for a while, with the release it goes in
TRANSITIONS = {("restore", "container"): "1.0.0"}


def argument_spec(name: str) -> dict:
    module = importlib.import_module("ansible_collections.xmpp.prosody.plugins.modules." + name)
    captured = {}

    def capture(argument_spec, **_kwargs):
        captured.update(argument_spec)
        raise SystemExit

    original, module.AnsibleModule = module.AnsibleModule, capture
    try:
        with pytest.raises(SystemExit):
            module.main()
    finally:
        module.AnsibleModule = original
    return captured


SPECS = {name: argument_spec(name) for name in MODULES}


@pytest.mark.parametrize("module", MODULES)
def test_every_shared_option_has_the_tables_type(module):
    for option, spec in SPECS[module].items():
        if option not in VOCABULARY or (module, option) in TRANSITIONS:
            continue
        kind, elements, _meaning = VOCABULARY[option]
        assert (spec.get("type", "str"), spec.get("elements")) == (kind, elements), (module, option)


def test_every_name_two_modules_take_is_in_the_table():
    users = collections.Counter(option for spec in SPECS.values() for option in spec)
    assert sorted(name for name, count in users.items() if count > 1 and name not in VOCABULARY) == []


def test_the_options_that_name_a_deployment_come_from_one_place():
    for module, spec in SPECS.items():
        if "tier" in spec and "roots" in spec and spec["roots"].get("default") == {}:
            shared = deployment_spec(spec["tier"]["choices"], container="container" in spec)
            assert {k: spec[k] for k in shared} == shared, module
