# SPDX-License-Identifier: GPL-3.0-or-later
"""End state of the modules scenario and a login (secret.yml kept the secrets out of the output)."""

from __future__ import annotations

from xmpp_helpers import probe

AVAIL, ENABLED = "/etc/prosody/conf.avail", "/etc/prosody/conf.d"


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
    result = probe(host, "alice@a.test", "alice-pw", "/etc/prosody/certs/a.test.crt")
    assert result["authenticated"] is True, result
    assert result["bound_jid"].startswith("alice@a.test/")
