"""Write every file part that is generated from the collection's tables (make generate).

Sources: the tier table (plugins/module_utils/tiers/, a file per tier), the object schemas
(plugins/module_utils/_schema.py) and the engine role's argument spec. Written:
- each tier role's meta/argument_specs.yml, whole;
- the blocks between ``# BEGIN generated from NAME`` and ``# END generated`` in the engine role's
  spec, the modules' DOCUMENTATION and the doc fragments (object suboptions, tier choices);
- the owner and mode table of each tier's document, between ``<!-- BEGIN generated ... -->`` and
  ``<!-- END generated -->``;
- the table of features clients look for in docs/features.md, from plugins/module_utils/_features.py.

Usage: tools/generate.py [--check]. With --check, exit 1 and name the stale files instead.
"""

from __future__ import annotations

import ast
import copy
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / ".build" / "collections"))

from ansible_collections.xmpp.prosody.plugins.module_utils import _schema  # noqa: E402
from ansible_collections.xmpp.prosody.plugins.module_utils._dev import SHARED_INPUTS  # noqa: E402
from ansible_collections.xmpp.prosody.plugins.module_utils._features import FEATURES  # noqa: E402
from ansible_collections.xmpp.prosody.plugins.module_utils._runtime import role_tiers, runtime_class  # noqa: E402
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.model import DIRECTORY, LINK, account  # noqa: E402
from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS, tiers_with  # noqa: E402

ENGINE = ROOT / "roles" / "prosody" / "meta" / "argument_specs.yml"
HEADER = "---\n# GENERATED from roles/prosody/meta/argument_specs.yml by tools/generate.py: edit that file.\n"
# Where each tier's owner and mode table lives.
DOCS = {
    "dev": "docs/dev.md",
    "docker": "docs/docker.md",
    "minimal": "docs/minimal.md",
    "debian": "docs/debian.md",
    "enterprise": "docs/enterprise.md",
}
# Files whose generated blocks are kept up to date.
BLOCK_FILES = [
    "roles/prosody/meta/argument_specs.yml",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "plugins" / "doc_fragments").glob("*.py")),
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "plugins" / "modules").glob("*.py")),
]
YAML_BLOCK = re.compile(r"^( *)# BEGIN generated from (\w+) .*\n(?:.*\n)*?\1# END generated\n", re.MULTILINE)
DOC_BLOCK = re.compile(r"<!-- BEGIN generated from the (\w+) tier .*-->\n(?:.*\n)*?<!-- END generated -->\n")
FEATURE_BLOCK = re.compile(r"<!-- BEGIN generated from the feature list .*-->\n(?:.*\n)*?<!-- END generated -->\n")
FEATURES_DOC = "docs/features.md"
# How a client finds a feature, by the feature list's "where"
ASKED = {
    "stream": "stream features",
    "server": "the server's disco#info",
    "account": "the account's disco#info",
    "service": "a service of the server (disco#items)",
    "room": "a room's disco#info",
}


class _Dumper(yaml.SafeDumper):
    """Indent sequences under their key, as yamllint (and ansible-lint) expect; short lists of words inline."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)

    def represent_list(self, data):
        words = all(isinstance(item, str) and " " not in item for item in data)
        inline = words and len(", ".join(data)) <= 60  # longer ones would wrap, which yamllint refuses
        return self.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=inline)


_Dumper.add_representer(list, _Dumper.represent_list)


def dump(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, width=100, allow_unicode=True)


def block(name: str, path: str) -> str:
    """The YAML a generated block holds."""
    in_role = path.startswith("roles/")
    if name in ("VHOST", "COMPONENT", "CERTIFICATE", "SQL", "ACCOUNT", "COMMUNITY", "TURN"):
        schema = getattr(_schema, name)
        return dump(_schema.role_options(schema) if in_role else _schema.documentation(schema))
    choices = {
        "TIERS": sorted(TIERS),
        "ROLE_TIERS": role_tiers(),
        "FILE_TIERS": tiers_with("enable_by"),
    }
    return "choices: [%s]\n" % ", ".join(choices[name])


def fill_blocks(text: str, path: str) -> str:
    def replace(match):
        indent, name = match.group(1), match.group(2)
        body = "".join(indent + line + "\n" if line else "\n" for line in block(name, path).splitlines())
        first = match.group(0).splitlines()[0]
        return "%s\n%s%s# END generated\n" % (first, body, indent)

    return YAML_BLOCK.sub(replace, text)


def table(tier_name: str) -> str:
    """Every path of the tier with its owner, group and mode, as a Markdown table."""
    tier = TIERS[tier_name]
    roots = {name: path.replace("~", "$HOME") for name, path in tier.roots.items()}
    names = {"host": "<host>", "host_enc": "<host, encoded>", "upload_enc": "<upload.host, encoded>"}
    rows = []
    for entry in tier.entries:
        what = entry.purpose or ""
        if entry.kind == LINK:
            what = ("link to %s; " % entry.target.format(**names) + what).rstrip("; ")
        path = entry.path.format(**roots, **names) + ("/" if entry.kind == DIRECTORY else "")
        rows.append((path, entry.owner, entry.group, entry.mode, what))
    for f in tier.files:
        rows.append((f.path.format(**roots, **names), f.owner, f.group, f.mode, f.purpose))
    merged = {}  # one row per path: a host's and a component's file share a convention
    for path, owner, group, mode, what in sorted(rows):
        key = (path, owner, group, mode)
        merged[key] = "%s or %s" % (merged[key], what) if key in merged else what
    ids = ("prosody", "prosody")
    kind = runtime_class(tier)
    if not kind.managed:  # the developer's own workspace
        ids = ("<you>", "<you>")
    elif kind.in_container:  # numeric ids: the engine's defaults for them
        options = yaml.safe_load(ENGINE.read_text())["argument_specs"]["main"]["options"]
        ids = (str(options["prosody_docker_uid"]["default"]), str(options["prosody_docker_gid"]["default"]))
    lines = ["| path | owner:group | mode | what |", "|---|---|---|---|"]
    for (path, owner, group, mode), what in merged.items():
        lines.append("| `%s` | %s:%s | %s | %s |" % (path, account(owner, *ids), account(group, *ids), mode, what))
    return "\n".join(lines) + "\n"


def fill_doc(text: str) -> str:
    def replace(match):
        first = match.group(0).splitlines()[0]
        return "%s\n%s<!-- END generated -->\n" % (first, table(match.group(1)))

    return DOC_BLOCK.sub(replace, text)


def feature_table() -> str:
    """The features clients look for, where they find them, and what offers each, as a Markdown table."""
    lines = [
        "| feature | spec | clients look in | for | offered by | by default |",
        "|---|---|---|---|---|---|",
    ]
    for f in FEATURES:
        kind, _sep, value = f.var.rpartition(":") if f.var.startswith(("identity:", "field:")) else ("", "", f.var)
        what = "%s `%s`" % (kind, value) if kind else "`%s`" % value
        name, _sep, rest = f.provided_by.partition(" ")  # a module, or "<type> component"
        module = "`%s` %s" % (name, rest) if rest else "`%s`" % name
        default = "yes" if f.default else "no"
        lines.append("| %s | %s | %s | %s | %s | %s |" % (f.title, f.spec, ASKED[f.where], what, module, default))
    return "\n".join(lines) + "\n"


def fill_features(text: str) -> str:
    def replace(match):
        first = match.group(0).splitlines()[0]
        return "%s\n%s<!-- END generated -->\n" % (first, feature_table())

    return FEATURE_BLOCK.sub(replace, text)


MAP_BLOCK = re.compile(
    r"<!-- BEGIN generated from the module_utils docstrings .*-->\n(?:.*\n)*?<!-- END generated -->\n"
)
MAP_DOC = "docs/design.md"


def module_map() -> str:
    """A line per file of plugins/module_utils (and its packages): the first sentence of its docstring."""
    lines = []
    base = ROOT / "plugins" / "module_utils"
    for path in sorted(base.rglob("*.py")):
        doc = ast.get_docstring(ast.parse(path.read_text())) or ""
        if not doc:
            continue  # a package's empty __init__.py
        first = " ".join(doc.split()).split(". ", maxsplit=1)[0].rstrip(".")
        lines.append("- `%s`: %s." % (path.relative_to(base), first))
    return "\n".join(lines) + "\n"


def fill_map(text: str) -> str:
    def replace(match):
        first = match.group(0).splitlines()[0]
        return "%s\n%s<!-- END generated -->\n" % (first, module_map())

    return MAP_BLOCK.sub(replace, text)


def tier_spec(engine: dict, tier_name: str) -> dict:
    tier = TIERS[tier_name]
    spec = copy.deepcopy(engine["argument_specs"]["main"])
    del spec["options"]["prosody_tier"]
    spec["short_description"] = "Deploy Prosody in the %s layout tier" % tier_name
    spec["description"] = ["%s" % tier.description, *spec["description"][:1]]
    # Each tier role lists what applies to it: a container tier's ids are numbers of their own.
    container = runtime_class(tier).in_container
    dropped = ("prosody_user", "prosody_group") if container else ()
    spec["options"] = {
        name: option
        for name, option in spec["options"].items()
        if name not in dropped and (container or not name.startswith("prosody_docker_"))
    }
    return {"argument_specs": {"main": spec}}


# The shared options the dev workspace's configs are rendered from (the rest is a server's business:
# certificates from outside, ACME, accounts, the service).
DEV_SHARED = (
    "prosody_roots",
    *("prosody_" + name for name in SHARED_INPUTS),
    "prosody_community_modules",
    "prosody_turn",
)


def dev_spec(engine: dict) -> dict:
    """The dev role's spec: the shared options its configs use, then the engine's dev entry point."""
    shared = engine["argument_specs"]["main"]["options"]
    own = copy.deepcopy(engine["argument_specs"]["dev"])
    spec = {
        "short_description": own["short_description"].split(" (role ")[0],
        "description": [
            "%s Everything belongs to the developer; nothing needs root but the packages." % TIERS["dev"].description,
            "Three configs from one set of inputs - development (console debug log, high ports),"
            " testing (storage in memory, accounts from fixtures) and production (what the minimal tier"
            " writes) - with tools to run the server, the tests (luacheck, busted, a real login) and a"
            " deployment. See playbooks/dev.yml.",
        ],
        "author": engine["argument_specs"]["main"]["author"],
        "version_added": engine["argument_specs"]["main"]["version_added"],
        "options": {**{name: copy.deepcopy(shared[name]) for name in DEV_SHARED}, **own["options"]},
    }
    spec["options"]["prosody_roots"]["description"] = [
        "The workspace's root as C({root: PATH}); empty means C(~/prosody-dev)."
    ]
    spec["options"]["prosody_vhosts"]["description"] = "The virtual hosts; empty means one, C(localhost)."
    spec["options"]["prosody_turn"]["description"] = [
        "Calls - the TURN server whose short-lived credentials the development and test servers hand to clients"
        " (XEP-0215); C(config/production.json) carries it to a deployment. Empty - none.",
        "The workspace runs no TURN server: C(install) (coturn, the default) applies to the production host."
        " See M(xmpp.prosody.workspace) for every key.",
    ]
    packages = {
        "short_description": "Install the packages the workspace runs on (needs root)",
        "description": [
            "Prosody, busted, luacheck and slixmpp from Debian, and C(prosody-modules) when a community module"
            " comes from it; playbooks/dev.yml runs it in its first play."
        ],
        "options": {
            "prosody_community_modules": dict(
                copy.deepcopy(shared["prosody_community_modules"]),
                description=[
                    "The community modules the workspace gets (see the main entry point); C(prosody-modules) is"
                    " installed when one of them comes from it."
                ],
            )
        },
    }
    return {"argument_specs": {"main": spec, "packages": packages}}


def outputs() -> dict:
    """Every generated file's path and wanted content."""
    wanted = {}
    for path in BLOCK_FILES:
        wanted[path] = fill_blocks((ROOT / path).read_text(), path)
    engine = yaml.safe_load(wanted["roles/prosody/meta/argument_specs.yml"])
    for name in role_tiers():
        wanted["roles/%s/meta/argument_specs.yml" % name] = HEADER + dump(tier_spec(engine, name))
    wanted["roles/dev/meta/argument_specs.yml"] = HEADER + dump(dev_spec(engine))
    for path in DOCS.values():
        wanted[path] = fill_doc((ROOT / path).read_text())
    wanted[FEATURES_DOC] = fill_features((ROOT / FEATURES_DOC).read_text())
    wanted[MAP_DOC] = fill_map((ROOT / MAP_DOC).read_text())
    return wanted


def main(argv: list[str]) -> int:
    stale = []
    for path, text in outputs().items():
        target = ROOT / path
        if target.exists() and target.read_text() == text:
            continue
        stale.append(path)
        if "--check" not in argv:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
    if stale and "--check" in argv:
        print("stale generated files (run `make generate`): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
