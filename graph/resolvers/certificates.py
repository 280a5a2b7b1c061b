"""我的证书: download the electronic certificate (holder), verify a QR code (public)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import certificates
from graph.context import Context
from graph.permissions import IsPerson
from graph.resolvers.recipe import portal_field, portal_mutation
from graph.schema.certificates.downloads import (
    CertificateDownload,
    RequestCertificateDownloadInput,
    RequestCertificateDownloadPayload,
)
from graph.schema.certificates.types import Certificate
from graph.schema.certificates.verification import CertificateVerification

Ctx = Info[Context, Any]
MAX_CODE_CHARS = 1000  # a scanned URL and its payload fit in far less; longer input is FORGED unread


@strawberry.type
class CertificateQueries:
    @portal_field(
        "证书核验：二维码内容或其网址 → 有效、已换发、已变更、已注销、已失效、已过期或无效（公开，仅脱敏信息）/ "
        "Verify a certificate QR code (its payload or URL): public, masked data only."
    )
    async def certificate_verification(
        self,
        code: Annotated[str, strawberry.argument(description="二维码内容或网址 / The QR payload or its URL.")],
    ) -> CertificateVerification:
        check = await certificates.verify_certificate(code[:MAX_CODE_CHARS])
        return CertificateVerification.from_domain(check)


@strawberry.type
class CertificateMutations:
    @portal_mutation(
        "下载电子证书（PDF 或 PNG）：返回短期签名链接，记入操作轨迹 / Download the electronic certificate: a "
        "short-lived signed URL; the download goes to the trail.",
        IsPerson,
    )
    async def request_certificate_download(
        self,
        info: Ctx,
        input: Annotated[
            RequestCertificateDownloadInput, strawberry.argument(description="证书与格式 / Certificate and format.")
        ],
    ) -> RequestCertificateDownloadPayload:
        context = info.context
        assert context.actor is not None  # IsPerson
        link = await certificates.request_download(context.deps, context.actor, input.to_domain(), context.meta)
        shown = Certificate.from_model(link.certificate)
        return RequestCertificateDownloadPayload(download=CertificateDownload.from_domain(link, shown))
