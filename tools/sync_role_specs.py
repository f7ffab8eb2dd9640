"""Write each tier role's meta/argument_specs.yml from the engine role's spec (the one source).

Usage: tools/sync_role_specs.py [--check]. With --check, exit 1 and name the stale files instead.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "roles" / "prosody" / "meta" / "argument_specs.yml"
TIERS = {
    "minimal": "the seed's Minimal/Embedded layout: one directory (default /prosody) holds prosody.cfg.lua, "
    "data/prosody.sqlite, certs/cert.pem and key.pem, modules/ and prosody.log",
    "debian": "the Debian package's own layout: /etc/prosody with a global-only prosody.cfg.lua, one file per host "
    "and component in conf.avail/ enabled by a symlink in conf.d/, certs/<host>.crt and .key, /var/lib/prosody and "
    "/var/log/prosody, the package's service and logrotate; owners and modes are registered with dpkg-statoverride",
    "enterprise": "the seed's Enterprise/Multi-Tenant layout under /srv/prosody: global config split into "
    "config/global and config/includes, one file per tenant and component, each tenant's data, uploads, "
    "certificates and log in its own directories, scripts (health check, tenant backup), rendered nginx, "
    "systemd and compose templates; a removed tenant's data is archived inside the root",
}
HEADER = "---\n# GENERATED from roles/prosody/meta/argument_specs.yml by tools/sync_role_specs.py: edit that file.\n"


def tier_spec(engine: dict, tier: str, layout: str) -> dict:
    spec = copy.deepcopy(engine["argument_specs"]["main"])
    del spec["options"]["prosody_tier"]
    spec["short_description"] = "Deploy Prosody in the %s layout tier" % tier
    spec["description"] = ["Deploys Prosody in %s." % layout, *spec["description"][:1]]
    return {"argument_specs": {"main": spec}}


class _Dumper(yaml.SafeDumper):
    """Indent sequences under their key, as yamllint (and ansible-lint) expect."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def render(data: dict) -> str:
    return HEADER + yaml.dump(data, Dumper=_Dumper, sort_keys=False, width=100, allow_unicode=True)


def main(argv: list[str]) -> int:
    engine = yaml.safe_load(ENGINE.read_text())
    stale = []
    for tier, layout in TIERS.items():
        path = ROOT / "roles" / tier / "meta" / "argument_specs.yml"
        text = render(tier_spec(engine, tier, layout))
        if path.exists() and path.read_text() == text:
            continue
        stale.append(str(path.relative_to(ROOT)))
        if "--check" not in argv:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text)
    if stale and "--check" in argv:
        print("stale role specs (run `make specs`): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
