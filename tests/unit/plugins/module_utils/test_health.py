# SPDX-License-Identifier: GPL-3.0-or-later
"""The health gate: the real Lua probe (lua5.4 and LuaSocket, as on a Prosody host) against a stand-in
server, and Prosody's own log lines of both releases."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import threading

from ansible_collections.xmpp.prosody.plugins.module_utils import _health

FEATURES = (
    "<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' version='1.0' "
    "from='%s' xmlns='%s' id='x'><stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'>"
    "<required/></starttls></stream:features>"
)
UNKNOWN = (
    "<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' version='1.0' "
    "from='%s' xmlns='%s' id='x'><stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
    "</stream:error></stream:stream>"
)
# Prosody's own lines (0.12.3 and 13.0.1), the first with the traceback that follows it
LOG = """\
Dec 07 14:54:17 startup\tinfo\tHello and welcome to Prosody version 0.12.3
Dec 07 14:54:17 modulemanager\terror\tUnable to load module 'nosuchmodule': /usr/lib/prosody/modules/share/lua/5.4/\
mod_nosuchmodule/mod_nosuchmodule.lua: No such file or directory
Dec 07 14:54:17 modulemanager\terror\tError initializing module 'auth_ldap' on 'c.test': /usr/lib/prosody/modules/\
mod_auth_ldap.lua:18: ldap_base is a required option for ldap
Dec 07 14:54:17 portmanager\terror\tFailed to open server port 5280 on ::1, Cannot assign requested address
Dec 07 14:54:18 modulemanager\terror\tError initializing module 'muc' on 'b.test': MUC should be loaded as a \
component, please see https://prosody.im/doc/components
\t[C]: in function 'error'
Dec 07 14:54:18 c.test:mod_x\twarn\tError loading module 'x' on 'c.test': oops
"""


class Server:
    """A listener that answers stream headers as Prosody does: features for the names it serves."""

    def __init__(self, served, answer=True):
        self.served, self.answer = served, answer
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            conn = self.sock.accept()[0]
            with conn:
                data = b""
                while b"version='1.0'>" not in data:
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                to = re.search(rb"to='([^']*)'", data).group(1).decode()
                ns = re.search(rb"xmlns='(jabber:[a-z]+)'", data).group(1).decode()
                if self.answer:
                    conn.sendall(((FEATURES if to in self.served else UNKNOWN) % (to, ns)).encode())
                conn.recv(4096)  # the client's </stream:stream>


def probe(c2s, s2s, vhosts, components):
    where = {"c2s": ["127.0.0.1", c2s], "s2s": ["127.0.0.1", s2s] if s2s else None}
    argv = _health.probe_argv([_health.LUA], where, vhosts, components)
    done = subprocess.run(argv, input=_health.PROBE, capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    return _health.parse_probe(done.stdout)


def test_hosts_answer_with_features_or_are_named():
    c2s, s2s = Server({"a.test"}), Server({"conference.a.test"})
    found = probe(c2s.port, s2s.port, ["a.test", "gone.test"], ["conference.a.test", "upload.a.test"])
    assert found == {
        "a.test": "ok",
        "gone.test": "the server answered host-unknown",
        "conference.a.test": "ok",  # a component, asked on the s2s port
        "upload.a.test": "the server answered host-unknown",
    }


def test_a_closed_port_and_a_silent_server_are_named(monkeypatch):
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    assert probe(port, None, ["a.test"], ["conference.a.test"]) == {
        "a.test": "no answer on 127.0.0.1 port %d (connection refused)" % port,
    }  # without s2s, components are left to the log
    monkeypatch.setattr(_health, "TIMEOUT", 1)
    assert probe(Server({"a.test"}, answer=False).port, None, ["a.test"], []) == {
        "a.test": "no stream features within 1s"
    }


def test_the_target_follows_the_configuration():
    assert _health.target({}) == _health.DEFAULT_TARGET
    assert _health.target({"c2s_ports": [15222], "interfaces": ["127.0.0.2"], "s2s_ports": 15269}) == {
        "c2s": ["127.0.0.2", 15222],
        "s2s": ["127.0.0.2", 15269],
    }
    assert _health.target({"c2s_interfaces": ["::"], "modules_disabled": ["s2s"]}) == {
        "c2s": ["::1", 5222],
        "s2s": None,
    }


def test_module_errors_are_read_from_prosodys_own_lines():
    assert _health.module_errors(LOG) == [
        {
            "host": None,
            "module": "nosuchmodule",
            "error": "/usr/lib/prosody/modules/share/lua/5.4/mod_nosuchmodule/mod_nosuchmodule.lua: No such file or "
            "directory",
        },
        {
            "host": "c.test",
            "module": "auth_ldap",
            "error": "/usr/lib/prosody/modules/mod_auth_ldap.lua:18: ldap_base is a required option for ldap",
        },
        {
            "host": "b.test",
            "module": "muc",
            "error": "MUC should be loaded as a component, please see https://prosody.im/doc/components",
        },
        {"host": "c.test", "module": "x", "error": "oops"},
    ]


def test_only_what_came_after_the_change_counts(tmp_path):
    log = tmp_path / "prosody.log"
    log.write_text(LOG)
    before = _health.mark(str(log))
    assert _health.since(str(log), before, started=False) == ""
    with open(log, "a") as more:
        more.write("Dec 07 15:00:00 modulemanager\terror\tError initializing module 'y' on 'd.test': new\n")
    assert [e["host"] for e in _health.module_errors(_health.since(str(log), before, started=False))] == ["d.test"]
    # rotated since the mark: the new file from its start
    os.rename(log, tmp_path / "prosody.log.1")
    log.write_text("Dec 07 15:01:00 modulemanager\terror\tError initializing module 'z' on 'e.test': rotated\n")
    assert [e["host"] for e in _health.module_errors(_health.since(str(log), before, started=False))] == ["e.test"]
    # no mark (a container that just started): only this process's lines, from its welcome on
    log.write_text(LOG + LOG.replace("c.test", "f.test").replace("b.test", "g.test"))
    hosts = [e["host"] for e in _health.module_errors(_health.since(str(log), None, started=True))]
    assert hosts == [None, "f.test", "g.test", "f.test"]
    assert _health.since(str(tmp_path / "none.log"), None, started=True) == ""


def test_the_verdict_names_each_host_and_what_is_server_wide():
    problems, broken, server_wide = _health.verdict(
        {"a.test": "ok", "b.test": "the server answered host-unknown"},
        _health.module_errors(LOG),
        ["a.test", "b.test", "conference.a.test"],
    )
    assert problems[:2] == [
        "b.test is not served: the server answered host-unknown",
        "conference.a.test is not served: the probe did not report it",
    ]
    assert "c.test: module auth_ldap failed to load: /usr/lib/prosody/modules/mod_auth_ldap.lua:18: ldap_base" in (
        " | ".join(problems)
    )
    assert broken == {"b.test", "c.test", "conference.a.test"}
    assert server_wide is True  # nosuchmodule: its host is not named
    assert _health.verdict({"a.test": "ok"}, [], ["a.test"]) == ([], set(), False)
