# SPDX-License-Identifier: GPL-3.0-or-later
"""The Lua serializer: golden cases, refusals, and a round trip through a real Lua 5.4."""

from __future__ import annotations

import math

import lupa.lua54 as lupa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.xmpp.prosody.plugins.module_utils._lua import (
    LuaSerializationError,
    is_identifier,
    lua_string,
    to_lua,
)

LUA = lupa.LuaRuntime(encoding=None, unpack_returned_tuples=False)


def lua_eval(expression: str):
    """Evaluate a Lua expression in a real Lua 5.4 and convert the result to Python."""
    return from_lua(LUA.execute("return " + expression))


def from_lua(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if lupa.lua_type(value) == "table":
        items = {from_lua(k): from_lua(v) for k, v in value.items()}
        if _is_sequence(items):
            return [items[i] for i in range(1, len(items) + 1)]
        return items
    return value


def _is_sequence(table: dict) -> bool:
    """Keys 1..n (integers, not booleans): Lua cannot tell such a table from a list."""
    return all(isinstance(k, int) and not isinstance(k, bool) for k in table) and set(table) == set(
        range(1, len(table) + 1)
    )


def canonical(value):
    """The Python value Lua is expected to give back: tuples, empty dicts and dicts keyed 1..n
    (found by the property test: {1: False}) are sequences."""
    if isinstance(value, dict):
        if _is_sequence(value):
            return [canonical(value[i]) for i in range(1, len(value) + 1)]
        return {k: canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    return value


GOLDEN = [
    (None, "nil"),
    (True, "true"),
    (False, "false"),
    (0, "0"),
    (-42, "-42"),
    (2**63 - 1, "9223372036854775807"),
    (1.5, "1.5"),
    (1e16, "1e+16"),
    ("", '""'),
    ("plain", '"plain"'),
    ('say "hi"', '"say \\"hi\\""'),
    ("back\\slash", '"back\\\\slash"'),
    ("a\nb\r\tc", '"a\\nb\\r\\tc"'),
    ("\x01" + "9", '"\\0019"'),
    ("\x7f", '"\\127"'),
    ("]]==]", '"]]==]"'),
    ("café 日本", '"café 日本"'),
    ('"; os.execute("id") --', '"\\"; os.execute(\\"id\\") --"'),
    ([], "{}"),
    ({}, "{}"),
    (["a", 1, True], '{ "a", 1, true }'),
    ({"b": 1, "a": 2}, "{ a = 2, b = 1 }"),
    ({"end": 1, "with-dash": 2, "ok_1": 3}, '{ ["end"] = 1, ok_1 = 3, ["with-dash"] = 2 }'),
    ({5281: "x", "default": "y"}, '{ [5281] = "x", default = "y" }'),
    ({"levels": {"min": "info"}}, '{ levels = { min = "info" } }'),
    ((1, 2), "{ 1, 2 }"),
]


@pytest.mark.parametrize(("value", "expected"), GOLDEN)
def test_golden(value, expected):
    assert to_lua(value) == expected


@pytest.mark.parametrize(("value", "expected"), GOLDEN)
def test_golden_cases_mean_the_same_in_lua(value, expected):
    assert lua_eval(expected) == canonical(value)


def test_injection_stays_a_string():
    hostile = '"; os.execute("id") --'
    rendered = "motd_text = " + to_lua(hostile)
    env = LUA.eval("{}")
    LUA.eval("function(chunk, env) return load(chunk, 'cfg', 't', env)() end")(rendered.encode(), env)
    assert env[b"motd_text"] == hostile.encode()
    assert list(env.keys()) == [b"motd_text"]


def test_pretty_print_is_valid_lua_and_indented():
    value = {"log": [{"levels": {"min": "info"}, "to": "file", "filename": "/var/log/prosody/prosody.log"}]}
    text = to_lua(value, indent=4)
    assert text.splitlines()[1].startswith("    log = {")
    assert lua_eval(text) == value


def test_pretty_print_keeps_short_tables_inline():
    assert to_lua(["a", "b"], indent=4) == '{ "a", "b" }'


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (float("nan"), "value: nan has no Lua literal"),
        (float("inf"), "value: inf has no Lua literal"),
        ([1, float("-inf")], "value[1]: -inf has no Lua literal"),
        (b"bytes", "value: cannot represent a value of type bytes"),
        ({"a": {1, 2}}, "value['a']: cannot represent a value of type set"),
        ([1, None], "value[1]: None (nil) cannot be stored"),
        ({"k": None}, "value['k']: None (nil) cannot be stored"),
        ({(1, 2): "x"}, "table key (1, 2) of type tuple is not allowed"),
        ({True: "x"}, "table key True of type bool is not allowed"),
        (2**63, "outside Lua's 64-bit integer range"),
        ("\ud800", "value: string is not valid Unicode text"),
        (object(), "cannot represent a value of type object"),
    ],
)
def test_refusals_name_the_element(value, message):
    with pytest.raises(LuaSerializationError, match=None) as excinfo:
        to_lua(value)
    assert message in str(excinfo.value)


@pytest.mark.parametrize("indent", [-1, "2", True])
def test_bad_indent_is_refused(indent):
    with pytest.raises(LuaSerializationError, match="indent must be"):
        to_lua([1], indent=indent)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("modules_enabled", True), ("_x9", True), ("9x", False), ("a-b", False), ("end", False), ("", False)],
)
def test_is_identifier(name, expected):
    assert is_identifier(name) is expected


def test_lua_string_escapes_every_control_character():
    text = "".join(chr(c) for c in range(32)) + "\x7f"
    literal = lua_string(text)
    assert all(ord(c) >= 32 and c != "\x7f" for c in literal)
    assert lua_eval(literal) == text


# --- property: anything we accept means the same thing in real Lua -------------------------------
SCALARS = (
    st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
KEYS = st.text() | st.integers(min_value=-(2**63), max_value=2**63 - 1)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(KEYS, children, max_size=5),
    max_leaves=20,
)


def same(expected, actual) -> bool:
    """Equality that treats -0.0 and 0.0 as different and follows containers."""
    if isinstance(expected, float):
        return isinstance(actual, float) and (
            expected == actual and math.copysign(1, expected) == math.copysign(1, actual)
        )
    if isinstance(expected, list):
        return isinstance(actual, list) and len(expected) == len(actual) and all(map(same, expected, actual))
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and expected.keys() == actual.keys()
            and all(same(v, actual[k]) for k, v in expected.items())
        )
    return type(expected) is type(actual) and expected == actual


@settings(max_examples=2500, deadline=None)
@given(value=VALUES, indent=st.none() | st.integers(min_value=0, max_value=8))
def test_round_trip_through_real_lua(value, indent):
    literal = to_lua(value, indent=indent)
    assert same(canonical(value), lua_eval(literal)), literal


def test_key_with_trailing_newline_is_quoted():
    # Found by the property test: Python's "$" also matches before a final newline.
    assert to_lua({"A\n": 1}) == '{ ["A\\n"] = 1 }'


def test_smallest_integer_stays_an_integer():
    # Found by the property test: Lua reads -9223372036854775808 as -(2^63), a float.
    assert lua_eval(to_lua(-(2**63))) == -(2**63)
    assert isinstance(lua_eval(to_lua(-(2**63))), int)
