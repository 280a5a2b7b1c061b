"""The run's applicants, written straight into the stack's database through bench.applicants (a person with a
complete profile, on-site verification passed, an imported qualification in 01, a session) with a password the
runner knows, so the load logs them in through `login` like anyone else."""

from __future__ import annotations

from dataclasses import dataclass

from strawberry import relay
from tortoise.transactions import in_transaction

from bench.applicants import id_number, make_applicant
from db.models import Enterprise, Person
from domain.accounts.dev_seed import DEMO_ENTERPRISES, credit_code
from domain.accounts.passwords import hash_password

PASSWORD = "Load-Run#2026-peak"  # the runner's own applicants, in a throw-away database
FIRST_INDEX = 500_000  # ID numbers and mobiles apart from the dev seed's
BATCH = 50


@dataclass(frozen=True)
class Seeded:
    """One applicant: login name, mobile, a Bearer token of a session opened at seeding, the person's id."""

    id_number: str
    mobile: str
    token: str
    person_id: int


async def demo_enterprise_id() -> str:
    """The global id of 中建示范建设集团有限公司, the employer of the dev `enterprise-demo` reviewer."""
    enterprise = await Enterprise.get(credit_code=credit_code(DEMO_ENTERPRISES[0][2]))
    return str(relay.GlobalID("Enterprise", str(enterprise.id)))


async def seed_applicants(count: int) -> list[Seeded]:
    """`count` applicants ready to file an initial registration in 01 (batched transactions; one password hash)."""
    password_hash = await hash_password(PASSWORD)
    seeded: list[Seeded] = []
    for start in range(0, count, BATCH):
        async with in_transaction():
            for index in range(FIRST_INDEX + start, FIRST_INDEX + min(count, start + BATCH)):
                applicant = await make_applicant(index)
                await Person.filter(id=applicant.person_id).update(password_hash=password_hash)
                seeded.append(Seeded(id_number(index), applicant.mobile, applicant.token, applicant.person_id))
    return seeded
