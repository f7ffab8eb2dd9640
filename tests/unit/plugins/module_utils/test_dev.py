# SPDX-License-Identifier: GPL-3.0-or-later
"""The dev workspace's generated files: three configs from one set of inputs, ports, fixtures."""

from __future__ import annotations

import json

import pytest

from ansible_collections.xmpp.prosody.plugins.module_utils import _dev
from ansible_collections.xmpp.prosody.plugins.module_utils._options import DEFAULT_MODULES, global_options, render_files
from ansible_collections.xmpp.prosody.plugins.module_utils._roots import resolve_roots
from ansible_collections.xmpp.prosody.plugins.module_utils._sections import normalize_items
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS, well_known_paths

ROOTS = resolve_roots(TIERS["dev"], {}, home="/home/dev")
PATHS = well_known_paths("dev", ROOTS)


def params(**given):
    base = dict(
        vhosts=[],
        components=[{"name": "conference.localhost", "type": "muc"}],
        admins=[],
        modules_enabled=list(DEFAULT_MODULES),
        modules_disabled=[],
        allow_registration=False,
        storage="",
        sql=None,
        log_level="info",
        settings={},
        modules=["hello"],
        ports={},
        profile_settings={},
        fixtures=[],
    )
    return dict(base, **given)


def test_default_ports_and_an_override():
    ports = _dev.ports({"testing": {"c2s": 35222}})
    assert ports["development"]["c2s"] == 15222
    assert ports["testing"] == dict(_dev.DEFAULT_PORTS["testing"], c2s=35222)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"development": {"c2s": 80}}, r"ports.development.c2s: 80 must be a number from 1024 to 65535"),
        ({"development": {"c2s": "15222"}}, r"ports.development.c2s: '15222' must be a number"),
        ({"development": {"c2s": True}}, r"ports.development.c2s: True must be a number"),
        ({"testing": {"http": 15280}}, r"ports.testing.http: 15280 is already the port of ports.development.http"),
        ({"development": {"c2s": 15269}}, r"ports.development.s2s: 15269 is already the port of ports.development.c2s"),
        ({"development": {"bosh": 15290}}, r"ports.development.bosh: not a port of the workspace"),
        ({"staging": {}}, r"ports: 'staging' is not a profile; the profiles are development, testing"),
        ({"development": 16222}, r"ports.development: expected a dict of names and values, got 16222"),
        ([16222], r"ports: expected a dict by profile"),
    ],
)
def test_bad_ports_are_refused_naming_the_field(given, message):
    with pytest.raises(_dev.DevError, match=message):
        _dev.ports(given)


def test_fixtures_default_to_alice_and_bob_on_the_first_host():
    assert _dev.fixtures([], ["a.test", "b.test"]) == [
        {"jid": "alice@a.test", "password": "alice-fixture"},
        {"jid": "bob@a.test", "password": "bob-fixture"},
    ]


@pytest.mark.parametrize(
    ("accounts", "message"),
    [
        ([{"jid": "alice@elsewhere.test", "password": "x"}], r"fixtures\[0\].jid: 'alice@elsewhere.test' is on no"),
        ([{"jid": "a.test", "password": "x"}], r"fixtures\[0\].jid: 'a.test' is not a bare JID"),
        ([{"jid": "alice@a.test", "password": ""}], r"fixtures\[0\].password: required"),
        ([{"jid": "alice@a.test", "password": "x"}, {"jid": "alice@a.test", "password": "y"}], r"fixtures\[1\]"),
    ],
)
def test_bad_fixtures_are_refused_naming_the_field(accounts, message):
    with pytest.raises(ValueError, match=message):
        _dev.fixtures(accounts, ["a.test"])


def test_development_and_testing_differ_only_where_they_must():
    texts = _dev.configs(params(), PATHS)
    development, testing = texts["config"], texts["testing_config"]
    assert 'log = { debug = "*console" }' in development
    assert 'log = { debug = "/home/dev/prosody-dev/data/test/prosody.log" }' in testing
    assert 'storage = "internal"' in development
    assert 'storage = "memory"' in testing
    yours_first = '    "/home/dev/prosody-dev/src/modules";\n    "/home/dev/prosody-dev/community";\n}'
    assert "plugin_paths = {\n" + yours_first in development
    assert "c2s_require_encryption = false" in development
    assert "c2s_require_encryption = false" in testing
    differing = set(development.splitlines()) ^ set(testing.splitlines())
    names = {line.split(" = ")[0] for line in differing if " = " in line}
    assert names == {
        "c2s_ports",
        "s2s_ports",
        "component_ports",
        "http_ports",
        "https_ports",
        "proxy65_ports",
        "data_path",
        "pidfile",
        "log",
        "storage",
    }


def test_testing_keeps_its_storage_in_memory_whatever_the_shared_storage():
    texts = _dev.configs(params(storage="sql", settings={"motd_text": "hi"}), PATHS)
    assert 'storage = "memory"' in texts["testing_config"]
    assert "sql = " not in texts["testing_config"]
    assert 'storage = "sql"' in texts["config"]
    assert 'database = "/home/dev/prosody-dev/data/dev/prosody.sqlite"' in texts["config"]
    for key in ("config", "testing_config", "production_config"):
        assert 'motd_text = "hi"' in texts[key]


def test_profile_settings_win_over_the_shared_settings():
    given = params(
        settings={"c2s_require_encryption": True, "motd_text": "shared"},
        profile_settings={"testing": {"motd_text": "testing"}},
    )
    texts = _dev.configs(given, PATHS)
    assert "c2s_require_encryption = true" in texts["config"]
    assert 'motd_text = "shared"' in texts["config"]
    assert 'motd_text = "testing"' in texts["testing_config"]


def test_production_is_the_minimal_tiers_file_for_the_same_inputs():
    given = params(settings={"motd_text": "hi"})
    text = _dev.configs(given, PATHS)["production_config"]
    minimal = well_known_paths("minimal", resolve_roots(TIERS["minimal"], {}))
    inputs = {name: given[name] for name in _dev.SHARED_INPUTS}
    inputs["vhosts"] = [{"name": "localhost"}]
    options = global_options("minimal", minimal, inputs, ["localhost"], ["conference.localhost"])
    sections = [item.section("option") for item in normalize_items(inputs["vhosts"], inputs["components"])]
    expected = render_files("minimal", minimal, options, sections)[minimal["config"]]
    first, body = text.split("\n", 1)
    assert first.startswith("-- Production: what xmpp.prosody.minimal writes to /prosody/prosody.cfg.lua")
    assert body == expected
    assert '"hello";' not in body  # the workspace's own modules stay in the workspace


def test_a_workspace_without_a_present_host_is_refused():
    with pytest.raises(_dev.DevError, match="vhosts: the workspace needs a host"):
        _dev.configs(params(vhosts=[{"name": "a.test", "state": "absent"}]), PATHS)


def test_module_names_are_checked():
    with pytest.raises(ValueError, match=r"modules\[0\]: '../x' is not a module name"):
        _dev.configs(params(modules=["../x"]), PATHS)


def test_production_inputs_leave_out_what_was_not_given():
    inputs = _dev.production_inputs(params(vhosts=[{"name": "a.test", "admins": None}], sql=None))
    assert inputs["prosody_vhosts"] == [{"name": "a.test"}]
    assert "prosody_sql" not in inputs
    assert "prosody_tier" not in inputs  # the inventory names the tier


def test_passwords_are_masked_in_diffs_of_the_json_files():
    text = _dev.dump({"prosody_sql": {"password": "s3cret"}, "list": [{"jid": "a@b", "password": "p"}]})
    shown = _dev.masked(text)
    assert "s3cret" not in shown
    assert '"p"' not in shown
    assert json.loads(shown)["list"][0]["jid"] == "a@b"
    assert _dev.masked(None) is None


def test_the_environment_has_every_port_and_the_ca():
    text = _dev.environment(params(), PATHS, ROOTS["root"], ["localhost"])
    lines = dict(line.split("=", 1) for line in text.splitlines()[1:])
    assert lines["WORKSPACE"] == "/home/dev/prosody-dev"
    assert lines["CA_FILE"] == "/home/dev/prosody-dev/certs/.ca/ca.pem"
    assert lines["DEV_C2S_PORT"] == "15222"
    assert lines["TEST_HTTPS_PORT"] == "25281"
    assert len(lines) == 3 + 2 * len(_dev.PORT_NAMES)


def test_both_servers_listen_on_the_loopback_interface_only():
    texts = _dev.configs(params(settings={"interfaces": ["*"]}), PATHS)
    for key in ("config", "testing_config"):
        assert 'interfaces = { "127.0.0.1" }' in texts[key]
        assert 'http_interfaces = { "127.0.0.1" }' in texts[key]
    assert 'interfaces = { "*" }' in texts["production_config"]


def test_shared_settings_cannot_move_what_makes_a_profile_but_its_own_settings_can():
    given = params(
        settings={"c2s_ports": [5222], "data_path": "/var/lib/prosody", "log": "*syslog"},
        profile_settings={"testing": {"c2s_ports": [35222]}},
    )
    texts = _dev.configs(given, PATHS)
    assert "c2s_ports = { 15222 }" in texts["config"]
    assert 'data_path = "/home/dev/prosody-dev/data/dev"' in texts["config"]
    assert 'log = { debug = "*console" }' in texts["config"]
    assert "c2s_ports = { 35222 }" in texts["testing_config"]
    assert "c2s_ports = { 5222 }" in texts["production_config"]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"develpment": {"motd_text": "x"}}, r"profile_settings: 'develpment' is not a profile"),
        ({"testing": ["motd_text"]}, r"profile_settings.testing: expected a dict"),
    ],
)
def test_bad_profile_settings_are_refused_naming_the_field(given, message):
    with pytest.raises(_dev.DevError, match=message):
        _dev.configs(params(profile_settings=given), PATHS)


def test_community_modules_and_calls_reach_all_three_configs_and_production():
    turn = {"secret": "Turn-Secret-0123456789", "host": None, "port": 3478, "install": True}
    given = params(community=[{"name": "cloud_notify", "source": None, "checksum": None, "enabled": True}], turn=turn)
    texts = _dev.configs(given, PATHS)
    for key in ("config", "testing_config", "production_config"):
        assert '"cloud_notify";' in texts[key]
        assert '"turn_external";' in texts[key]
        assert 'turn_external_secret = "Turn-Secret-0123456789"' in texts[key]
    # production is still the minimal tier's file: what its role writes with the same community modules
    minimal = well_known_paths("minimal", resolve_roots(TIERS["minimal"], {}))
    inputs = {name: given[name] for name in _dev.SHARED_INPUTS}
    inputs.update(vhosts=[{"name": "localhost"}], modules_enabled=[*DEFAULT_MODULES, "cloud_notify"], turn=turn)
    options = global_options("minimal", minimal, inputs, ["localhost"], ["conference.localhost"])
    sections = [item.section("option") for item in normalize_items(inputs["vhosts"], inputs["components"])]
    assert (
        texts["production_config"].split("\n", 1)[1]
        == render_files("minimal", minimal, options, sections)[minimal["config"]]
    )
    carried = _dev.production_inputs(given)  # tools/deploy.sh hands them to the tier roles as they were given
    assert carried["prosody_community_modules"] == [{"name": "cloud_notify", "enabled": True}]
    assert carried["prosody_turn"] == {"secret": "Turn-Secret-0123456789", "port": 3478, "install": True}
    assert "cloud_notify" not in carried["prosody_modules_enabled"]
    assert "Turn-Secret" not in _dev.masked(_dev.dump(carried))


def test_a_misspelled_community_module_is_refused_naming_the_field():
    with pytest.raises(ValueError, match=r"community\[0\].name: '../x' is not a module name"):
        _dev.configs(params(community=["../x"]), PATHS)
