"""The imports, rule by rule: each row on its own, a report line per problem, idempotent re-imports, the BOM, the
header, the ID number kept only as digest and mask."""

from __future__ import annotations

import io
from typing import Any

import pytest

from db.models import Enterprise, Qualification
from domain import filings
from domain.accounts import id_number_digest
from domain.filings.reference.sample_enterprises import sample_enterprises
from domain.kernel.errors import DomainError, ErrorCode
from tests.domain.filings.csv_files import QUALIFICATIONS_HEADER, csv_bytes, enterprises_csv
from tests.helpers import VALID_ID, VALID_ID_2

GOOD = [
    ["张三", VALID_ID, "01", "Z2021001", "2021-05-20", "否"],
    ["张三", VALID_ID, "市政公用工程", "z2021001", "2021-05-20", "否"],
    ["李四", VALID_ID_2, "2", "L2019-0007", "2019-03-01", "是"],
]
BAD = [
    ["王", "110105198001011234", "99", "!", "2021-13-01", "也许"],  # every field wrong
    ["张三", VALID_ID, "01", "Z2021001", "2021-05-20", "否"],  # the first row again
    ["赵六", VALID_ID, "01"],  # too few columns
]


async def import_qualifications(data: bytes) -> filings.ImportReport:
    return await filings.import_qualifications(io.BytesIO(data))


def problems(report: filings.ImportReport) -> list[tuple[int, str | None, str]]:
    return [(e.row, e.field, e.code.value) for e in report.errors]


async def test_bad_rows_are_reported_and_good_rows_kept_then_a_reimport_changes_nothing(app: Any) -> None:
    data = csv_bytes(QUALIFICATIONS_HEADER, [*GOOD, *BAD])
    report = await import_qualifications(data)
    assert (report.rows_read, report.imported, report.updated, report.unchanged) == (6, 3, 0, 0)
    assert problems(report) == [
        (5, "姓名", "INVALID_NAME"),
        (5, "证件号码", "INVALID_ID_NUMBER"),
        (5, "专业", "INVALID_SPECIALTY"),
        (5, "资格证书编号", "INVALID_CERTIFICATE_NUMBER"),
        (5, "签发日期", "INVALID_DATE"),
        (5, "临时", "INVALID_INPUT"),
        (6, None, "DUPLICATE_ROW"),
        (7, None, "INVALID_INPUT"),
    ]
    assert report.errors[6].message == "与第2行重复（同一记录只能出现一次）。"
    assert report.error_count == 8 and report.errors_not_shown == 0
    rows = await Qualification.all().order_by("certificate_number", "specialty_code")
    assert [(r.certificate_number, r.specialty_code, r.temporary) for r in rows] == [
        ("L2019-0007", "02", True),
        ("Z2021001", "01", False),
        ("Z2021001", "07", False),
    ]
    first_times = [r.imported_at for r in rows]

    again = await import_qualifications(data)
    assert (again.rows_read, again.imported, again.updated, again.unchanged, again.error_count) == (6, 0, 0, 3, 8)
    rows = await Qualification.all().order_by("certificate_number", "specialty_code")
    assert [r.imported_at for r in rows] == first_times

    corrected = csv_bytes(QUALIFICATIONS_HEADER, [["张三", VALID_ID, "01", "Z2021001", "2021-05-21", "否"]])
    changed = await import_qualifications(corrected)
    assert (changed.imported, changed.updated, changed.unchanged) == (0, 1, 0)


async def test_the_id_number_is_kept_only_as_digest_and_mask(app: Any) -> None:
    await import_qualifications(csv_bytes(QUALIFICATIONS_HEADER, GOOD[:1]))
    row = await Qualification.get()
    assert row.id_number_digest == id_number_digest(VALID_ID)
    assert row.id_number_masked == "3604**********0071"
    [stored] = await Qualification.all().values()
    assert all(VALID_ID not in str(value) for value in stored.values())


async def test_a_bom_is_allowed(app: Any) -> None:
    report = await import_qualifications(csv_bytes(QUALIFICATIONS_HEADER, GOOD, bom=True))
    assert (report.imported, report.error_count) == (3, 0)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        "姓名,证件号码,专业\r\n张三,1,01\r\n".encode(),
        b"name,id,specialty,number,date,temporary\r\n",
        "姓名,证件号码,专业,资格证书编号,签发日期,临时".encode("gbk"),
    ],
    ids=["empty", "missing-columns", "english", "gbk"],
)
async def test_a_wrong_header_refuses_the_file_before_anything_is_written(app: Any, data: bytes) -> None:
    with pytest.raises(DomainError) as caught:
        await import_qualifications(data + csv_bytes(QUALIFICATIONS_HEADER, GOOD).split(b"\r\n", 1)[1])
    assert caught.value.code in (ErrorCode.IMPORT_HEADER_INVALID, ErrorCode.IMPORT_FILE_UNREADABLE)
    assert caught.value.field == "file"
    assert "表头" in caught.value.message or "UTF-8" in caught.value.message
    assert await Qualification.all().count() == 0


async def test_a_row_that_is_not_utf8_is_refused_alone(app: Any) -> None:
    data = csv_bytes(QUALIFICATIONS_HEADER, GOOD[:1]) + "王五,1,01,X1,2021-01-01,否\r\n".encode("gbk")
    data += csv_bytes(QUALIFICATIONS_HEADER, GOOD[2:]).split(b"\r\n", 1)[1]
    report = await import_qualifications(data)
    assert problems(report) == [(3, None, "IMPORT_FILE_UNREADABLE")]
    assert report.imported == 2


async def test_enterprises_import_validates_each_row_and_computes_the_initials(app: Any) -> None:
    samples = list(sample_enterprises(30))
    rows = enterprises_csv(samples, bom=True)
    bad = "中建三局,91110000MA00000011,北京,有效\r\n某某公司,91110000MA0000001X,火星,也许\r\n".encode()
    report = await filings.import_enterprises(io.BytesIO(rows + bad))
    assert (report.rows_read, report.imported, report.error_count) == (32, 30, 4)
    assert problems(report) == [
        (32, "统一社会信用代码", "INVALID_CREDIT_CODE"),
        (33, "统一社会信用代码", "INVALID_CREDIT_CODE"),
        (33, "省份", "INVALID_PROVINCE"),
        (33, "资质状态", "INVALID_ENTERPRISE_STATUS"),
    ]
    first = await Enterprise.get(credit_code=samples[0].credit_code)
    assert first.name == samples[0].name and first.name_initials == filings.name_initials(samples[0].name)
    assert {e.qualification_status for e in await Enterprise.all()} == {"QUALIFIED", "SUSPENDED"}

    again = await filings.import_enterprises(io.BytesIO(rows))
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 30)
    renamed = rows.replace(samples[0].name.encode(), "中建三局第一建设工程有限责任公司".encode(), 1)
    changed = await filings.import_enterprises(io.BytesIO(renamed))
    assert (changed.imported, changed.updated, changed.unchanged) == (0, 1, 29)
    assert (await Enterprise.get(credit_code=samples[0].credit_code)).name_initials == "zjsjdyjsgcyxzrgs"


async def test_the_report_lists_at_most_200_problems_and_counts_the_rest(app: Any) -> None:
    rows = [["张三", VALID_ID, "99", f"Z{n:06d}", "2021-05-20", "否"] for n in range(250)]
    report = await import_qualifications(csv_bytes(QUALIFICATIONS_HEADER, rows))
    assert (len(report.errors), report.error_count, report.errors_not_shown) == (200, 250, 50)


async def test_the_province_is_a_code_or_a_name() -> None:
    assert [filings.province_code(t) for t in ("11", "北京市", "北京", "110000", "内蒙古", "99", "")] == [
        "11",
        "11",
        "11",
        "11",
        "15",
        None,
        None,
    ]
