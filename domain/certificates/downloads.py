"""Downloads of the electronic certificate (下载电子证书): each one a CertificateDownload row and a trail entry, usable
CERTIFICATE_USABLE_DAYS days (capped at the earliest specialty expiry and the holder's 65th birthday, printed on
it), opened through a short-lived signed URL bound to the download, its holder and the session that asked."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from typing import Any

from db.models import Certificate, CertificateDownload
from domain import accounts
from domain.certificates import documents, fonts
from domain.kernel import clock, ratelimit, signed_links
from domain.kernel.actors import Actor, RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.errors import DomainError, ErrorCode
from domain.kernel.settings import get_settings
from domain.trail import TrailAction, business_step

log = logging.getLogger(__name__)
KEY_PURPOSE = "certificate-download-url"
LINK_INVALID = "证书下载链接已过期或无效，请重新下载。"
MAX_AGE_YEARS = 65


class FileFormat(str, Enum):
    """The two renderings of the certificate."""

    PDF = "PDF"
    PNG = "PNG"


@dataclass(frozen=True)
class DownloadRequest:
    """下载电子证书: which certificate, in which format."""

    certificate_id: int
    file_format: FileFormat


@dataclass(frozen=True)
class DownloadLink:
    """A download (of `certificate`) and the signed URL that opens it until `expires_at`."""

    certificate: Certificate
    download: CertificateDownload
    url: str
    expires_at: datetime


@dataclass(frozen=True)
class RenderedFile:
    """What the file route sends."""

    data: bytes
    content_type: str
    download_name: str


def birthday(birth_date: date, age: int) -> date:
    """The day the holder turns `age` (29 February: the 28th in a common year)."""
    try:
        return birth_date.replace(year=birth_date.year + age)
    except ValueError:
        return date(birth_date.year + age, 2, 28)


def usable_until(snapshot: Mapping[str, Any], today: date) -> date:
    """今日 + CERTIFICATE_USABLE_DAYS, capped at the earliest specialty expiry and the 65th birthday."""
    caps = [today + timedelta(days=get_settings().certificate_usable_days)]
    expiries = [date.fromisoformat(str(item["expires_on"])) for item in snapshot.get("specialties", [])]
    # A specialty already past its expiry no longer caps the others (it has lapsed; the certificate still shows the
    # rest); when every one has expired, the latest expiry (past) makes the certificate unusable.
    valid = [expiry for expiry in expiries if expiry >= today]
    if valid:
        caps += valid
    elif expiries:
        caps.append(max(expiries))
    if snapshot.get("birth_date"):
        caps.append(birthday(date.fromisoformat(str(snapshot["birth_date"])), MAX_AGE_YEARS))
    return min(caps)


async def _own_current(actor: Actor, certificate_id: int) -> Certificate:
    certificate = await Certificate.get_or_none(id=certificate_id, person_id=actor.id)
    if certificate is None:
        raise DomainError(ErrorCode.NOT_FOUND, "certificate_id")
    if certificate.current_key is None:
        raise DomainError(ErrorCode.CERTIFICATE_NOT_CURRENT, "certificate_id")
    return certificate


def _require_font() -> None:
    problem = fonts.font_problem()
    if problem is not None:
        log.error("certificate rendering unavailable: %s", problem)
        raise DomainError(ErrorCode.CERTIFICATE_UNAVAILABLE)


async def _count(deps: Deps, what: str, person_id: int, limit: int) -> None:
    """At most `limit` per person per hour (each rendering costs ~0.4 s of CPU)."""
    key = f"certificate:{what}:{person_id}"
    if not await ratelimit.hit(deps.redis, key, limit, 3600):
        raise DomainError(ErrorCode.TOO_MANY_REQUESTS, retry_after_s=await ratelimit.retry_after(deps.redis, key))


def signed_url(download: CertificateDownload, viewer: Actor) -> tuple[str, datetime]:
    """The download's URL signed for its holder's session, valid CERTIFICATE_DOWNLOAD_TTL_S seconds."""
    bound = {"download": download.id, "person": viewer.id, "session": viewer.session_id}
    ttl_s = get_settings().certificate_download_ttl_s
    query, expires = signed_links.signed_query(KEY_PURPOSE, bound, ["session"], ttl_s)
    return f"/files/certificates/{download.id}?{query}", datetime.fromtimestamp(expires, UTC)


async def request_download(deps: Deps, actor: Actor, request: DownloadRequest, meta: RequestMeta) -> DownloadLink:
    """Record a download of the holder's current certificate (and its trail entry); the URL that opens it."""
    if not actor.is_person:
        raise DomainError(ErrorCode.FORBIDDEN)
    certificate = await _own_current(actor, request.certificate_id)
    _require_font()
    await _count(deps, "downloads", actor.id, get_settings().certificate_downloads_per_hour)
    today = clock.business_date()
    until = usable_until(certificate.snapshot, today)
    if until < today:
        raise DomainError(ErrorCode.CERTIFICATE_NOT_USABLE, "certificate_id")
    label = documents.number_with_check(certificate)
    async with business_step(deps, meta) as step:
        download = await CertificateDownload.create(
            certificate_id=certificate.id,
            person_id=actor.id,
            file_format=request.file_format.value,
            created_at=clock.now(),
            usable_until=until,
        )
        text = f"下载电子证书（{request.file_format.value}）：{label}，使用有效期至{until.isoformat()}"
        await step.trail(actor.id, TrailAction.CERTIFICATE_DOWNLOADED, text)
    url, expires_at = signed_url(download, actor)
    return DownloadLink(certificate, download, url, expires_at)


async def _checked_link(download_id: int, params: Mapping[str, str]) -> tuple[CertificateDownload, Actor]:
    """The download and its holder, whose live session the link was signed for; FORBIDDEN for any other link
    (an unknown download id included: a link never tells which downloads exist)."""
    download = await CertificateDownload.get_or_none(id=download_id)
    shown = signed_links.query_numbers(params, ["session"])
    if download is None or shown is None:
        raise DomainError(ErrorCode.FORBIDDEN, None, LINK_INVALID)
    person_id: int = download.person_id  # type: ignore[attr-defined]
    if not signed_links.link_valid(KEY_PURPOSE, {"download": download_id, "person": person_id, **shown}, params):
        raise DomainError(ErrorCode.FORBIDDEN, None, LINK_INVALID)
    actor = await accounts.resolve_session_id(shown["session"])
    if actor is None or not actor.is_person or actor.id != person_id:
        raise DomainError(ErrorCode.FORBIDDEN, None, LINK_INVALID)
    return download, actor


async def open_download(deps: Deps, download_id: int, params: Mapping[str, str], meta: RequestMeta) -> RenderedFile:
    """The rendered file a signed link names, while the link and its session live and the certificate is current."""
    download, holder = await _checked_link(download_id, params)
    certificate = await Certificate.get(id=download.certificate_id)  # type: ignore[attr-defined]
    if certificate.current_key is None:
        raise DomainError(ErrorCode.CERTIFICATE_NOT_CURRENT)
    await _count(deps, "renders", holder.id, get_settings().certificate_renders_per_hour)
    doc = await documents.document(deps, holder, certificate, download, meta)
    try:
        data = await documents.render(doc, download.file_format)
    except fonts.FontMissingError as exc:
        log.error("certificate rendering unavailable: %s", exc)
        raise DomainError(ErrorCode.CERTIFICATE_UNAVAILABLE) from exc
    extension = download.file_format.lower()
    name = f"certificate-{certificate.id}-{certificate.seal_check:02d}-{download.id}.{extension}"
    return RenderedFile(data, documents.CONTENT_TYPES[download.file_format], name)
