# SPDX-License-Identifier: GPL-3.0-or-later
"""xmpp.prosody.backup refuses what a backup of the host's files cannot hold, before it writes anything."""

from __future__ import annotations

import dataclasses
import json

from ansible_collections.xmpp.prosody.plugins.module_utils import _backup
from ansible_collections.xmpp.prosody.plugins.modules import backup


def test_a_deployment_with_a_database_of_another_server_is_refused(tmp_path, monkeypatch, run_main):
    root = tmp_path / "prosody"
    (root / "data").mkdir(parents=True)
    record = tmp_path / "deployment.json"
    record.write_text(
        json.dumps(
            {
                "format": 1,
                "tier": "minimal",
                "roots": {"root": str(root)},
                "vhosts": ["a.example"],
                "components": [],
                "pending": {},
                "databases": ["PostgreSQL database 'prosody' on db.example (global)"],
            }
        )
    )
    monkeypatch.setattr(_backup, "RECORD", dataclasses.replace(_backup.RECORD, path=str(record)))
    repository = tmp_path / "repo"
    failed, result = run_main(backup, {"repository": str(repository), "export": True})
    assert failed
    assert result["msg"].startswith("this deployment keeps data in an SQL database of its own server (PostgreSQL")
    assert not repository.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deployment.json", "prosody"]
