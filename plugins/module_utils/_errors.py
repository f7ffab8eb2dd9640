# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""The one base class of every failure the collection reports as a message."""

from __future__ import annotations


class ProsodyError(ValueError):
    """A failure reported as a message that names the field (or the cause) and the fix, never a traceback.
    Input is refused with one of these before anything on the host changes."""


class LayoutError(ProsodyError):
    """A layout request that cannot be honoured; the message names the field and the fix."""
