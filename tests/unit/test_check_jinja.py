# SPDX-License-Identifier: GPL-3.0-or-later
"""The Jinja checker of make lint finds long expressions (also bare conditions) and tier tests."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("check_jinja", ROOT / "tools" / "check_jinja.py")
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)
LONG = " + ".join(["prosody_admins"] * 10)


def test_long_expressions_and_tier_tests_are_found(tmp_path):
    tasks = tmp_path / "tasks.yml"
    tasks.write_text(
        '- name: A\n  ansible.builtin.debug:\n    msg: "{{ %s }}"\n'
        "- name: B\n  ansible.builtin.debug: {msg: ok}\n  when: %s\n"
        "- name: C\n  ansible.builtin.debug: {msg: ok}\n  when: prosody_tier == 'enterprise'\n"
        "- name: D\n  ansible.builtin.debug: {msg: ok}\n  when: x is defined\n"
        "- name: E\n  ansible.builtin.debug: {msg: ok}\n  when: __tier.service == 'container'\n" % (LONG, LONG)
    )
    template = tmp_path / "file.j2"
    template.write_text("{%% if %s %%}x{%% endif %%}\n{{ short }}\n" % LONG)
    found = check.problems(tasks) + check.problems(template)
    assert len([p for p in found if "a Jinja expression of 1" in p and "(at most 120)" in p]) == 3
    assert any(p.endswith("when: prosody_tier == 'enterprise'") for p in found)
    assert any(p.endswith("when: x is defined") for p in found)
    assert any(p.endswith("when: __tier.service == 'container'") for p in found)
    assert len(found) == 6


def test_the_roles_and_playbooks_pass():
    assert check.main([str(ROOT / "roles"), str(ROOT / "playbooks")]) == 0
