# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""Certificate and key checks (they match, the certificate covers the host, it has not expired),
and certificates issued by a local CA for hosts that bring none."""

from __future__ import annotations

import contextlib
import datetime
import hashlib

from ansible_collections.xmpp.prosody.plugins.module_utils._errors import ProsodyError

try:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    HAS_CRYPTOGRAPHY = True
except ImportError:  # reported by the module with missing_required_lib
    HAS_CRYPTOGRAPHY = False


class CertificateError(ProsodyError):
    """A certificate or key that must not be installed; the message names the host and the fix."""


def _not_after(cert) -> datetime.datetime:
    value = getattr(cert, "not_valid_after_utc", None)  # cryptography >= 42
    if value is None:
        value = cert.not_valid_after.replace(tzinfo=datetime.UTC)
    return value


def dns_names(cert) -> list[str]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    return [name.lower() for name in san.get_values_for_type(x509.DNSName)]


def covers(names: list[str], host: str) -> bool:
    """RFC 6125 style: an exact SAN, or a one-label wildcard (*.example.org covers a.example.org)."""
    parent = host.split(".", 1)[1] if "." in host else None
    return host in names or (parent is not None and "*." + parent in names)


def _spki(public_key) -> bytes:
    return public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def inspect_pair(cert_pem: bytes, key_pem: bytes, hosts: list[str], where: str, now=None, fields=None) -> dict:
    """Check a certificate (first PEM block; a chain may follow) against its key and hosts.
    ``fields`` name the certificate and the key in messages (default: ``where``.certificate, .key)."""
    cert_field, key_field = fields or (where + ".certificate", where + ".key")
    try:
        cert = x509.load_pem_x509_certificate(cert_pem)
    except ValueError as exc:
        raise CertificateError("%s: not a PEM certificate (%s)" % (cert_field, exc)) from None
    if b"ENCRYPTED" in key_pem.split(b"\n-----END", 1)[0]:
        raise CertificateError(
            "%s: the key is encrypted; Prosody starts unattended and cannot ask for its passphrase. Give it "
            "unencrypted (openssl pkey -in key.pem -out plain.pem) and keep it secret, e.g. in Ansible Vault"
            % key_field
        )
    try:
        key = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError) as exc:
        # The exception text never contains key material, only the parser's complaint.
        raise CertificateError(
            "%s: not an unencrypted PEM private key (%s)" % (key_field, type(exc).__name__)
        ) from None
    if _spki(cert.public_key()) != _spki(key.public_key()):
        raise CertificateError("%s: the key does not belong to the certificate; give the key it was issued for" % where)
    names = dns_names(cert)
    for host in hosts:
        if not covers(names, host):
            raise CertificateError(
                "%s: the certificate does not cover %r (its DNS names: %s); Prosody 13 needs the host in "
                "subjectAltName" % (where, host, ", ".join(names) or "none")
            )
    not_after = _not_after(cert)
    if not_after <= (now or datetime.datetime.now(datetime.UTC)):
        raise CertificateError("%s: the certificate expired on %s; renew it" % (where, not_after.isoformat()))
    return {
        "not_after": not_after.isoformat(),
        "dns_names": names,
        "subject": cert.subject.rfc4514_string(),
        "fingerprint_sha256": hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest(),
    }


def _key_usage(ca: bool):
    """A CA signs certificates and CRLs; a server certificate signs its handshakes."""
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def new_ca(common_name: str, days: int = 3650, now=None) -> tuple[bytes, bytes]:
    """A new local CA: a P-384 key and a self-signed CA certificate that may sign server
    certificates only (path length 0), PEM."""
    key = ec.generate_private_key(ec.SECP384R1())
    return ca_certificate(key, common_name, days, now), private_pem(key)


def private_pem(key) -> bytes:
    encoding, unencrypted = serialization.Encoding.PEM, serialization.NoEncryption()
    return key.private_bytes(encoding, serialization.PrivateFormat.PKCS8, unencrypted)


def ca_certificate(key, common_name: str, days: int, now=None) -> bytes:
    """A self-signed CA certificate for ``key`` that may sign server certificates only (path length 0),
    PEM; SHA-384 for a P-384 key, SHA-256 otherwise."""
    now = now or datetime.datetime.now(datetime.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    digest = hashes.SHA384() if getattr(key, "curve", None) and key.curve.name == "secp384r1" else hashes.SHA256()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(ca=True), critical=True)
        # Key identifiers: strict verifiers (Python 3.13's default context) refuse a chain without them.
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, digest)
    )
    return cert.public_bytes(serialization.Encoding.PEM)


class Issuer:
    """A local CA (certificate and key on the target) that signs a certificate per host."""

    def __init__(self, cert_pem: bytes, key_pem: bytes, where: str):
        try:
            self.cert = x509.load_pem_x509_certificate(cert_pem)
            self.key = serialization.load_pem_private_key(key_pem, password=None)
        except (ValueError, TypeError) as exc:
            raise CertificateError(
                "%s: not a PEM CA certificate and unencrypted key (%s)" % (where, type(exc).__name__)
            ) from None
        if _spki(self.cert.public_key()) != _spki(self.key.public_key()):
            raise CertificateError("%s: the CA key does not belong to the CA certificate" % where)
        self.ids = self._key_ids()

    def _key_ids(self) -> set:
        """The CA's key identifiers: its own extension's, and the one computed from its public key."""
        ids = {x509.SubjectKeyIdentifier.from_public_key(self.cert.public_key()).digest}
        with contextlib.suppress(x509.ExtensionNotFound):
            ids.add(self.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest)
        return ids

    def signed(self, cert_pem: bytes) -> bool:
        """Whether the (first) certificate in cert_pem was issued by this CA.

        This decides whether to issue again, it authenticates nothing (the files are root's): a
        certificate that names this CA as issuer and carries its key identifier counts as issued by
        it (the certificates it issues always carry one); only one without an identifier has its
        signature checked. A thousand signature checks would cost every run half a second and more."""
        try:
            cert = x509.load_pem_x509_certificate(cert_pem)
        except ValueError:
            return False
        if cert.issuer != self.cert.subject:
            return False
        try:
            return cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier in self.ids
        except x509.ExtensionNotFound:
            pass
        public = self.cert.public_key()
        try:  # cryptography 38 (Debian 12) has no verify_directly_issued_by
            if isinstance(public, ec.EllipticCurvePublicKey):
                public.verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(cert.signature_hash_algorithm))
            elif isinstance(public, rsa.RSAPublicKey):
                public.verify(
                    cert.signature, cert.tbs_certificate_bytes, padding.PKCS1v15(), cert.signature_hash_algorithm
                )
            else:
                public.verify(cert.signature, cert.tbs_certificate_bytes)
        except InvalidSignature:
            return False
        return True

    def issue(self, names: list[str], days: int, now=None) -> tuple[bytes, bytes]:
        """A new P-256 key and a server certificate for names (the first is the subject), PEM."""
        key = ec.generate_private_key(ec.SECP256R1())
        return self.certify(key.public_key(), names, days, now), private_pem(key)

    def certify(self, public_key, names: list[str], days: int, now=None) -> bytes:
        """A server certificate for ``public_key`` and names (the first is the subject), PEM."""
        now = now or datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
            .issuer_name(self.cert.subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=days))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            # Key identifiers: strict verifiers (Python 3.13's default context) refuse a chain without them.
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.cert.public_key()), critical=False)
            .add_extension(_key_usage(ca=False), critical=True)
            .add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
                critical=False,
            )
            .sign(self.key, hashes.SHA256())
        )
        return cert.public_bytes(serialization.Encoding.PEM)
