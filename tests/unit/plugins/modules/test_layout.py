# SPDX-License-Identifier: GPL-3.0-or-later
"""The layout module on a real directory tree (as the current user, so no root is needed)."""

from __future__ import annotations

import grp
import os
import pwd
import re
import stat
import time
from pathlib import Path

import pytest

from ansible_collections.xmpp.prosody.plugins.module_utils._errors import LayoutError
from ansible_collections.xmpp.prosody.plugins.module_utils._hosts import HostNameError
from ansible_collections.xmpp.prosody.plugins.module_utils._layout import plan
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS
from ansible_collections.xmpp.prosody.plugins.modules import layout

ME = pwd.getpwuid(os.getuid()).pw_name
MY_GROUP = grp.getgrgid(os.getgid()).gr_name


DPKG = {}


class FakeModule:
    def __init__(self, check_mode=False, diff=True, **params):
        self.params = {
            "roots": {},
            "vhosts": [],
            "user": ME,
            "group": MY_GROUP,
            "prune": False,
            "purge": [],
        }
        self.params.update(params)
        self.check_mode = check_mode
        self._diff = diff
        self.warnings = []
        self.overrides = DPKG.setdefault(self.params["roots"].get("config"), {})  # stands in for dpkg's database

    def get_bin_path(self, name, required=False):
        return name

    def run_command(self, argv, check_rc=False):
        if argv[1] == "--list":
            return (
                (0 if self.overrides else 1),
                "".join("%s %s %s %s\n" % (*v, k) for k, v in self.overrides.items()),
                "",
            )
        if argv[1] == "--add":
            self.overrides[argv[5]] = tuple(argv[2:5])
        elif argv[1] == "--remove":
            del self.overrides[argv[2]]
        return 0, "", ""

    def warn(self, message):
        self.warnings.append(message)


def run(tmp_path, tier="minimal", check_mode=False, hosts=(), **params):
    roots = {name: str(tmp_path / name) for name in TIERS[tier].roots}
    vhosts = [{"name": name} for name in hosts]
    return layout.run_module(FakeModule(check_mode=check_mode, tier=tier, roots=roots, vhosts=vhosts, **params))


def snapshot(root):
    return sorted(
        (path, oct(os.lstat(path).st_mode))
        for base, dirs, files in os.walk(root)
        for path in [base] + [os.path.join(base, f) for f in files]
    )


@pytest.mark.parametrize("tier", sorted(TIERS))
def test_every_tier_is_created_then_unchanged(tmp_path, tier):
    hosts = ["a.example", "b.example"]
    first = run(tmp_path, tier, hosts=hosts)
    assert first["changed"]
    assert first["entries"] == len(first["changes"])
    assert all(change["action"] == "create" for change in first["changes"])
    second = run(tmp_path, tier, hosts=hosts)
    assert second["changed"] is False
    assert second["changes"] == []
    for change in first["changes"]:
        if "target" in change["after"]:
            assert os.readlink(change["path"]) == change["after"]["target"]
        else:
            assert "%04o" % stat.S_IMODE(os.lstat(change["path"]).st_mode) == change["after"]["mode"]


def test_check_mode_predicts_and_touches_nothing(tmp_path):
    predicted = run(tmp_path, "enterprise", check_mode=True, hosts=["t.example"])
    assert predicted["changed"]
    assert not os.listdir(tmp_path)
    real = run(tmp_path, "enterprise", hosts=["t.example"])
    assert [c["path"] for c in predicted["changes"]] == [c["path"] for c in real["changes"]]


def test_drift_is_repaired_and_reported(tmp_path):
    run(tmp_path)
    data = tmp_path / "root" / "data"
    os.chmod(data, 0o777)
    result = run(tmp_path)
    assert result["changes"] == [
        {
            "path": str(data),
            "action": "repair",
            "before": {"owner": ME, "group": MY_GROUP, "mode": "0777"},
            "after": {"owner": ME, "group": MY_GROUP, "mode": "0750"},
        }
    ]
    assert stat.S_IMODE(os.lstat(data).st_mode) == 0o750
    assert "0777" in result["diff"]["before"]
    assert "0750" in result["diff"]["after"]


def test_drift_in_check_mode_is_reported_not_repaired(tmp_path):
    run(tmp_path)
    data = tmp_path / "root" / "data"
    os.chmod(data, 0o777)
    assert run(tmp_path, check_mode=True)["changed"] is True
    assert stat.S_IMODE(os.lstat(data).st_mode) == 0o777


def test_existing_file_content_is_kept(tmp_path):
    run(tmp_path)
    log = tmp_path / "root" / "prosody.log"
    log.write_text("keep me")
    os.chmod(log, 0o644)
    run(tmp_path)
    assert log.read_text() == "keep me"
    assert stat.S_IMODE(os.lstat(log).st_mode) == 0o640


def test_symlinked_entry_is_refused_before_any_change(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "root"
    root.mkdir()
    os.symlink(outside, root / "data")
    os.chmod(root, 0o700)
    with pytest.raises(LayoutError, match=r"is a symlink .*refusing to follow"):
        run(tmp_path)
    assert stat.S_IMODE(os.lstat(root).st_mode) == 0o700  # nothing was changed
    assert os.listdir(outside) == []


def test_symlinked_parent_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "root"
    root.mkdir()
    os.symlink(outside, root / "data")
    hosts_roots = {"root": str(root)}
    with pytest.raises(LayoutError, match="symlink"):
        layout.run_module(FakeModule(tier="enterprise", roots=hosts_roots, vhosts=[{"name": "x.example"}]))
    assert os.listdir(outside) == []


def test_wrong_kind_is_refused(tmp_path):
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "data").write_text("a file where a directory belongs")
    with pytest.raises(LayoutError, match="exists but is not a directory"):
        run(tmp_path)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"tier": "nope"}, "tier: 'nope' is unknown; valid tiers: debian, dev, docker, enterprise, minimal"),
        (
            {"tier": "minimal", "roots": {"config": "/x"}},
            "roots: 'config' not a root of tier 'minimal'; valid roots: root",
        ),
        ({"tier": "minimal", "roots": {"root": "relative"}}, "roots.root: 'relative' must be an absolute path"),
        ({"tier": "minimal", "roots": {"root": "/"}}, "roots.root: '/' is a system directory or holds one"),
        ({"tier": "enterprise", "hosts": ["../etc"]}, "hosts[0]: '../etc' is not a valid domain name"),
        ({"tier": "enterprise", "hosts": ["ok.example", "a/b"]}, "hosts[1]: 'a/b' has an invalid label"),
    ],
)
def test_bad_requests_name_the_field(kwargs, message):
    with pytest.raises((LayoutError, HostNameError)) as excinfo:
        plan(kwargs["tier"], kwargs.get("roots"), kwargs.get("hosts", ()))
    assert message in str(excinfo.value)


def test_unknown_user_fails_for_real_and_warns_in_check_mode(tmp_path):
    with pytest.raises(LayoutError, match="user 'no-such-user-xyz' does not exist on this host; install Prosody first"):
        run(tmp_path, user="no-such-user-xyz")
    assert not os.listdir(tmp_path)
    result = run(tmp_path, check_mode=True, user="no-such-user-xyz")
    assert result["changed"]
    assert not os.listdir(tmp_path)


def test_new_entries_are_never_more_open_than_wanted(tmp_path, monkeypatch):
    seen = []
    real_chmod = os.chmod

    def spy(path, mode, *args, **kwargs):
        seen.append(stat.S_IMODE(os.lstat(path).st_mode))
        return real_chmod(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "chmod", spy)
    run(tmp_path)
    assert seen
    assert all(mode & 0o077 == 0 for mode in seen)


def test_enterprise_with_1000_hosts_is_one_fast_call(tmp_path):
    hosts = ["tenant%d.example.com" % i for i in range(1000)]
    start = time.monotonic()
    first = run(tmp_path, "enterprise", hosts=hosts)
    created = time.monotonic() - start
    start = time.monotonic()
    second = run(tmp_path, "enterprise", hosts=hosts)
    unchanged = time.monotonic() - start
    assert first["entries"] == 6032
    assert len(first["changes"]) == 6032
    assert not second["changed"]
    print("\nlayout enterprise 1000 hosts: create %.2fs, unchanged %.2fs" % (created, unchanged))


def test_debian_directories_get_statoverrides_once(tmp_path):
    roots = {name: str(tmp_path / name) for name in TIERS["debian"].roots}
    module = FakeModule(tier="debian", roots=roots)
    first = layout.run_module(module)
    assert {o["path"] for o in first["statoverrides"]} == {
        str(tmp_path / "config"),
        str(tmp_path / "config/conf.avail"),
        str(tmp_path / "config/conf.d"),
        str(tmp_path / "config/certs"),
        str(tmp_path / "config/certs/.ca"),
        str(tmp_path / "data"),
        str(tmp_path / "log"),
    }
    assert module.overrides[str(tmp_path / "log")] == (ME, "adm", "0750")
    module.overrides[str(tmp_path / "data")] = ("root", "root", "0755")  # someone changed it
    second = layout.run_module(module)
    assert [o["path"] for o in second["statoverrides"]] == [str(tmp_path / "data")]
    assert second["changed"] is True
    assert layout.run_module(module)["changed"] is False


def test_other_tiers_do_not_touch_dpkg(tmp_path):
    assert run(tmp_path, "minimal")["statoverrides"] == []


def test_enterprise_tenant_data_is_linked_where_prosody_looks(tmp_path):
    run(tmp_path, "enterprise", hosts=["t.example", "b-cher.example"])
    data = tmp_path / "root" / "data"
    assert os.readlink(data / "global" / "t%2eexample") == "../hosts/t.example"
    assert os.readlink(data / "global" / "upload%2et%2eexample") == "../uploads/t.example"
    assert os.readlink(data / "global" / "b%2dcher%2eexample") == "../hosts/b-cher.example"
    (data / "global" / "t%2eexample" / "accounts").mkdir()  # Prosody writing through the link
    assert (data / "hosts" / "t.example" / "accounts").is_dir()


def test_wrong_link_target_is_repaired(tmp_path):
    run(tmp_path, "enterprise", hosts=["t.example"])
    link = tmp_path / "root" / "data" / "global" / "t%2eexample"
    os.unlink(link)
    os.symlink("../uploads/t.example", link)
    result = run(tmp_path, "enterprise", hosts=["t.example"])
    assert [(c["path"], c["before"]["target"], c["after"]["target"]) for c in result["changes"]] == [
        (str(link), "../uploads/t.example", "../hosts/t.example")
    ]
    assert os.readlink(link) == "../hosts/t.example"


def test_real_directory_where_the_tenant_link_belongs_is_refused(tmp_path):
    run(tmp_path, "enterprise", hosts=["t.example"])
    (tmp_path / "root" / "data" / "global" / "new%2eexample" / "accounts").mkdir(parents=True)
    with pytest.raises(
        LayoutError, match=r"new%2eexample: is a real directory where the link to \.\./hosts/new\.example"
    ):
        run(tmp_path, "enterprise", hosts=["t.example", "new.example"])
    assert not (tmp_path / "root" / "data" / "hosts" / "new.example").exists()


def test_removed_tenant_is_archived_not_deleted(tmp_path):
    hosts = ["keep.example", "gone.example"]
    run(tmp_path, "enterprise", hosts=hosts)
    root = tmp_path / "root"
    (root / "data/global/gone%2eexample/accounts").mkdir()  # written through the link, as Prosody does
    (root / "data/global/gone%2eexample/accounts/alice.dat").write_text("return {}")
    (root / "data/global/upload%2egone%2eexample").joinpath("f.bin").write_text("upload")
    (root / "certs/domains/upload.keep.example").mkdir()  # a component's certificate directory is no tenant
    predicted = run(tmp_path, "enterprise", check_mode=True, hosts=["keep.example"], prune=True)
    assert [a["host"] for a in predicted["archived"]] == ["gone.example"]
    assert (root / "data/hosts/gone.example").exists()
    result = run(tmp_path, "enterprise", hosts=["keep.example"], prune=True)
    archived = result["archived"][0]
    assert archived["host"] == "gone.example"
    assert (Path(archived["archive"]) / "data/hosts/gone.example/accounts/alice.dat").read_text() == "return {}"
    assert (Path(archived["archive"]) / "data/uploads/gone.example/f.bin").read_text() == "upload"
    assert not os.path.lexists(root / "data/global/gone%2eexample")
    assert not (root / "data/hosts/gone.example").exists()
    assert (root / "data/hosts/keep.example").is_dir()
    assert os.readlink(root / "data/global/upload%2ekeep%2eexample") == "../uploads/keep.example"
    assert run(tmp_path, "enterprise", hosts=["keep.example"], prune=True)["changed"] is False


def test_purge_deletes_only_the_named_hosts_archives(tmp_path):
    run(tmp_path, "enterprise", hosts=["keep.example", "gone.example", "gone.example-shop.example"])
    root = tmp_path / "root"
    (root / "data/hosts/gone.example/alice.dat").write_text("return {}")
    archived = run(tmp_path, "enterprise", hosts=["keep.example"], prune=True)["archived"]
    assert sorted(a["host"] for a in archived) == ["gone.example", "gone.example-shop.example"]
    gone = next(a["archive"] for a in archived if a["host"] == "gone.example")
    predicted = run(tmp_path, "enterprise", check_mode=True, hosts=["keep.example"], purge=["Gone.example"])
    assert predicted["purged"] == [gone]
    assert predicted["changed"]
    assert Path(gone).is_dir()
    result = run(tmp_path, "enterprise", hosts=["keep.example"], purge=["gone.example"])
    assert result["purged"] == [gone]
    assert not Path(gone).exists()
    assert len(list((root / "backups/archive").glob("gone.example-shop.example-*"))) == 1
    assert (root / "data/hosts/keep.example").is_dir()
    assert run(tmp_path, "enterprise", hosts=["keep.example"], purge=["gone.example"])["changed"] is False


@pytest.mark.parametrize(
    ("tier", "purge", "message"),
    [
        (
            "enterprise",
            ["keep.example"],
            "purge[0]: keep.example is still declared in vhosts; take it out of vhosts first",
        ),
        ("minimal", ["x.example"], "purge: the minimal tier keeps no archive"),
        ("enterprise", ["../x"], "purge[0]: '../x'"),
    ],
)
def test_purge_refuses_before_anything_changes(tmp_path, tier, purge, message):
    with pytest.raises((LayoutError, HostNameError), match=re.escape(message)):
        run(tmp_path, tier, hosts=["keep.example"], purge=purge)
    assert not (tmp_path / "root").exists()


def test_numeric_ids_need_no_account_on_the_host(tmp_path):
    # The docker tier's host usually has no account for the uid Prosody runs as inside the container.
    assert run(tmp_path, "docker", user="4242", group="4243")["changed"]
    data = os.stat(tmp_path / "root" / "data")
    assert (data.st_uid, data.st_gid, stat.S_IMODE(data.st_mode)) == (4242, 4243, 0o750)
    config = os.stat(tmp_path / "root" / "config")
    assert (config.st_uid, config.st_gid) == (0, 4243)  # root's, readable by Prosody's group
    assert run(tmp_path, "docker", user="4242", group="4243")["changed"] is False


def test_files_take_numeric_ids_too():
    from ansible_collections.xmpp.prosody.plugins.module_utils._fs import ids

    assert ids("4242", "4243") == (4242, 4243)
    assert ids("root", "root") == (0, 0)
    with pytest.raises(KeyError):
        ids("no-such-user-xmpp", "root")


def test_an_absent_host_is_not_declared(tmp_path):
    run(tmp_path, "enterprise", hosts=["keep.example", "gone.example"])
    roots = {name: str(tmp_path / name) for name in TIERS["enterprise"].roots}
    vhosts = [{"name": "keep.example"}, {"name": "gone.example", "state": "absent"}]
    result = layout.run_module(FakeModule(check_mode=False, tier="enterprise", roots=roots, vhosts=vhosts, prune=True))
    assert [a["host"] for a in result["archived"]] == ["gone.example"]
    assert not (tmp_path / "root/data/hosts/gone.example").exists()
    assert (tmp_path / "root/data/hosts/keep.example").is_dir()
