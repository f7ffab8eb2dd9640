"""Keep Jinja in roles, playbooks and the Molecule scenarios to one-line lookups and conditions (make lint).

Fails on any Jinja expression longer than MAX characters (whitespace collapsed) in roles/, playbooks/
and molecule/ - in YAML values, in bare conditions (when, that, failed_when, changed_when, until) and
in templates - and on any test of the tier's name or runtime, or of whether a variable is defined: the tier
record (the xmpp.prosody.tier filter) says what a tier can do. Logic belongs in plugins/module_utils.

Usage: tools/check_jinja.py [PATH ...]  (default: roles playbooks molecule)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

MAX = 120
CONDITIONS = ("when", "that", "failed_when", "changed_when", "until")
EXPRESSION = re.compile(r"{{(.*?)}}|{%-?(.*?)-?%}", re.DOTALL)
# a tier's name, its runtime (the tier filter says what it can do: in_container, ...) or a variable's presence
FORBIDDEN = re.compile(r"prosody_tier ?==|\.service ?[!=]=|is defined|is not defined")


def _expressions(value, key=None):
    """Every Jinja expression in a parsed YAML value."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _expressions(v, k)
    elif isinstance(value, list):
        for item in value:
            yield from _expressions(item, key)
    elif isinstance(value, str):
        found = [a or b for a, b in EXPRESSION.findall(value)]
        if key in CONDITIONS and not found:
            found = [value]  # a bare condition is an expression
        yield from found


def problems(path: Path) -> list[str]:
    text = path.read_text()
    if path.suffix in (".yml", ".yaml"):
        expressions = list(_expressions(yaml.safe_load(text)))
    else:
        expressions = [a or b for a, b in EXPRESSION.findall(text)]
    found = []
    for expression in expressions:
        flat = " ".join(expression.split())
        if len(flat) > MAX:
            found.append(
                "%s: a Jinja expression of %d characters (at most %d): %s..." % (path, len(flat), MAX, flat[:60])
            )
    found += [
        "%s:%d: %s" % (path, n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if FORBIDDEN.search(line)
    ]
    return found


def main(argv: list[str]) -> int:
    roots = [Path(a) for a in argv] or [Path("roles"), Path("playbooks"), Path("molecule")]
    files = sorted(f for root in roots for f in root.rglob("*") if f.suffix in (".yml", ".yaml", ".j2"))
    found = [problem for f in files for problem in problems(f)]
    for problem in found:
        print(problem)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
