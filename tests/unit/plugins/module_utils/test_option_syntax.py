# SPDX-License-Identifier: GPL-3.0-or-later
"""Host names and option names: every refusal names the field."""

from __future__ import annotations

import pytest

from ansible_collections.xmpp.prosody.plugins.module_utils._hosts import HostNameError, normalize_host
from ansible_collections.xmpp.prosody.plugins.module_utils._option_syntax import ConfigError, render_options


@pytest.mark.parametrize(
    ("name", "expected"),
    [("example.org", "example.org"), ("Example.ORG", "example.org"), ("a-b.c1", "a-b.c1")],
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
        ("xn--bcher-kva.de", "uses the A-label 'xn--bcher-kva': an internationalized name, which is not supported"),
        # internationalized names, and look-alikes nameprep would fold into another name: refused, saying why
        ("bücher.test", "has characters outside ASCII (U+00FC); internationalized domain names are not supported"),
        ("bü\u200bcher.test", "(U+00FC, U+200B)"),  # zero-width space
        ("example\uff0etest", "(U+FF0E)"),  # fullwidth full stop
        ("exam\u00adple.test", "(U+00AD)"),  # soft hyphen
        ("\u212aelvin.test", "(U+212A)"),  # KELVIN SIGN, which str.lower() turns into 'k'
        ("\uff45xample.test", "(U+FF45)"),  # fullwidth letter
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


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("end", "a Lua reserved word"),
        ("nil", "a Lua reserved word"),
        ("function", "a Lua reserved word"),
        ("__currenthost", "one of Prosody's internal names"),  # would move the next options into another host
        ("__index", "one of Prosody's internal names"),
        ("include", "a function of Prosody's config file"),
        ("component", "a function of Prosody's config file"),
        ("host", "a function of Prosody's config file"),
    ],
)
def test_render_options_refuses_names_that_are_not_options(name, reason):
    with pytest.raises(ConfigError, match="f: option name %r is not allowed; it is %s" % (name, reason)):
        render_options({name: 1}, "f")


@pytest.mark.parametrize("name", ["_private", "ends_", "log", "hosts", "c2s_ports"])
def test_render_options_takes_option_names_close_to_refused_ones(name):
    assert render_options({name: 1}, "f") == "%s = 1\n" % name


def test_render_options_names_bad_values():
    with pytest.raises(ConfigError, match=r"f\.x: value: nan has no Lua literal"):
        render_options({"x": float("nan")}, "f")
