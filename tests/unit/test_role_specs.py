# SPDX-License-Identifier: GPL-3.0-or-later
"""The tier roles' argument specs are generated from the engine's: they must not drift."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("sync_role_specs", ROOT / "tools" / "sync_role_specs.py")
sync = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sync)


def test_tier_specs_are_in_sync():
    assert sync.main(["--check"]) == 0


def test_tier_spec_has_every_engine_option_but_the_tier():
    engine = yaml.safe_load((ROOT / "roles/prosody/meta/argument_specs.yml").read_text())
    engine_options = set(engine["argument_specs"]["main"]["options"])
    for tier in sync.TIERS:
        tier_spec = yaml.safe_load((ROOT / "roles" / tier / "meta/argument_specs.yml").read_text())
        assert set(tier_spec["argument_specs"]["main"]["options"]) == engine_options - {"prosody_tier"}


def test_engine_defaults_match_the_spec():
    engine = yaml.safe_load((ROOT / "roles/prosody/meta/argument_specs.yml").read_text())["argument_specs"]["main"]
    defaults = yaml.safe_load((ROOT / "roles/prosody/defaults/main.yml").read_text())
    for name, option in engine["options"].items():
        if "default" in option:
            assert defaults[name] == option["default"], name
        else:
            assert name not in defaults, name
