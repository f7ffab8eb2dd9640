# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""The health gate: after a change, the running server serves every host it should, with its modules.

``prosodyctl check config`` judges the text of a configuration. Prosody loads modules only when it
runs, and a module can fail there (a required option left out, a library missing, a module on the
wrong kind of host) while the server keeps running and the host answers nobody, or nobody can log in.
So after xmpp.prosody.service has started, restarted, reloaded or activated, it asks the server:

- each host answers a stream with its features: a VirtualHost on the c2s port, as a client would
  connect, a component on the s2s port (a component takes no client streams);
- Prosody logged no module error since the change (its log names the module, the host and why).

The probe is Lua run by the interpreter Prosody itself runs on (``lua5.4`` with LuaSocket, both
dependencies of Debian's prosody package), so it runs the same on the host and inside a container.
"""

from __future__ import annotations

import os
import re

# Where the probe connects, when the configuration says nothing else (Prosody's own defaults).
DEFAULT_TARGET = {"c2s": ["127.0.0.1", 5222], "s2s": ["127.0.0.1", 5269]}
LUA = "lua5.4"
TIMEOUT = 10  # seconds a host may take to answer
LOG_TAIL = 4 << 20  # bytes of the log read back to this process's start, when there is no earlier mark
WELCOME = "Hello and welcome to Prosody version"  # the first line of every start

# arg: timeout, c2s address, c2s port, s2s address, s2s port, then "c:<name>" or "s:<name>" per host.
# Prints "<name>\tok" or "<name>\t<what went wrong>" per host. Names are validated DNS names.
PROBE = r"""
local socket = require "socket"
local timeout = tonumber(arg[1])
local target = { c = { arg[2], tonumber(arg[3]) }, s = { arg[4], tonumber(arg[5]) } }
local xmlns = { c = "jabber:client", s = "jabber:server" }
local function ask(kind, name)
  local address, port = target[kind][1], target[kind][2]
  local conn = socket.tcp()
  conn:settimeout(timeout)
  local ok, err = conn:connect(address, port)
  if not ok then return ("no answer on %s port %d (%s)"):format(address, port, err) end
  conn:send(("<?xml version='1.0'?><stream:stream xmlns='%s' xmlns:stream='http://etherx.jabber.org/streams'"
    .. " to='%s' version='1.0'>"):format(xmlns[kind], name))
  conn:settimeout(0)  -- read what has arrived, as soon as it has (select waits for it)
  local answer, deadline = "", socket.gettime() + timeout
  repeat
    local readable = socket.select({ conn }, nil, math.max(deadline - socket.gettime(), 0))
    if #readable == 0 then break end
    local data, rerr, partial = conn:receive(4096)
    answer = answer .. (data or partial or "")
    if rerr == "closed" then break end
  until answer:find("</stream:features>", 1, true) or answer:find("</stream:error>", 1, true)
  conn:send("</stream:stream>")
  conn:close()
  if answer:find("<stream:features", 1, true) then return "ok" end
  local condition = answer:match("<stream:error><([%w%-]+)")
  if condition then return ("the server answered %s"):format(condition) end
  return ("no stream features within %ds"):format(timeout)
end
for i = 6, #arg do
  local kind, name = arg[i]:match("^([cs]):(.+)$")
  io.write(name, "\t", ask(kind, name), "\n")
end
"""

_MODULE_ERROR = re.compile(
    r"(?:Error initializing|Error loading) module '(?P<module>[^']+)' on '(?P<host>[^']+)': (?P<error>.*)"
    r"|Unable to load module '(?P<missing>[^']+)': (?P<why>.*)"
)


def _first(value):
    return value[0] if isinstance(value, list | tuple) and value else value


def _address(interfaces) -> str:
    """An address a listener on ``interfaces`` answers on from this host."""
    interfaces = interfaces if isinstance(interfaces, list | tuple) else [interfaces]
    if "*" in interfaces or "0.0.0.0" in interfaces:
        return "127.0.0.1"
    if "::" in interfaces:
        return "::1"
    return str(interfaces[0])


def target(options: dict) -> dict:
    """Where the probe finds the c2s and s2s listeners of a configuration's global ``options`` (None for
    s2s when the server runs without it)."""
    wildcard = options.get("interfaces") or ["*"]
    found = {
        "c2s": [_address(options.get("c2s_interfaces") or wildcard), int(_first(options.get("c2s_ports")) or 5222)]
    }
    s2s_ports = options.get("s2s_ports", [5269])
    off = "s2s" in (options.get("modules_disabled") or []) or s2s_ports in ([], None)
    found["s2s"] = None if off else [_address(options.get("s2s_interfaces") or wildcard), int(_first(s2s_ports))]
    return found


def probe_argv(prefix: list[str], where: dict | None, vhosts, components) -> list[str]:
    """The probe's argv after ``prefix`` (the interpreter, on the host or through ``docker exec``): each
    VirtualHost on the c2s port, each component on the s2s port (none when s2s is off)."""
    where = where or DEFAULT_TARGET
    s2s = where["s2s"] or ["", 0]
    names = ["c:" + name for name in vhosts] + (["s:" + name for name in components] if where["s2s"] else [])
    return [*prefix, "-", str(TIMEOUT), where["c2s"][0], str(where["c2s"][1]), s2s[0], str(s2s[1]), *names]


def parse_probe(out: str) -> dict:
    """What the probe said of each host: "ok" or what went wrong."""
    found = {}
    for line in out.splitlines():
        name, tab, said = line.partition("\t")
        if tab:
            found[name] = said
    return found


def mark(path: str) -> tuple | None:
    """Where the log ends now (its inode and size), to read only what comes after the change."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_ino, info.st_size)


def since(path: str, before: tuple | None, started: bool) -> str:
    """What the log says after ``before`` (from its start when it was rotated or is new); ``started``:
    Prosody (re)started, so nothing before its last welcome line is of this process."""
    try:
        with open(path, "rb") as log:
            size = os.fstat(log.fileno()).st_size
            if before and before[0] == os.fstat(log.fileno()).st_ino and before[1] <= size:
                log.seek(before[1])
            elif size > LOG_TAIL:
                log.seek(size - LOG_TAIL)
            text = log.read().decode("utf-8", "replace")
    except OSError:
        return ""
    if started and WELCOME in text:
        text = text[text.rindex(WELCOME) :]
    return text


def module_errors(text: str) -> list[dict]:
    """The module errors in a log: host (None when the log names none), module and error, in order."""
    found = []
    for match in _MODULE_ERROR.finditer(text):
        if match.group("missing"):
            found.append({"host": None, "module": match.group("missing"), "error": match.group("why").strip()})
        else:
            found.append({"host": match.group("host"), "module": match.group("module"), "error": match.group("error")})
    return found


def verdict(probed: dict, errors: list[dict], expected) -> tuple[list[str], set, bool]:
    """The gate's findings: a line per problem, the hosts that are not healthy, and whether a problem
    is the whole server's (a global module, or one whose host the log does not name)."""
    problems, broken, server_wide = [], set(), False
    for name in expected:
        said = probed.get(name, "the probe did not report it")
        if said != "ok":
            problems.append("%s is not served: %s" % (name, said))
            broken.add(name)
    for error in errors:
        host = error["host"]
        if host in (None, "*"):
            server_wide = True
            where = "the server" if host else "the server (module not found)"
        else:
            broken.add(host)
            where = host
        problems.append("%s: module %s failed to load: %s" % (where, error["module"], error["error"]))
    return problems, broken, server_wide
