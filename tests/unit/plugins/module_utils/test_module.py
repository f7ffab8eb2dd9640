# SPDX-License-Identifier: GPL-3.0-or-later
"""finish(): results exit, refusals and OS errors fail with a message, bugs still raise."""

from __future__ import annotations

import pytest

from ansible_collections.xmpp.prosody.plugins.module_utils._module import finish
from ansible_collections.xmpp.prosody.plugins.module_utils._sections import SectionError


class Recorder:
    def __init__(self):
        self.exited = self.failed = None

    def exit_json(self, **kwargs):
        self.exited = kwargs

    def fail_json(self, **kwargs):
        self.failed = kwargs


def raise_(exc):
    raise exc


def test_result_exits():
    module = Recorder()
    finish(module, lambda: {"changed": True}, "x")
    assert module.exited == {"changed": True}


def test_refusal_fails_with_its_message():
    module = Recorder()
    finish(module, lambda: raise_(SectionError("hosts[0].name: bad")), "x")
    assert module.failed == {"msg": "hosts[0].name: bad"}


def test_os_error_names_the_file():
    module = Recorder()
    finish(module, lambda: raise_(PermissionError(13, "Permission denied", "/etc/prosody/x")), "x")
    assert module.failed == {"msg": "/etc/prosody/x: Permission denied"}


def test_a_bug_is_not_hidden():
    with pytest.raises(KeyError):
        finish(Recorder(), lambda: raise_(KeyError("bug")), "x")
