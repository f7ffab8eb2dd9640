# SPDX-License-Identifier: GPL-3.0-or-later
"""Host names, option names and the roles' input check: every refusal names the field."""

from __future__ import annotations

import pytest

from ansible_collections.xmpp.prosody.plugins.module_utils._config import ConfigError, input_errors, render_options
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


def test_input_errors_lists_everything_at_once():
    errors = input_errors(
        vhosts=[
            {"name": "ok.example"},
            {"name": "OK.example"},
            {"name": "bad host"},
            {"name": "x.example", "settings": {"a-b": 1}},
        ],
        settings={"motd": float("inf"), "fine": "x"},
        admins=["admin@ok.example", "not a jid"],
    )
    assert errors == [
        "prosody_settings.motd: value: inf has no Lua literal; use a finite number",
        "prosody_vhosts[3].settings: option name 'a-b' is not allowed; Prosody option names are lowercase letters, "
        "digits and '_' (e.g. 'c2s_require_encryption')",
        "prosody_vhosts[1].name: 'ok.example' is already declared as prosody_vhosts[0]; declare each name once "
        "(Prosody also refuses a name that is both a VirtualHost and a Component)",
        "prosody_vhosts[2].name: 'bad host' has an invalid label 'bad host'; labels are 1-63 letters, digits or '-', "
        "not starting or ending with '-'",
        "prosody_admins[1]: 'not a jid' is not a bare JID like 'admin@example.org'",
    ]


def test_input_errors_empty_for_valid_input():
    assert (
        input_errors(
            [{"name": "example.org", "settings": {"motd_text": '"; os.execute("id") --'}}], {}, ["a@example.org"]
        )
        == []
    )


def test_input_errors_checks_components():
    errors = input_errors(
        vhosts=[{"name": "example.org"}],
        settings={},
        admins=[],
        components=[{"name": "Example.org"}, {"name": "bad/name"}, {"name": "muc.example.org", "settings": {"x-y": 1}}],
    )
    assert errors == [
        "prosody_components[2].settings: option name 'x-y' is not allowed; Prosody option names are lowercase "
        "letters, digits and '_' (e.g. 'c2s_require_encryption')",
        "prosody_components[0].name: 'example.org' is already declared as prosody_vhosts[0]; declare each name once "
        "(Prosody also refuses a name that is both a VirtualHost and a Component)",
        "prosody_components[1].name: 'bad/name' has an invalid label 'bad/name'; labels are 1-63 letters, digits or "
        "'-', not starting or ending with '-'",
    ]
