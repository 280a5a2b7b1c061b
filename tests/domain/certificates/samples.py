"""Sample documents and images for the rendering tests (no database): a photo, a signature, a signed QR code."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from typing import Any

from PIL import Image, ImageDraw

from domain.certificates import qr
from domain.certificates.rendering import CertificateDocument, Specialty

PHOTO_COLOR = (40, 90, 160)
NAME = "欧阳建国"


def photo_bytes() -> bytes:
    """A flat blue 295 × 413 JPEG: easy to find on the page."""
    out = io.BytesIO()
    Image.new("RGB", (295, 413), PHOTO_COLOR).save(out, format="JPEG", quality=95)
    return out.getvalue()


def signature_bytes() -> bytes:
    """Black ink on white, as uploads store signatures."""
    page = Image.new("L", (900, 300), 255)
    ImageDraw.Draw(page).line([(80, 200), (300, 80), (450, 220), (700, 90), (820, 160)], fill=0, width=18)
    out = io.BytesIO()
    page.save(out, format="PNG")
    return out.getvalue()


def facts(**overrides: Any) -> qr.QrFacts:
    base = qr.QrFacts(
        certificate_id=12,
        seal_check=2,
        download_id=345,
        usable_until=date(2027, 5, 29),
        id_head="3604",
        id_tail="0071",
        number="京111050700001",
        name_initial="欧",
    )
    return replace(base, **overrides)


def document(**overrides: Any) -> CertificateDocument:
    base = CertificateDocument(
        name=NAME,
        gender="M",
        birth_date=date(1991, 1, 1),
        number_with_check="京111050700001(02)",
        enterprise_name="北京示范建设工程有限公司",
        specialties=[Specialty("建筑工程", date(2029, 11, 29)), Specialty("市政公用工程", date(2028, 3, 1))],
        issuer="中华人民共和国住房和城乡建设部",
        issued_on=date(2026, 11, 30),
        usable_until=date(2027, 5, 29),
        download_id=345,
        qr_text=qr.page_url(qr.encode(facts())),
        photo=photo_bytes(),
        signature=signature_bytes(),
    )
    return replace(base, **overrides)
