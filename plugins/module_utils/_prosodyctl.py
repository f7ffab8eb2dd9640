# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""Prosody's admin shell (``prosodyctl shell``), wherever the runtime runs prosodyctl (_runtime.py)."""

from __future__ import annotations

import time

# Right after a start the admin socket may not listen yet (minutes with thousands of hosts); a
# container may still be starting. These answers mean "not yet", not "no".
RETRIES = 60
DELAY = 3
NOT_YET = ("Unable to connect", "is not running", "is restarting")


def shell(module, argv: list[str], command: str | None = None, data: str | None = None, environ=None, wait=True):
    """``prosodyctl shell`` (argv from a runtime's prosodyctl()), waiting while the server does not
    answer yet (``wait``: it was started, or should run; a check run asks once)."""
    argv = [*argv, "shell", *([command] if command else [])]
    for _attempt in range(RETRIES if wait else 1):
        rc, out, err = module.run_command(argv, data=data, environ_update=environ or {})
        if rc == 0 or not any(text in out + err for text in NOT_YET):
            break
        time.sleep(DELAY)
    return rc, out, err
