"""The certificate's QR code: a compact payload signed with Ed25519 (no full ID number), base64url, inside the URL of
the public verification page.

Payload v1 (big-endian): version 1 (1 byte), certificate id (4), seal check code (1), download id (4), usable-until
as days since 2000-01-01 (2), the ID number's first and last four characters (8, ASCII), the registration number
(1-byte length + UTF-8), the name's first character (1-byte length + UTF-8), then the 64-byte signature of
"constructor-portal/certificate-qr|" + everything before it."""

from __future__ import annotations

import base64
import binascii
import re
import struct
from dataclasses import dataclass
from datetime import date, timedelta

import segno
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from domain.certificates import signing
from domain.kernel.settings import get_settings

VERSION = 1
CONTEXT = b"constructor-portal/certificate-qr|"
EPOCH = date(2000, 1, 1)
HEAD = struct.Struct(">BIBIH")
ID_PART = 4  # characters shown at each end of the masked ID number
MAX_CODE_CHARS = 400
PAGE_PATH = "/c/"
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")


class ForgedPayload(ValueError):
    """Malformed, truncated, tampered or signed with another key."""


@dataclass(frozen=True)
class QrFacts:
    """What a QR code states, signed."""

    certificate_id: int
    seal_check: int
    download_id: int
    usable_until: date
    id_head: str
    id_tail: str
    number: str
    name_initial: str

    @property
    def id_number_masked(self) -> str:
        """1101**********1234, as the portal masks ID numbers."""
        return f"{self.id_head}{'*' * 10}{self.id_tail}"

    @property
    def name_masked(self) -> str:
        """张*: the first character only."""
        return f"{self.name_initial}*"

    @property
    def number_with_check(self) -> str:
        """京111050700001(02)."""
        return f"{self.number}({self.seal_check:02d})"


def _text(value: str) -> bytes:
    data = value.encode()
    if len(data) > 255:
        raise ValueError("QR text field over 255 bytes")
    return bytes([len(data)]) + data


def _body(facts: QrFacts) -> bytes:
    days = (facts.usable_until - EPOCH).days
    head = HEAD.pack(VERSION, facts.certificate_id, facts.seal_check, facts.download_id, days)
    id_part = f"{facts.id_head:*<{ID_PART}}"[:ID_PART] + f"{facts.id_tail:*>{ID_PART}}"[-ID_PART:]
    return head + id_part.encode("ascii") + _text(facts.number) + _text(facts.name_initial)


def encode(facts: QrFacts) -> str:
    """The signed payload, base64url without padding."""
    body = _body(facts)
    return base64.urlsafe_b64encode(body + signing.sign(CONTEXT + body)).rstrip(b"=").decode()


def page_url(code: str) -> str:
    """The public verification page's URL, which the QR code holds."""
    return f"{get_settings().certificate_verify_base_url}{PAGE_PATH}{code}"


def payload_of(code_or_url: str) -> str:
    """The payload inside a scanned URL (or the payload itself)."""
    text = code_or_url.strip()
    if PAGE_PATH in text:
        text = text.rsplit(PAGE_PATH, 1)[1]
    return text.split("?", 1)[0].split("#", 1)[0].rstrip("/")


def _take_text(data: bytes, at: int) -> tuple[str, int]:
    if at >= len(data) or at + 1 + data[at] > len(data):
        raise ForgedPayload("truncated")
    end = at + 1 + data[at]
    return data[at + 1 : end].decode(), end


def _parse(body: bytes) -> QrFacts:
    if len(body) < HEAD.size + 2 * ID_PART:
        raise ForgedPayload("truncated")
    version, certificate_id, seal_check, download_id, days = HEAD.unpack_from(body)
    if version != VERSION:
        raise ForgedPayload("unknown version")
    id_part = body[HEAD.size : HEAD.size + 2 * ID_PART].decode("ascii")
    number, at = _take_text(body, HEAD.size + 2 * ID_PART)
    initial, at = _take_text(body, at)
    if at != len(body):
        raise ForgedPayload("trailing bytes")
    until = EPOCH + timedelta(days=days)
    return QrFacts(
        certificate_id, seal_check, download_id, until, id_part[:ID_PART], id_part[ID_PART:], number, initial
    )


def decode(code_or_url: str, key: Ed25519PublicKey | None = None) -> QrFacts:
    """The facts of a genuine payload (the configured key by default); ForgedPayload otherwise, never anything else."""
    code = payload_of(code_or_url)
    if not (0 < len(code) <= MAX_CODE_CHARS and _BASE64URL.fullmatch(code)):
        raise ForgedPayload("not a payload")
    try:
        data = base64.urlsafe_b64decode(code + "=" * (-len(code) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ForgedPayload("not base64url") from exc
    body, signature = data[: -signing.SIGNATURE_BYTES], data[-signing.SIGNATURE_BYTES :]
    if len(data) <= signing.SIGNATURE_BYTES or not signing.signature_valid(CONTEXT + body, signature, key):
        raise ForgedPayload("bad signature")
    try:
        return _parse(body)
    except (UnicodeDecodeError, struct.error) as exc:
        raise ForgedPayload("malformed") from exc


def modules(text: str) -> list[list[bool]]:
    """The QR code's dark modules (error correction M, no quiet zone), row by row."""
    code = segno.make_qr(text, error="m", boost_error=False)
    return [[bool(cell) for cell in row] for row in code.matrix]
