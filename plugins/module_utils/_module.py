# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""How every module of the collection ends: a result, or a message that names the field and the fix."""

from __future__ import annotations

from ansible_collections.xmpp.prosody.plugins.module_utils import _platform
from ansible_collections.xmpp.prosody.plugins.module_utils._errors import ProsodyError


def finish(module, run, name: str) -> None:
    """Exit with ``run()``'s result; refusals and file system errors become clean failures, not tracebacks.
    A target the collection does not support is refused first, before ``run`` looks at anything."""
    try:
        _platform.check()
        module.exit_json(**run())
    except ProsodyError as exc:
        module.fail_json(msg=str(exc))
    except OSError as exc:
        module.fail_json(msg="%s: %s" % (exc.filename or name, exc.strerror or exc))
