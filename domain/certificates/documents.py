"""One download's document: the certificate's snapshot as issued, the holder's current photo and signature (read
through accounts' file API), the download's usable-until date and its signed QR code; rendered off the event loop."""

from __future__ import annotations

import asyncio
from datetime import date
from functools import lru_cache
from typing import Any

from db.models import Certificate, CertificateDownload
from domain import accounts
from domain.certificates import pdf, png, qr, rendering
from domain.certificates.fonts import font_path
from domain.certificates.numbering import with_check
from domain.kernel import threads
from domain.kernel.actors import Actor, RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.errors import DomainError

CONTENT_TYPES = {"PDF": "application/pdf", "PNG": "image/png"}
RENDER_THREADS = 2  # documents rendered at once per process (a PDF takes ~0.4 s of CPU: font parsing, subsetting)


@lru_cache(maxsize=1)
def _pool() -> Any:
    return threads.background_pool(RENDER_THREADS, "certificate-render")


def number_with_check(certificate: Certificate) -> str:
    """注册编号 with the seal check code: 京111050700001(02)."""
    return with_check(certificate.number, certificate.seal_check)


def qr_facts(certificate: Certificate, download: CertificateDownload) -> qr.QrFacts:
    """What the download's QR code states: no full ID number, the name's first character only."""
    snapshot = certificate.snapshot
    masked = str(snapshot.get("id_number_masked") or "")
    name = str(snapshot.get("name") or "")
    return qr.QrFacts(
        certificate_id=certificate.id,
        seal_check=certificate.seal_check,
        download_id=download.id,
        usable_until=download.usable_until,
        id_head=masked[: qr.ID_PART],
        id_tail=masked[-qr.ID_PART :] if masked else "",
        number=certificate.number,
        name_initial=name[:1],
    )


async def _image(deps: Deps, actor: Actor, attachment_id: object, meta: RequestMeta) -> bytes | None:
    """The image the certificate was issued with (its snapshot's attachment), or None (none, or its file gone). A
    later upload, which nobody has reviewed, is never printed."""
    if not isinstance(attachment_id, int):
        return None
    try:
        stored = await accounts.open_attachment(deps, actor, attachment_id, meta)
        return await asyncio.to_thread(stored.path.read_bytes)
    except (DomainError, OSError):
        return None


async def document(
    deps: Deps, holder: Actor, certificate: Certificate, download: CertificateDownload, meta: RequestMeta
) -> rendering.CertificateDocument:
    """The document one download prints."""
    snapshot: dict[str, Any] = certificate.snapshot
    specialties = [
        rendering.Specialty(str(item["name"]), date.fromisoformat(str(item["expires_on"])))
        for item in snapshot.get("specialties", [])
    ]
    return rendering.CertificateDocument(
        name=str(snapshot.get("name", "")),
        gender=str(snapshot.get("gender", "")),
        birth_date=date.fromisoformat(str(snapshot["birth_date"])),
        number_with_check=str(snapshot.get("number_with_check") or number_with_check(certificate)),
        enterprise_name=str(snapshot.get("enterprise_name", "")),
        specialties=specialties,
        issuer=str(snapshot.get("issuer") or "中华人民共和国住房和城乡建设部"),
        issued_on=certificate.issued_on,
        usable_until=download.usable_until,
        download_id=download.id,
        qr_text=qr.page_url(qr.encode(qr_facts(certificate, download))),
        photo=await _image(deps, holder, snapshot.get("photo_attachment_id"), meta),
        signature=await _image(deps, holder, snapshot.get("signature_attachment_id"), meta),
        temporary=bool(snapshot.get("temporary", False)),
    )


def _render_now(doc: rendering.CertificateDocument, file_format: str) -> bytes:
    page = rendering.layout(doc)
    if file_format == "PNG":
        return png.render_png(page, font_path())
    return pdf.render_pdf(page, font_path())


async def render(doc: rendering.CertificateDocument, file_format: str) -> bytes:
    """The document as PDF or PNG bytes, rendered in a background thread (FontMissingError when the font is gone)."""
    return await asyncio.get_running_loop().run_in_executor(_pool(), _render_now, doc, file_format)
