# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers the scenarios' testinfra tests share: the expected tree, account setup, the XMPP probe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PROBE = REPO / "tests" / "integration" / "xmpp_probe.py"
sys.path.insert(0, str(REPO / ".build" / "collections"))

from ansible_collections.xmpp.prosody.plugins.module_utils._layout import plan  # noqa: E402


def expected_tree(tier: str, roots=None, hosts=()):
    """(path, kind, owner, group, mode) rows for every entry of a tier, from the layout data itself."""
    _roots, targets = plan(tier, roots, hosts)
    return [(t.path, t.kind, t.owner, t.group, "%04o" % t.mode) for t in targets]


def converge(host, extra_vars: dict, playbook=None, *options: str) -> subprocess.CompletedProcess:
    """Run a playbook (default playbooks/site.yml) against this instance only, as a user would."""
    return subprocess.run(
        [
            "ansible-playbook",
            *options,
            str(playbook or REPO / "playbooks" / "site.yml"),
            "-i",
            os.environ["MOLECULE_INVENTORY_FILE"],
            "--limit",
            host.backend.get_hostname(),
            "-e",
            json.dumps(extra_vars),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def register(host, config: str, user: str, domain: str, password: str) -> None:
    """Create (or reset) an account with prosodyctl, as an operator would."""
    host.check_output("prosodyctl --config %s register %s %s %s", config, user, domain, password)


def probe(
    host, jid, password, cafile, send_to=None, message=None, expect_ok=True, join_room=None, upload_to=None
) -> dict:
    """Run the slixmpp probe inside the container against 127.0.0.1 and return its JSON result."""
    target = "/usr/local/bin/xmpp-probe"
    if not host.file(target).exists:
        content = PROBE.read_text()
        host.run("cat > %s <<'PROBE_EOF'\n%s\nPROBE_EOF" % (target, content))
    command = "python3 %s --jid %s --password %s --cafile %s" % (target, jid, password, cafile)
    if send_to:
        command += " --send-to %s" % send_to
    if join_room:
        command += " --join-room %s" % join_room
    if upload_to:
        command += " --upload-to %s" % upload_to
    if message:
        command += " --message '%s'" % message
    result = host.run(command)
    assert (result.rc == 0) == expect_ok, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, result.stdout + result.stderr
    return json.loads(lines[-1])


os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
