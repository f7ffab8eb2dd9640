# SPDX-License-Identifier: GPL-3.0-or-later
"""Host names and option names: every refusal names the field."""

from __future__ import annotations

import pytest

from ansible_collections.xmpp.prosody.plugins.module_utils._config import ConfigError, render_options
from ansible_collections.xmpp.prosody.plugins.module_utils._hosts import HostNameError, normalize_host


@pytest.mark.parametrize(
    ("name", "expected"),
    [("example.org", "example.org"), ("Example.ORG", "example.org"), ("bücher.de", "bücher.de"), ("a-b.c1", "a-b.c1")],
)
def test_valid_hosts_are_normalized(name, expected):
    assert normalize_host(name) == expected


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "is not a domain name"),
        (" example.org", "remove surrounding spaces"),
        ("example.org.", "ends with a dot"),
        ("a..b", "is not a valid domain name"),
        ("ex/ample.org", "invalid label 'ex/ample'"),
        ('ex"ample.org', "invalid label"),
        ("a b.org", "invalid label 'a b'"),
        ("-a.org", "invalid label '-a'"),
        ("a" * 64 + ".org", "is not a valid domain name"),
        (".".join(["a" * 60] * 5), "longer than 253 characters"),
        ("xn--bcher-kva.de", "uses the A-label 'xn--bcher-kva'"),
        ("line\nbreak.org", "invalid label"),
        (42, "expected a domain name string, got int"),
        (None, "expected a domain name string, got NoneType"),
    ],
)
def test_invalid_hosts_are_refused(name, message):
    with pytest.raises(HostNameError, match=None) as excinfo:
        normalize_host(name, "prosody_vhosts[0].name")
    assert str(excinfo.value).startswith("prosody_vhosts[0].name: ")
    assert message in str(excinfo.value)


def test_render_options_sorted_and_indented():
    assert render_options({"b": True, "a": ["x"]}, "f", indent=4) == '    a = { "x" }\n    b = true\n'


@pytest.mark.parametrize("name", ["with-dash", "with.dot", "Upper", "9lives", "", 'q"uote'])
def test_render_options_refuses_bad_names(name):
    with pytest.raises(ConfigError, match=r"f: option name .* is not allowed"):
        render_options({name: 1}, "f")


def test_render_options_names_bad_values():
    with pytest.raises(ConfigError, match=r"f\.x: value: nan has no Lua literal"):
        render_options({"x": float("nan")}, "f")
