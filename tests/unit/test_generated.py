# SPDX-License-Identifier: GPL-3.0-or-later
"""What is generated from the tier table and the object schemas must not drift from them."""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path

import pytest
import yaml
from plugin_docs import with_fragments

from ansible_collections.xmpp.prosody.plugins.module_utils import _schema
from ansible_collections.xmpp.prosody.plugins.module_utils._options import DEFAULT_MODULES
from ansible_collections.xmpp.prosody.plugins.module_utils._runtime import role_tiers
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("generate", ROOT / "tools" / "generate.py")
generate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generate)
ENGINE = yaml.safe_load((ROOT / "roles/prosody/meta/argument_specs.yml").read_text())["argument_specs"]["main"]


def test_generated_files_are_up_to_date():
    assert generate.main(["--check"]) == 0


def test_every_tier_with_a_role_has_one_whose_spec_is_the_engines_without_the_tier():
    for tier in role_tiers():
        role = ROOT / "roles" / tier
        assert (role / "tasks/main.yml").exists(), tier
        options = yaml.safe_load((role / "meta/argument_specs.yml").read_text())["argument_specs"]["main"]["options"]
        docker = {name for name in ENGINE["options"] if name.startswith("prosody_docker_")}
        if TIERS[tier].service == "container":  # numeric ids of its own instead of account names
            assert set(options) == set(ENGINE["options"]) - {"prosody_tier", "prosody_user", "prosody_group"}
        else:
            assert set(options) == set(ENGINE["options"]) - {"prosody_tier"} - docker


def test_the_input_check_knows_the_results_the_role_registers():
    """A deployment after a backup in the same play sees prosody_backup_result: it must not be refused."""
    registered = set()
    for tasks in (ROOT / "roles/prosody/tasks").glob("*.yml"):
        registered |= set(re.findall(r"register: (prosody_\w+)", tasks.read_text()))
    known = yaml.safe_load((ROOT / "roles/prosody/vars/main.yml").read_text())["__prosody_results"]
    assert registered == set(known) == {"prosody_backup_result", "prosody_restore_result"}


def test_engine_defaults_match_the_spec_of_every_entry_point():
    defaults = yaml.safe_load((ROOT / "roles/prosody/defaults/main.yml").read_text())
    entries = yaml.safe_load((ROOT / "roles/prosody/meta/argument_specs.yml").read_text())["argument_specs"]
    assert set(entries) == {"main", "backup", "restore", "dev"}
    documented = set()
    for entry in entries.values():
        for name, option in entry["options"].items():
            documented.add(name)
            if "default" in option:
                assert defaults[name] == option["default"], name
            else:
                assert name not in defaults, name
    assert set(defaults) <= documented


def test_the_role_and_the_config_module_load_the_same_modules_by_default():
    assert tuple(ENGINE["options"]["prosody_modules_enabled"]["default"]) == DEFAULT_MODULES


@pytest.mark.parametrize("module", sorted(p.stem for p in (ROOT / "plugins/modules").glob("*.py")))
def test_module_documentation_states_the_schema_and_argspec(module):
    """Every option in DOCUMENTATION is in the argument spec with the same type, default and choices."""
    source = ROOT / "plugins/modules" / (module + ".py")
    imported = importlib.import_module("ansible_collections.xmpp.prosody.plugins.modules." + module)
    captured = {}

    class Stop(Exception):
        pass

    def fake_module(argument_spec, **_kwargs):
        captured.update(argument_spec)
        raise Stop

    original = imported.AnsibleModule
    imported.AnsibleModule = fake_module
    try:
        with pytest.raises(Stop):
            imported.main()
    finally:
        imported.AnsibleModule = original
    documented = with_fragments(yaml.safe_load(imported.DOCUMENTATION))["options"]
    assert set(documented) == set(captured), source
    for name, option in captured.items():
        _same(documented[name], option, "%s.%s" % (module, name))


def _same(doc: dict, arg: dict, where: str) -> None:
    for key in ("type", "elements", "choices", "required"):
        assert doc.get(key) == arg.get(key) or (key == "required" and not doc.get(key) and not arg.get(key)), (
            where,
            key,
        )
    if arg.get("default") not in (None, [], {}, ""):
        assert doc.get("default") == arg.get("default"), (where, "default")
    if "options" in arg:
        assert set(doc["suboptions"]) == set(arg["options"]), where
        for name, sub in arg["options"].items():
            _same(doc["suboptions"][name], sub, "%s.%s" % (where, name))


def test_the_modules_take_their_object_options_from_the_schemas():
    from ansible_collections.xmpp.prosody.plugins.modules import certdir, component, config, vhost, workspace

    for module, option, schema in (
        (vhost, "vhosts", _schema.VHOST),
        (component, "components", _schema.COMPONENT),
        (config, "vhosts", _schema.VHOST),
        (workspace, "components", _schema.COMPONENT),
        (certdir, "certificates", _schema.CERTIFICATE),
    ):
        documented = with_fragments(yaml.safe_load(module.DOCUMENTATION))["options"][option]["suboptions"]
        assert documented == _schema.documentation(schema), (module.__name__, option)


def test_every_tier_capability_has_the_paths_it_needs():
    for tier in TIERS.values():
        keys = set(tier.paths) | {f.key for f in tier.files}
        assert not set(tier.paths) & {f.key for f in tier.files}, tier.name  # one name, one thing
        assert {"config", "data", "sqlite", "certs", "ca", "cert", "key", "ca_cert", "ca_key"} <= keys, tier.name
        assert tier.per_host_certs == ("{host}" in tier.file("cert").path), tier.name
        if tier.per_host_logs:
            assert {"host_log", "component_log", "security_log"} <= keys, tier.name
        if tier.archive:
            assert {"archive", "host_data"} <= keys, tier.name
        if tier.enable_by:
            assert {"host_config", "component_config"} <= keys, tier.name
        if tier.enable_by == "symlink":
            assert {"host_link", "component_link"} <= keys, tier.name
        if tier.role and tier.service != "foreground":  # the dev workspace keeps no record
            assert "record" in keys, tier.name
            assert tier.service in ("systemd", "container"), tier.name
        if tier.role and tier.service == "systemd":
            assert "unit" in keys, tier.name
        if tier.service == "container":  # every mount is a directory of the tree, no single file
            entries = {e.path for e in tier.entries if e.kind == "directory"}
            assert tier.mounts, tier.name
            assert {path for path, _ro in tier.mounts} <= entries, tier.name
            assert "dockerfile" in keys, tier.name
        for f in tier.files:
            assert bool(f.template) == (f.writer in ("role", "image", "dev", "starter")), (tier.name, f.key)
            assert f.effect in ("none", "reload", "restart", "unit"), (tier.name, f.key)
            if f.template:
                where = "templates" if f.template.endswith(".j2") else "files"
                assert (ROOT / "roles/prosody" / where / f.template).is_file(), (tier.name, f.template)


def test_certificate_source_defaults_are_the_same_everywhere_they_are_spelled():
    """prosody_central_ca's defaults: the role spec, and every default() of the role's vars and tasks,
    against _certplan; prosody_acme's: the role spec against xmpp.prosody.acme's argument spec."""
    from ansible_collections.xmpp.prosody.plugins.module_utils._certplan import CENTRAL_DEFAULTS
    from ansible_collections.xmpp.prosody.plugins.modules import acme

    central = ENGINE["options"]["prosody_central_ca"]["options"]
    assert {k: o["default"] for k, o in central.items() if "default" in o} == CENTRAL_DEFAULTS
    role = "".join((ROOT / "roles/prosody" / f).read_text() for f in ("vars/main.yml", "tasks/central_ca.yml"))
    spelled = re.findall(r"prosody_central_ca\.(\w+) \| default\(([^)]*)\)", role)
    assert {name for name, _literal in spelled} >= {"directory", "common_name", "revoked", "valid_days"}
    for name, literal in spelled:
        assert ast.literal_eval(literal) == CENTRAL_DEFAULTS[name], name
    documented = yaml.safe_load(acme.DOCUMENTATION)["options"]
    for name, option in ENGINE["options"]["prosody_acme"]["options"].items():
        if name in documented:
            assert option.get("default") == documented[name].get("default"), name
