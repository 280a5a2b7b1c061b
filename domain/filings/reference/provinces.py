"""Provincial-level divisions (GB/T 2260): the two-digit code and the Chinese name, as an import file may write
either (`11` or `北京市`, also without the suffix: `北京`)."""

from __future__ import annotations

PROVINCES: dict[str, str] = {
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
    "71": "台湾省",
    "81": "香港特别行政区",
    "82": "澳门特别行政区",
}

_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")


def _short(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            return name.removesuffix(suffix)
    return name


_BY_NAME = {name: code for code, name in PROVINCES.items()} | {_short(n): c for c, n in PROVINCES.items()}


def province_name(code: str) -> str | None:
    """The province's Chinese name, or None for an unknown code."""
    return PROVINCES.get(code)


def province_code(text: str) -> str | None:
    """The two-digit code from a code (`11`, also a six-digit division code `110000`) or a name (`北京市`, `北京`)."""
    text = text.strip()
    if text.isascii() and text.isdigit():
        if len(text) == 6 and text.endswith("0000"):
            text = text[:2]
        return text if text in PROVINCES else None
    return _BY_NAME.get(text)
