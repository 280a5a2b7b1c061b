"""Shared steps of the certificate API tests: a holder with photo, signature and a current certificate, the
queries, a download through the mutation, the QR code its document carries."""

from __future__ import annotations

from typing import Any

import httpx

from db.models import Certificate, CertificateDownload, Person
from domain.certificates import qr
from domain.certificates.documents import qr_facts
from tests.certificate_helpers import issue_certificate
from tests.graph.accounts.uploads.helpers import noisy_image, uploaded
from tests.graph.accounts.uploads.test_processing import signature_scan
from tests.helpers import VALID_ID, Api

MOBILE = "13800138001"
CERTIFICATE_FIELDS = """id number sealCheck numberWithCheck current reason issuedOn issuedAt supersededAt
  supersededReason name gender birthDate idNumberMasked enterpriseName temporary issuer usableUntil
  specialties { code name expiresOn }"""
VIEWER_CERTIFICATES = f"query {{ viewer {{ certificates {{ {CERTIFICATE_FIELDS} }} }} }}"
DOWNLOAD = """mutation($input: RequestCertificateDownloadInput!) { requestCertificateDownload(input: $input) {
  errors { field code message } download { downloadId format url urlExpiresAt usableUntil createdAt
  certificate { id current numberWithCheck } } } }"""
VERIFY = """query($code: String!) { certificateVerification(code: $code) { status statusLabel checkedOn
  numberWithCheck nameMasked idNumberMasked enterpriseName specialties { code name expiresOn } issuedOn usableUntil
  downloadId supersededAt } }"""
NODE = f"query($id: ID!) {{ node(id: $id) {{ ... on Certificate {{ {CERTIFICATE_FIELDS} }} }} }}"


async def holder(
    api: Api, id_number: str = VALID_ID, mobile: str = MOBILE, images: bool = True, **issue: Any
) -> tuple[Person, Certificate]:
    """Registered and logged in, photo and signature uploaded, holding a current certificate."""
    await api.signed_up(id_number=id_number, mobile=mobile)
    if images:
        await uploaded(api, "PHOTO", noisy_image(600, 900))
        await uploaded(api, "SIGNATURE", signature_scan(), filename="sign.png")
    person = await Person.get(mobile=mobile)
    return person, await issue_certificate(person, **issue)


async def certificate_ids(api: Api) -> list[str]:
    body = await api.gql(VIEWER_CERTIFICATES)
    return [item["id"] for item in body["data"]["viewer"]["certificates"]]


async def request_download(api: Api, certificate_id: str, file_format: str = "PDF", **kwargs: Any) -> dict[str, Any]:
    body = await api.gql(DOWNLOAD, {"input": {"certificateId": certificate_id, "format": file_format}}, **kwargs)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["requestCertificateDownload"]
    return result


async def downloaded(api: Api, certificate_id: str, file_format: str = "PDF") -> dict[str, Any]:
    result = await request_download(api, certificate_id, file_format)
    assert result["errors"] == [], result
    download: dict[str, Any] = result["download"]
    return download


async def qr_code_of(download_id: int) -> str:
    """The signed payload printed in that download's QR code (as the renderer builds it)."""
    download = await CertificateDownload.get(id=download_id)
    certificate = await Certificate.get(id=download.certificate_id)  # type: ignore[attr-defined]
    return qr.encode(qr_facts(certificate, download))


async def verify(api: Api, code: str) -> dict[str, Any]:
    """certificateVerification as anyone (no login) asks it."""
    body = await anonymous_gql(api, VERIFY, {"code": code})
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["certificateVerification"]
    return result


async def fetch_bare(api: Api, url: str) -> httpx.Response:
    """GET as an <img> on another page would: no Authorization header and no cookie."""
    transport = httpx.ASGITransport(app=api.app, client=("203.0.113.20", 50001))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        return await client.get(url)


async def anonymous_gql(api: Api, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    """A GraphQL POST from a client with no session at all."""
    transport = httpx.ASGITransport(app=api.app, client=("203.0.113.20", 50001))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
