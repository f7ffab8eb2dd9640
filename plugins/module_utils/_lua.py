# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""The one serializer from Python data to Lua literals.

Prosody's configuration is executable Lua, evaluated as root by ``prosodyctl check config``:
every value the collection writes into a config goes through :func:`to_lua`, so escaping is
decided in exactly one place.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from ansible_collections.xmpp.prosody.plugins.module_utils._errors import ProsodyError

LUA_KEYWORDS = frozenset(
    [
        "and",
        "break",
        "do",
        "else",
        "elseif",
        "end",
        "false",
        "for",
        "function",
        "goto",
        "if",
        "in",
        "local",
        "nil",
        "not",
        "or",
        "repeat",
        "return",
        "then",
        "true",
        "until",
        "while",
    ]
)
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Lua integers are signed 64 bit; larger Python ints would silently become floats.
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1
# Tables that fit on one line this wide are written inline when pretty-printing.
_INLINE_WIDTH = 72


class LuaSerializationError(ProsodyError):
    """A value that has no safe Lua representation; the message names where it is."""


def lua_string(value: str) -> str:
    """Return ``value`` as a double-quoted Lua string literal that evaluates to the same UTF-8 text."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:  # lone surrogates have no UTF-8 form
        raise LuaSerializationError("string is not valid Unicode text: %s" % exc) from None
    out = []
    for char in value:
        code = ord(char)
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif code < 32 or code == 127:
            # Always three digits: "\1" followed by "9" would read as "\19".
            out.append("\\%03d" % code)
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def is_identifier(name: str) -> bool:
    """True when ``name`` can be written as a bare Lua table key or variable name."""
    return bool(_IDENTIFIER.fullmatch(name)) and name not in LUA_KEYWORDS


def _scalar(value, where: str) -> str | None:
    """Render a non-container value, or return None when ``value`` is a container."""
    if value is None:
        return "nil"
    if isinstance(value, bool):  # before int: bool is an int subclass
        return "true" if value else "false"
    if isinstance(value, int):
        if not _INT_MIN <= value <= _INT_MAX:
            raise LuaSerializationError("%s: integer %d is outside Lua's 64-bit integer range" % (where, value))
        if value == _INT_MIN:
            # Lua reads "-9223372036854775808" as -(2^63), which overflows to a float.
            return "(%d - 1)" % (_INT_MIN + 1)
        return str(int(value))
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise LuaSerializationError("%s: %r has no Lua literal; use a finite number" % (where, value))
        return repr(float(value))
    if isinstance(value, str):
        try:
            return lua_string(str(value))
        except LuaSerializationError as exc:
            raise LuaSerializationError("%s: %s" % (where, exc)) from None
    if isinstance(value, (Mapping, list, tuple)):
        return None
    raise LuaSerializationError(
        "%s: cannot represent a value of type %s in Lua; use a string, number, boolean, list or dict"
        % (where, type(value).__name__)
    )


def _key(key, where: str) -> tuple[tuple[int, object], str]:
    """Return (sort key, rendered key) for a table key."""
    if isinstance(key, bool) or not isinstance(key, (str, int)):
        raise LuaSerializationError(
            "%s: table key %r of type %s is not allowed; keys must be strings or integers"
            % (where, key, type(key).__name__)
        )
    if isinstance(key, int):
        return (0, key), "[%s]" % _scalar(key, where)
    key = str(key)
    return (1, key), key if is_identifier(key) else "[%s]" % lua_string(key)


def _items(value, where: str) -> list[tuple[str | None, object, str]]:
    """The (rendered key or None for list items, value, path) of a container, in stable order."""
    if isinstance(value, Mapping):
        keyed = []
        for key, item in value.items():
            sort_key, rendered = _key(key, where)
            keyed.append((sort_key, rendered, item, "%s[%r]" % (where, key)))
        keyed.sort(key=lambda entry: entry[0])
        return [(rendered, item, path) for _sort, rendered, item, path in keyed]
    return [(None, item, "%s[%d]" % (where, index)) for index, item in enumerate(value)]


def _render(value, where: str, indent: int | None, level: int) -> str:
    scalar = _scalar(value, where)
    if scalar is not None:
        return scalar
    parts = []
    for key, item, path in _items(value, where):
        if item is None:
            # nil in a table is no entry at all: in a list it would leave a hole.
            raise LuaSerializationError("%s: None (nil) cannot be stored in a list or table; remove the entry" % path)
        rendered = _render(item, path, indent, level + 1)
        parts.append(rendered if key is None else "%s = %s" % (key, rendered))
    if not parts:
        return "{}"
    inline = "{ " + ", ".join(parts) + " }"
    if indent is None or (len(inline) + indent * level <= _INLINE_WIDTH and "\n" not in inline):
        return inline
    pad = " " * (indent * (level + 1))
    return "{\n" + "".join("%s%s;\n" % (pad, part) for part in parts) + " " * (indent * level) + "}"


def to_lua(value, indent: int | None = None, level: int = 0) -> str:
    """Serialize ``value`` to a Lua expression.

    ``indent`` (spaces) pretty-prints tables wider than one line; ``level`` is the nesting depth the
    expression starts at, so a table rendered inside a template lines up with its surroundings.
    Mappings become tables with stably sorted keys, lists and tuples become sequences.
    NaN, infinities, bytes, None inside containers and unknown types raise LuaSerializationError.
    """
    if indent is not None and (isinstance(indent, bool) or not isinstance(indent, int) or indent < 0):
        raise LuaSerializationError("indent must be a non-negative integer or None, got %r" % (indent,))
    return _render(value, "value", indent, level)
