# SPDX-License-Identifier: GPL-3.0-or-later
"""Running a module's main() as a task would: its arguments, stand-in commands, its JSON result."""

from __future__ import annotations

import dataclasses
import grp
import json
import os
import textwrap

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.xmpp.prosody.plugins.module_utils.tiers import common, table

MY_GROUP = grp.getgrgid(os.getgid()).gr_name

# Stand-ins for the commands the modules run. Each logs its arguments to $FAKE/calls; systemctl
# keeps the unit's state in $FAKE/active and $FAKE/enabled; prosodyctl exits with $FAKE/check-rc.
COMMANDS = {
    "prosodyctl": """
        echo "prosodyctl $*" >> "$FAKE/calls"
        case "$*" in
          *"check config"*) rc=$(cat "$FAKE/check-rc" 2>/dev/null || echo 0)
            [ "$rc" = 0 ] || echo "Problems found: c2s_ports is misplaced"; exit "$rc" ;;
          *shell*) echo "| OK: hosts re-activated" ;;
        esac
    """,
    "systemctl": """
        echo "systemctl $*" >> "$FAKE/calls"
        case "$1" in
          show) echo "LoadState=loaded"; echo "ActiveState=$(cat "$FAKE/active")"
                echo "UnitFileState=$(cat "$FAKE/enabled")" ;;
          start|restart) echo active > "$FAKE/active" ;;
          stop) echo inactive > "$FAKE/active" ;;
          enable) echo enabled > "$FAKE/enabled" ;;
          disable) echo disabled > "$FAKE/enabled" ;;
        esac
    """,
    "dpkg-statoverride": """
        echo "dpkg-statoverride $*" >> "$FAKE/calls"
        case "$1" in
          --list) [ -s "$FAKE/overrides" ] || exit 1; cat "$FAKE/overrides" ;;
          --add) echo "$2 $3 $4 $5" >> "$FAKE/overrides" ;;
          --remove) grep -v " $2\\$" "$FAKE/overrides" > "$FAKE/kept"; mv "$FAKE/kept" "$FAKE/overrides" ;;
        esac
    """,
    # The engine: the container's State in $FAKE/state (none: no such container); a restart or a start
    # starts it now; `run` is the throwaway check (rc from $FAKE/check-rc), `exec` the admin shell.
    "docker": """
        echo "docker $*" >> "$FAKE/calls"
        now() {
          echo "{\\"Running\\": true, \\"StartedAt\\": \\"$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)\\"}" > "$FAKE/state"
        }
        case "$1" in
          inspect) [ -s "$FAKE/state" ] || { echo "Error: No such container: prosody" >&2; exit 1; }
                   cat "$FAKE/state" ;;
          start|restart) now ;;
          run) rc=$(cat "$FAKE/check-rc" 2>/dev/null || echo 0)
               [ "$rc" = 0 ] || echo "Problems found: c2s_ports is misplaced"; exit "$rc" ;;
          exec) case " $* " in
                  *" lua5.4 "*) while [ "$1" != lua5.4 ]; do shift; done; shift; QUIET=1 exec "$FAKE/lua5.4" "$@" ;;
                esac
                echo "| OK: 13.0" ;;
          logs) echo "prosody said something" ;;
        esac
    """,
    "journalctl": 'echo "journal: prosody said something"',
    # The health probe: every host answers with its features, but those listed in $FAKE/unserved.
    "lua5.4": """
        [ -n "$QUIET" ] || echo "lua5.4 $*" >> "$FAKE/calls"  # (docker exec logs its own call)
        cat > /dev/null  # the probe script, as lua5.4 - reads it (exiting first breaks the module's pipe)
        shift 6  # - timeout c2s-address c2s-port s2s-address s2s-port
        for host in "$@"; do
          name=${host#?:}
          if grep -qx "$name" "$FAKE/unserved" 2>/dev/null; then printf '%s\tthe server answered host-unknown\n' "$name"
          else printf '%s\tok\n' "$name"; fi
        done
    """,
    "dpkg-query": """
        shift 3  # -W -f FORMAT
        for package in "$@"; do
          if grep -qx "$package" "$FAKE/installed" 2>/dev/null; then echo "$package ii  1.0-test"
          else echo "dpkg-query: no packages found matching $package" >&2; rc=1; fi
        done
        exit ${rc:-0}
    """,
}


class Commands:
    def __init__(self, directory):
        self.directory = directory

    @property
    def calls(self) -> list[str]:
        path = self.directory / "calls"
        return path.read_text().splitlines() if path.exists() else []

    def set(self, name: str, value) -> None:
        (self.directory / name).write_text("%s\n" % value)

    def forget(self) -> None:
        (self.directory / "calls").unlink(missing_ok=True)


@pytest.fixture
def commands(tmp_path, monkeypatch):
    """The stand-in commands, first on PATH."""
    directory = tmp_path / "bin"
    directory.mkdir()
    for name, body in COMMANDS.items():
        script = directory / name
        script.write_text("#!/bin/sh\n" + textwrap.dedent(body))
        script.chmod(0o755)
    monkeypatch.setenv("PATH", "%s:%s" % (directory, os.environ["PATH"]))
    monkeypatch.setenv("FAKE", str(directory))
    fake = Commands(directory)
    fake.set("active", "active")
    fake.set("enabled", "enabled")
    return fake


@pytest.fixture(autouse=True)
def record(tmp_path, monkeypatch):
    """Every tier's deployment record in tmp_path instead of /var/lib/xmpp-prosody (for every test: the
    modules write it)."""
    path = tmp_path / "state" / "deployment.json"
    moved = dataclasses.replace(common.RECORD, path=str(path))
    for name, tier in table.TIERS.items():
        files = tuple(moved if f.key == "record" else f for f in tier.files)
        monkeypatch.setitem(table.TIERS, name, dataclasses.replace(tier, files=files))
    return path


@pytest.fixture
def run_main(capsys):
    """run_main(module, args, check=False, diff=False) -> (failed, result) of the module's main()."""

    def run(module, args, check=False, diff=False):
        args = dict(args, _ansible_check_mode=check, _ansible_diff=diff)
        umask = os.umask(0o022)  # a module may set its own (backup: 077); the process it runs in ends with it
        os.umask(umask)
        try:
            with patch_module_args(args), pytest.raises(SystemExit) as exited:
                module.main()
        finally:
            os.umask(umask)
        result = json.loads(capsys.readouterr().out)
        assert (exited.value.code != 0) == bool(result.get("failed")), result
        return bool(result.get("failed")), result

    return run
