"""Personal identifiers: names, resident ID numbers (GB 11643), mobiles, e-mail; validation and masking."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent, ValidationError

from domain.kernel import clock
from domain.kernel.errors import DomainError, ErrorCode

_HAN = "\u3400-\u9fff\U00020000-\U0003134f"  # CJK unified ideographs, extensions A to H (rare name characters)
_NAME_RE = re.compile(rf"^[{_HAN}]+(?:[·•][{_HAN}]+)*$")
_MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")
_RIC_RE = re.compile(r"[0-9]{17}[0-9X]")
_EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_OLDEST_BIRTH_YEAR = 1900


@dataclass(frozen=True)
class ResidentId:
    """A validated 18-character resident ID number and what it encodes."""

    number: str
    birth_date: date
    gender: str  # "M" or "F": odd sequence digit = male

    @property
    def masked(self) -> str:
        """Display form: first 4 and last 4 characters kept."""
        return mask_id_number(self.number)


def normalize_name(raw: str) -> str:
    """A real name of 2–30 Chinese characters; the middle dot of minority names is normalised to '·'."""
    name = raw.strip().replace("•", "·").replace("．", "·").replace("・", "·")
    if not 2 <= len(name) <= 30 or not _NAME_RE.match(name):
        raise DomainError(ErrorCode.INVALID_NAME, "real_name")
    return name


def _checked_ric(candidate: str) -> str:
    """Format, check character and a known area code (of any period: a number keeps a code that changed later,
    and people born before their county's code existed carry it, so stdnum's birth-year test is not applied)."""
    number = ric.compact(candidate)
    if not _RIC_RE.fullmatch(number) or number[-1] != ric.calc_check_digit(number):
        raise InvalidComponent()
    if not any("county" in props for _part, props in numdb.get("cn/loc").info(number[:6])):
        raise InvalidComponent()
    return number


def parse_id_number(raw: str, field: str = "id_number") -> ResidentId:
    """Validate checksum, length and a real, past birth date; the check character is upper-cased."""
    candidate = raw.strip().upper()
    if len(candidate) != 18:
        raise DomainError(ErrorCode.INVALID_ID_NUMBER, field)
    try:
        number = _checked_ric(candidate)
        birth = ric.get_birth_date(number)
    except (ValidationError, ValueError) as exc:
        raise DomainError(ErrorCode.INVALID_ID_NUMBER, field) from exc
    if birth.year < _OLDEST_BIRTH_YEAR or birth > clock.now().date():
        raise DomainError(ErrorCode.INVALID_ID_NUMBER, field)
    gender = "M" if int(number[16]) % 2 == 1 else "F"
    return ResidentId(number=number, birth_date=birth, gender=gender)


def normalize_mobile(raw: str, field: str = "mobile") -> str:
    """An 11-digit mainland mobile number (full-width digits from an IME are read as ASCII)."""
    mobile = unicodedata.normalize("NFKC", raw).strip().replace(" ", "").replace("-", "")
    if mobile.startswith("+86"):
        mobile = mobile[3:]
    if not _MOBILE_RE.match(mobile):
        raise DomainError(ErrorCode.INVALID_MOBILE, field)
    return mobile


def normalize_email(raw: str, field: str = "email") -> str:
    """A plain address of at most 254 characters, lower-cased domain."""
    email = raw.strip()
    if len(email) > 254 or not _EMAIL_RE.match(email):
        raise DomainError(ErrorCode.INVALID_EMAIL, field)
    local, _, domain_part = email.partition("@")
    return f"{local}@{domain_part.lower()}"


def mask_id_number(number: str) -> str:
    """`1101**********1234`: never show the birth date or sequence."""
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_mobile(mobile: str) -> str:
    """`138****5678`."""
    return mobile[:3] + "****" + mobile[-4:]
