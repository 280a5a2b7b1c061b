"""requestCertificateDownload: input, payload and the download with its short-lived signed URL."""

from __future__ import annotations

import datetime as dt

import strawberry

from domain import certificates
from domain.certificates import FileFormat
from graph.schema.certificates.types import Certificate
from graph.schema.common import UserError, described_enum, errors_field
from graph.schema.filings.application_inputs import db_id

described_enum(
    FileFormat,
    "电子证书的文件格式 / File format of the electronic certificate.",
    {
        "PDF": "A4 可打印 PDF（内嵌中文字体）/ Printable A4 PDF with the CJK font embedded.",
        "PNG": "PNG 图片（150 dpi）/ PNG image at 150 dpi.",
    },
)


@strawberry.input(description="下载电子证书（仅当前有效的证书）/ Download the electronic certificate (current only).")
class RequestCertificateDownloadInput:
    certificate_id: strawberry.ID = strawberry.field(description="证书 ID / The certificate's global id.")
    format: FileFormat = strawberry.field(description="文件格式 / PDF or PNG.")

    def to_domain(self) -> certificates.DownloadRequest:
        return certificates.DownloadRequest(
            certificate_id=db_id(self.certificate_id, "Certificate") or 0, file_format=self.format
        )


@strawberry.type(description="一次电子证书下载 / One download of the electronic certificate.")
class CertificateDownload:
    download_id: int = strawberry.field(description="下载编号（印在证书上）/ Download number, printed on it.")
    format: FileFormat = strawberry.field(description="文件格式 / File format.")
    url: str = strawberry.field(
        description="短期签名链接，可直接用于 <img src> 或打印窗口，无需 Authorization 头；登出后失效 / A short-lived "
        "signed URL for <img src> or a print dialog, without an Authorization header; dies with the session."
    )
    url_expires_at: dt.datetime = strawberry.field(description="链接失效时间 / When the URL stops working.")
    usable_until: dt.date = strawberry.field(
        description="使用有效期至（印在证书上）/ Usable until (printed on it): 180 days, capped at the earliest "
        "specialty expiry and the 65th birthday."
    )
    created_at: dt.datetime = strawberry.field(description="下载时间 / Downloaded at (UTC).")
    certificate: Certificate = strawberry.field(description="所下载的证书 / The certificate downloaded.")

    @classmethod
    def from_domain(cls, link: certificates.DownloadLink, certificate: Certificate) -> CertificateDownload:
        download = link.download
        return cls(
            download_id=download.id,
            format=FileFormat(download.file_format),
            url=link.url,
            url_expires_at=link.expires_at,
            usable_until=download.usable_until,
            created_at=download.created_at,
            certificate=certificate,
        )


@strawberry.type(description="下载电子证书的结果 / Result of requestCertificateDownload.")
class RequestCertificateDownloadPayload:
    errors: list[UserError] = errors_field()
    download: CertificateDownload | None = strawberry.field(
        default=None, description="本次下载及其链接 / The download and its URL."
    )
