"""国籍: the countries and regions of ISO 3166-1 (GB/T 2659), stored as the alpha-2 code, named in Chinese.

The list and the names come from pycountry (Debian's iso-codes: the ISO 3166-1 database and its zh_CN gettext
catalogue, `iso3166-1`). A few names follow the mainland convention instead of the catalogue's: Taiwan, Hong Kong and
Macao as regions of China (中国台湾, 中国香港, 中国澳门), the short names of GB/T 2659 where the catalogue has the
long official form (大韩民国 → 韩国, …), and one misspelling (柬埔塞 → 柬埔寨)."""

from __future__ import annotations

import gettext
import unicodedata
from functools import cache

import pycountry

from domain.kernel.errors import DomainError, ErrorCode

DEFAULT = "CN"
CATALOGUE = "iso3166-1"
CHINESE = "zh_CN"
# The regions of China first after 中国 itself; then every other code in alphabetical order (as GB/T 2659 lists them).
LEADING = ("CN", "HK", "MO", "TW")
CHINESE_CONVENTION = {
    "CN": "中国",
    "HK": "中国香港",
    "MO": "中国澳门",
    "TW": "中国台湾",
    "KR": "韩国",
    "KP": "朝鲜",
    "IR": "伊朗",
    "LA": "老挝",
    "SY": "叙利亚",
    "MD": "摩尔多瓦",
    "BO": "玻利维亚",
    "VE": "委内瑞拉",
    "BD": "孟加拉国",
    "GT": "危地马拉",
    "KH": "柬埔寨",
}


@cache
def nationalities() -> tuple[tuple[str, str], ...]:
    """(alpha-2 code, Chinese name) of every country and region: 中国 first, then its regions, then by code."""
    translation = gettext.translation(CATALOGUE, pycountry.LOCALES_DIR, languages=[CHINESE])
    names = {
        country.alpha_2: CHINESE_CONVENTION.get(country.alpha_2) or translation.gettext(country.name)
        for country in pycountry.countries
    }
    rest = sorted(code for code in names if code not in LEADING)
    return tuple((code, names[code]) for code in (*LEADING, *rest))


@cache
def _names() -> dict[str, str]:
    return dict(nationalities())


def nationality_label(code: str) -> str:
    """The Chinese name of a stored code (the code itself if a later ISO update dropped it)."""
    return _names().get(code, code)


def normalize_nationality(raw: str, field: str = "nationality") -> str:
    """An alpha-2 code of the list (full-width letters and lower case accepted), else a field error."""
    code = unicodedata.normalize("NFKC", raw).strip().upper()
    if code not in _names():
        raise DomainError(ErrorCode.INVALID_INPUT, field, "国籍不正确，请从国家和地区列表中选择。")
    return code
