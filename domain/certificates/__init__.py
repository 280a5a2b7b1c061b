"""Certificates (证书): the effects of an approval (registration, versions, numbers), the electronic certificate
(PDF, PNG), signed downloads and the signed QR code."""

from domain.certificates.effects import apply_approval
from domain.certificates.lookup import CertificateVersion, certificate_by_id, certificates_of, current_certificate
from domain.certificates.numbering import next_serial, with_check
from domain.certificates.versions import ISSUER, SupersededReason

__all__ = [
    "ISSUER",
    "CertificateVersion",
    "SupersededReason",
    "apply_approval",
    "certificate_by_id",
    "certificates_of",
    "current_certificate",
    "next_serial",
    "with_check",
]
