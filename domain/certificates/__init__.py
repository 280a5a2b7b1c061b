"""Certificates (证书): the effects of an approval (registration, versions, numbers), the electronic certificate
(PDF, PNG), signed downloads and the signed QR code; the daily crons: renewal reminders and lapse (失效)."""

from domain.certificates.documents import number_with_check
from domain.certificates.downloads import (
    DownloadLink,
    DownloadRequest,
    FileFormat,
    RenderedFile,
    open_download,
    request_download,
)
from domain.certificates.downloads import usable_until as download_usable_until
from domain.certificates.effects import apply_approval
from domain.certificates.fonts import FontMissingError, font_problem
from domain.certificates.lapse import birthday_at, lapse_registrations
from domain.certificates.listing import certificates_of, certificates_visible_to, usable_until_today
from domain.certificates.lookup import CertificateVersion, certificate_by_id, current_certificate, versions_of
from domain.certificates.numbering import next_serial, with_check
from domain.certificates.qr import PAGE_PATH as VERIFICATION_PAGE_PATH
from domain.certificates.qr import ForgedPayload, QrFacts
from domain.certificates.qr import decode as decode_qr_payload
from domain.certificates.reminders import send_renewal_reminders
from domain.certificates.signing import SigningKeyError, load_public_key, public_key_pem
from domain.certificates.verification import (
    STATUS_LABELS,
    CertificateCheck,
    CertificateStatus,
    CheckedSpecialty,
    verify_certificate,
)
from domain.certificates.versions import ISSUER, SupersededReason

__all__ = [
    "ISSUER",
    "STATUS_LABELS",
    "VERIFICATION_PAGE_PATH",
    "CertificateCheck",
    "CertificateStatus",
    "CertificateVersion",
    "CheckedSpecialty",
    "DownloadLink",
    "DownloadRequest",
    "FileFormat",
    "FontMissingError",
    "ForgedPayload",
    "QrFacts",
    "RenderedFile",
    "SigningKeyError",
    "SupersededReason",
    "apply_approval",
    "birthday_at",
    "certificate_by_id",
    "certificates_of",
    "certificates_visible_to",
    "current_certificate",
    "decode_qr_payload",
    "download_usable_until",
    "font_problem",
    "lapse_registrations",
    "load_public_key",
    "next_serial",
    "number_with_check",
    "open_download",
    "public_key_pem",
    "request_download",
    "send_renewal_reminders",
    "usable_until_today",
    "verify_certificate",
    "versions_of",
    "with_check",
]
