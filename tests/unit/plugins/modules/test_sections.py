# SPDX-License-Identifier: GPL-3.0-or-later
"""vhost and component modules (one engine): planning, hostile input, exclusivity, rollback, secrets."""

from __future__ import annotations

import grp
import os
import pwd
import stat

import pytest

from ansible_collections.xmpp.prosody.plugins.module_utils._changes import ChangeError
from ansible_collections.xmpp.prosody.plugins.module_utils._errors import LayoutError, ProsodyError
from ansible_collections.xmpp.prosody.plugins.module_utils._sections import MARKER, SectionError, run

ME = pwd.getpwuid(os.getuid()).pw_name
MY_GROUP = grp.getgrgid(os.getgid()).gr_name
SECRET = 's3cr3t"; os.execute("id") --'


class FakeModule:
    def __init__(self, tmp_path, check_mode=False, prosodyctl_rc=0, **params):
        self.params = {
            "tier": "debian",
            "roots": {"config": str(tmp_path / "etc"), "data": str(tmp_path / "data"), "log": str(tmp_path / "log")},
            "prune": False,
            "validate": True,
            "config": None,
            "group": MY_GROUP,
        }
        self.params.update(params)
        self.check_mode = check_mode
        self._diff = True
        self.prosodyctl_rc = prosodyctl_rc
        self.commands = []

    def get_bin_path(self, name, required=False):
        return "/usr/bin/" + name

    def run_command(self, argv):
        self.commands.append(argv)
        return self.prosodyctl_rc, "", "" if self.prosodyctl_rc == 0 else "Problems found: c2s_ports is misplaced"


@pytest.fixture
def etc(tmp_path):
    for directory in ("etc/conf.avail", "etc/conf.d"):
        (tmp_path / directory).mkdir(parents=True)
    return tmp_path / "etc"


def vhosts(tmp_path, hosts, **kwargs):
    module = FakeModule(tmp_path, **kwargs)
    return module, run(module, "vhost", hosts)


def components(tmp_path, comps, **kwargs):
    module = FakeModule(tmp_path, **kwargs)
    return module, run(module, "component", comps)


def tree(root):
    out = {}
    for base, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(base, name)
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                out[path] = (os.readlink(path), st.st_mode)
            else:
                with open(path, "rb") as handle:
                    out[path] = (handle.read(), st.st_mode)
    return out


def test_present_enabled_host_is_a_file_and_a_link(tmp_path, etc):
    module, result = vhosts(
        tmp_path, [{"name": "Example.ORG", "admins": ["a@example.org"], "settings": {"motd_text": "hi"}}]
    )
    path = etc / "conf.avail/example.org.cfg.lua"
    assert path.read_text() == (
        MARKER % "vhost" + 'VirtualHost "example.org"\n    admins = { "a@example.org" }\n    motd_text = "hi"\n'
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert os.readlink(etc / "conf.d/example.org.cfg.lua") == "../conf.avail/example.org.cfg.lua"
    assert [c["action"] for c in result["changes"]] == ["create", "link"]
    assert result["validated"] is True
    assert module.commands == [["/usr/bin/prosodyctl", "--config", str(etc / "prosody.cfg.lua"), "check", "config"]]
    _module, again = vhosts(
        tmp_path, [{"name": "example.org", "admins": ["a@example.org"], "settings": {"motd_text": "hi"}}]
    )
    assert again["changed"] is False


def test_check_mode_predicts_exactly_and_writes_nothing(tmp_path, etc):
    hosts = [{"name": "a.example"}, {"name": "b.example", "enabled": False}]
    _m, predicted = vhosts(tmp_path, hosts, check_mode=True)
    assert tree(etc) == {}
    _m, real = vhosts(tmp_path, hosts)
    assert predicted["changes"] == real["changes"]
    assert predicted["changed"]
    assert real["changed"]


def test_disable_then_absent_then_prune(tmp_path, etc):
    vhosts(tmp_path, [{"name": "a.example"}, {"name": "b.example"}])
    _m, disabled = vhosts(tmp_path, [{"name": "a.example", "enabled": False}])
    assert [c["action"] for c in disabled["changes"]] == ["unlink"]
    assert (etc / "conf.avail/a.example.cfg.lua").exists()
    assert not os.path.lexists(etc / "conf.d/a.example.cfg.lua")
    _m, absent = vhosts(tmp_path, [{"name": "a.example", "state": "absent"}])
    assert [c["action"] for c in absent["changes"]] == ["remove"]
    (etc / "conf.avail/handmade.cfg.lua").write_text('VirtualHost "handmade.example"\n')
    _m, pruned = vhosts(tmp_path, [], prune=True)
    assert [(c["action"], c["name"]) for c in pruned["changes"]] == [("unlink", "b.example"), ("remove", "b.example")]
    assert sorted(os.listdir(etc / "conf.avail")) == ["handmade.cfg.lua"]  # not ours: kept


def test_enterprise_disables_with_an_option(tmp_path):
    (tmp_path / "srv/config/hosts").mkdir(parents=True)
    roots = {"root": str(tmp_path / "srv")}
    vhosts(tmp_path, [{"name": "t.example", "enabled": False}], tier="enterprise", roots=roots)
    assert "    enabled = false\n" in (tmp_path / "srv/config/hosts/t.example.cfg.lua").read_text()


def test_rejected_config_is_rolled_back(tmp_path, etc):
    vhosts(tmp_path, [{"name": "a.example", "settings": {"motd_text": "old"}}])
    before = tree(etc)
    with pytest.raises(ChangeError, match="prosodyctl check config refused the new configuration") as excinfo:
        vhosts(
            tmp_path,
            [{"name": "a.example", "settings": {"c2s_ports": [5222]}}, {"name": "new.example"}],
            prosodyctl_rc=2,
        )
    assert "c2s_ports is misplaced" in str(excinfo.value)
    assert tree(etc) == before


def test_drifted_mode_is_repaired(tmp_path, etc):
    vhosts(tmp_path, [{"name": "a.example"}])
    os.chmod(etc / "conf.avail/a.example.cfg.lua", 0o666)
    _m, result = vhosts(tmp_path, [{"name": "a.example"}])
    assert [c["action"] for c in result["changes"]] == ["repair"]
    assert stat.S_IMODE((etc / "conf.avail/a.example.cfg.lua").stat().st_mode) == 0o640


def test_external_component_secret_never_in_diff_or_result(tmp_path, etc):
    _m, result = components(tmp_path, [{"name": "gw.example", "type": "external", "secret": SECRET}])
    assert (
        'component_secret = "s3cr3t\\"; os.execute(\\"id\\") --"' in (etc / "conf.avail/gw.example.cfg.lua").read_text()
    )
    assert "s3cr3t" not in repr(result)
    assert 'component_secret = "********"' in result["diff"][0]["after"]
    _m, changed = components(tmp_path, [{"name": "gw.example", "type": "external", "secret": "another"}])
    assert "s3cr3t" not in repr(changed)
    assert "another" not in repr(changed)
    assert changed["changed"] is True
    assert changed["diff"][0]["after"].endswith("-- (a secret value changed; neither value is shown)\n")


def test_vhost_sql_password_masked_in_diff(tmp_path, etc):
    _m, result = vhosts(
        tmp_path, [{"name": "a.example", "storage": "sql", "sql": {"driver": "PostgreSQL", "password": "pw-123"}}]
    )
    assert "pw-123" not in repr(result["diff"])
    assert "pw-123" in (etc / "conf.avail/a.example.cfg.lua").read_text()


def test_muc_component_renders_module(tmp_path, etc):
    components(tmp_path, [{"name": "conference.example", "type": "muc", "modules_enabled": ["muc_mam"]}])
    text = (etc / "conf.avail/conference.example.cfg.lua").read_text()
    assert 'Component "conference.example" "muc"\n    modules_enabled = { "muc_mam" }\n' in text


HOSTILE = [
    ({"name": 'ex"ample.org'}, "vhosts[0].name: 'ex\"ample.org' has an invalid label"),
    ({"name": "a\nb.org"}, "vhosts[0].name: 'a\\nb.org' has an invalid label"),
    ({"name": "a]]b.org"}, "vhosts[0].name: 'a]]b.org' has an invalid label"),
    ({"name": "../etc"}, "vhosts[0].name: '../etc' is not a valid domain name"),
    ({"name": "a b.org"}, "vhosts[0].name: 'a b.org' has an invalid label"),
    ({"name": ""}, "vhosts[0].name: '' is not a domain name"),
    ({"name": "a" * 64 + ".org"}, "vhosts[0].name: '%s.org' is not a valid domain name" % ("a" * 64)),
    ({"name": ".".join(["a" * 60] * 5)}, "is longer than 253 characters"),
    ({"name": 42}, "vhosts[0].name: expected a domain name string, got int"),
    ({"name": None}, "vhosts[0].name: expected a domain name string, got NoneType"),
    ({"name": "example.org."}, "vhosts[0].name: 'example.org.' ends with a dot"),
    ({"name": "xn--bcher-kva.de"}, "vhosts[0].name: 'xn--bcher-kva.de' uses the A-label"),
    ({"name": "-a.org"}, "vhosts[0].name: '-a.org' has an invalid label '-a'"),
    ({"name": "ok.example", "settings": {"a.b": 1}}, "vhosts[0].settings: option name 'a.b' is not allowed"),
    ({"name": "ok.example", "settings": {"a-b": 1}}, "vhosts[0].settings: option name 'a-b' is not allowed"),
    ({"name": "ok.example", "settings": {"Motd": 1}}, "vhosts[0].settings: option name 'Motd' is not allowed"),
    ({"name": "ok.example", "settings": {"": 1}}, "vhosts[0].settings: option name '' is not allowed"),
    ({"name": "ok.example", "settings": {"9lives": 1}}, "vhosts[0].settings: option name '9lives' is not allowed"),
    ({"name": "ok.example", "settings": {'x"]=1 os.execute("id") --': 1}}, "vhosts[0].settings: option name"),
    (
        {"name": "ok.example", "settings": {"motd": float("nan")}},
        "vhost 'ok.example'.motd: value: nan has no Lua literal",
    ),
    ({"name": "ok.example", "settings": {"motd": {1, 2}}}, "cannot represent a value of type set"),
]


@pytest.mark.parametrize(("host", "message"), HOSTILE)
def test_hostile_vhost_input_is_refused_before_any_change(tmp_path, etc, host, message):
    vhosts(tmp_path, [{"name": "existing.example"}])
    before = tree(etc)
    with pytest.raises(ProsodyError) as excinfo:
        vhosts(tmp_path, [{"name": "existing.example", "settings": {"motd_text": "changed"}}, host])
    assert message in str(excinfo.value).replace("hosts[1]", "hosts[0]")
    assert tree(etc) == before


COMPONENT_HOSTILE = [
    ([{"name": "existing.example", "type": "muc"}], "is already declared as a VirtualHost"),
    ([{"name": "gw.example", "type": "external"}], "components[0].secret: an external component needs the secret"),
    ([{"name": "muc.example", "type": "muc", "secret": "x"}], "components[0].secret: only external components"),
    ([{"name": "muc.example"}], "components[0].type: required for a present component"),
    (
        [{"name": "a.example", "type": "muc"}, {"name": "A.example", "type": "pubsub"}],
        "components[1].name: 'a.example' is already",
    ),
    ([{"name": "localhost", "type": "muc"}], "was not written by xmpp.prosody.component; move it away"),
]


@pytest.mark.parametrize(("comps", "message"), COMPONENT_HOSTILE)
def test_hostile_component_input_is_refused_before_any_change(tmp_path, etc, comps, message):
    vhosts(tmp_path, [{"name": "existing.example"}])
    (etc / "conf.avail/localhost.cfg.lua").write_text('VirtualHost "localhost"\n')  # the package's own file
    before = tree(etc)
    with pytest.raises(ProsodyError) as excinfo:
        components(tmp_path, comps)
    assert message in str(excinfo.value)
    assert tree(etc) == before


def test_vhost_named_like_a_component_is_refused(tmp_path, etc):
    components(tmp_path, [{"name": "conference.example", "type": "muc"}])
    with pytest.raises(SectionError, match=r"'conference.example' is already declared as a Component"):
        vhosts(tmp_path, [{"name": "conference.example"}])


def test_tier_without_host_files_is_refused(tmp_path):
    with pytest.raises(LayoutError, match=r"tier: 'minimal' keeps its hosts and components in its one main file"):
        vhosts(tmp_path, [{"name": "a.example"}], tier="minimal", roots={"root": str(tmp_path)})


def test_500_hosts_in_one_call(tmp_path, etc):
    hosts = [{"name": "h%d.example" % i} for i in range(500)]
    _m, first = vhosts(tmp_path, hosts)
    _m, second = vhosts(tmp_path, hosts)
    assert len(first["changes"]) == 1000
    assert second["changed"] is False
