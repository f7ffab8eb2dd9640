# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers the scenarios' testinfra tests share: the expected state from the tier table, the XMPP probe.

The verifiers only observe: accounts, hosts and tenants are added and removed by Molecule steps
(side_effect playbooks) before they run.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / ".build" / "collections"))

from ansible_collections.xmpp.prosody.plugins.module_utils._certplan import certificate_items  # noqa: E402
from ansible_collections.xmpp.prosody.plugins.module_utils._features import checks, missing  # noqa: E402
from ansible_collections.xmpp.prosody.plugins.module_utils._layout import plan  # noqa: E402
from ansible_collections.xmpp.prosody.plugins.module_utils._roots import resolve_roots  # noqa: E402
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import account  # noqa: E402
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS, well_known_paths  # noqa: E402

PROBE = "/usr/local/bin/xmpp-probe"  # installed by molecule/shared/prepare.yml


def expected_tree(tier: str, roots=None, hosts=()):
    """(path, kind, owner, group, mode) rows for every entry of a tier, from the layout data itself."""
    _roots, targets = plan(tier, roots, hosts)
    return [(t.path, t.kind, t.owner, t.group, "%04o" % t.mode) for t in targets]


def expected_files(tier: str, vhosts=(), components=(), roots=None):
    """(path, owner, group, mode) rows for every file the collection writes on a tier whose
    certificates a local CA issued, from the tier table: hosts' and components' own files included."""
    spec = TIERS[tier]
    paths = well_known_paths(tier, resolve_roots(spec, roots))
    items = [{"name": name} for name in vhosts], [{"name": name} for name in components]
    names = {
        "host_config": list(vhosts),
        "component_config": list(components),
        "cert": [item["name"] for item in certificate_items(*items, tier)],
    }
    names["key"] = names["cert"]
    rows = []
    for f in spec.files:
        for name in names.get(f.key, [None]) if "{host}" in paths[f.key] else [None]:
            path = paths[f.key].format(host=name) if name else paths[f.key]
            rows.append((path, account(f.owner), account(f.group), f.mode))
    return rows


KINDS = {"directory": "directory", "regular file": "file", "regular empty file": "file", "symbolic link": "link"}


def _entry(host, path) -> tuple:
    """(kind, owner, group, mode) of ``path`` itself (a link is not followed), in one command on the host
    (testinfra's File asks once per attribute)."""
    result = host.run("stat -c '%%F|%%U|%%G|%%a' -- %s", path)
    assert result.rc == 0, "%s: %s" % (path, result.stderr)
    kind, owner, group, mode = result.stdout.strip().split("|")
    return KINDS.get(kind, kind), owner, group, "%04o" % int(mode, 8)


def check_entry(host, path, kind, owner, group, mode) -> None:
    """An entry of the tier's tree is there, of its kind, with its owner, group and mode (a link's mode is moot)."""
    found = _entry(host, path)
    if kind == "link":
        assert found[:3] == ("link", owner, group), (path, found)
        return
    assert found == (kind, owner, group, mode), (path, found)


def check_file(host, path, owner, group, mode) -> None:
    """A file the collection writes is there with its owner, group and mode."""
    assert _entry(host, path) == ("file", owner, group, mode), path


def probe(
    host, jid, password, cafile, send_to=None, message=None, expect_ok=True, join_room=None, upload_to=None, extra=""
) -> dict:
    """Run the slixmpp probe inside the container against 127.0.0.1 and return its JSON result."""
    command = "python3 %s --jid %s --password %s --cafile %s%s" % (PROBE, jid, password, cafile, extra)
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


def missing_features(host, jid, password, cafile) -> list:
    """Log in and ask the server for every feature clients look for (plugins/module_utils/_features.py);
    the problems, each naming the feature and the module that offers it."""
    found = probe(host, jid, password, cafile, extra=" --features '%s'" % json.dumps(checks()))
    return missing(found["features"])


def main_pid(host) -> str:
    return host.check_output("systemctl show prosody -p MainPID --value")


os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
