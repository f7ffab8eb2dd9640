# SPDX-License-Identifier: GPL-3.0-or-later
"""Write a playbook of README.md out as it stands there, so that a scenario runs it as written.

Usage: readme_example.py README NAME OUT -- the ```yaml block after the line
``<!-- example: NAME ...-->`` goes to OUT unchanged.
"""

from __future__ import annotations

import re
import sys


def example(text: str, name: str) -> str:
    marker = re.search(r"^<!-- example: %s\b.*-->\n```yaml\n(.*?)^```$" % re.escape(name), text, re.M | re.S)
    if not marker:
        raise SystemExit("README has no ```yaml block marked <!-- example: %s -->" % name)
    return marker.group(1)


if __name__ == "__main__":
    readme, name, out = sys.argv[1:4]
    with open(readme, encoding="utf-8") as source, open(out, "w", encoding="utf-8") as target:
        target.write(example(source.read(), name))
