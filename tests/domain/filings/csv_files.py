"""CSV files as an administrator's spreadsheet exports them (UTF-8, optionally with a BOM)."""

from __future__ import annotations

import csv
import io

from domain.filings.reference.sample_enterprises import SampleEnterprise

QUALIFICATIONS_HEADER = ["姓名", "证件号码", "专业", "资格证书编号", "签发日期", "临时"]
ENTERPRISES_HEADER = ["企业名称", "统一社会信用代码", "省份", "资质状态"]
STATUS_WORDS = {"QUALIFIED": "有效", "SUSPENDED": "暂停", "REVOKED": "撤销"}


def csv_bytes(header: list[str], rows: list[list[str]], bom: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


def enterprises_csv(enterprises: list[SampleEnterprise], bom: bool = False) -> bytes:
    rows = [[e.name, e.credit_code, e.province_code, STATUS_WORDS[e.status.value]] for e in enterprises]
    return csv_bytes(ENTERPRISES_HEADER, rows, bom)
