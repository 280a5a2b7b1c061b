"""The enterprises import (`企业名称,统一社会信用代码,省份,资质状态`): keyed on the credit code, the name's
pinyin initials computed here for the suggestions."""

from __future__ import annotations

from dataclasses import dataclass

from stdnum.cn import uscc
from stdnum.exceptions import ValidationError
from tortoise.transactions import in_transaction

from db.models import Enterprise, EnterpriseStatus
from domain.filings.reference.csv_import import Counts, ImportKind, run_in_background
from domain.filings.reference.enterprises import name_initials
from domain.filings.reference.provinces import province_code
from domain.kernel.errors import DomainError, DomainErrors, ErrorCode

HEADER = ("企业名称", "统一社会信用代码", "省份", "资质状态")
FIELDS = ("name", "province_code", "qualification_status")
WRITTEN = (*FIELDS, "name_initials")  # the initials follow the name (computed only when it is new or changed)
MAX_NAME = 200
STATUSES = {
    "有效": EnterpriseStatus.QUALIFIED,
    "正常": EnterpriseStatus.QUALIFIED,
    "暂停": EnterpriseStatus.SUSPENDED,
    "撤销": EnterpriseStatus.REVOKED,
    "吊销": EnterpriseStatus.REVOKED,
    **{status.value: status for status in EnterpriseStatus},
}


@dataclass(frozen=True)
class EnterpriseRecord:
    name: str
    credit_code: str
    province_code: str
    qualification_status: str


def _credit_code(text: str) -> str:
    try:
        return str(uscc.validate(text.upper()))
    except ValidationError as exc:
        raise DomainError(ErrorCode.INVALID_CREDIT_CODE, "统一社会信用代码") from exc


def parse_enterprise(row: dict[str, str]) -> EnterpriseRecord:
    """One row checked: every problem of the row reported at once."""
    problems: list[DomainError] = []
    name = row["企业名称"]
    if not 2 <= len(name) <= MAX_NAME or not name.isprintable():
        problems.append(DomainError(ErrorCode.INVALID_INPUT, "企业名称", f"企业名称应为2至{MAX_NAME}个字符。"))
    code = ""
    try:
        code = _credit_code(row["统一社会信用代码"])
    except DomainError as error:
        problems.append(error)
    province = province_code(row["省份"])
    if province is None:
        problems.append(DomainError(ErrorCode.INVALID_PROVINCE, "省份"))
    status = STATUSES.get(row["资质状态"].upper() if row["资质状态"].isascii() else row["资质状态"])
    if status is None:
        problems.append(DomainError(ErrorCode.INVALID_ENTERPRISE_STATUS, "资质状态"))
    if problems or province is None or status is None:
        raise DomainErrors(problems)
    return EnterpriseRecord(name, code, province, status.value)


async def write_enterprises(records: list[EnterpriseRecord]) -> Counts:
    """One batch in one transaction: new ones inserted (an upsert, should another import have just added one),
    changed ones updated, the rest counted as unchanged. The pinyin initials are computed (off the event loop)
    only for new or renamed enterprises."""
    async with in_transaction():
        codes = [record.credit_code for record in records]
        existing = {row.credit_code: row for row in await Enterprise.filter(credit_code__in=codes)}
        new: list[Enterprise] = []
        changed: list[Enterprise] = []
        for record in records:
            row = existing.get(record.credit_code)
            if row is None:
                new.append(Enterprise(credit_code=record.credit_code, **{f: getattr(record, f) for f in FIELDS}))
            elif any(getattr(row, f) != getattr(record, f) for f in FIELDS):
                row.update_from_dict({f: getattr(record, f) for f in FIELDS})
                changed.append(row)
        await _with_initials([*new, *changed])
        if new:
            await Enterprise.bulk_create(new, on_conflict=["credit_code"], update_fields=list(WRITTEN))
        if changed:
            await Enterprise.bulk_update(changed, fields=list(WRITTEN))
    return Counts(imported=len(new), updated=len(changed), unchanged=len(records) - len(new) - len(changed))


async def _with_initials(rows: list[Enterprise]) -> None:
    if rows:
        initials = await run_in_background(lambda: [name_initials(row.name) for row in rows])
        for row, text in zip(rows, initials, strict=True):
            row.name_initials = text


ENTERPRISES = ImportKind(
    header=HEADER, parse=parse_enterprise, key=lambda record: record.credit_code, write=write_enterprises
)
