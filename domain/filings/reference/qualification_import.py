"""The qualifications import (`姓名,证件号码,专业,资格证书编号,签发日期,临时`): keyed on the certificate number and
specialty; the ID number is kept only as its keyed digest (to match the person) and masked (to show)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from db.models import Qualification
from domain import accounts
from domain.filings.reference.csv_import import Counts, ImportKind
from domain.filings.specialties import specialty_by_code_or_name
from domain.kernel import clock
from domain.kernel.errors import DomainError, DomainErrors, ErrorCode

HEADER = ("姓名", "证件号码", "专业", "资格证书编号", "签发日期", "临时")
FIELDS = ("id_number_digest", "id_number_masked", "real_name", "issued_on", "temporary")
CERTIFICATE = re.compile(r"[A-Z0-9][A-Z0-9-]{3,39}")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
FLAGS = {"是": True, "否": False}
EARLIEST = dt.date(1990, 1, 1)  # the Level-1 constructor qualification exists since 2004; older dates are typos


@dataclass(frozen=True)
class QualificationRecord:
    real_name: str
    id_number_digest: str
    id_number_masked: str
    specialty_code: str
    certificate_number: str
    issued_on: dt.date
    temporary: bool


def _issued_on(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text) if DATE.fullmatch(text) else None
    except ValueError:
        day = None
    latest = (clock.now() + dt.timedelta(hours=8)).date()  # today in China
    if day is None or not EARLIEST <= day <= latest:
        raise DomainError(
            ErrorCode.INVALID_DATE, "签发日期", "签发日期不正确，应为不晚于今天的“年-月-日”，如2021-05-20。"
        )
    return day


def _name(text: str) -> str:
    try:
        return accounts.normalize_name(text)
    except DomainError as error:
        raise DomainError(error.code, "姓名") from error


def parse_qualification(row: dict[str, str]) -> QualificationRecord:
    """One row checked: every problem of the row reported at once."""
    problems: list[DomainError] = []
    name = resident = issued_on = None
    try:
        name = _name(row["姓名"])
    except DomainError as error:
        problems.append(error)
    try:
        resident = accounts.parse_id_number(row["证件号码"], "证件号码")
    except DomainError as error:
        problems.append(error)
    specialty = specialty_by_code_or_name(row["专业"])
    if specialty is None:
        problems.append(DomainError(ErrorCode.INVALID_SPECIALTY, "专业"))
    number = row["资格证书编号"].upper()
    if not CERTIFICATE.fullmatch(number):
        problems.append(DomainError(ErrorCode.INVALID_CERTIFICATE_NUMBER, "资格证书编号"))
    try:
        issued_on = _issued_on(row["签发日期"])
    except DomainError as error:
        problems.append(error)
    temporary = FLAGS.get(row["临时"])
    if temporary is None:
        problems.append(DomainError(ErrorCode.INVALID_INPUT, "临时", "临时应填写“是”或“否”。"))
    if problems or name is None or resident is None or specialty is None or issued_on is None or temporary is None:
        raise DomainErrors(problems)
    return QualificationRecord(
        real_name=name,
        id_number_digest=accounts.id_number_digest(resident.number),
        id_number_masked=resident.masked,
        specialty_code=specialty.code,
        certificate_number=number,
        issued_on=issued_on,
        temporary=temporary,
    )


async def write_qualifications(records: list[QualificationRecord]) -> Counts:
    """One batch in one transaction, as the enterprises import."""
    now = clock.now()
    async with in_transaction():
        numbers = sorted({record.certificate_number for record in records})
        existing = {
            (row.certificate_number, row.specialty_code): row
            for row in await Qualification.filter(certificate_number__in=numbers)
        }
        new: list[Qualification] = []
        changed: list[Qualification] = []
        for record in records:
            row = existing.get((record.certificate_number, record.specialty_code))
            values = {f: getattr(record, f) for f in FIELDS}
            if row is None:
                new.append(
                    Qualification(
                        certificate_number=record.certificate_number,
                        specialty_code=record.specialty_code,
                        imported_at=now,
                        **values,
                    )
                )
            elif any(getattr(row, f) != value for f, value in values.items()):
                row.update_from_dict({**values, "imported_at": now})
                changed.append(row)
        if new:
            await Qualification.bulk_create(
                new, on_conflict=["certificate_number", "specialty_code"], update_fields=[*FIELDS, "imported_at"]
            )
        if changed:
            await Qualification.bulk_update(changed, fields=[*FIELDS, "imported_at"])
    return Counts(imported=len(new), updated=len(changed), unchanged=len(records) - len(new) - len(changed))


QUALIFICATIONS = ImportKind(
    header=HEADER,
    parse=parse_qualification,
    key=lambda record: (record.certificate_number, record.specialty_code),
    write=write_qualifications,
)
