# SPDX-License-Identifier: GPL-3.0-or-later
"""xmpp.prosody.community on a host tier: copies from the package's directory, keeps, marks the restart in
the deployment record before writing, uses a module the release ships, refuses a wrong pin."""

from __future__ import annotations

import json

import pytest

from ansible_collections.xmpp.prosody.plugins.module_utils import _community
from ansible_collections.xmpp.prosody.plugins.modules import community


@pytest.fixture
def system(tmp_path, monkeypatch, commands, record):
    """Prosody's module directory with prosody-modules' cloud_notify, and the prosody package's file list."""
    modules = tmp_path / "usr-lib-prosody-modules"
    (modules / "mod_cloud_notify").mkdir(parents=True)
    (modules / "mod_cloud_notify" / "mod_cloud_notify.lua").write_text("-- push\n")
    listing = tmp_path / "prosody.list"
    listing.write_text("%s/mod_mam/mod_mam.lua\n" % _community.SYSTEM)
    monkeypatch.setattr(_community, "BUNDLED_LIST", str(listing))
    monkeypatch.setattr(community._community, "BUNDLED_LIST", str(listing))
    read_directory = _community.read_directory
    monkeypatch.setattr(
        _community,
        "read_directory",
        lambda base, name: read_directory(str(modules) if base == _community.SYSTEM else base, name),
    )
    commands.set("installed", "prosody\nprosody-modules")
    return {"modules": modules, "listing": listing, "record": record}


def args(tmp_path, modules, name="community"):
    return {"tier": "minimal", "roots": {"root": str(tmp_path / "prosody")}, name: modules}


def test_a_module_is_copied_once_and_the_restart_recorded_first(tmp_path, system, run_main):
    system["record"].parent.mkdir()
    system["record"].write_text(json.dumps({"format": 1, "pending": {}, "vhosts": [], "components": []}))
    failed, first = run_main(community, args(tmp_path, [{"name": "cloud_notify"}]), diff=True)
    assert not failed, first
    assert (first["changed"], first["restart"]) == (True, True)
    assert first["modules"][0]["action"] == "copy"
    copied = tmp_path / "prosody" / "modules" / "mod_cloud_notify" / "mod_cloud_notify.lua"
    assert copied.read_text() == "-- push\n"
    assert json.loads(system["record"].read_text())["pending"]["restart"] is True
    assert first["modules"][0]["digest"] in first["diff"]["after"]
    failed, again = run_main(community, args(tmp_path, [{"name": "cloud_notify"}]))
    assert (failed, again["changed"], again["modules"][0]["action"]) == (False, False, "keep")


def test_check_mode_predicts_without_writing(tmp_path, system, run_main):
    failed, result = run_main(community, args(tmp_path, [{"name": "cloud_notify"}]), check=True)
    assert (failed, result["changed"]) == (False, True)
    assert not (tmp_path / "prosody" / "modules").exists()


def test_a_module_the_release_ships_is_not_copied(tmp_path, system, run_main):
    system["listing"].write_text("%s/mod_cloud_notify.lua\n" % _community.SYSTEM)
    failed, result = run_main(community, args(tmp_path, [{"name": "cloud_notify"}]))
    assert (failed, result["changed"], result["modules"][0]["action"]) == (False, False, "bundled")


def test_a_wrong_pin_is_refused_before_anything_changes(tmp_path, system, run_main):
    pinned = {"name": "cloud_notify", "source": str(system["modules"]), "checksum": "sha256:" + "0" * 64}
    failed, result = run_main(community, args(tmp_path, [pinned]))
    assert failed
    assert "community[0].checksum: cloud_notify from %s has the digest sha256:" % system["modules"] in result["msg"]
    assert not (tmp_path / "prosody" / "modules").exists()


def test_an_unknown_module_names_the_installed_versions(tmp_path, system, run_main):
    failed, result = run_main(community, args(tmp_path, [{"name": "cloud_notifyy"}]))
    assert failed
    assert "community[0].name: no module cloud_notifyy in Prosody 1.0-test or prosody-modules 1.0-test" in result["msg"]


def test_a_package_not_installed_is_named_so(tmp_path, system, commands, run_main):
    commands.set("installed", "prosody")
    failed, result = run_main(community, args(tmp_path, [{"name": "cloud_notifyy"}]))
    assert failed
    assert "in Prosody 1.0-test or prosody-modules (not installed)" in result["msg"]


def test_the_former_option_name_still_works_and_is_deprecated(tmp_path, system, run_main, monkeypatch):
    failed, result = run_main(community, args(tmp_path, [{"name": "cloud_notify"}], name="modules"))
    assert not failed, result
    assert result["modules"][0]["action"] == "copy"
    # Ansible reports the deprecation (in the result, or on the controller's display when run there)
    spec = {}

    def capture(argument_spec, **_kwargs):
        spec.update(argument_spec)
        raise SystemExit

    monkeypatch.setattr(community, "AnsibleModule", capture)
    with pytest.raises(SystemExit):
        community.main()
    assert spec["community"]["aliases"] == ["modules"]
    assert spec["community"]["deprecated_aliases"] == [
        {"name": "modules", "version": "1.0.0", "collection_name": "xmpp.prosody"}
    ]
