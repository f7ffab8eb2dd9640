# SPDX-License-Identifier: GPL-3.0-or-later
"""Community modules: declared, read from their sources, pinned by digest, copied and removed."""

from __future__ import annotations

import io
import json
import os
import subprocess
import tarfile
import zipfile

import pytest

from ansible_collections.xmpp.prosody.plugins.module_utils import _community as community
from ansible_collections.xmpp.prosody.plugins.module_utils._community import CommunityError
from ansible_collections.xmpp.prosody.plugins.module_utils._packages import QUERY_FORMAT

VERSIONS = {"prosody": "0.12.3-1", "modules": "0.0~hg20230223-1"}
PUSH = {"mod_cloud_notify.lua": b"-- push\n", "README.markdown": b"# push\n"}


def item(name, **given):
    return dict({"name": name, "source": None, "checksum": None, "enabled": True}, **given)


def write_tree(base, name, files):
    for path, content in files.items():
        target = os.path.join(base, "mod_" + name, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(content)


def test_names_and_dicts_are_normalized():
    assert community.normalize(["cloud_notify", {"name": "x", "enabled": False}]) == [
        item("cloud_notify"),
        item("x", enabled=False),
    ]


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([7], r"community\[0\]: give a module name or a dict"),
        ([{"name": "a", "version": 1}], r"community\[0\]: unknown keys \['version'\]"),
        (["mod_a"], r"community\[0\].name: 'mod_a'"),
        (["../a"], r"community\[0\].name: '../a' is not a module name"),
        (["a", "a"], r"community\[1\].name: a is listed twice"),
        ([{"name": "a", "source": "relative/dir", "checksum": "sha256:" + "0" * 64}], "absolute path"),
        ([{"name": "a", "source": "/srv/a"}], r"community\[0\].checksum: a module from /srv/a needs its checksum"),
        ([{"name": "a", "checksum": "md5:abc"}], "sha256: and 64 lowercase hex digits"),
        ([{"name": "a", "enabled": "yes"}], r"community\[0\].enabled"),
    ],
)
def test_a_declaration_the_module_cannot_act_on_is_refused(items, message):
    with pytest.raises(CommunityError, match=message):
        community.normalize(items)


def test_requirements_name_the_package_only_for_modules_that_come_from_it():
    pinned = {"name": "b", "source": "/srv/b.tar.gz", "checksum": "sha256:" + "1" * 64, "enabled": False}
    items = community.normalize(["a", pinned])
    assert community.requirements(items) == {"packages": ["prosody-modules"], "enabled": ["a"]}
    assert community.requirements(items[1:]) == {"packages": [], "enabled": []}


def test_the_digest_depends_on_every_path_and_content():
    base = community.digest(PUSH)
    assert base.startswith("sha256:")
    assert len(base) == 71
    assert community.digest(dict(PUSH)) == base
    assert community.digest(dict(PUSH, **{"README.markdown": b"# changed\n"})) != base
    assert community.digest({"other.md": PUSH["README.markdown"], "mod_cloud_notify.lua": b"-- push\n"}) != base


def test_a_module_is_read_from_its_directory_a_parent_or_a_single_file(tmp_path):
    write_tree(str(tmp_path), "cloud_notify", PUSH)
    (tmp_path / "mod_single.lua").write_bytes(b"-- single\n")
    assert community.read_directory(str(tmp_path), "cloud_notify") == PUSH
    assert community.read_source(str(tmp_path / "mod_cloud_notify"), "cloud_notify") == PUSH
    assert community.read_source(str(tmp_path), "single") == {"mod_single.lua": b"-- single\n"}
    assert community.read_directory(str(tmp_path), "absent") is None
    os.symlink("/etc", str(tmp_path / "mod_cloud_notify" / "escape"))  # links are not followed
    assert community.read_directory(str(tmp_path), "cloud_notify") == PUSH


def tar_of(members: dict) -> bytes:
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w:gz") as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return data.getvalue()


def test_a_module_is_read_from_a_snapshot_archive_without_leaving_it():
    members = {"prosody-modules-1/mod_cloud_notify/" + k: v for k, v in PUSH.items()}
    members["prosody-modules-1/mod_other/mod_other.lua"] = b"-- other\n"
    members["../mod_cloud_notify/evil.lua"] = b"-- outside\n"
    assert community.read_archive(tar_of(members), "snapshot.tar.gz", "cloud_notify") == PUSH
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("mod_cloud_notify/mod_cloud_notify.lua", PUSH["mod_cloud_notify.lua"])
    found = community.read_archive(data.getvalue(), "one.zip", "cloud_notify")
    assert found == {"mod_cloud_notify.lua": b"-- push\n"}
    assert community.read_archive(tar_of(members), "snapshot.tar.gz", "absent") is None


def test_the_release_ships_what_its_package_lists():
    listing = "\n".join(
        [
            "/usr/lib/prosody/modules/mod_cloud_notify.lua",
            "/usr/lib/prosody/modules/mod_mam/mod_mam.lua",
            "/usr/lib/prosody/modules/mod_mam/mamprefs.lib.lua",
            "/usr/lib/prosody/modules/muc/muc.lib.lua",
            "/usr/share/doc/prosody/README",
        ]
    )
    assert community.bundled_names(listing) == {"cloud_notify", "mam"}


def reader(sources):
    return lambda declared: sources.get(declared["source"] or "package", {}).get(declared["name"])


def test_a_module_is_copied_then_kept_then_removed_when_no_longer_declared(tmp_path):
    directory = str(tmp_path / "community")
    read = reader({"package": {"cloud_notify": PUSH}})
    steps = community.plan([item("cloud_notify")], directory, set(), read, VERSIONS)
    assert [(s["action"], s["source"], s["digest"]) for s in steps] == [
        ("copy", "prosody-modules", community.digest(PUSH))
    ]
    community.apply(steps, directory)
    assert community.read_directory(directory, "cloud_notify") == PUSH
    assert json.loads((tmp_path / "community" / ".xmpp-prosody.json").read_text()) == {
        "cloud_notify": {"source": "prosody-modules", "digest": community.digest(PUSH)}
    }
    again = community.plan([item("cloud_notify")], directory, set(), read, VERSIONS)
    assert [s["action"] for s in again] == ["keep"]
    gone = community.plan([], directory, set(), read, VERSIONS)
    assert [(s["name"], s["action"]) for s in gone] == [("cloud_notify", "remove")]
    community.apply(gone, directory)
    assert not (tmp_path / "community" / "mod_cloud_notify").exists()


def test_a_changed_source_is_copied_again_and_an_edited_copy_is_put_back(tmp_path):
    directory = str(tmp_path)
    community.apply(
        community.plan([item("cloud_notify")], directory, set(), reader({"package": {"cloud_notify": PUSH}}), VERSIONS),
        directory,
    )
    newer = dict(PUSH, **{"mod_cloud_notify.lua": b"-- push 2\n"})
    steps = community.plan(
        [item("cloud_notify")], directory, set(), reader({"package": {"cloud_notify": newer}}), VERSIONS
    )
    assert [s["action"] for s in steps] == ["copy"]
    (tmp_path / "mod_cloud_notify" / "mod_cloud_notify.lua").write_bytes(b"-- edited by hand\n")
    steps = community.plan(
        [item("cloud_notify")], directory, set(), reader({"package": {"cloud_notify": PUSH}}), VERSIONS
    )
    assert [s["action"] for s in steps] == ["copy"]


def test_a_module_the_release_ships_is_not_copied_and_an_old_copy_goes(tmp_path):
    directory = str(tmp_path)
    read = reader({"package": {"cloud_notify": PUSH}})
    community.apply(community.plan([item("cloud_notify")], directory, set(), read, VERSIONS), directory)
    upgraded = community.plan([item("cloud_notify")], directory, {"cloud_notify"}, read, VERSIONS)
    assert [(s["action"], s["source"]) for s in upgraded] == [("remove", "prosody")]
    community.apply(upgraded, directory)
    assert not (tmp_path / "mod_cloud_notify").exists()
    steps = community.plan([item("cloud_notify")], directory, {"cloud_notify"}, read, VERSIONS)
    assert [(s["action"], s["digest"]) for s in steps] == [("bundled", None)]


def test_a_pinned_module_whose_files_differ_is_refused_before_anything_changes(tmp_path):
    pinned = item("cloud_notify", source="/srv/snapshot.tar.gz", checksum="sha256:" + "0" * 64)
    read = reader({"/srv/snapshot.tar.gz": {"cloud_notify": PUSH}})
    with pytest.raises(
        CommunityError, match=r"community\[0\].checksum: cloud_notify from /srv/snapshot.tar.gz has the digest sha256:"
    ):
        community.plan([pinned], str(tmp_path), set(), read, VERSIONS)
    assert os.listdir(str(tmp_path)) == []
    right = dict(pinned, checksum=community.digest(PUSH))
    assert [s["action"] for s in community.plan([right], str(tmp_path), set(), read, VERSIONS)] == ["copy"]


def test_a_module_nobody_has_is_refused_naming_the_installed_versions(tmp_path):
    with pytest.raises(
        CommunityError, match=r"community\[0\].name: no module typo in Prosody 0.12.3-1 or prosody-modules"
    ):
        community.plan([item("typo")], str(tmp_path), set(), reader({}), VERSIONS)


def test_files_the_collection_did_not_copy_are_never_touched(tmp_path):
    directory = str(tmp_path)
    write_tree(directory, "mine", {"mod_mine.lua": b"-- the operator's own\n"})
    steps = community.plan([], directory, set(), reader({}), VERSIONS)
    assert steps == []
    write_tree(directory, "cloud_notify", PUSH)  # there, but not in the manifest: copied over only when declared
    assert community.plan([], directory, set(), reader({}), VERSIONS) == []
    assert (tmp_path / "mod_mine" / "mod_mine.lua").exists()


def test_a_module_of_the_operators_own_is_never_overwritten(tmp_path):
    directory = str(tmp_path)
    write_tree(directory, "cloud_notify", {"mod_cloud_notify.lua": b"-- my own push\n"})
    with pytest.raises(CommunityError, match=r"community\[0\].name: .* already holds a mod_cloud_notify that the coll"):
        community.plan([item("cloud_notify")], directory, set(), reader({"package": {"cloud_notify": PUSH}}), VERSIONS)
    assert (tmp_path / "mod_cloud_notify" / "mod_cloud_notify.lua").read_bytes() == b"-- my own push\n"
    (tmp_path / "mod_cloud_notify.lua").write_bytes(b"-- a single file\n")
    with pytest.raises(CommunityError, match="already holds a mod_cloud_notify"):
        community.plan([item("cloud_notify")], directory, set(), reader({"package": {"cloud_notify": PUSH}}), VERSIONS)


def test_a_module_that_is_already_exactly_the_copy_is_taken_over(tmp_path):
    directory = str(tmp_path)
    write_tree(directory, "cloud_notify", PUSH)
    package = reader({"package": {"cloud_notify": PUSH}})
    steps = community.plan([item("cloud_notify")], directory, set(), package, VERSIONS)
    assert steps[0]["action"] == "copy"  # the same files: nothing is lost, and the manifest now lists it
    community.apply(steps, directory)
    assert "cloud_notify" in community.read_manifest(directory)


def test_a_single_name_instead_of_a_list_is_refused():
    with pytest.raises(CommunityError, match="prosody_community_modules: give a list of module names"):
        community.normalize("cloud_notify", "prosody_community_modules")


class ImageHost:
    """A host with a docker whose image is this machine: ``docker run ... sh -c SCRIPT sh NAMES`` runs the
    script here, with a dpkg-query that answers only the format the collection asks for."""

    def __init__(self, bin_dir):
        self.path = "%s:%s" % (bin_dir, os.environ["PATH"])

    def run_command(self, argv):
        if argv[1] == "image":
            return 0, "", ""
        script = argv[argv.index("-c") + 1 :]
        done = subprocess.run(
            ["/bin/sh", "-c", *script], capture_output=True, text=True, env={"PATH": self.path}, check=False
        )
        return done.returncode, done.stdout, done.stderr


def test_the_image_is_asked_for_its_versions_as_the_host_is(tmp_path, monkeypatch):
    system, listing = tmp_path / "modules", tmp_path / "prosody.list"
    write_tree(str(system), "cloud_notify", PUSH)
    listing.write_text("%s/mod_mam/mod_mam.lua\n" % community.SYSTEM)
    monkeypatch.setattr(community, "SYSTEM", str(system))
    monkeypatch.setattr(community, "BUNDLED_LIST", str(listing))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "dpkg-query"
    # the format must reach dpkg-query as written (a shell expanding ${Package} would empty it)
    fake.write_text(
        '#!/bin/sh\n[ "$3" = \'%s\' ] || exit 2\necho "prosody ii  13.0.1-1"; echo "prosody-modules un "\n'
        % QUERY_FORMAT
    )
    fake.chmod(0o755)
    found = community._from_image(ImageHost(bin_dir), "docker", "prosody:test", ["cloud_notify"])
    listing_text, versions, archive = found
    assert versions == {"prosody": "13.0.1-1", "modules": "(not installed)"}
    assert "mod_mam" in listing_text
    assert community.read_archive(archive, "image.tar", "cloud_notify") == PUSH
