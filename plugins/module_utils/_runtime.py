# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""Where Prosody runs, and how the modules act on it: the packaged prosody.service on the host, the
tier's container, or the developer's own foreground process. ``runtime()`` chooses once, from the
tier's ``service``; nothing else in the collection branches on it.

Each runtime answers the same questions (does it run, does it start at boot, did it start after these
files were written) and does the same things (start, stop, restart, reload, run one of Prosody's
programs where Prosody is, judge a configuration). A container tier has no Prosody on the host: its
programs run with ``docker exec`` in the running container, and a new configuration is judged by
``prosodyctl check config`` in a throwaway container of the same image with the same mounts (no
network). Paths are the same inside and outside, so a path means the same on both sides.
"""

from __future__ import annotations

import calendar
import json
import os
import re

from ansible_collections.xmpp.prosody.plugins.module_utils._errors import ProsodyError
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import Tier
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS, mounts, tiers_with

UNIT = "prosody.service"
RUNNING = ("active", "reloading", "activating")
AT_BOOT = ("enabled", "enabled-runtime", "static", "alias", "indirect")
# The modules' `container` option (the container tier).
CONTAINER_SPEC = dict(
    type="dict",
    options=dict(
        name=dict(type="str", required=True),
        image=dict(type="str"),
        user=dict(type="str", required=True),
    ),
)
_STARTED_AT = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?Z")


class ServiceError(ProsodyError):
    """Prosody could not be brought into the wanted state; the message says what it said."""


class ContainerError(ProsodyError):
    """The container tier cannot act: no container, no docker, or the container says why."""


class Runtime:
    """What every runtime offers. Its state (``active``, ``at_boot``) is read when first asked for."""

    managed = False  # the engine starts, stops and reloads it (not so a developer's foreground server)
    in_container = False  # Prosody and its package are in the container's image, not on the host
    image = None

    def __init__(self, module, tier: Tier):
        self.module = module
        self.tier = tier
        self._state = None

    def _read(self) -> dict:
        return {"active": False, "at_boot": False}

    @property
    def active(self) -> bool:
        """Prosody runs now."""
        return self._current()["active"]

    @property
    def at_boot(self) -> bool:
        """Prosody starts at boot."""
        return self._current()["at_boot"]

    def _current(self) -> dict:
        if self._state is None:
            self._state = self._read()
        return self._state

    def command(self, program: str, env: dict | None = None) -> list[str] | None:
        """The argv that runs ``program`` (one of Prosody's package) where Prosody runs; None when the
        host does not have it yet (check mode)."""
        binary = self.module.get_bin_path(program, required=not self.module.check_mode)
        return binary and [binary]

    def prosodyctl(self, config: str, env: dict | None = None) -> list[str] | None:
        """The argv of ``prosodyctl --config CONFIG`` where Prosody runs (see command)."""
        argv = self.command("prosodyctl", env)
        return argv and [*argv, "--config", config]

    def check_command(self, roots: dict, config: str) -> list[str]:
        """``prosodyctl check config``, run before the live server sees the configuration."""
        return [self.module.get_bin_path("prosodyctl", required=True), "--config", config, "check", "config"]

    def require(self) -> None:
        """Fail now, naming what to install, when this runtime's own tools are missing."""

    def require_server(self) -> None:
        """Fail now when there is nothing to start: no service, no container (a check run predicts it)."""

    def started_after(self, paths) -> bool:
        """Whether Prosody started after every one of ``paths`` was last written (it read them all)."""
        return False

    def apply(self, action: str) -> None:
        """start, stop, restart or reload."""
        raise NotImplementedError

    def enable(self, wanted: bool) -> None:
        """Start at boot, or not."""
        raise NotImplementedError

    def daemon_reload(self) -> None:
        """Make the service manager read changed unit files (only systemd has any)."""

    def retire(self) -> None:
        """Keep a deployment that moved away stopped for good (kept, not removed). The package's unit
        serves the next tier too, so only a container has something to do."""


class Foreground(Runtime):
    """The developer's own server (the dev workspace's tools/dev-server.sh): never started by the engine."""

    def apply(self, action: str) -> None:
        raise ServiceError("%s: Prosody runs in the foreground here, started by you" % self.tier.name)

    def enable(self, wanted: bool) -> None:
        raise ServiceError("%s: nothing starts Prosody at boot here" % self.tier.name)


class SystemdHost(Runtime):
    """The package's prosody.service, with the collection's drop-in."""

    managed = True

    @property
    def systemctl(self) -> str:
        """Looked up when the unit is asked or acted on, not before (a module that only runs prosodyctl
        does not need it)."""
        return self.module.get_bin_path("systemctl", required=True)

    def _read(self) -> dict:
        rc, out, err = self.module.run_command(
            [self.systemctl, "show", UNIT, "--property=LoadState,ActiveState,UnitFileState"]
        )
        if rc != 0:
            raise ServiceError("systemctl show %s failed: %s" % (UNIT, (err or out).strip()))
        found = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
        return {
            "installed": found.get("LoadState") != "not-found",
            "active": found.get("ActiveState") in RUNNING,
            "at_boot": found.get("UnitFileState") in AT_BOOT,
        }

    def require_server(self) -> None:
        if not self._current()["installed"] and not self.module.check_mode:
            raise ServiceError("%s is not installed; install the prosody package first" % UNIT)

    def _systemctl(self, *args: str) -> None:
        rc, out, err = self.module.run_command([self.systemctl, *args])
        if rc != 0:
            journal = self.module.get_bin_path("journalctl")
            tail = self.module.run_command([journal, "-u", UNIT, "-n", "20", "--no-pager"])[1] if journal else ""
            raise ServiceError("systemctl %s failed: %s\n%s" % (" ".join(args), (err or out).strip(), tail.strip()))

    def apply(self, action: str) -> None:
        self._systemctl(action, UNIT)

    def enable(self, wanted: bool) -> None:
        self._systemctl("enable" if wanted else "disable", UNIT)

    def daemon_reload(self) -> None:
        self._systemctl("daemon-reload")


class Container(Runtime):
    """The tier's container: docker_container owns whether it exists and how it starts; this acts on it."""

    managed = True
    in_container = True

    def __init__(self, module, tier: Tier, container: dict | None):
        super().__init__(module, tier)
        self.container = container or {}
        self.user, self.image = self.container.get("user"), self.container.get("image")
        self.docker = module.get_bin_path("docker")

    @property
    def name(self) -> str:
        """The container's name, asked for when something acts on the container (not to check for docker)."""
        if not self.container.get("name"):
            raise ContainerError(
                "container: required for tier %r (name, image and user of its container)" % self.tier.name
            )
        return self.container["name"]

    def require(self) -> None:
        if not self.docker:
            raise ContainerError(
                "docker: no docker command on this host; install Docker (docker.io or docker-ce) first"
            )

    def _read(self) -> dict:
        """The container's State (Running, StartedAt, ...); None when there is no such container."""
        self.require()
        argv = [self.docker, "inspect", "--type", "container", "--format", "{{json .State}}", self.name]
        rc, out, err = self.module.run_command(argv)
        if rc != 0 and "No such" not in out + err:
            raise ContainerError("docker inspect %s failed: %s" % (self.name, (err or out).strip()))
        found = json.loads(out) if rc == 0 else None
        # whether it starts at boot is its restart policy, set with the container from the module's `enabled`
        return {
            "found": found,
            "active": bool(found and found.get("Running")),
            "at_boot": bool(self.module.params.get("enabled", True)),
        }

    def require_server(self) -> None:
        if self._current()["found"] is None and not self.module.check_mode:
            raise ServiceError("container %s does not exist; the role's container task creates it" % self.name)

    def command(self, program: str, env: dict | None = None) -> list[str]:
        self.require()
        argv = [self.docker, "exec", "--interactive", "--user", self.user]
        for name, value in sorted((env or {}).items()):
            argv += ["--env", "%s=%s" % (name, value)]
        return [*argv, self.name, program]

    def check_command(self, roots: dict, config: str) -> list[str]:
        self.require()
        if not self.image:
            raise ContainerError("container.image: required to check the configuration in a throwaway container")
        argv = [self.docker, "run", "--rm", "--network", "none", "--user", self.user, "--entrypoint", "prosodyctl"]
        for path, read_only in mounts(self.tier.name, roots):
            argv += ["--mount", "type=bind,source=%s,target=%s%s" % (path, path, ",readonly" if read_only else "")]
        return [*argv, self.image, "--config", config, "check", "config"]

    def started_after(self, paths) -> bool:
        """The record is written before the files, so the files' times count too."""
        written = [os.stat(path).st_mtime_ns for path in paths if os.path.exists(path)]
        if not self.active:
            return False
        return not written or started_ns(self._current()["found"].get("StartedAt")) > max(written)

    def apply(self, action: str) -> None:
        self.require()
        # reload: to the container's init, which passes it on to Prosody, its child
        args = ["kill", "--signal", "HUP", self.name] if action == "reload" else [action, self.name]
        rc, out, err = self.module.run_command([self.docker, *args])
        if rc != 0:
            raise ServiceError("docker %s failed: %s\n%s" % (" ".join(args), (err or out).strip(), self.logs()))

    def enable(self, wanted: bool) -> None:
        """Whether it starts at boot is its restart policy, which the role sets with the container."""

    def retire(self) -> None:
        """No restart policy: neither the engine nor a reboot starts the old container again."""
        self.require()
        rc, out, err = self.module.run_command([self.docker, "update", "--restart", "no", self.name])
        if rc != 0:
            raise ServiceError("docker update --restart no %s failed: %s" % (self.name, (err or out).strip()))

    def logs(self, lines: int = 20) -> str:
        """The container's last log lines, for an error message."""
        _rc, out, err = self.module.run_command([self.docker, "logs", "--tail", str(lines), self.name])
        return (out + err).strip()


def started_ns(started_at: str) -> int:
    """Docker's StartedAt (RFC 3339, UTC, up to nanoseconds) in nanoseconds since the epoch."""
    match = _STARTED_AT.fullmatch(started_at or "")
    if not match:
        raise ContainerError("container start time %r is not in Docker's format" % started_at)
    *fields, fraction = match.groups()
    seconds = calendar.timegm(tuple(int(f) for f in fields))
    return seconds * 10**9 + int((fraction or "0").ljust(9, "0"))


# The one place that reads a tier's ``service``: systemd (the package's unit), container, foreground.
KINDS = {"systemd": SystemdHost, "container": Container, "foreground": Foreground}


def runtime_class(tier: Tier) -> type:
    """The class of the tier's runtime, for what it can do (managed, in_container) without a host."""
    return KINDS[tier.service]


def runtime(module, tier: Tier, container: dict | None = None) -> Runtime:
    """The runtime of ``tier`` on this host (``container``: the module's container option)."""
    kind = runtime_class(tier)
    return kind(module, tier, container) if kind is Container else kind(module, tier)


def role_tiers() -> list[str]:
    """The tiers whose role deploys a server through the engine, which also runs it, sorted (not the dev
    workspace, which its own role lays out for a developer who runs the server)."""
    return [name for name in tiers_with("role") if runtime_class(TIERS[name]).managed]
