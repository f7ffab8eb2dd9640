# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The central CA: keys stay on their host, requests are signed once, revocation reaches the list."""

from __future__ import annotations

import datetime
import os
import stat
import subprocess

import pytest
from cryptography import x509

from ansible_collections.xmpp.prosody.plugins.module_utils._central_ca import CentralCA, requests
from ansible_collections.xmpp.prosody.plugins.module_utils._certs import CertificateError, inspect_pair

ME = (os.getuid(), os.getgid(), 0o640)
ITEMS = [{"name": "a.test", "domains": ["a.test", "conference.a.test"]}]
NOW = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)


def _key_path(tmp_path):
    return lambda name: str(tmp_path / "host" / "certs" / (name + ".key"))


def _ca(tmp_path, now=NOW, check=False):
    ca = CentralCA(str(tmp_path / "ca"), check, now=now)
    assert ca.load("Test CA") or check
    return ca


def _signed(tmp_path, now=NOW, revoked=False):
    reqs, _made = requests(ITEMS, _key_path(tmp_path), ME, check=False)
    ca = _ca(tmp_path, now)
    if revoked:
        ca.revoke("h1")
        return ca, {}
    return ca, ca.sign("h1", reqs, 365, 30)


def test_a_key_is_made_on_the_host_once_and_the_certificate_fits_it(tmp_path):
    _reqs, made = requests(ITEMS, _key_path(tmp_path), ME, check=False)
    assert made == ["a.test"]
    key_file = tmp_path / "host" / "certs" / "a.test.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o640
    again, made_again = requests(ITEMS, _key_path(tmp_path), ME, check=False)
    assert made_again == []
    assert key_file.read_bytes().startswith(b"-----BEGIN PRIVATE KEY")
    ca = _ca(tmp_path)
    cert = ca.sign("h1", again, 365, 30)["a.test"].encode()
    info = inspect_pair(cert, key_file.read_bytes(), ["a.test", "conference.a.test"], "t")
    assert info["dns_names"] == ["a.test", "conference.a.test"]
    # the CA host holds its own key only
    keys = [p for p in (tmp_path / "ca").rglob("*") if p.is_file() and b"PRIVATE KEY" in p.read_bytes()]
    assert keys == [tmp_path / "ca" / "ca" / "ca.key"]
    assert stat.S_IMODE(keys[0].stat().st_mode) == 0o600
    folders = [tmp_path / "ca"] + [p for p in (tmp_path / "ca").rglob("*") if p.is_dir()]
    assert {str(p): stat.S_IMODE(p.stat().st_mode) for p in folders} == {str(p): 0o700 for p in folders}


def test_check_mode_makes_no_key_and_no_ca(tmp_path):
    reqs, made = requests(ITEMS, _key_path(tmp_path), ME, check=True)
    assert (reqs, made) == ([], ["a.test"])
    assert not (tmp_path / "host").exists()
    ca = CentralCA(str(tmp_path / "ca"), True, now=NOW)
    assert not ca.load("Test CA")
    assert ca.changes
    assert not (tmp_path / "ca").exists()


def test_a_current_certificate_is_kept_and_a_due_or_different_one_signed_again(tmp_path):
    _ca_host, first = _signed(tmp_path)
    reqs, _made = requests(ITEMS, _key_path(tmp_path), ME, check=False)  # a new request (new signature), same key
    again = _ca(tmp_path)
    assert again.sign("h1", reqs, 365, 30) == first
    assert again.changes == []
    late = _ca(tmp_path, now=NOW + datetime.timedelta(days=340))
    assert late.sign("h1", reqs, 365, 30) != first
    assert late.changes == ["issued h1/a.test"]
    more = [{"name": "a.test", "domains": ["a.test", "upload.a.test"]}]
    other, _made = requests(more, _key_path(tmp_path), ME, check=False)
    named = _ca(tmp_path, now=NOW + datetime.timedelta(days=340))
    cert = x509.load_pem_x509_certificate(named.sign("h1", other, 365, 30)["a.test"].encode())
    assert sorted(n.value for n in cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value) == [
        "a.test",
        "upload.a.test",
    ]


def test_a_request_that_was_tampered_with_is_refused(tmp_path):
    reqs, _made = requests(ITEMS, _key_path(tmp_path), ME, check=False)
    ca = _ca(tmp_path)
    with pytest.raises(CertificateError, match=r"requests\[h1\].certificates\[0\].csr"):
        ca.sign("h1", [dict(reqs[0], csr="not a request")], 365, 30)
    with pytest.raises(CertificateError, match=r"csr.*missing"):
        ca.sign("h1", [{"name": "a.test", "domains": ["a.test"]}], 365, 30)
    with pytest.raises(CertificateError, match="cannot name a directory"):
        ca.sign("../x", reqs, 365, 30)


def test_revocation_moves_the_certificate_and_lists_it_and_the_list_is_stable(tmp_path):
    ca, first = _signed(tmp_path)
    crl = ca.revocation_list()
    assert "wrote the revocation list (0 revoked)" in ca.changes
    same = _ca(tmp_path)
    assert same.revocation_list() == crl
    assert same.changes == []
    later = NOW + datetime.timedelta(hours=1)
    revoking = _ca(tmp_path, now=later)
    revoking.revoke("h1")
    listed = revoking.revocation_list()
    assert revoking.changes == ["revoked h1/a.test", "wrote the revocation list (1 revoked)"]
    assert not (tmp_path / "ca" / "issued" / "h1" / "a.test.crt").exists()
    moved = tmp_path / "ca" / "revoked" / "h1" / ("a.test-%s.crt" % later.strftime("%Y%m%dT%H%M%SZ"))
    assert moved.read_bytes().decode() == first["a.test"]
    entries = list(x509.load_pem_x509_crl(listed.encode()))
    assert [e.serial_number for e in entries] == [x509.load_pem_x509_certificate(moved.read_bytes()).serial_number]
    when = getattr(entries[0], "revocation_date_utc", None) or entries[0].revocation_date.replace(tzinfo=datetime.UTC)
    assert when == later.replace(microsecond=0)
    # unchanged while more than half of its validity is left, made again after
    assert _ca(tmp_path, now=later + datetime.timedelta(days=14)).revocation_list() == listed
    renewed = _ca(tmp_path, now=later + datetime.timedelta(days=16))
    assert renewed.revocation_list() != listed
    assert renewed.changes


def test_openssl_verifies_the_chain_and_sees_the_revocation(tmp_path):
    now = datetime.datetime.now(datetime.UTC)
    ca, signed = _signed(tmp_path, now=now)
    ca.revocation_list()
    cert = tmp_path / "a.crt"
    cert.write_text(signed["a.test"])
    ca_dir = tmp_path / "ca" / "ca"
    verify = ["openssl", "verify", "-crl_check", "-CAfile", str(ca_dir / "ca.crt"), "-CRLfile", str(ca_dir / "crl.pem")]
    assert subprocess.run([*verify, str(cert)], capture_output=True, check=False).returncode == 0
    revoking = _ca(tmp_path, now=now)
    revoking.revoke("h1")
    revoking.revocation_list()
    out = subprocess.run([*verify, str(cert)], capture_output=True, text=True, check=False)
    assert out.returncode != 0
    assert "certificate revoked" in out.stdout + out.stderr
