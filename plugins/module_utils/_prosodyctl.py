# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""Where Prosody's tools run: on the host, or in the tier's container (service "container").

A container tier has no Prosody on the host. Its admin commands run with ``docker exec`` in the
running container, and a new configuration is judged by ``prosodyctl check config`` in a throwaway
container of the same image with the same mounts (no network), before the live one sees it.
Paths are the same inside and outside, so the config file's path means the same on both sides.
"""

from __future__ import annotations

import calendar
import json
import os
import re
import time

from ansible_collections.xmpp.prosody.plugins.module_utils._errors import ProsodyError
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import Tier
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import mounts

# The modules' `container` option (service "container" tiers).
CONTAINER_SPEC = dict(
    type="dict",
    options=dict(
        name=dict(type="str", required=True),
        image=dict(type="str"),
        user=dict(type="str", required=True),
    ),
)
# Right after a start the admin socket may not listen yet (minutes with thousands of hosts); a
# container may still be starting. These answers mean "not yet", not "no".
RETRIES = 60
DELAY = 3
NOT_YET = ("Unable to connect", "is not running", "is restarting")
_STARTED_AT = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?Z")


class ContainerError(ProsodyError):
    """The container tier cannot act: no container, no docker, or the container says why."""


def container_of(params: dict) -> dict:
    container = params.get("container")
    if not container:
        raise ContainerError("container: required for tier %r (name, image and user of its container)" % params["tier"])
    return container


def docker(module) -> str:
    path = module.get_bin_path("docker")
    if not path:
        raise ContainerError("docker: no docker command on this host; install Docker (docker.io or docker-ce) first")
    return path


def in_runtime(module, tier: Tier, params: dict, command: str, env: dict | None = None) -> list[str] | None:
    """The argv that runs ``command`` (a program of Prosody's package) where Prosody runs: on the host,
    or with ``docker exec`` in the container (``env`` passed in, stdin kept open). None when the host
    does not have it yet (check mode)."""
    if tier.service != "container":
        binary = module.get_bin_path(command, required=not module.check_mode)
        return binary and [binary]
    container = container_of(params)
    argv = [docker(module), "exec", "--interactive", "--user", container["user"]]
    for name, value in sorted((env or {}).items()):
        argv += ["--env", "%s=%s" % (name, value)]
    return [*argv, container["name"], command]


def prosodyctl(module, tier: Tier, config: str, params: dict, env: dict | None = None) -> list[str] | None:
    """The argv of ``prosodyctl --config CONFIG`` for the tier (see in_runtime)."""
    argv = in_runtime(module, tier, params, "prosodyctl", env)
    return argv and [*argv, "--config", config]


def check_command(module, tier: Tier, roots: dict, config: str, params: dict) -> list[str]:
    """``prosodyctl check config`` for the tier: on the host, or in a throwaway container of the image
    with the live mounts and no network."""
    if tier.service != "container":
        return [module.get_bin_path("prosodyctl", required=True), "--config", config, "check", "config"]
    container = container_of(params)
    if not container.get("image"):
        raise ContainerError("container.image: required to check the configuration in a throwaway container")
    argv = [docker(module), "run", "--rm", "--network", "none", "--user", container["user"]]
    argv += ["--entrypoint", "prosodyctl"]
    for path, read_only in mounts(tier.name, roots):
        argv += ["--mount", "type=bind,source=%s,target=%s%s" % (path, path, ",readonly" if read_only else "")]
    return [*argv, container["image"], "--config", config, "check", "config"]


def shell(module, argv: list[str], command: str | None = None, data: str | None = None, environ=None, wait=True):
    """``prosodyctl shell`` (argv from prosodyctl()), waiting while the server does not answer yet
    (``wait``: it was started, or should run; a check run asks once)."""
    argv = [*argv, "shell", *([command] if command else [])]
    for _attempt in range(RETRIES if wait else 1):
        rc, out, err = module.run_command(argv, data=data, environ_update=environ or {})
        if rc == 0 or not any(text in out + err for text in NOT_YET):
            break
        time.sleep(DELAY)
    return rc, out, err


def state(module, name: str) -> dict | None:
    """The container's State (Running, StartedAt, ...), or None when there is no such container."""
    argv = [docker(module), "inspect", "--type", "container", "--format", "{{json .State}}", name]
    rc, out, err = module.run_command(argv)
    if rc != 0:
        if "No such" in out + err:
            return None
        raise ContainerError("docker inspect %s failed: %s" % (name, (err or out).strip()))
    return json.loads(out)


def started_ns(started_at: str) -> int:
    """Docker's StartedAt (RFC 3339, UTC, up to nanoseconds) in nanoseconds since the epoch."""
    match = _STARTED_AT.fullmatch(started_at or "")
    if not match:
        raise ContainerError("container start time %r is not in Docker's format" % started_at)
    *fields, fraction = match.groups()
    seconds = calendar.timegm(tuple(int(f) for f in fields))
    return seconds * 10**9 + int((fraction or "0").ljust(9, "0"))


def started_after(container_state: dict, paths) -> bool:
    """Whether the container's process started after every one of ``paths`` (the deployment record
    and the files Prosody reads) was last written: then it has read everything the record holds
    pending. The record is written before the files, so the files' times count too."""
    written = [os.stat(path).st_mtime_ns for path in paths if os.path.exists(path)]
    if not container_state.get("Running"):
        return False
    return not written or started_ns(container_state.get("StartedAt")) > max(written)


def logs(module, name: str, lines: int = 20) -> str:
    """The container's last log lines, for an error message."""
    _rc, out, err = module.run_command([docker(module), "logs", "--tail", str(lines), name])
    return (out + err).strip()
