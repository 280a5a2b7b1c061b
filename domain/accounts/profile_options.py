"""Closed lists for the profile: nationalities, the 56 ethnic groups of GB/T 3304, education levels and degrees; the
rule tying a degree to the education; the option lists the API serves."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import cache

from domain.accounts.nationalities import nationalities

# GB/T 3304-1991 order; the code is the two-digit position.
ETHNIC_GROUPS: tuple[str, ...] = (
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
)


class Education(str, Enum):
    """学历."""

    DOCTORATE = "博士研究生"
    MASTER = "硕士研究生"
    BACHELOR = "大学本科"
    COLLEGE = "大学专科"
    TECHNICAL_SECONDARY = "中等专科"
    OTHER = "其他"


class Degree(str, Enum):
    """学位."""

    DOCTOR = "博士"
    MASTER = "硕士"
    BACHELOR = "学士"
    NONE = "无"


# The lowest education (学历) each degree (学位) may go with. A doctorate is earned on graduate studies: 博士研究生, or
# 硕士研究生 through 同等学力 (equivalent qualification); a master's or a bachelor's degree needs 大学本科 or higher
# (a master's through 同等学力 again); 大学专科 and below (中等专科, 其他) confer no degree. 无 goes with any education.
EDUCATION_RANK = {
    Education.OTHER: 0,
    Education.TECHNICAL_SECONDARY: 1,
    Education.COLLEGE: 2,
    Education.BACHELOR: 3,
    Education.MASTER: 4,
    Education.DOCTORATE: 5,
}
DEGREE_NEEDS = {
    Degree.DOCTOR: Education.MASTER,
    Degree.MASTER: Education.BACHELOR,
    Degree.BACHELOR: Education.BACHELOR,
}
DEGREE_RULES = {
    Degree.DOCTOR: "博士学位须为硕士研究生或博士研究生学历",
    Degree.MASTER: "硕士学位须为大学本科及以上学历",
    Degree.BACHELOR: "学士学位须为大学本科及以上学历",
}


def degree_fits(education: Education | None, degree: Degree | None) -> bool:
    """Whether the degree may go with the education; an unknown one of the two is not judged."""
    if education is None or degree is None or degree not in DEGREE_NEEDS:
        return True
    return EDUCATION_RANK[education] >= EDUCATION_RANK[DEGREE_NEEDS[degree]]


def degree_rule(degree: Degree) -> str:
    """The rule a degree follows, in Chinese (for the refusal message)."""
    return DEGREE_RULES.get(degree, "")


@dataclass(frozen=True)
class Option:
    """One choice of a list: the code a client sends back (and reads on Person), and its Chinese label."""

    code: str
    label: str


@dataclass(frozen=True)
class ProfileOptions:
    """The option lists of 完善个人基本信息, so that no client hard-codes one."""

    nationalities: tuple[Option, ...]
    ethnicities: tuple[Option, ...]
    educations: tuple[Option, ...]
    degrees: tuple[Option, ...]


@cache
def profile_options() -> ProfileOptions:
    """国籍 (中国 first), 民族 (GB/T 3304 order; the code is the name, as updateProfile takes and Person shows it),
    学历 and 学位 (the enum member names, as the API's enums spell them)."""
    return ProfileOptions(
        nationalities=tuple(Option(code, label) for code, label in nationalities()),
        ethnicities=tuple(Option(name, name) for name in ETHNIC_GROUPS),
        educations=tuple(Option(level.name, level.value) for level in Education),
        degrees=tuple(Option(degree.name, degree.value) for degree in Degree),
    )
