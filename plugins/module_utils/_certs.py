# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""Certificate and key checks: they match, the certificate covers the host, it has not expired."""

from __future__ import annotations

import datetime
import hashlib

try:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    HAS_CRYPTOGRAPHY = True
except ImportError:  # reported by the module with missing_required_lib
    HAS_CRYPTOGRAPHY = False


class CertificateError(ValueError):
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


def inspect_pair(cert_pem: bytes, key_pem: bytes, hosts: list[str], where: str, now=None) -> dict:
    """Check a certificate (first PEM block; a chain may follow) against its key and hosts."""
    try:
        cert = x509.load_pem_x509_certificate(cert_pem)
    except ValueError as exc:
        raise CertificateError("%s.certificate: not a PEM certificate (%s)" % (where, exc)) from None
    try:
        key = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError) as exc:
        # The exception text never contains key material, only the parser's complaint.
        raise CertificateError(
            "%s.key: not an unencrypted PEM private key (%s)" % (where, type(exc).__name__)
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
