# SPDX-License-Identifier: GPL-3.0-or-later
"""End state of the modules scenario, secrets kept out of verbose and diff output, and a login."""

from __future__ import annotations

from pathlib import Path

from xmpp_helpers import converge, probe, register

AVAIL, ENABLED = "/etc/prosody/conf.avail", "/etc/prosody/conf.d"
CONFIG = "/etc/prosody/prosody.cfg.lua"


def test_final_files(host):
    for name in ("a.test", "conference.a.test", "gw.a.test"):
        f = host.file("%s/%s.cfg.lua" % (AVAIL, name))
        assert (f.user, f.group, "%04o" % f.mode) == ("root", "prosody", "0640"), name
        assert f.content_string.startswith("-- Managed by xmpp.prosody.")
        assert host.file("%s/%s.cfg.lua" % (ENABLED, name)).linked_to == "%s/%s.cfg.lua" % (AVAIL, name)
    for gone in ("b.test", "c.test", "share.a.test"):
        assert not host.file("%s/%s.cfg.lua" % (AVAIL, gone)).exists, gone
        assert not host.file("%s/%s.cfg.lua" % (ENABLED, gone)).exists, gone
    assert 'motd_text = "second"' in host.file(AVAIL + "/a.test.cfg.lua").content_string
    assert host.file(ENABLED + "/localhost.cfg.lua").exists  # the package's own host was left alone


def test_certificate_files(host):
    key = host.file("/etc/prosody/certs/a.test.key")
    assert (key.user, key.group, "%04o" % key.mode) == ("root", "prosody", "0640")
    cert = host.file("/etc/prosody/certs/a.test.crt")
    assert (cert.user, cert.group, "%04o" % cert.mode) == ("root", "prosody", "0644")


def test_config_passes_prosodyctl_check(host):
    result = host.run("prosodyctl check config")
    assert result.rc == 0, result.stdout + result.stderr


def test_login_on_a_created_host(host):
    register(host, CONFIG, "alice", "a.test", "alice-pw")
    result = probe(host, "alice@a.test", "alice-pw", "/etc/prosody/certs/a.test.crt")
    assert result["authenticated"] is True, result
    assert result["bound_jid"].startswith("alice@a.test/")


def test_secret_never_in_verbose_or_diff_output(host):
    old = 'gw-Secret-4711"; os.execute("id") --'
    new = "New-Gateway-Secret-0815"
    playbook = Path(__file__).resolve().parents[1] / "change_secret.yml"
    try:
        result = converge(host, {"new_secret": new}, playbook, "-vvv", "--diff")
        output = result.stdout + result.stderr
        assert result.returncode == 0, output[-3000:]
        assert "changed=1" in output
        assert "a secret value changed; neither value is shown" in output  # the diff says so, masked
        assert new not in output
        assert "gw-Secret-4711" not in output
        assert 'component_secret = "%s"' % new in host.file(AVAIL + "/gw.a.test.cfg.lua").content_string
    finally:
        converge(host, {"new_secret": old}, playbook)
