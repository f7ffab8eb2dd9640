# SPDX-License-Identifier: GPL-3.0-or-later
"""xmpp.prosody.workspace: refuses root and missing packages before anything changes; writes the
tree and files once, keeps starter files that exist, restores managed ones, rolls back a refused config."""

from __future__ import annotations

import grp
import os
import pwd

import pytest

from ansible_collections.xmpp.prosody.plugins.module_utils import _community
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS
from ansible_collections.xmpp.prosody.plugins.modules import workspace

PACKAGES = "\n".join(TIERS["dev"].packages)
TEMPLATES = {f.key: "# %s\n" % f.key for f in TIERS["dev"].files if f.writer in ("dev", "starter")}


@pytest.fixture
def developer(tmp_path, monkeypatch):
    """The module runs as an ordinary user whose home is tmp_path (here: the current account's ids)."""
    me = pwd.getpwuid(os.geteuid()).pw_name, grp.getgrgid(os.getegid()).gr_name
    monkeypatch.setattr(workspace, "_developer", lambda: (*me, str(tmp_path)))
    return tmp_path / "prosody-dev"


def args(**given):
    return dict({"templates": TEMPLATES}, **given)


def test_root_is_refused(tmp_path, run_main, monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    failed, result = run_main(workspace, args(roots={"root": str(tmp_path / "w")}))
    assert failed
    assert "not as root" in result["msg"]
    assert not (tmp_path / "w").exists()


def test_missing_packages_are_named_before_anything_changes(developer, run_main, commands):
    commands.set("installed", "prosody")
    failed, result = run_main(workspace, args())
    assert failed
    assert "packages: lua-busted, lua-check, python3-slixmpp, python3-cryptography not installed" in result["msg"]
    assert not developer.exists()


def test_check_mode_before_the_packages_warns_and_predicts(developer, run_main, commands):
    commands.set("installed", "")
    failed, result = run_main(workspace, args(), check=True)
    assert not failed, result
    assert result["changed"]
    assert result["missing"] == list(TIERS["dev"].packages)
    assert not developer.exists()


def test_a_workspace_is_written_once_and_checked(developer, run_main, commands):
    commands.set("installed", PACKAGES)
    failed, first = run_main(workspace, args(), diff=True)
    assert not failed, first
    assert first["changed"]
    assert first["validated"]
    assert first["vhosts"] == [{"name": "localhost"}]
    checks = [c for c in commands.calls if "check config" in c]
    assert [c.split()[2].rsplit("/", 1)[1] for c in checks] == ["development.cfg.lua", "testing.cfg.lua"]
    assert "alice-fixture" not in str(first["diff"])  # fixture passwords are masked
    assert (developer / "tools/run-tests.sh").read_text() == "# run_tests\n"
    assert oct((developer / "tools/run-tests.sh").stat().st_mode & 0o777) == "0o755"
    assert "c2s_ports = { 15222 }" in (developer / "config/development.cfg.lua").read_text()
    assert run_main(workspace, args())[1]["changed"] is False

    (developer / "src/modules/mod_hello.lua").write_text("-- mine\n")  # a starter file is the developer's
    (developer / "tools/run-tests.sh").write_text("# edited\n")  # a managed one is put back
    again = run_main(workspace, args())[1]
    assert [c["path"] for c in again["changes"]] == [str(developer / "tools/run-tests.sh")]
    assert (developer / "src/modules/mod_hello.lua").read_text() == "-- mine\n"


def test_check_mode_writes_nothing(developer, run_main, commands):
    commands.set("installed", PACKAGES)
    failed, result = run_main(workspace, args(), check=True)
    assert not failed
    assert result["changed"]
    assert not developer.exists()


def test_a_refused_config_puts_every_file_back(developer, run_main, commands):
    commands.set("installed", PACKAGES)
    run_main(workspace, args())
    before = (developer / "config/development.cfg.lua").read_text()
    commands.set("check-rc", 1)
    failed, result = run_main(workspace, args(settings={"motd_text": "new"}))
    assert failed
    assert "prosodyctl check config refused" in result["msg"]
    assert (developer / "config/development.cfg.lua").read_text() == before


def test_templates_must_be_the_tiers(developer, run_main, commands):
    commands.set("installed", PACKAGES)
    failed, result = run_main(workspace, args(templates=dict(TEMPLATES, nope="x")))
    assert failed
    assert "templates: nope is not a file of the dev tier" in result["msg"]
    assert not developer.exists()


@pytest.fixture
def prosody_modules(tmp_path, monkeypatch):
    """Prosody's module directory holding prosody-modules' cloud_notify; the release ships none of it."""
    system = tmp_path / "usr-lib-prosody-modules"
    (system / "mod_cloud_notify").mkdir(parents=True)
    (system / "mod_cloud_notify" / "mod_cloud_notify.lua").write_text("-- push\n")
    monkeypatch.setattr(_community, "BUNDLED_LIST", str(tmp_path / "no-prosody.list"))
    read_directory = _community.read_directory
    monkeypatch.setattr(
        _community,
        "read_directory",
        lambda base, name: read_directory(str(system) if base == _community.SYSTEM else base, name),
    )


def test_community_modules_are_copied_as_the_developer_and_loaded(developer, run_main, commands, prosody_modules):
    commands.set("installed", PACKAGES)
    failed, result = run_main(workspace, args(community=[{"name": "cloud_notify"}]))
    assert failed  # from prosody-modules, which is not installed: named before anything changes
    assert "packages: prosody-modules not installed" in result["msg"]
    assert not developer.exists()

    commands.set("installed", PACKAGES + "\nprosody-modules")
    failed, first = run_main(workspace, args(community=[{"name": "cloud_notify"}]), diff=True)
    assert not failed, first
    assert first["community"][0]["action"] == "copy"
    copied = developer / "community" / "mod_cloud_notify" / "mod_cloud_notify.lua"
    assert copied.read_text() == "-- push\n"
    assert first["diff"][-1]["after"].startswith(str(developer / "community" / "mod_cloud_notify"))
    for name in ("development", "testing", "production"):
        assert '"cloud_notify";' in (developer / "config" / ("%s.cfg.lua" % name)).read_text()
    failed, again = run_main(workspace, args(community=[{"name": "cloud_notify"}]))
    assert (failed, again["changed"], again["community"][0]["action"]) == (False, False, "keep")


def test_a_misspelled_community_module_changes_nothing(developer, run_main, commands, prosody_modules):
    commands.set("installed", PACKAGES + "\nprosody-modules")
    failed, result = run_main(workspace, args(community=[{"name": "cloud_notifyy"}]))
    assert failed
    assert "community[0].name: no module cloud_notifyy" in result["msg"]
    assert not developer.exists()


def test_a_refused_config_copies_no_community_module(developer, run_main, commands, prosody_modules):
    commands.set("installed", PACKAGES + "\nprosody-modules")
    commands.set("check-rc", 1)
    failed, result = run_main(workspace, args(community=[{"name": "cloud_notify"}]))
    assert failed
    assert "c2s_ports is misplaced" in result["msg"]
    assert not (developer / "community" / "mod_cloud_notify").exists()
