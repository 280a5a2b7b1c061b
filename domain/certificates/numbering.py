"""注册编号: the province character, 1, the (first) employer's province code, the year the qualification was
issued, the year of (initial) registration and a 5-digit provincial serial; the seal adds the check code (NN)."""

from __future__ import annotations

from datetime import date

from tortoise import connections

from db.models import Qualification, Registration
from domain import filings

# One atomic statement per serial: inserts the province's row at 1 or increments it, and returns the value. On
# PostgreSQL the row lock it takes serializes the province's allocations until the unit of work commits (a rollback
# gives the serial back); on SQLite the write transaction (BEGIN IMMEDIATE) already serializes every writer.
NEXT_SERIAL_SQL = (
    "INSERT INTO registration_serial (province_code, last_serial) VALUES ({p}, 1) "
    "ON CONFLICT (province_code) DO UPDATE SET last_serial = registration_serial.last_serial + 1 "
    "RETURNING last_serial"
)
MAX_SERIAL = 99_999


async def next_serial(province_code: str) -> int:
    """The province's next serial (1, 2, …), inside the caller's unit of work."""
    connection = connections.get("default")
    placeholder = "?" if connection.capabilities.dialect == "sqlite" else "$1"
    rows = await connection.execute_query_dict(NEXT_SERIAL_SQL.format(p=placeholder), [province_code])
    serial = int(rows[0]["last_serial"])
    if serial > MAX_SERIAL:
        raise OverflowError(f"province {province_code}: the 5-digit registration serials are used up")
    return serial


async def qualified_year(id_number_digest: str, specialty_codes: list[str], fallback: int) -> int:
    """The year the qualification was issued: the earliest issue of the registered specialties' qualifications
    (of any specialty when none matches), else `fallback`."""
    rows = await Qualification.filter(id_number_digest=id_number_digest).order_by("issued_on")
    matching = [row for row in rows if row.specialty_code in specialty_codes] or rows
    return matching[0].issued_on.year if matching else fallback


async def new_number(province_code: str, qualified_on_year: int, registered_on: date) -> str:
    """A new registration number with the province's next serial (filings.registration_number's format). A number
    already held (written outside the counter: imported, or the dev seed's `record_registration`) is skipped, its
    serial used up; the serial row's lock makes the check safe for the rest of the unit of work."""
    while True:
        serial = await next_serial(province_code)
        number = filings.registration_number(province_code, qualified_on_year, registered_on.year, serial)
        if not await Registration.exists(number=number):
            return number


def with_check(number: str, seal_check: int) -> str:
    """The number as the seal prints it: 京111050700001(02)."""
    return f"{number}({seal_check:02d})"
