# SPDX-License-Identifier: GPL-3.0-or-later
"""xmpp.prosody.acme against a stand-in certbot that keeps lineages as the real one does."""

from __future__ import annotations

import pytest
from conftest import MY_GROUP

from ansible_collections.xmpp.prosody.plugins.module_utils import _deployment
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
    --webroot-path) webroot=$2; shift ;;
  esac
  shift
done
dir=${CERTBOT_DIR:?}
if [ -f "$FAKE/fail.$name" ]; then  # the ACME server cannot reach this name (as certbot 2.1 prints it)
  printf 'Certbot failed to authenticate some domains\n  Domain: %s\n  Type:   dns\n' "$name" >&2
  printf '  Detail: DNS problem: NXDOMAIN looking up A for %s\n' "$name" >&2
  exit 1
fi
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
[ -z "$webroot" ] || printf 'webroot_path = %s,\\n' "$webroot" >> "$dir/renewal/$name.conf"
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
    for names in (["a.example", "conference.a.example"], ["a.example"], ["b.example"], ["c.example"]):
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
    monkeypatch.setattr(_deployment, "well_known_paths", _with_hook(_deployment.well_known_paths, str(hook)))
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
        "agree_tos": True,
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
    assert result["msg"] == (
        "1 of the ACME certificates could not be obtained (the others are in place; the next run tries these again): "
        "a.example (other: see certbot's log, /var/log/letsencrypt/letsencrypt.log) - Challenge failed for domain "
        "a.example"
    )
    assert result["failures"][0]["name"] == "a.example"


def lineages(tmp_path, *names):
    return dict(args(tmp_path, []), lineages=[{"name": n, "domains": [n]} for n in names])


def test_one_name_that_fails_stops_no_other(tmp_path, run_main, commands, certbot):
    """200 customers: the one whose DNS is not ready is named; the others are obtained and installed."""
    tree = {"tier": "debian", "roots": args(tmp_path, [])["roots"], "user": "root", "group": MY_GROUP}
    assert not run_main(layout, tree)[0]
    commands.set("fail.b.example", "")
    failed, result = run_main(acme, lineages(tmp_path, "a.example", "b.example", "c.example"))
    assert failed
    assert [c["action"] for c in result["certificates"]] == ["obtained", "failed", "obtained"]
    assert result["changed"] is True
    assert result["msg"].startswith("1 of the ACME certificates could not be obtained")
    assert (
        "b.example (DNS: the name's A/AAAA records) - DNS problem: NXDOMAIN looking up A for b.example"
        in (result["msg"])
    )
    assert (tmp_path / "etc/certs/c.example.crt").exists()
    assert not (tmp_path / "etc/certs/b.example.crt").exists()
    # keep_going: the same, returned instead of failed (the roles fail on it at the end of the run)
    commands.forget()
    failed, result = run_main(acme, dict(lineages(tmp_path, "a.example", "b.example", "c.example"), keep_going=True))
    assert not failed, result
    assert result["failures"] == [
        {
            "name": "b.example",
            "domains": ["b.example"],
            "cause": "DNS",
            "advice": "the name's A/AAAA records",
            "detail": "DNS problem: NXDOMAIN looking up A for b.example",
        }
    ]
    assert [c.split()[-1] for c in commands.calls if c.startswith("certbot")] == ["b.example"]  # only it again
    # its DNS is ready now: the next run completes, asking for it alone
    (commands.directory / "fail.b.example").unlink()
    commands.forget()
    failed, result = run_main(acme, lineages(tmp_path, "a.example", "b.example", "c.example"))
    assert not failed, result
    assert [c["action"] for c in result["certificates"]] == ["none", "obtained", "none"]
    assert result["failures"] == []


def test_nothing_is_obtained_before_the_terms_are_accepted(tmp_path, run_main, commands, certbot):
    failed, result = run_main(acme, dict(lineages(tmp_path, "a.example", "b.example"), agree_tos=False))
    assert failed
    assert result["msg"].startswith("agree_tos: an ACME server issues certificates only to an account that accepts")
    assert not [c for c in commands.calls if c.startswith("certbot")]


def test_a_webroot_lineage_is_asked_for_again_when_its_webroot_changes(tmp_path, run_main, commands, certbot):
    tree = {"tier": "debian", "roots": args(tmp_path, [])["roots"], "user": "root", "group": MY_GROUP}
    assert not run_main(layout, tree)[0]
    assert not run_main(acme, args(tmp_path, ["a.example"]))[0]  # standalone
    commands.forget()
    failed, result = run_main(acme, dict(args(tmp_path, ["a.example"]), webroot="/var/www/html"))
    assert not failed, result
    assert result["certificates"][0]["action"] == "obtained"
    (call,) = [c for c in commands.calls if c.startswith("certbot")]
    assert "--webroot --webroot-path /var/www/html" in call
    assert "--force-renewal" in call
    _failed, again = run_main(acme, dict(args(tmp_path, ["a.example"]), webroot="/var/www/html"))
    assert again["certificates"][0]["action"] == "none"


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
