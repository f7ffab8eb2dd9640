# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Count, per host, the tasks of a run that reached the host (the project's round-trip budget).

A task reaches the host when it ran (skipped ones do not count) a module there, once per loop
item: controller-only actions (assert, set_fact, include_role, argument validation ...) and tasks
delegated to the controller do not. At the end of the run it prints one line per host:
``round trips: <host> <count> <action>,<action>,...``. Enable it with
ANSIBLE_CALLBACK_PLUGINS=tests/integration/callback_plugins ANSIBLE_CALLBACKS_ENABLED=round_trips.
"""

from __future__ import annotations

DOCUMENTATION = r"""
name: round_trips
type: aggregate
short_description: Count the tasks of a run that reached each host
description:
  - Prints, at the end of a run, how many tasks ran a module on each host, and which.
"""

from collections import defaultdict

from ansible.plugins.callback import CallbackBase

CONTROLLER_ONLY = {
    "add_host",
    "assert",
    "debug",
    "fail",
    "group_by",
    "import_role",
    "import_tasks",
    "include_role",
    "include_tasks",
    "include_vars",
    "meta",
    "pause",
    "set_fact",
    "set_stats",
    "validate_argument_spec",
}


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "round_trips"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self.tasks = defaultdict(list)

    def _item(self, result):
        task = result._task
        action = task.action.rsplit(".", 1)[-1]
        delegated = task.delegate_to in ("localhost", "127.0.0.1")
        if action not in CONTROLLER_ONLY and not delegated:
            self.tasks[result._host.get_name()].append(action)

    def _task(self, result, ignore_errors=False):  # v2_runner_on_failed passes ignore_errors
        if "results" not in result._result:  # a loop's items were counted one by one
            self._item(result)

    v2_runner_on_ok = v2_runner_on_failed = v2_runner_on_unreachable = _task
    v2_runner_item_on_ok = v2_runner_item_on_failed = _item

    def v2_playbook_on_stats(self, stats):
        for host in sorted(set(stats.processed) | set(self.tasks)):
            actions = self.tasks.get(host, [])
            self._display.display("round trips: %s %d %s" % (host, len(actions), ",".join(actions)))
