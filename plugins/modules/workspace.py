#!/usr/bin/python
# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: workspace
short_description: Lay out a developer's Prosody workspace (the dev tier) and write its files, as that developer
version_added: 0.1.0
author: xmpp.prosody contributors (@xmpp-prosody)
description:
  - Ensures the dev tier's directory tree under its root (O(roots), default C(~/prosody-dev)) and writes its
    files, every one owned by the user the module runs as, in one call. Nothing outside the workspace
    is written, and the module refuses to run as root.
  - "Renders three configs from the same inputs: C(config/development.cfg.lua) (console debug log,
    high ports, encryption not required, the workspace's own modules from C(src/modules)),
    C(config/testing.cfg.lua) (storage in memory, accounts from the fixtures, ports of its own) and
    C(config/production.cfg.lua) (the file the minimal tier's role writes for these inputs)."
  - Writes the inputs as the tier roles' variables (C(config/production.json)) and the test accounts
    (C(data/fixtures/accounts.json)).
  - Writes the files the role renders from its templates (O(templates)). Starter files (the sample
    module, its spec, C(.luacheckrc), C(docs/README.md)) are written only when missing and never
    touched afterwards; they are the developer's.
  - C(prosodyctl check config) judges the development and testing configs after writing; when Prosody
    refuses one, every file is put back as it was.
  - Before anything is written it checks that the packages the workspace runs on are installed
    (C(prosody), C(lua-busted), C(lua-check), C(python3-slixmpp), C(python3-cryptography)) and names the
    missing ones; in check mode it warns instead and predicts the rest.
requirements:
  - Debian packages C(prosody), C(lua-busted), C(lua-check), C(python3-slixmpp), C(python3-cryptography) on the target
seealso:
  - module: xmpp.prosody.certdir
  - module: xmpp.prosody.config
  - name: Prosody's module API
    description: Writing the modules the workspace is for.
    link: https://prosody.im/doc/developers/moduleapi
extends_documentation_fragment:
  - xmpp.prosody.attributes
  - xmpp.prosody.inputs
  - xmpp.prosody.objects.community
  - xmpp.prosody.objects.turn
  - xmpp.prosody.objects.vhosts
  - xmpp.prosody.objects.components
options:
  roots:
    description: The workspace's root, as a dict with the key C(root); empty - C(~/prosody-dev) of the user
      the module runs as.
    type: dict
    default: {}
  modules:
    description: The workspace's own modules (in C(src/modules)), loaded by the development and testing
      configs only.
    type: list
    elements: str
    default: [hello]
  ports:
    description:
      - Ports by profile (C(development), C(testing)), each a dict of C(c2s), C(s2s), C(component), C(http)
        and C(https), every port from 1024 to 65535 and used once.
      - Defaults - development C(15222), C(15269), C(15347), C(15280), C(15281); testing C(25222),
        C(25269), C(25347), C(25280), C(25281).
    type: dict
    default: {}
  profile_settings:
    description: Further options by profile (C(development), C(testing)); they win over
      O(settings).
    type: dict
    default: {}
  fixtures:
    description: The test accounts C(tools/run-tests.sh) creates in the test server and logs in with;
      empty - C(alice) and C(bob) on the first host.
    type: list
    elements: dict
    default: []
    suboptions:
      jid:
        description: Bare JID on one of the workspace's hosts.
        type: str
        required: true
      password:
        description: Its password (test data; never logged, masked in diffs).
        type: str
        required: true
  community:
    description:
      - Community modules (prosody-modules) to copy into the workspace's C(community/) directory and load in all
        three configs, as the tier roles do (the development and testing servers load your own C(src/modules)
        first, so a module you work on wins over its copy). Not given - the directory is left as it is.
      - A module from Debian's C(prosody-modules) needs that package installed first (C(playbooks/dev.yml)
        installs it).
    type: list
    elements: dict
  turn:
    description:
      - Calls - the TURN server whose short-lived credentials the workspace's servers hand to clients (XEP-0215,
        C(turn_external)), and that C(config/production.json) carries to a deployment. Not given - none.
      - The workspace runs no TURN server itself; O(turn.install) means coturn on the production host.
    type: dict
  templates:
    description: The content of the tier's files that come from the role's templates, by file key
      (C(dev_server), C(run_tests), C(sample_module) ...).
    type: dict
    default: {}
  validate:
    description: Check the development and testing configs with C(prosodyctl check config) after writing.
    type: bool
    default: true
notes:
  - Without O(vhosts), the workspace serves one host, C(localhost).
  - The certificates of C(certs/) come from M(xmpp.prosody.certdir) with C(tier=dev).
"""

EXAMPLES = r"""
- name: The workspace of the user this task runs as
  xmpp.prosody.workspace:
    vhosts:
      - name: localhost
    components:
      - name: conference.localhost
        type: muc
    fixtures:
      - jid: alice@localhost
        password: alice-fixture
"""

RETURN = r"""
root:
  description: The workspace's root.
  returned: always
  type: str
  sample: /home/dev/prosody-dev
user:
  description: The user the workspace belongs to (the one the module ran as).
  returned: always
  type: str
  sample: dev
vhosts:
  description: The hosts the workspace serves (C(localhost) when none was given), as C({name}) items.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "localhost"}]
group:
  description: That user's primary group.
  returned: always
  type: str
  sample: dev
changes:
  description: The paths created, updated or repaired.
  returned: always
  type: list
  elements: dict
  sample: [{"path": "/home/dev/prosody-dev/tools/run-tests.sh", "action": "create"}]
validated:
  description: Whether C(prosodyctl check config) ran and accepted both configs.
  returned: always
  type: bool
community:
  description: What happened to each community module (O(community)), as M(xmpp.prosody.community) reports it.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "cloud_notify", "source": "prosody-modules", "action": "copy", "digest": "sha256:6937..."}]
missing:
  description: The packages that are not installed (only in check mode; otherwise the module fails).
  returned: always
  type: list
  elements: str
"""

import functools
import grp
import os
import pwd

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.xmpp.prosody.plugins.module_utils import _community, _dev, _turn
from ansible_collections.xmpp.prosody.plugins.module_utils._changes import (
    apply_changes,
    apply_validated,
    diffs,
    existing_text,
    file_change,
    report,
)
from ansible_collections.xmpp.prosody.plugins.module_utils._errors import ProsodyError
from ansible_collections.xmpp.prosody.plugins.module_utils._layout import plan
from ansible_collections.xmpp.prosody.plugins.module_utils._module import finish
from ansible_collections.xmpp.prosody.plugins.module_utils._options import input_spec
from ansible_collections.xmpp.prosody.plugins.module_utils._packages import missing_packages
from ansible_collections.xmpp.prosody.plugins.module_utils._role_view import describe
from ansible_collections.xmpp.prosody.plugins.module_utils._runtime import runtime
from ansible_collections.xmpp.prosody.plugins.module_utils._tree import apply, inspect, lookup_ids
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS, well_known_paths

TIER = TIERS["dev"]
JSON_FILES = ("production_inputs", "fixtures")  # shown in diffs with their passwords masked


class WorkspaceError(ProsodyError):
    """A workspace that cannot be laid out here; the message says why and what to do."""


def _developer() -> tuple[str, str, str]:
    """Name, primary group and home of the user the module runs as; root is refused."""
    if os.geteuid() == 0:
        raise WorkspaceError(
            "the dev tier is one developer's workspace and runs as that developer, not as root: run "
            "playbooks/dev.yml (or the role xmpp.prosody.dev) as the developer (remote_user or become_user); "
            "only its first play, which installs the packages, needs root"
        )
    account = pwd.getpwuid(os.geteuid())
    return account.pw_name, grp.getgrgid(account.pw_gid).gr_name, account.pw_dir


def _contents(params: dict, paths: dict, root: str, vhosts: list[str]) -> dict:
    """Every file the module writes, by the tier's key (``vhosts``: the hosts the workspace serves)."""
    texts = _dev.configs(params, paths)
    texts["production_inputs"] = _dev.dump(_dev.production_inputs(params))
    texts["fixtures"] = _dev.dump(_dev.fixtures(params["fixtures"], vhosts))
    texts["environment"] = _dev.environment(params, paths, root, vhosts)
    templated = {f.key for f in TIER.files if f.writer in ("dev", "starter")}
    unknown = sorted(set(params["templates"]) - templated)
    if unknown:
        raise WorkspaceError(
            "templates: %s is not a file of the dev tier; its files are %s" % (unknown[0], sorted(templated))
        )
    missing = sorted(templated - set(params["templates"]))
    if missing:
        raise WorkspaceError("templates: the content of %s is missing" % ", ".join(missing))
    texts.update({key: text if text.endswith("\n") else text + "\n" for key, text in params["templates"].items()})
    return texts


def _changes(texts: dict, paths: dict, root: str, uid: int | None, gid: int | None) -> list:
    changes = []
    for spec in TIER.files:
        if spec.key not in texts:
            continue  # certificates: xmpp.prosody.certdir
        path = paths[spec.key]
        if not path.startswith(root + "/"):  # cannot happen with the tier's record; a hard stop all the same
            raise WorkspaceError("%s: outside the workspace %s" % (path, root))
        if spec.writer == "starter" and os.path.lexists(path):
            continue  # the developer's file now
        change = file_change(path, existing_text(path, spec.key), texts[spec.key], (uid, gid, int(spec.mode, 8)))
        if change and spec.key in JSON_FILES:
            change.before, change.after = _dev.masked(change.before), _dev.masked(texts[spec.key])
            if change.action == "update" and change.before == change.after:
                change.after += "(a password changed; neither value is shown)\n"
        if change:
            changes.append(change)
    return changes


def _checks(server, paths: dict) -> list[list[str]]:
    return [server.check_command({}, paths[key]) for key in ("config", "testing_config")]


def run_module(module) -> dict:
    params = module.params
    user, group, home = _developer()
    community = _dev.community(params)  # checked before anything else: a misspelled module changes nothing
    needed = describe(TIER.name, vhosts=params["vhosts"])["packages"]  # as playbooks/dev.yml's first play has them
    missing = missing_packages(module, [*needed, *_community.requirements(community)["packages"]])
    if missing and module.check_mode:  # what the first play of playbooks/dev.yml would install first
        module.warn("packages: %s not installed yet; the configs are not checked" % ", ".join(missing))
    elif missing:
        raise WorkspaceError(
            "packages: %s not installed; install them as root first (apt-get install %s), or run playbooks/dev.yml, "
            "whose first play does" % (", ".join(missing), " ".join(missing))
        )
    roots, targets = plan(TIER.name, params["roots"], (), user, group, home)
    paths = well_known_paths(TIER.name, roots)
    vhosts = _dev.present(params)[1]["vhost"]
    texts = _contents(params, paths, roots["root"], vhosts)  # every input checked before the first write
    uids, gids, _missing = lookup_ids(targets, module.check_mode)
    pending = inspect(targets, uids, gids)
    changes = _changes(texts, paths, roots["root"], uids[user], gids[group])
    server = runtime(module, TIER)  # the developer's own server, in the foreground
    steps = []
    if params["community"] is not None:
        steps = _community.plan_here(module, server, paths["community"], community, field="community")
    modules = _community.changing(steps)
    validated = False
    if not module.check_mode:
        if pending:
            apply(pending, uids, gids)
        if changes:
            checks = (
                _checks(server, paths)
                if params["validate"] and any(c.path in (paths["config"], paths["testing_config"]) for c in changes)
                else []
            )
            validated = apply_validated(module, functools.partial(apply_changes, changes=changes), checks)
        if modules:  # after the configs were accepted; the servers load them when they start
            _community.apply(steps, paths["community"], uids[user], gids[group])
    result = {
        "changed": bool(pending or changes or modules),
        "root": roots["root"],
        "vhosts": [{"name": name} for name in vhosts],
        "user": user,
        "group": group,
        "changes": [{"path": t.path, "action": "create" if before is None else "repair"} for t, before, _a in pending]
        + report(changes),
        "validated": validated,
        "community": _community.outcome(steps),
        "missing": missing,
    }
    if module._diff:
        result["diff"] = diffs(changes) + ([_community.diff(modules, paths["community"])] if modules else [])
    return result


def main():
    module = AnsibleModule(
        argument_spec=dict(
            roots=dict(type="dict", default={}),
            **input_spec(),
            modules=dict(type="list", elements="str", default=["hello"]),
            ports=dict(type="dict", default={}),
            profile_settings=dict(type="dict", default={}),
            fixtures=dict(
                type="list",
                elements="dict",
                default=[],
                options=dict(
                    jid=dict(type="str", required=True), password=dict(type="str", required=True, no_log=True)
                ),
            ),
            community=dict(type="list", elements="dict", options=_community.SPEC),
            turn=dict(type="dict", options=_turn.SPEC),
            templates=dict(type="dict", default={}),
            validate=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    finish(module, lambda: run_module(module), "workspace")


if __name__ == "__main__":
    main()
