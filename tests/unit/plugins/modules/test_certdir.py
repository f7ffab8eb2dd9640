# SPDX-License-Identifier: GPL-3.0-or-later
"""certdir: checks before writing, tier paths, modes, idempotence, nothing secret in results."""

from __future__ import annotations

import datetime
import grp
import os
import pwd
import stat

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ansible_collections.xmpp.prosody.plugins.module_utils._certs import CertificateError
from ansible_collections.xmpp.prosody.plugins.modules import certdir

ME = pwd.getpwuid(os.getuid()).pw_name
MY_GROUP = grp.getgrgid(os.getgid()).gr_name
NOW = datetime.datetime.now(datetime.UTC)


def make_pair(names, days=30, start_days=-1, ca=False):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW + datetime.timedelta(days=start_days))
        .not_valid_after(NOW + datetime.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode(), key_pem.decode()


def make_ca(directory, name="ca"):
    cert, key = make_pair(["Test CA " + name], days=3650, ca=True)
    (directory / (name + ".pem")).write_text(cert)
    (directory / (name + ".key")).write_text(key)
    return {
        "certificate_src": str(directory / (name + ".pem")),
        "key_src": str(directory / (name + ".key")),
        "valid_days": 365,
        "renew_days": 30,
        "create": False,
        "common_name": "unused",
    }


class FakeModule:
    def __init__(self, tmp_path, check_mode=False, **params):
        self.params = {
            "tier": "debian",
            "roots": {"config": str(tmp_path / "etc"), "data": str(tmp_path / "d"), "log": str(tmp_path / "l")},
            "user": ME,
            "group": MY_GROUP,
            "issuer": None,
        }
        item = {"certificate": None, "key": None, "certificate_src": None, "key_src": None, "also_covers": []}
        for key in ("tier", "roots", "issuer"):
            if key in params:
                self.params[key] = params.pop(key)
        item.update(params)
        self.params["certificates"] = [item]
        self.check_mode = check_mode
        self._diff = True


@pytest.fixture
def certs(tmp_path):
    (tmp_path / "etc/certs").mkdir(parents=True)
    return tmp_path / "etc/certs"


def test_installs_in_debian_convention_with_modes(tmp_path, certs):
    cert, key = make_pair(["example.org", "conference.example.org"])
    result = certdir.run_module(
        FakeModule(tmp_path, name="Example.org", certificate=cert, key=key, also_covers=["conference.example.org"])
    )
    assert stat.S_IMODE((certs / "example.org.key").stat().st_mode) == 0o640
    assert stat.S_IMODE((certs / "example.org.crt").stat().st_mode) == 0o644
    assert (certs / "example.org.key").read_text() == key
    info = result["certificates"][0]
    assert info["changed"]
    assert info["dns_names"] == ["example.org", "conference.example.org"]
    assert info["not_after"].startswith((NOW + datetime.timedelta(days=30)).date().isoformat())
    assert key not in repr(result)
    assert "PRIVATE" not in repr(result)
    again = certdir.run_module(FakeModule(tmp_path, name="example.org", certificate=cert, key=key))
    assert again["changed"] is False


def test_enterprise_convention_creates_host_dir(tmp_path):
    (tmp_path / "srv/certs/domains").mkdir(parents=True)
    cert, key = make_pair(["t.example"])
    certdir.run_module(
        FakeModule(
            tmp_path,
            tier="enterprise",
            roots={"root": str(tmp_path / "srv")},
            name="t.example",
            certificate=cert,
            key=key,
        )
    )
    host_dir = tmp_path / "srv/certs/domains/t.example"
    assert stat.S_IMODE(host_dir.stat().st_mode) == 0o750
    assert (host_dir / "fullchain.pem").read_text() == cert
    assert (host_dir / "privkey.pem").read_text() == key


def test_check_mode_writes_nothing(tmp_path, certs):
    cert, key = make_pair(["example.org"])
    result = certdir.run_module(FakeModule(tmp_path, check_mode=True, name="example.org", certificate=cert, key=key))
    assert result["changed"] is True
    assert os.listdir(certs) == []


def test_source_files_on_the_target(tmp_path, certs):
    cert, key = make_pair(["example.org"])
    (tmp_path / "src.crt").write_text(cert)
    (tmp_path / "src.key").write_text(key)
    result = certdir.run_module(
        FakeModule(
            tmp_path, name="example.org", certificate_src=str(tmp_path / "src.crt"), key_src=str(tmp_path / "src.key")
        )
    )
    assert result["changed"]
    assert (certs / "example.org.crt").read_text() == cert


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("mismatch", "certificates[0]: the key does not belong to the certificate"),
        ("uncovered", "certificates[0]: the certificate does not cover 'example.org' (its DNS names: other.example)"),
        ("expired", "certificates[0]: the certificate expired on"),
        ("garbage-cert", "certificates[0].certificate: not a PEM certificate"),
        ("garbage-key", "certificates[0].key: not an unencrypted PEM private key"),
        ("both", "certificates[0]: give exactly one of certificate (PEM text) or certificate_src"),
        ("missing-src", "certificates[0]: cannot read /nonexistent.crt"),
    ],
)
def test_bad_material_is_refused_before_any_write(tmp_path, certs, case, message):
    cert, key = make_pair(["example.org"])
    _other_cert, other_key = make_pair(["example.org"])
    params = {"name": "example.org", "certificate": cert, "key": key}
    if case == "mismatch":
        params["key"] = other_key
    elif case == "uncovered":
        params["certificate"], params["key"] = make_pair(["other.example"])
    elif case == "expired":
        params["certificate"], params["key"] = make_pair(["example.org"], days=-1, start_days=-10)
    elif case == "garbage-cert":
        params["certificate"] = "not a certificate"
    elif case == "garbage-key":
        params["key"] = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
    elif case == "both":
        params["certificate_src"] = "/x.crt"
    elif case == "missing-src":
        params.update(certificate=None, certificate_src="/nonexistent.crt")
    with pytest.raises(CertificateError) as excinfo:
        certdir.run_module(FakeModule(tmp_path, **params))
    assert message in str(excinfo.value)
    assert "PRIVATE" not in str(excinfo.value)
    assert os.listdir(certs) == []


def test_wildcard_covers_one_label(tmp_path, certs):
    cert, key = make_pair(["*.example.org"])
    certdir.run_module(FakeModule(tmp_path, name="chat.example.org", certificate=cert, key=key))
    with pytest.raises(CertificateError, match=r"does not cover 'a\.b\.example\.org'"):
        certdir.run_module(FakeModule(tmp_path, name="a.b.example.org", certificate=cert, key=key))


def _issuer_of(path):
    return x509.load_pem_x509_certificate(path.read_bytes()).issuer.rfc4514_string()


def test_issuer_issues_a_pair_per_host_and_keeps_it(tmp_path, certs):
    issuer = make_ca(tmp_path)
    result = certdir.run_module(FakeModule(tmp_path, issuer=issuer, name="example.org", also_covers=["*.example.org"]))
    info = result["certificates"][0]
    assert info["changed"]
    assert info["issued"]
    assert info["dns_names"] == ["example.org", "*.example.org"]
    assert _issuer_of(certs / "example.org.crt") == "CN=Test CA ca"
    issued = x509.load_pem_x509_certificate((certs / "example.org.crt").read_bytes())
    ca_key = x509.load_pem_x509_certificate((tmp_path / "ca.pem").read_bytes()).public_key()
    aki = issued.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    assert aki.key_identifier == x509.SubjectKeyIdentifier.from_public_key(ca_key).digest  # strict verifiers need it
    assert stat.S_IMODE((certs / "example.org.key").stat().st_mode) == 0o640
    assert "PRIVATE" not in repr(result)
    before = (certs / "example.org.key").read_bytes()
    again = certdir.run_module(FakeModule(tmp_path, issuer=issuer, name="example.org", also_covers=["*.example.org"]))
    assert again["changed"] is False
    assert again["certificates"][0]["issued"] is False
    assert (certs / "example.org.key").read_bytes() == before


@pytest.mark.parametrize("reason", ["other-ca", "new-name", "expires-soon", "foreign-pair"])
def test_issuer_issues_again_when_the_pair_no_longer_fits(tmp_path, certs, reason):
    issuer = make_ca(tmp_path)
    first = dict(issuer, valid_days=40) if reason == "expires-soon" else issuer
    certdir.run_module(FakeModule(tmp_path, issuer=first, name="example.org"))
    covers = []
    if reason == "expires-soon":  # 40 days left, renewed at 45
        issuer = dict(issuer, renew_days=45)
    elif reason == "other-ca":
        issuer = make_ca(tmp_path, "other")
    elif reason == "new-name":
        covers = ["upload.example.org"]
    elif reason == "foreign-pair":  # a self-signed pair someone put there
        cert, key = make_pair(["example.org"])
        (certs / "example.org.crt").write_text(cert)
        (certs / "example.org.key").write_text(key)
    result = certdir.run_module(FakeModule(tmp_path, issuer=issuer, name="example.org", also_covers=covers))
    assert result["certificates"][0]["issued"] is True
    assert result["changed"] is True
    expected = "CN=Test CA other" if reason == "other-ca" else "CN=Test CA ca"
    assert _issuer_of(certs / "example.org.crt") == expected


def test_a_new_ca_key_under_the_same_name_issues_again(tmp_path, certs):
    issuer = make_ca(tmp_path)
    certdir.run_module(FakeModule(tmp_path, issuer=issuer, name="example.org"))
    make_ca(tmp_path)  # the CA made again: same name, another key
    result = certdir.run_module(FakeModule(tmp_path, issuer=issuer, name="example.org"))
    assert result["certificates"][0]["issued"] is True
    again = certdir.run_module(FakeModule(tmp_path, issuer=issuer, name="example.org"))
    assert again["changed"] is False


def test_issuer_check_mode_writes_nothing(tmp_path, certs):
    result = certdir.run_module(FakeModule(tmp_path, check_mode=True, issuer=make_ca(tmp_path), name="example.org"))
    assert result["changed"] is True
    assert os.listdir(certs) == []


def test_issuer_must_be_a_matching_pair(tmp_path, certs):
    issuer = make_ca(tmp_path)
    _cert, other_key = make_pair(["x"])
    (tmp_path / "ca.key").write_text(other_key)
    with pytest.raises(CertificateError, match="issuer: the CA key does not belong to the CA certificate"):
        certdir.run_module(FakeModule(tmp_path, issuer=issuer, name="example.org"))
    assert os.listdir(certs) == []


def test_no_material_and_no_issuer_names_the_fix(tmp_path, certs):
    with pytest.raises(CertificateError, match=r"or neither \(and no key\) with issuer set"):
        certdir.run_module(FakeModule(tmp_path, name="example.org"))


def test_issuer_validity_must_outlast_the_renewal_margin(tmp_path, certs):
    with pytest.raises(
        CertificateError, match=r"issuer.valid_days \(30\) must be larger than issuer.renew_days \(30\)"
    ):
        certdir.run_module(FakeModule(tmp_path, issuer=dict(make_ca(tmp_path), valid_days=30), name="example.org"))
