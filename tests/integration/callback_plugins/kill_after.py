# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Kill the run (SIGKILL, as an operator's kill -9 or a lost controller would) right after the task
whose name contains $XMPP_PROSODY_KILL_AFTER succeeded: nothing after it runs, no handler, no
cleanup. The Molecule scenarios use it to show that the next run completes what this one left.
Enable it with ANSIBLE_CALLBACKS_ENABLED=kill_after (and the callback_plugins directory).
"""

from __future__ import annotations

DOCUMENTATION = r"""
name: kill_after
type: aggregate
short_description: Kill the run right after a named task
description:
  - Sends SIGKILL to the controller right after the task whose name contains
    C($XMPP_PROSODY_KILL_AFTER) succeeded on a host.
"""

import os
import signal

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "kill_after"
    CALLBACK_NEEDS_ENABLED = True

    def _maybe_kill(self, result):
        wanted = os.environ.get("XMPP_PROSODY_KILL_AFTER")
        if wanted and wanted in result._task.get_name():  # role tasks: "role : name"
            self._display.display("kill_after: killing the run after %r" % result._task.get_name())
            os.kill(os.getpid(), signal.SIGKILL)

    def v2_runner_on_ok(self, result):
        self._maybe_kill(result)
