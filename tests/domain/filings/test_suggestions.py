"""Enterprise suggestions: by name prefix, pinyin initials and substring, qualified enterprises only, bounded, and
answered from indexes on both backends (the plans are asserted)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from tortoise import connections

from db.models import Enterprise, EnterpriseStatus
from domain import filings
from domain.filings.reference.sample_enterprises import sample_enterprises
from domain.filings.reference.suggestions import query_plans
from domain.kernel.errors import DomainError
from tests.conftest import BACKEND
from tests.domain.filings.csv_files import enterprises_csv

NAMES = [
    ("中建三局集团有限公司", "QUALIFIED"),
    ("中建八局第一建设有限公司", "QUALIFIED"),
    ("北京中建华夏建设有限公司", "QUALIFIED"),
    ("中建二局（暂停）建设有限公司", "SUSPENDED"),
    ("重庆建工集团股份有限公司", "QUALIFIED"),
    ("上海100%建筑_有限公司", "QUALIFIED"),
]


@pytest.fixture
async def enterprises(app: Any) -> None:
    for serial, (name, status) in enumerate(NAMES, start=1):
        await Enterprise.create(
            name=name,
            credit_code=f"9111000000000000{serial:02d}",
            province_code="11",
            qualification_status=status,
            name_initials=filings.name_initials(name),
        )


async def names(keyword: str, first: int | None = None) -> list[str]:
    return [row.name for row in await filings.suggest_enterprises(keyword, first)]


async def test_by_prefix_initials_and_substring_qualified_only(enterprises: None) -> None:
    # by name: the prefixes first, then the names that hold it
    assert await names("中建") == ["中建三局集团有限公司", "中建八局第一建设有限公司", "北京中建华夏建设有限公司"]
    assert await names("  zjs ") == ["中建三局集团有限公司"]  # initials prefix, trimmed
    zj = ["中建八局第一建设有限公司", "中建三局集团有限公司", "北京中建华夏建设有限公司"]
    assert await names("ZJ") == zj  # any case, by initials: prefixes first (zjbj…, zjsj…), then bjzjhx…
    assert await names("cqjg") == ["重庆建工集团股份有限公司"]  # 重庆 read chong qing
    assert await names("中建华夏") == ["北京中建华夏建设有限公司"]  # substring
    assert await names("建设有限") == ["中建八局第一建设有限公司", "北京中建华夏建设有限公司"]
    assert await names("sjjt") == ["中建三局集团有限公司"]  # initials substring (3 letters or more)
    assert await names("暂停") == [] and await names("zjej") == []  # not qualified: never suggested
    assert await names("100%") == ["上海100%建筑_有限公司"] and await names("0%建筑_") == ["上海100%建筑_有限公司"]
    assert await names("0%x") == [] and await names("x_有") == []  # LIKE's wildcards taken literally
    assert await names("") == [] and await names("   ") == []


async def test_one_or_two_characters_match_inside_the_name(enterprises: None) -> None:
    assert await names("建工") == ["重庆建工集团股份有限公司"]  # inside the name, not its start
    assert await names("华夏") == ["北京中建华夏建设有限公司"]
    assert await names("三局") == ["中建三局集团有限公司"]
    assert await names("jg") == ["重庆建工集团股份有限公司"]  # inside the initials (cqjgjtgfyxgs)
    assert await names("夏") == ["北京中建华夏建设有限公司"]  # one character, anywhere
    assert len(await names("司", 20)) == 5  # every qualified name ends with 司
    assert await names("停") == [] and await names("暂停") == []  # only in a suspended enterprise's name
    assert await names("%") == ["上海100%建筑_有限公司"] and await names("_有") == ["上海100%建筑_有限公司"]
    assert await names("_x") == [] and await names("%%") == []  # literal characters, no wildcards


async def test_the_grams_follow_renames_and_deletions(enterprises: None) -> None:
    row = await Enterprise.get(name="重庆建工集团股份有限公司")
    row.name, row.name_initials = "重庆城建集团股份有限公司", filings.name_initials("重庆城建集团股份有限公司")
    await row.save()
    assert await names("建工") == [] and await names("城建") == ["重庆城建集团股份有限公司"]
    assert await names("jg") == [] and await names("cj") == ["重庆城建集团股份有限公司"]
    await row.delete()
    assert await names("城建") == []


async def test_first_is_bounded_and_the_order_is_stable(enterprises: None) -> None:
    assert await names("有限公司", 1) == ["中建三局集团有限公司"]
    assert len(await names("有限公司", 20)) == 5
    assert await names("有限公司", 20) == await names("有限公司", 20)
    for first in (0, 21, -1):
        with pytest.raises(DomainError) as caught:
            await names("中建", first)
        assert (caught.value.field, caught.value.code.value) == ("first", "INVALID_INPUT")


async def test_a_keyword_is_bounded_and_odd_characters_are_harmless(enterprises: None) -> None:
    with pytest.raises(DomainError) as caught:
        await names("中" * 51)
    assert caught.value.field == "keyword"
    assert await names("中" * 50) == []
    assert await names("中建\x00\ud800") == await names("中建")
    assert await names('"中建" OR x*') == []  # FTS5 syntax is a literal phrase


async def test_only_indexes_answer(app: Any) -> None:
    report = await filings.import_enterprises(io.BytesIO(enterprises_csv(list(sample_enterprises(3000)))))
    assert report.imported == 3000
    if BACKEND == "postgres":
        await connections.get("default").execute_script("ANALYZE enterprise")
    plans = await query_plans("津门建安", 10) + await query_plans("zjs", 10) + await query_plans("中建", 10)
    short = await query_plans("建安", 10) + await query_plans("jg", 10) + await query_plans("门", 10)
    assert len(plans) == 7 and len(short) == 8
    for plan in short[1:2] + short[4:6] + short[7:]:  # the gram tiers
        assert "SEARCH g USING PRIMARY KEY" in plan or "enterprise_gram_pkey" in plan, plan
        assert "SCAN" not in plan and "Seq Scan" not in plan, plan
    for plan in plans:
        assert "SCAN enterprise " not in plan and "Seq Scan" not in plan, plan  # no table scan
    if BACKEND == "postgres":
        assert "enterprise_name_prefix" in plans[0] and "enterprise_initials_prefix" in plans[3]
        assert "enterprise_name_trgm" in plans[1] and "enterprise_initials_trgm" in plans[1]
    else:
        assert "USING INDEX enterprise_name_prefix" in plans[0]
        assert "USING INDEX enterprise_initials_prefix" in plans[3]
        assert "VIRTUAL TABLE INDEX" in plans[1]  # the FTS5 trigram index (MATCH)
    assert len(await names("津门建安", 20)) > 0


async def test_statuses_are_the_domain_enum() -> None:
    assert {s.value for s in EnterpriseStatus} == {"QUALIFIED", "SUSPENDED", "REVOKED"}
