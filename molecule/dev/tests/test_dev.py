# SPDX-License-Identifier: GPL-3.0-or-later
"""The dev tier, for the unprivileged user dev: the tree and files as the tier record says, all of them
the developer's; the tools work as that user (the tests pass, a failing spec fails them, the
development server takes a login and stops cleanly on TERM); and nothing outside the workspace
changed since prepare's snapshot (this test runs last)."""

from __future__ import annotations

import json
import subprocess
import tempfile

import pytest
from xmpp_helpers import PROBE, TIERS, check_entry, checks, missing, plan, well_known_paths

USER = "dev"
HOME = "/home/dev"
ROOTS, TARGETS = plan("dev", None, (), USER, USER, HOME)
ROOT = ROOTS["root"]
PATHS = well_known_paths("dev", ROOTS)
HOSTS = ["localhost"]  # the default host; conference.localhost shares its certificate
FILES = [
    (PATHS[f.key].format(host=name), f.mode)
    for f in TIERS["dev"].files
    for name in (HOSTS if "{host}" in f.path else [None])
]


def as_dev(host, script: str):
    """Run a shell script as the developer, in the workspace."""
    return host.run("cd %s && runuser -u %s -- sh -c %s" % (ROOT, USER, quote(script)))


def quote(text: str) -> str:
    return "'%s'" % text.replace("'", "'\\''")


def test_the_workspace_is_the_default_one():
    assert ROOT == "/home/dev/prosody-dev"
    assert len(FILES) == 23  # one host's certificate: conference.localhost shares it


@pytest.mark.parametrize(("path", "kind", "mode"), [(t.path, t.kind, "%04o" % t.mode) for t in TARGETS])
def test_layout_entry(host, path, kind, mode):
    check_entry(host, path, kind, USER, USER, mode)


@pytest.mark.parametrize(("path", "mode"), FILES)
def test_file(host, path, mode):
    f = host.file(path)
    assert f.is_file, path
    assert (f.user, f.group, "%04o" % f.mode) == (USER, USER, mode), path


def test_everything_in_the_workspace_is_the_developers(host):
    assert host.check_output("find %s ! -user %s -o ! -group %s" % (ROOT, USER, USER)) == ""


def test_the_three_configs_come_from_the_same_inputs(host):
    development = host.file(PATHS["config"]).content_string
    testing = host.file(PATHS["testing_config"]).content_string
    production = host.file(PATHS["production_config"]).content_string
    for text in (development, testing, production):
        assert 'VirtualHost "localhost"' in text
        assert 'Component "conference.localhost" "muc"' in text
        assert '"cloud_notify";' in text  # the community modules load as on the server tiers
    assert 'log = { debug = "*console" }' in development
    assert "c2s_ports = { 15222 }" in development
    assert 'storage = "memory"' in testing
    assert "c2s_ports = { 25222 }" in testing
    assert '"hello";' in development
    assert '"hello";' in testing
    assert '"hello";' not in production
    assert "c2s_require_encryption = true" in production
    assert 'data_path = "/prosody/data"' in production
    inputs = json.loads(host.file(PATHS["production_inputs"]).content_string)
    component = inputs["prosody_components"][0]
    assert (component["name"], component["type"]) == ("conference.localhost", "muc")
    assert inputs["prosody_community_modules"] == [{"name": "cloud_notify", "enabled": True}]
    assert inputs["prosody_turn"]["host"] == "turn.localhost"


def test_run_tests_passes_as_the_developer(host):
    result = as_dev(host, "tools/run-tests.sh")
    assert result.rc == 0, result.stdout + result.stderr
    for line in (
        "alice@localhost: logged in",
        "bob@localhost: logged in",
        "with a wrong password: refused",
        "== tests/integration/hello.sh",
        "alice@localhost: got 'Hello, alice!'",  # the sample module answered, on the test server
    ):
        assert line in result.stdout
    assert "2 successes / 0 failures / 0 errors" in result.stdout


def test_run_tests_fails_on_a_failing_spec(host):
    spec = ROOT + "/src/modules/spec/broken_spec.lua"
    failing = 'describe("x", function() it("fails", function() assert.are.equal(1, 2) end) end)'
    as_dev(host, "printf '%%s\\n' %s > %s" % (quote(failing), spec))
    try:
        result = as_dev(host, "tools/run-tests.sh")
    finally:
        as_dev(host, "rm -f %s" % spec)
    assert result.rc != 0
    assert "1 failure" in result.stdout
    assert "== integration" not in result.stdout  # it stopped at the first failing step


# The development server as the developer runs it, with an account; %s is what runs while it is up.
DEV_SERVER = """
tools/dev-server.sh > data/dev/server.out 2>&1 &
pid=$!
ctl="prosodyctl --config config/development.cfg.lua"
tries=0
until echo 'server:version()' | $ctl shell > /dev/null 2>&1; do
  tries=$((tries + 1)); [ $tries -lt 60 ] || break; sleep 0.5
done
echo 'user:create("carol@localhost", "carol-pw")' | $ctl shell > /dev/null 2>&1
%s
kill -TERM $pid
wait $pid
echo "dev-server exit: $?"
"""
CA = "certs/.ca/ca.pem"


def test_dev_server_takes_a_login_and_stops_cleanly_on_term(host):
    login = "XMPP_PASSWORD=carol-pw python3 tools/xmpp-client.py login --jid carol@localhost --port 15222"
    modules = "echo 'module:list(\"localhost\")' | $ctl shell"
    result = as_dev(host, DEV_SERVER % ("%s --cafile %s\n%s" % (login, CA, modules)))
    assert "carol@localhost: logged in" in result.stdout, result.stdout + result.stderr
    assert "hello" in result.stdout  # the sample module, loaded from src/modules
    assert "cloud_notify" in result.stdout  # push: the community module (its copy on 0.12, the release's on 13)
    assert "dev-server exit: 0" in result.stdout, host.file(ROOT + "/data/dev/server.out").content_string[-2000:]


def test_the_development_server_offers_every_feature_of_a_modern_server(host):
    """The same list and probe as on the server tiers, asked of the development server on its own port."""
    probe = "python3 %s --jid carol@localhost --password carol-pw --cafile %s --port 15222 --features %s" % (
        PROBE,
        CA,
        quote(json.dumps(checks())),
    )
    result = as_dev(host, DEV_SERVER % probe)
    answers = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert answers, result.stdout + result.stderr
    assert missing(json.loads(answers[-1])["features"]) == []


def test_push_comes_from_the_copy_only_where_the_release_lacks_it(host):
    listed = host.file(ROOT + "/community/.xmpp-prosody.json")  # written with the first copy
    manifest = json.loads(listed.content_string) if listed.exists else {}
    bundled = host.run("grep -q /mod_cloud_notify /var/lib/dpkg/info/prosody.list").rc == 0  # Prosody 13 ships it
    assert ("cloud_notify" in manifest) is not bundled
    assert host.file(ROOT + "/community/mod_cloud_notify").is_directory is not bundled


def test_deploy_says_what_it_does(host):
    usage = as_dev(host, "tools/deploy.sh")
    assert usage.rc == 2
    assert "tools/deploy.sh INVENTORY --apply" in usage.stderr
    assert "set -eu" not in usage.stderr
    missing = as_dev(host, "tools/deploy.sh hosts.ini --apply")
    assert missing.rc == 1  # no Ansible in this container: it says so instead of half-running
    assert "ansible-playbook is not installed here" in missing.stderr


def test_the_tests_pass_in_the_workspaces_test_container(host):
    """docker/Dockerfile.test, built on this machine's engine from the local Debian 13 base image, runs
    tools/run-tests.sh as the developer's ids on a copy of the workspace, with no network but loopback."""
    if host.backend.get_hostname() != "xmpp-deb13":
        pytest.skip("built once, from the Debian 13 base")
    uid, gid = host.user(USER).uid, host.user(USER).gid
    image = "xmpp-prosody-devtest:trixie"
    with tempfile.TemporaryDirectory() as copy:
        subprocess.run(["docker", "cp", "xmpp-deb13:%s" % ROOT, copy], check=True)
        workspace = copy + "/prosody-dev"
        # docker cp gives the copy to whoever ran it: the developer's ids again, as the mount needs
        subprocess.run(["chown", "-R", "%d:%d" % (uid, gid), workspace], check=True)
        build = ["docker", "build", "-q", "-t", image, "-f", workspace + "/docker/Dockerfile.test"]
        build += ["--build-arg", "BASE=xmpp-prosody-base:trixie", "--build-arg", "UID=%d" % uid]
        subprocess.run([*build, "--build-arg", "GID=%d" % gid, workspace + "/docker"], check=True)
        run = ["docker", "run", "--rm", "--network", "none", "-v", "%s:%s" % (workspace, ROOT), "-w", ROOT, image]
        result = subprocess.run(run, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "run-tests: every step passed" in result.stdout


def test_zz_nothing_outside_the_workspace_changed(host):
    # runs last (pytest keeps the file's order): everything above ran as the developer too
    after = host.check_output("/usr/local/sbin/xmpp-prosody-snapshot")
    before = host.file("/var/tmp/xmpp-prosody-snapshot.before").content_string.rstrip("\n")
    gone = sorted(set(before.splitlines()) - set(after.splitlines()))
    new = sorted(set(after.splitlines()) - set(before.splitlines()))
    assert (gone, new) == ([], [])
