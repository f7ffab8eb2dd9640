"""Stand-in for ansible-test's get-pip.py bootstrap script, whose download host is not reachable here.

ansible-test runs this file as ``__main__`` inside a fresh virtualenv with pip install arguments.
It installs the pip that ships with Python (ensurepip), then runs ``pip install`` with the same
arguments from PyPI, dropping get-pip's own ``--no-setuptools`` / ``--no-wheel`` switches.
`make sanity` copies it to ~/.ansible/test/cache/get_pip_<version>.py.
"""

import ensurepip
import os
import runpy
import sys

ensurepip.bootstrap(upgrade=True)
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
bundle = os.environ.get("PIP_CERT") or "/etc/ssl/certs/ca-certificates.crt"
if os.path.exists(bundle):  # a TLS-inspecting proxy's CA lives in the system bundle, not in certifi
    args += ["--cert", bundle]
sys.argv = ["pip", "install", *args]
runpy.run_module("pip", run_name="__main__", alter_sys=True)
