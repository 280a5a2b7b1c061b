"""Realistic enterprises for the dev seed, the tests and the bench: names as the trade writes them (a place, a
brand, a line of work, a legal form), valid credit codes (GB 32100 check character), provinces, a few not
qualified. Deterministic for a seed, unique by credit code."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from stdnum.cn import uscc

from db.models import EnterpriseStatus

PLACES = {
    "11": ("北京", "北京城建", "首都"),
    "12": ("天津", "津门", "滨海"),
    "13": ("河北", "石家庄", "唐山"),
    "31": ("上海", "浦东", "沪东"),
    "32": ("江苏", "南京", "苏州"),
    "33": ("浙江", "杭州", "宁波"),
    "36": ("江西", "南昌", "赣州"),
    "37": ("山东", "济南", "青岛"),
    "42": ("湖北", "武汉", "宜昌"),
    "44": ("广东", "广州", "深圳"),
    "50": ("重庆", "渝北", "万州"),
    "51": ("四川", "成都", "绵阳"),
    "61": ("陕西", "西安", "宝鸡"),
}
BRANDS = (
    "中建",
    "中铁",
    "中交",
    "华夏",
    "宏达",
    "恒泰",
    "鸿运",
    "永兴",
    "新世纪",
    "东方",
    "长城",
    "锦华",
    "金石",
    "路桥",
    "天元",
    "远大",
    "建安",
    "腾飞",
    "国泰",
    "瑞丰",
    "安捷",
    "众诚",
    "信达",
    "卓越",
    "海川",
)
TRADES = (
    "建设",
    "建筑工程",
    "路桥工程",
    "市政工程",
    "水利水电工程",
    "机电安装",
    "港航工程",
    "通信工程",
    "矿业工程",
    "装饰工程",
    "建工",
    "基础设施建设",
    "铁路工程",
    "民航机场建设",
)
FORMS = ("有限公司", "集团有限公司", "股份有限公司", "有限责任公司")
BUREAUS = ("中建", "中铁", "中交", "中冶", "中电建")  # the big groups' bureaus: 中建三局, 中铁十二局
NUMBERS = "一二三四五六七八九十"
# Issuing department 9 (市场监管), kind 1 (企业), then the 6-digit division code, then the 9-character body.
CODE_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass(frozen=True)
class SampleEnterprise:
    name: str
    credit_code: str
    province_code: str
    status: EnterpriseStatus


def credit_code(province: str, serial: int) -> str:
    """A valid unified social credit code in this province, distinct for each serial."""
    body, n = "", serial
    for _ in range(9):
        n, digit = divmod(n, len(CODE_BODY))
        body = CODE_BODY[digit] + body
    first17 = f"91{province}0000" + body
    return first17 + uscc.calc_check_digit(first17)


def sample_enterprises(count: int, seed: int = 2026) -> Iterator[SampleEnterprise]:
    """`count` enterprises; one in forty suspended and one in eighty revoked."""
    rng = random.Random(seed)
    provinces = sorted(PLACES)
    for serial in range(count):
        province = rng.choice(provinces)
        name = rng.choice(PLACES[province]) + rng.choice(BRANDS) + rng.choice(TRADES) + rng.choice(FORMS)
        if serial % 11 == 5:
            bureau = rng.choice(BUREAUS) + rng.choice(NUMBERS) + "局"
            name = f"{bureau}{rng.choice(PLACES[province])}{rng.choice(TRADES)}有限公司"
        if serial % 7 == 3:  # a branch: the numbering keeps names apart as they grow
            name = name.removesuffix("有限公司") + f"第{serial % 97 + 1}分公司"
        status = EnterpriseStatus.QUALIFIED
        if serial % 40 == 17:
            status = EnterpriseStatus.SUSPENDED
        elif serial % 80 == 59:
            status = EnterpriseStatus.REVOKED
        yield SampleEnterprise(name, credit_code(province, serial + 1), province, status)
