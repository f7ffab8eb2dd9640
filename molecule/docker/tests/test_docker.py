# SPDX-License-Identifier: GPL-3.0-or-later
"""The docker tier as a user sees it, from the Docker host: the tree with its numeric owners, the
container's separate mounts, what Prosody writes on the host owned by the image's uid, and real XMPP
clients (in the container's network namespace) logging in over verified TLS, joining a room and
uploading a file whose bytes land in the host's uploads directory."""

from __future__ import annotations

import json
import uuid

import pytest
from xmpp_helpers import missing_features, probe

from ansible_collections.xmpp.prosody.plugins.module_utils._layout import plan
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS, mounts, well_known_paths

UID = GID = 5222  # the role's default ids of the image's prosody account
SHARED = "/srv/xmpp-prosody-molecule"
TIER = TIERS["docker"]
ALICE = ("alice@d.test", "alice-pw")


@pytest.fixture(scope="module")
def name(host):
    return host.backend.get_hostname()


@pytest.fixture(scope="module")
def roots(name):
    return {"root": "%s/%s" % (SHARED, name)}


@pytest.fixture(scope="module")
def paths(roots):
    return well_known_paths("docker", roots)


@pytest.fixture(scope="module")
def container(host, name):
    return json.loads(host.check_output("docker inspect prosody-%s", name))[0]


def _ids(owner: str) -> int:
    return 0 if owner == "root" else int(owner)


def test_tree_has_the_tier_tables_numeric_owners_and_modes(host, roots):
    _roots, targets = plan("docker", roots, ["d.test", "e.test"], user=str(UID), group=str(GID))
    assert len(targets) > 20
    for t in targets:
        f = host.file(t.path)
        assert f.exists, t.path
        assert (f.uid, f.gid) == (_ids(t.owner), _ids(t.group)), t.path
        if t.kind == "link":
            assert f.is_symlink, t.path
        else:
            assert "%04o" % f.mode == "%04o" % t.mode, t.path


def test_written_files_have_their_owners_and_modes(host, paths):
    for spec in TIER.files:
        for name in ("d.test", "e.test") if "{host}" in spec.path else (None,):
            path = paths[spec.key].format(host=name)
            f = host.file(path)
            assert f.is_file, path
            owner, group = (spec.owner.replace("{user}", str(UID)), spec.group.replace("{group}", str(GID)))
            assert (f.uid, f.gid, "%04o" % f.mode) == (_ids(owner), _ids(group), spec.mode), path


def test_every_concern_is_its_own_mount_read_only_where_prosody_only_reads(container, roots):
    found = {m["Destination"]: (m["Source"], m["RW"], m["Type"]) for m in container["Mounts"]}
    wanted = {path: (path, not read_only, "bind") for path, read_only in mounts("docker", roots)}
    assert found == wanted
    assert len(wanted) >= 6
    read_only = {path.rsplit("/", 1)[1] for path, ro in mounts("docker", roots) if ro}
    assert read_only == {"config", "certs", "modules", "scripts"}


def test_container_runs_prosody_as_the_image_uid_under_an_init(container):
    assert container["Config"]["User"] == "%d:%d" % (UID, GID)
    assert container["HostConfig"]["Init"] is True
    assert container["State"]["Running"] is True
    assert container["Config"]["Labels"]["xmpp.prosody.molecule"] == "docker"


def test_health_check_answers_with_an_xmpp_stream(host, name, paths):
    result = host.run("docker exec prosody-%s %s", name, paths["healthcheck"])
    assert result.rc == 0, result.stdout + result.stderr
    assert "OK: Prosody answers for d.test" in result.stdout


def test_files_prosody_creates_on_the_host_belong_to_its_uid(host, paths):
    for path in (paths["sqlite"], paths["log"]):
        f = host.file(path)
        assert f.is_file, path
        assert (f.uid, f.gid) == (UID, GID), path
    assert host.file(paths["log"]).size > 0


def test_prosodyctl_on_the_host_addresses_the_container(host, paths):
    result = host.run("prosodyctl check config")
    assert result.rc == 0, result.stdout + result.stderr
    assert paths["config"] in result.stdout


def test_login_over_tls_verified_against_the_instance_ca(host, paths):
    result = probe(host, *ALICE, paths["ca_cert"])
    assert result["authenticated"] is True, result
    assert result["tls"].startswith("TLSv1."), result


def test_a_client_finds_every_feature_of_a_modern_server(host, paths):
    assert missing_features(host, *ALICE, paths["ca_cert"]) == []


def test_room_join(host, paths):
    result = probe(host, *ALICE, paths["ca_cert"], join_room="lobby@conference.d.test/alice")
    assert result.get("joined") == "lobby@conference.d.test/alice", result


def test_upload_lands_in_the_hosts_uploads_directory(host, paths, roots):
    payload = "docker-upload-%s" % uuid.uuid4().hex
    result = probe(host, *ALICE, paths["ca_cert"], upload_to="upload.d.test", message=payload)
    assert result.get("upload_status") == 201, result
    found = host.run("grep -rl %s %s/data/uploads/d.test", payload, roots["root"])
    assert found.rc == 0, found.stdout + found.stderr
    blob = host.file(found.stdout.split()[0])
    assert (blob.uid, blob.gid) == (UID, GID)
