# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""A central CA on one host of the inventory that signs the certificates of many Prosody hosts.

A key is made where it is used and never leaves that host: the host sends a request (``requests``),
the CA host signs it (``CentralCA``), and the host installs the certificate with the CA's certificate
and revocation list. The CA's directory: ``ca/`` (its key, certificate and revocation list),
``pending/<host>/`` (the requests it signed), ``issued/<host>/`` (the certificates) and
``revoked/<host>/`` (a revoked host's certificates, stamped with the time of revocation)."""

from __future__ import annotations

import contextlib
import datetime
import os

from ansible_collections.xmpp.prosody.plugins.module_utils._certs import (
    CertificateError,
    Issuer,
    _not_after,
    _spki,
    ca_certificate,
    dns_names,
    private_pem,
)
from ansible_collections.xmpp.prosody.plugins.module_utils._fs import read_bytes, write_atomic

try:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
except ImportError:  # reported by the modules with missing_required_lib
    pass

CA_DAYS = 3650
CRL_DAYS = 30  # a revocation list is valid this long, and made again once half of that has passed
STAMP = "%Y%m%dT%H%M%SZ"  # revoked/<host>/<name>-<STAMP>.crt: when it was revoked
ROOT_ONLY = (0, 0, 0o600)  # the CA's key and the requests
PUBLIC = (0, 0, 0o644)  # the CA's certificate, the issued certificates, the revocation list


def subject_names(name: str, domains: list[str]) -> list[str]:
    """The certificate's names: the host first (the subject), then the names below it."""
    return [name] + [d for d in domains if d != name]


def requests(items: list[dict], key_path, key_owner: tuple, check: bool) -> tuple[list[dict], list[str]]:
    """A request per item ({name, domains}) with the key at ``key_path(name)``, made there first when
    missing. Returns the requests ({name, domains, csr}) and the names whose key was made. In check
    mode a missing key is only counted (its request cannot exist yet)."""
    made, out = [], []
    for item in items:
        path = key_path(item["name"])
        pem = read_bytes(path)
        if pem is None:
            made.append(item["name"])
            if check:
                continue
            key = ec.generate_private_key(ec.SECP256R1())
            os.makedirs(os.path.dirname(path), 0o750, exist_ok=True)
            write_atomic(path, private_pem(key), *key_owner)
        else:
            key = serialization.load_pem_private_key(pem, password=None)
        names = subject_names(item["name"], item["domains"])
        csr = (
            x509.CertificateSigningRequestBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
            .sign(key, hashes.SHA256())
        )
        out.append(dict(item, csr=csr.public_bytes(serialization.Encoding.PEM).decode()))
    return out, made


def _host_dir(host: str) -> str:
    if not host or "/" in host or host.startswith("."):
        raise CertificateError("requests: %r cannot name a directory of the CA; use the inventory name" % host)
    return host


def _private_dirs(path: str) -> None:
    """Make ``path`` and the directories missing above it, root's alone (umask or not)."""
    missing = []
    while path and not os.path.isdir(path):
        missing.append(path)
        path = os.path.dirname(path)
    for directory in reversed(missing):
        os.mkdir(directory, 0o700)
        os.chmod(directory, 0o700)


class CentralCA:
    """The CA's directory on the CA host. Nothing is written in check mode; ``changes`` lists what was
    (or would be) done."""

    def __init__(self, directory: str, check: bool, now=None):
        self.directory, self.check = directory, check
        self.now = now or datetime.datetime.now(datetime.UTC)
        self.changes: list[str] = []
        self.issuer = None

    def _path(self, *parts) -> str:
        return os.path.join(self.directory, *parts)

    def _write(self, path: str, content: bytes, owner: tuple, what: str | None = None) -> None:
        if what:
            self.changes.append(what)
        if not self.check:
            _private_dirs(os.path.dirname(path))
            write_atomic(path, content, *owner)

    def load(self, common_name: str) -> bool:
        """Load the CA, made first when missing (a P-256 key, a self-signed certificate for ten years).
        False in check mode when it does not exist yet (nothing can be signed)."""
        key_path, cert_path = self._path("ca", "ca.key"), self._path("ca", "ca.crt")
        key_pem, cert_pem = read_bytes(key_path), read_bytes(cert_path)
        if key_pem is None:
            key = ec.generate_private_key(ec.SECP256R1())
            key_pem, cert_pem = private_pem(key), None
            self._write(key_path, key_pem, ROOT_ONLY, "made the CA's key")
        if cert_pem is None:
            key = serialization.load_pem_private_key(key_pem, password=None)
            cert_pem = ca_certificate(key, common_name, CA_DAYS, self.now)
            self._write(cert_path, cert_pem, PUBLIC, "made the CA's certificate")
        if self.check and self.changes:
            return False
        self.issuer = Issuer(cert_pem, key_pem, self._path("ca"))
        return True

    @property
    def certificate(self) -> str:
        return self.issuer.cert.public_bytes(serialization.Encoding.PEM).decode()

    def _current(self, cert_pem: bytes | None, public_key, names: list[str], renew_days: int) -> bool:
        """Whether an issued certificate stays: this CA's, for this key and these names, not due."""
        if cert_pem is None or not self.issuer.signed(cert_pem):
            return False
        cert = x509.load_pem_x509_certificate(cert_pem)
        due = self.now + datetime.timedelta(days=renew_days)
        return (
            _spki(cert.public_key()) == _spki(public_key)
            and sorted(dns_names(cert)) == sorted(n.lower() for n in names)
            and _not_after(cert) > due
        )

    def sign(self, host: str, items: list[dict], valid_days: int, renew_days: int) -> dict:
        """The certificates of ``host``'s requests by name, issued where none is current."""
        signed = {}
        for index, item in enumerate(items):
            where = "requests[%s].certificates[%d]" % (host, index)
            missing = [field for field in ("name", "domains", "csr") if not item.get(field)]
            if missing:
                raise CertificateError("%s: %s missing; pass the request central_ca_pairs returned" % (where, missing))
            try:
                csr = x509.load_pem_x509_csr(item["csr"].encode())
            except ValueError:
                raise CertificateError("%s.csr: not a PEM certificate request" % where) from None
            if not csr.is_signature_valid:
                raise CertificateError("%s.csr: its signature does not match its key" % where)
            names = subject_names(item["name"], item["domains"])
            path = self._path("issued", _host_dir(host), item["name"] + ".crt")
            cert = read_bytes(path)
            if not self._current(cert, csr.public_key(), names, renew_days):
                cert = self.issuer.certify(csr.public_key(), names, valid_days, self.now)
                # the request is kept beside, as a record; the certificate is the change
                self._write(self._path("pending", host, item["name"] + ".csr"), item["csr"].encode(), ROOT_ONLY)
                self._write(path, cert, PUBLIC, "issued %s/%s" % (host, item["name"]))
            signed[item["name"]] = cert.decode()
        return signed

    def revoke(self, host: str) -> None:
        """Move ``host``'s certificates to revoked/<host>/, stamped with the time of revocation."""
        issued = self._path("issued", _host_dir(host))
        for name in sorted(os.listdir(issued)) if os.path.isdir(issued) else []:
            if not name.endswith(".crt"):
                continue
            self.changes.append("revoked %s/%s" % (host, name[:-4]))
            if not self.check:
                revoked = self._path("revoked", host)
                _private_dirs(revoked)
                stamped = "%s-%s.crt" % (name[:-4], self.now.strftime(STAMP))
                os.rename(os.path.join(issued, name), os.path.join(revoked, stamped))

    def _revoked(self) -> dict:
        """Serial number -> revocation time of every certificate under revoked/."""
        entries = {}
        for top, _dirs, files in os.walk(self._path("revoked")):
            for name in files:
                if not name.endswith(".crt"):
                    continue
                path = os.path.join(top, name)
                cert = x509.load_pem_x509_certificate(read_bytes(path))
                try:
                    when = datetime.datetime.strptime(name[-20:-4], STAMP).replace(tzinfo=datetime.UTC)
                except ValueError:
                    when = datetime.datetime.fromtimestamp(os.stat(path).st_mtime, datetime.UTC)
                entries[cert.serial_number] = when
        return entries

    def revocation_list(self) -> str:
        """The CA's revocation list: the one in place while it lists exactly the revoked certificates and
        has more than half of its validity left; otherwise a new one."""
        path = self._path("ca", "crl.pem")
        entries, current = self._revoked(), read_bytes(path)
        number = 0
        if current is not None:
            try:
                crl = x509.load_pem_x509_crl(current)
            except ValueError:
                crl = None
            if crl is not None and crl.is_signature_valid(self.issuer.cert.public_key()):
                next_update = getattr(crl, "next_update_utc", None) or crl.next_update.replace(tzinfo=datetime.UTC)
                listed = {entry.serial_number for entry in crl}
                if listed == set(entries) and next_update - self.now > datetime.timedelta(days=CRL_DAYS / 2):
                    return current.decode()
                with contextlib.suppress(x509.ExtensionNotFound):
                    number = crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.issuer.cert.subject)
            .last_update(self.now)
            .next_update(self.now + datetime.timedelta(days=CRL_DAYS))
            .add_extension(x509.CRLNumber(number + 1), critical=False)
        )
        for serial, when in sorted(entries.items()):
            revoked = x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build()
            builder = builder.add_revoked_certificate(revoked)
        pem = builder.sign(self.issuer.key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)
        self._write(path, pem, PUBLIC, "wrote the revocation list (%d revoked)" % len(entries))
        return pem.decode()
