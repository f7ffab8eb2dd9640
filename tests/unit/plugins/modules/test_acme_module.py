# SPDX-License-Identifier: GPL-3.0-or-later
"""xmpp.prosody.acme against a stand-in certbot that keeps lineages as the real one does."""

from __future__ import annotations

import json

import pytest
from conftest import MY_GROUP

from ansible_collections.xmpp.prosody.plugins.module_utils._certs import Issuer, new_ca
from ansible_collections.xmpp.prosody.plugins.modules import acme, layout

DIRECTORY = "https://localhost:14000/dir"
# certbot certonly: the lineage's files from $FAKE/issue/<names> into archive/, linked from live/ as
# certbot does, its renewal file, then the deploy hook.
CERTBOT = """#!/bin/sh
echo "certbot $*" >> "$FAKE/calls"
all="$*"
while [ $# -gt 0 ]; do
  case $1 in
    --cert-name) name=$2; shift ;; --server) server=$2; shift ;; --deploy-hook) hook=$2; shift ;;
    --domain) names="$names${names:+,}$2"; shift ;; --config-dir) dir=$2; shift ;;
  esac
  shift
done
dir=${CERTBOT_DIR:?}
case " $all " in *" --force-renewal "*) force=1 ;; esac
if [ -z "${force:-}" ] && [ -f "$dir/renewal/$name.conf" ] && [ "$(cat "$dir/names.$name")" = "$names" ]; then
  echo "Certificate not yet due for renewal; no action taken."; exit 0
fi
echo "$names" > "$dir/names.$name"
mkdir -p "$dir/live/$name" "$dir/archive/$name" "$dir/renewal"
for f in cert fullchain privkey; do
  cp "$FAKE/issue/$names/$f.pem" "$dir/archive/$name/${f}1.pem"
  ln -sfn "../../archive/$name/${f}1.pem" "$dir/live/$name/$f.pem"
done
printf '[renewalparams]\\nserver = %s\\nrenew_hook = %s\\n' "$server" "$hook" > "$dir/renewal/$name.conf"
RENEWED_LINEAGE="$dir/live/$name" "$hook"
"""
# The deploy hook's job, as the role's template does it: copy into the tier's place.
HOOK = """#!/bin/sh
echo "hook $RENEWED_LINEAGE" >> "$FAKE/calls"
name=$(basename "$RENEWED_LINEAGE")
cp "$RENEWED_LINEAGE/fullchain.pem" "$ROOT/certs/$name.crt"
cp "$RENEWED_LINEAGE/privkey.pem" "$ROOT/certs/$name.key"
"""


@pytest.fixture
def certbot(tmp_path, commands, monkeypatch):
    """A debian tier laid out under tmp_path, a stand-in certbot and the tier's hook in place."""
    issuer = Issuer(*new_ca("ACME test CA"), "test")
    for names in (["a.example", "conference.a.example"], ["a.example"]):
        cert, key = issuer.issue(names, 90)
        directory = commands.directory / "issue" / ",".join(names)
        directory.mkdir(parents=True)
        (directory / "cert.pem").write_bytes(cert)
        (directory / "fullchain.pem").write_bytes(cert)
        (directory / "privkey.pem").write_bytes(key)
    script = commands.directory / "certbot"
    script.write_text(CERTBOT)
    script.chmod(0o755)
    hook = tmp_path / "hook.sh"
    hook.write_text(HOOK)
    hook.chmod(0o755)
    monkeypatch.setenv("CERTBOT_DIR", str(tmp_path / "letsencrypt"))
    monkeypatch.setenv("ROOT", str(tmp_path / "etc"))
    monkeypatch.setattr(acme, "well_known_paths", _with_hook(acme.well_known_paths, str(hook)))
    return hook


def _with_hook(real, hook):
    def paths(tier, roots):
        return dict(real(tier, roots), acme_hook=hook)

    return paths


def args(tmp_path, domains):
    roots = {"config": str(tmp_path / "etc"), "data": str(tmp_path / "lib"), "log": str(tmp_path / "log")}
    return {
        "tier": "debian",
        "roots": roots,
        "lineages": [{"name": "a.example", "domains": domains}],
        "directory": DIRECTORY,
        "config_dir": str(tmp_path / "letsencrypt"),
    }


def test_a_lineage_is_obtained_once_installed_again_when_its_files_differ_and_replaced_when_its_names_change(
    tmp_path, run_main, commands, certbot
):
    tree = {"tier": "debian", "roots": args(tmp_path, [])["roots"], "user": "root", "group": MY_GROUP}
    assert not run_main(layout, tree)[0]
    both = ["a.example", "conference.a.example"]
    failed, predicted = run_main(acme, args(tmp_path, both), check=True)
    assert not failed, predicted
    assert predicted["certificates"][0]["action"] == "obtained"
    assert commands.calls == [] or not any(c.startswith("certbot") for c in commands.calls)
    failed, result = run_main(acme, args(tmp_path, both))
    assert not failed, result
    assert (result["changed"], result["certificates"][0]["action"]) == (True, "obtained")
    (call,) = [c for c in commands.calls if c.startswith("certbot")]
    assert "--server %s --cert-name a.example --deploy-hook %s" % (DIRECTORY, certbot) in call
    assert call.endswith("--domain a.example --domain conference.a.example")
    installed = tmp_path / "etc/certs/a.example.crt"
    assert installed.read_bytes() == (tmp_path / "letsencrypt/live/a.example/fullchain.pem").read_bytes()

    commands.forget()
    failed, again = run_main(acme, args(tmp_path, both))
    assert (again["changed"], again["certificates"][0]["action"], commands.calls) == (False, "none", [])

    installed.write_text("edited by hand\n")
    failed, repaired = run_main(acme, args(tmp_path, both))
    assert repaired["certificates"][0]["action"] == "installed"
    assert commands.calls == ["hook %s/letsencrypt/live/a.example" % tmp_path]
    assert installed.read_bytes() == (tmp_path / "letsencrypt/live/a.example/fullchain.pem").read_bytes()

    commands.forget()
    failed, fewer = run_main(acme, args(tmp_path, ["a.example"]))
    assert fewer["certificates"][0]["action"] == "obtained"  # the names changed: a new certificate
    assert [c.split()[1] for c in commands.calls] == ["certonly", "%s/letsencrypt/live/a.example" % tmp_path]


def test_certbot_failing_is_reported_with_what_it_said(tmp_path, run_main, commands, certbot):
    (commands.directory / "certbot").write_text('#!/bin/sh\necho "Challenge failed for domain a.example" >&2\nexit 1\n')
    failed, result = run_main(acme, args(tmp_path, ["a.example"]))
    assert failed
    assert result["msg"] == "certbot failed (rc 1): Challenge failed for domain a.example"
    assert json.dumps(result).count("Challenge failed") == 1


def test_another_acme_server_replaces_a_lineage_that_is_not_due(tmp_path, run_main, commands, certbot):
    tree = {"tier": "debian", "roots": args(tmp_path, [])["roots"], "user": "root", "group": MY_GROUP}
    assert not run_main(layout, tree)[0]
    assert not run_main(acme, args(tmp_path, ["a.example"]))[0]
    commands.forget()
    failed, moved = run_main(acme, dict(args(tmp_path, ["a.example"]), directory="https://acme.example/dir"))
    assert not failed, moved
    assert moved["certificates"][0]["action"] == "obtained"
    assert "--force-renewal" in next(c for c in commands.calls if c.startswith("certbot"))
    failed, again = run_main(acme, dict(args(tmp_path, ["a.example"]), directory="https://acme.example/dir"))
    assert again["certificates"][0]["action"] == "none"
