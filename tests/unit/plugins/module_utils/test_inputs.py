# SPDX-License-Identifier: GPL-3.0-or-later
"""The roles' input check: every problem at once, each naming the variable and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ansible_collections.xmpp.prosody.plugins.module_utils._inputs import input_errors, unknown_variables

SPEC = Path(__file__).resolve().parents[4] / "roles" / "prosody" / "meta" / "argument_specs.yml"
INTERFACE = list(yaml.safe_load(SPEC.read_text())["argument_specs"]["main"]["options"])
PAIR = {"certificate": "C", "key": "K"}


def errors(**inputs):
    return input_errors(dict({"prosody_tier": "enterprise"}, **inputs), INTERFACE)


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("prosody_vhost", "did you mean prosody_vhosts?"),
        ("prosody_admin", "did you mean prosody_admins?"),
        ("prosody_component", "did you mean prosody_components?"),
        ("prosody_tls_cert", "did you mean prosody_tls_certificate?"),
        ("prosody_prune_confim", "did you mean prosody_prune_confirm?"),
    ],
)
def test_a_misspelled_variable_is_refused_with_the_closest_name(name, suggestion):
    assert errors(**{name: []}) == [
        "%s: not a variable of the xmpp.prosody roles; %s (variables of your own need another prefix than prosody_)"
        % (name, suggestion)
    ]


def test_a_foreign_variable_without_a_close_name_is_refused_without_a_guess():
    message = unknown_variables(["prosody_xyzzy_quux"], INTERFACE)[0]
    assert "did you mean" not in message
    assert message.startswith("prosody_xyzzy_quux: not a variable of the xmpp.prosody roles")


def test_every_interface_variable_is_accepted():
    assert unknown_variables(INTERFACE, INTERFACE) == []


def test_everything_at_once_in_declaration_order():
    found = errors(
        prosody_vhosts=[
            {"name": "ok.example"},
            {"name": "OK.example"},
            {"name": "bad host"},
            {"name": "x.example", "settings": {"a-b": 1}},
        ],
        prosody_components=[{"name": "muc.ok.example"}, {"name": "ok.example", "type": "muc"}],
        prosody_settings={"motd": float("inf"), "fine": "x"},
        prosody_admins=["admin@ok.example", "not a jid"],
    )
    assert found == [
        "prosody_vhosts[1].name: 'ok.example' is already declared as prosody_vhosts[0]; declare each name once "
        "(Prosody also refuses a name that is both a VirtualHost and a Component)",
        "prosody_vhosts[2].name: 'bad host' has an invalid label 'bad host'; labels are 1-63 letters, digits or '-', "
        "not starting or ending with '-'",
        "prosody_vhosts[3].settings: option name 'a-b' is not allowed; Prosody option names are lowercase letters, "
        "digits and '_' (e.g. 'c2s_require_encryption')",
        "prosody_components[0].type: required for a present component; one of muc, http_file_share, proxy65, "
        "pubsub, external",
        "prosody_components[1].name: 'ok.example' is already declared as prosody_vhosts[0]; declare each name once "
        "(Prosody also refuses a name that is both a VirtualHost and a Component)",
        "prosody_settings.motd: value: inf has no Lua literal; use a finite number",
        "prosody_admins[1]: 'not a jid' is not a bare JID like 'admin@example.org'",
    ]


def test_valid_input_has_no_errors():
    hostile = '"; os.execute("id") --'
    assert (
        errors(
            prosody_vhosts=[{"name": "example.org", "settings": {"motd_text": hostile}}],
            prosody_components=[{"name": "gw.example.org", "type": "external", "secret": hostile}],
            prosody_admins=["a@example.org"],
            prosody_purge_tenants=["old.example"],
        )
        == []
    )


def test_host_certificates_against_the_declared_names_and_tier():
    vhosts, components = [{"name": "t1.example"}], [{"name": "upload.t1.example", "type": "http_file_share"}]
    own = {"upload.t1.example": PAIR}
    assert errors(prosody_vhosts=vhosts, prosody_components=components, prosody_tls_host_certificates=own) == []
    assert errors(prosody_vhosts=vhosts, prosody_tls_host_certificates={"t2.example": PAIR})
    minimal = input_errors(
        {"prosody_tier": "minimal", "prosody_vhosts": vhosts, "prosody_tls_host_certificates": {"t1.example": PAIR}},
        INTERFACE,
    )
    assert "one certificate for every host" in minimal[0]


@pytest.mark.parametrize(("certificate", "key"), [("C", ""), ("", "K")])
def test_a_certificate_needs_its_key(certificate, key):
    assert errors(prosody_tls_certificate=certificate, prosody_tls_key=key) == [
        "prosody_tls_certificate and prosody_tls_key go together: give both PEM texts, or neither to have a local CA "
        "issue them"
    ]


def test_purging_a_declared_tenant_or_on_a_tier_without_archive_is_refused():
    declared = errors(prosody_vhosts=[{"name": "t1.example"}], prosody_purge_tenants=["T1.example"])
    assert declared == [
        "prosody_purge_tenants deletes archived tenant data for good, and only of tenants no longer in "
        "prosody_vhosts (T1.example); take them out of prosody_vhosts first, or out of prosody_purge_tenants"
    ]
    minimal = input_errors({"prosody_tier": "minimal", "prosody_purge_tenants": ["t1.example"]}, INTERFACE)
    assert minimal == [
        "prosody_purge_tenants: the minimal tier keeps no archive; purge is for tiers with one (enterprise)"
    ]


def test_accounts_are_checked_against_the_declared_hosts():
    vhosts = [{"name": "a.example"}]
    components = [{"name": "muc.a.example", "type": "muc"}]
    assert errors(prosody_vhosts=vhosts, prosody_accounts=[{"jid": "alice@a.example", "password": "pw"}]) == []
    found = errors(
        prosody_vhosts=vhosts,
        prosody_components=components,
        prosody_accounts=[{"jid": "bob@b.example", "password": "pw"}, {"jid": "room@muc.a.example", "password": "x"}],
    )
    assert found == [
        "prosody_accounts[0].jid: b.example is not in prosody_vhosts; declare the host or remove the account",
        "prosody_accounts[1].jid: muc.a.example is not in prosody_vhosts; declare the host or remove the account",
    ]
    assert errors(prosody_vhosts=vhosts, prosody_accounts=[{"jid": "carol@a.example"}]) == [
        "prosody_accounts[0].password: required for an account that is present (carol@a.example)"
    ]


def test_contact_info_in_settings_is_checked_before_anything_changes():
    found = errors(prosody_settings={"contact_info": {"abuse": ["abuse@example.org"]}})
    assert found == [
        "prosody_settings.contact_info.abuse[0]: 'abuse@example.org' is not a URI; start it with xmpp:, mailto:, "
        "https:, http:, tel:, sip:"
    ]


def test_community_modules_and_turn_are_checked_before_anything_changes():
    found = errors(prosody_community_modules=["../x"], prosody_turn={"secret": "short"})
    assert found[0].startswith("prosody_community_modules[0].name: '../x' is not a module name")
    assert found[1].startswith("prosody_turn.secret: give a random string of at least 16 characters")
    assert len(found) == 2
