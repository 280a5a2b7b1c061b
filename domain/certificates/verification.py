"""Verification of a certificate's QR code (证书核验), public: the signature first (a forged, tampered or malformed
code is FORGED, never an error), then the certificate's state. Only masked personal data comes back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from db.models import Certificate
from domain.certificates import qr
from domain.kernel import clock


class CertificateStatus(str, Enum):
    """What a QR code's certificate is now."""

    VALID = "VALID"
    REPLACED = "REPLACED"
    CHANGED = "CHANGED"
    CANCELLED = "CANCELLED"
    LAPSED = "LAPSED"
    EXPIRED = "EXPIRED"
    FORGED = "FORGED"


STATUS_LABELS = {
    CertificateStatus.VALID: "有效：该证书为当前有效的电子证书",
    CertificateStatus.REPLACED: "已换发：该证书已被换发的新证书取代，不再有效",
    CertificateStatus.CHANGED: "已变更：注册信息已变更并核发了新证书，该证书不再有效",
    CertificateStatus.CANCELLED: "已注销：该注册已注销，证书不再有效",
    CertificateStatus.LAPSED: "已失效：该注册已失效，证书不再有效",
    CertificateStatus.EXPIRED: "已过使用有效期：请持证人重新下载电子证书",
    CertificateStatus.FORGED: "无效：二维码不是本系统签发的，或已被篡改",
}
# Certificate.superseded_reason → what a scan says; any other reason (a reissue for a renewal, an added specialty,
# a personal-information change) means a newer version with changed content: CHANGED.
SUPERSEDED = {
    "REPLACED": CertificateStatus.REPLACED,
    "CHANGED": CertificateStatus.CHANGED,
    "CANCELLED": CertificateStatus.CANCELLED,
    "LAPSED": CertificateStatus.LAPSED,
}


@dataclass(frozen=True)
class CheckedSpecialty:
    """A specialty as the certificate states it."""

    code: str
    name: str
    expires_on: date


@dataclass(frozen=True)
class CertificateCheck:
    """The answer to one scan; everything but `status` is None for a forged code."""

    status: CertificateStatus
    checked_on: date
    facts: qr.QrFacts | None = None
    enterprise_name: str | None = None
    specialties: tuple[CheckedSpecialty, ...] = ()
    issued_on: date | None = None
    superseded_at: datetime | None = None

    @property
    def label(self) -> str:
        """The status in a Chinese sentence."""
        return STATUS_LABELS[self.status]


def status_of(certificate: Certificate, facts: qr.QrFacts, today: date) -> CertificateStatus:
    """Superseded versions say why; a current one is VALID until its download's usable-until date."""
    if certificate.current_key is None:
        return SUPERSEDED.get(certificate.superseded_reason or "", CertificateStatus.CHANGED)
    return CertificateStatus.EXPIRED if facts.usable_until < today else CertificateStatus.VALID


def _specialties(certificate: Certificate) -> tuple[CheckedSpecialty, ...]:
    return tuple(
        CheckedSpecialty(str(item["code"]), str(item["name"]), date.fromisoformat(str(item["expires_on"])))
        for item in certificate.snapshot.get("specialties", [])
    )


async def verify_certificate(code: str, key: Ed25519PublicKey | None = None) -> CertificateCheck:
    """Check a scanned payload (or the page URL holding it) against the signature and the certificate's state."""
    today = clock.business_date()
    try:
        facts = qr.decode(code, key)
    except qr.ForgedPayload:
        return CertificateCheck(CertificateStatus.FORGED, today)
    certificate = await Certificate.get_or_none(id=facts.certificate_id)
    if certificate is None or (certificate.number, certificate.seal_check) != (facts.number, facts.seal_check):
        return CertificateCheck(CertificateStatus.FORGED, today)  # signed with our key, yet naming no certificate
    return CertificateCheck(
        status=status_of(certificate, facts, today),
        checked_on=today,
        facts=facts,
        enterprise_name=str(certificate.snapshot.get("enterprise_name", "")) or None,
        specialties=_specialties(certificate),
        issued_on=certificate.issued_on,
        superseded_at=certificate.superseded_at,
    )
