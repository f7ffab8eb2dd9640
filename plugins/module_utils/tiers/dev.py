# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""The dev tier, as data: unprivileged development workspace, owned by the developer."""

from __future__ import annotations

from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.common import PRODUCTION_PURPOSE

# the builders under short names keep the table one entry per line
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import File, G, Tier, U
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import directory as _d
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import workspace_file as _workspace

TIER = Tier(
    name="dev",
    description="Unprivileged development workspace, owned by the developer.",
    roots={"root": "~/prosody-dev"},
    entries=(
        _d("{root}", U, G, "0755", "workspace"),
        _d("{root}/src", U, G, "0755"),
        _d("{root}/src/prosody", U, G, "0755", "a Prosody source checkout, used once built"),
        _d("{root}/src/modules", U, G, "0755", "your modules, on plugin_paths"),
        _d("{root}/src/modules/spec", U, G, "0755", "their busted specs"),
        _d("{root}/src/patches", U, G, "0755"),
        _d("{root}/community", U, G, "0755", "community modules the role copies, on plugin_paths after yours"),
        _d("{root}/config", U, G, "0755", "development, testing and production configs"),
        _d("{root}/certs", U, G, "0700", "certificates of the local CA"),
        _d("{root}/data", U, G, "0750"),
        _d("{root}/data/dev", U, G, "0750", "the development server's data"),
        _d("{root}/data/test", U, G, "0750", "the test server's log (its storage is in memory)"),
        _d("{root}/data/fixtures", U, G, "0755"),
        _d("{root}/tests", U, G, "0755"),
        _d("{root}/tests/unit", U, G, "0755", "busted specs"),
        _d("{root}/tests/integration", U, G, "0755", "executables run against the test server"),
        _d("{root}/tests/e2e", U, G, "0755"),
        _d("{root}/tools", U, G, "0755"),
        _d("{root}/docs", U, G, "0755"),
        _d("{root}/docker", U, G, "0755"),
    ),
    paths={
        "data": "{root}/data/dev",
        "sqlite": "{root}/data/dev/prosody.sqlite",
        "log": "*console",  # the development server logs to the terminal it runs in
        "pidfile": "{root}/data/dev/prosody.pid",
        "test_data": "{root}/data/test",
        "certs": "{root}/certs",
        "ca": "{root}/certs/.ca",
        "modules": "{root}/src/modules",
        "community": "{root}/community",
        # yours first: a community module you are working on in src/modules wins over its copy
        "plugin_paths": ("{root}/src/modules", "{root}/community"),
        "source": "{root}/src/prosody",
    },
    files=(
        _workspace("config", "{root}/config/development.cfg.lua", "0640", "development: debug log, high ports"),
        _workspace("testing_config", "{root}/config/testing.cfg.lua", "0640", "testing: memory storage, own ports"),
        _workspace("production_config", "{root}/config/production.cfg.lua", "0640", PRODUCTION_PURPOSE),
        _workspace("production_inputs", "{root}/config/production.json", "0600", "the inputs, for tools/deploy.sh"),
        _workspace("fixtures", "{root}/data/fixtures/accounts.json", "0600", "test accounts run-tests.sh loads"),
        _workspace("environment", "{root}/config/workspace.env", "0644", "ports and paths the tools read"),
        _workspace("dev_server", "{root}/tools/dev-server.sh", "0755", "runs the development server", "dev"),
        _workspace("run_tests", "{root}/tools/run-tests.sh", "0755", "luacheck, busted, a real login", "dev"),
        _workspace("deploy", "{root}/tools/deploy.sh", "0755", "hands the inputs to xmpp.prosody.site", "dev"),
        _workspace("client", "{root}/tools/xmpp-client.py", "0644", "a real XMPP client (slixmpp)", "dev"),
        _workspace("tools_env", "{root}/tools/env.sh", "0644", "what the tools share: ports, which Prosody", "dev"),
        _workspace("dockerfile_dev", "{root}/docker/Dockerfile.dev", "0644", "the development server", "dev", True),
        _workspace("dockerfile_test", "{root}/docker/Dockerfile.test", "0644", "the tests in a container", "dev", True),
        _workspace("compose", "{root}/docker/docker-compose.yml", "0644", "both, on this workspace", "dev"),
        # starter files: written once when missing, never overwritten (they are yours to edit)
        _workspace("sample_module", "{root}/src/modules/mod_hello.lua", "0644", "a sample module", "starter"),
        _workspace("sample_spec", "{root}/src/modules/spec/hello_spec.lua", "0644", "its spec", "starter"),
        _workspace("sample_test", "{root}/tests/integration/hello.sh", "0755", "its integration test", "starter"),
        _workspace("luacheckrc", "{root}/.luacheckrc", "0644", "luacheck's settings", "starter"),
        _workspace("readme", "{root}/docs/README.md", "0644", "what is where, and the commands", "starter"),
        File("cert", "{root}/certs/{host}.crt", U, G, "0644", "certdir", "certificate"),
        File("key", "{root}/certs/{host}.key", U, G, "0600", "certdir", "its private key"),
        File("ca_cert", "{root}/certs/.ca/ca.pem", U, G, "0644", "certdir", "the local CA"),
        File("ca_key", "{root}/certs/.ca/ca.key", U, G, "0600", "certdir", "the local CA's key"),
    ),
    per_host_certs=True,
    service="foreground",  # run by tools/dev-server.sh, as the developer
    role="xmpp.prosody.dev",
    # python3-slixmpp: the client of run-tests.sh; python3-cryptography: xmpp.prosody.certdir
    packages=("prosody", "lua-busted", "lua-check", "python3-slixmpp", "python3-cryptography"),
)
