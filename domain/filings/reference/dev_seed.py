"""Dev seed of reference data (`make run`): a few hundred realistic enterprises (a few not qualified) and the
qualifications of the dev applicants' test ID numbers, so that a person registering with one sees them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from db.models import Enterprise
from domain import accounts
from domain.filings.reference.enterprise_import import EnterpriseRecord, write_enterprises
from domain.filings.reference.enterprises import name_initials
from domain.filings.reference.qualification_import import QualificationRecord, write_qualifications
from domain.filings.reference.sample_enterprises import sample_enterprises

DEV_ENTERPRISES = 300
# (name, test ID number, specialty code, certificate number, issue date, temporary): README's test ID numbers
# (张三 registers himself; 李四 and 王五 are seeded as registered people by domain/filings/dev_seed.py).
DEV_QUALIFICATIONS = [
    ("张三", "360426199101010071", "01", "Z0360426001", dt.date(2024, 6, 15), False),
    ("张三", "360426199101010071", "07", "Z0360426001", dt.date(2024, 6, 15), False),
    ("李四", "120103198806018241", "02", "L1201030007", dt.date(2021, 9, 1), True),
    ("李四", "120103198806018241", "10", "L1201030007", dt.date(2021, 9, 1), True),
    ("王五", "110105198503121234", "01", "W1101010003", dt.date(2019, 5, 20), False),
]


async def seed_reference() -> dict[str, Any]:
    """Create what is missing; running it again changes nothing."""
    enterprises = [
        EnterpriseRecord(e.name, e.credit_code, e.province_code, e.status.value)
        for e in sample_enterprises(DEV_ENTERPRISES, seed=9)
    ]
    counts = await write_enterprises(enterprises)
    for row in await Enterprise.filter(name_initials=""):  # the accounts seed's demo employers
        row.name_initials = name_initials(row.name)
        await row.save(update_fields=["name_initials"])
    records = []
    for name, number, code, certificate, issued_on, temporary in DEV_QUALIFICATIONS:
        resident = accounts.parse_id_number(number)
        records.append(
            QualificationRecord(
                name,
                accounts.id_number_digest(resident.number),
                resident.masked,
                code,
                certificate,
                issued_on,
                temporary,
            )
        )
    qualified = await write_qualifications(records)
    return {
        "enterprises": await Enterprise.all().count(),
        "enterprises_added": counts.imported,
        "qualifications_added": qualified.imported,
    }
