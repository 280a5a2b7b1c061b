"""Dev seed: each demo applicant's employer has a clerk who can confirm, the specialty reviewer reviews every
specialty that needs a specialty ministry, and seeding again changes nothing."""

from __future__ import annotations

from typing import Any

from db.models import Enterprise, StaffRole, StaffUser
from domain.accounts import seed_dev
from domain.filings import DEMO_APPLICANTS, specialty


async def test_the_walkthrough_has_a_clerk_for_every_demo_employer_and_the_reviewers(app: Any) -> None:
    first = await seed_dev()
    for demo in DEMO_APPLICANTS:
        employer = await Enterprise.get(credit_code__startswith=demo.employer_credit_prefix)
        assert await StaffUser.filter(role=StaffRole.ENTERPRISE, enterprise_id=employer.id).exists(), demo.real_name
    reviewer = await StaffUser.get(username="specialty-reviewer")
    assert reviewer.specialty_codes == ["02", "03", "04", "05", "06", "08"]
    assert all((s := specialty(code)) is not None and s.needs_specialty_review for code in reviewer.specialty_codes)
    assert await StaffUser.filter(username="ministry-reviewer", role=StaffRole.MINISTRY).exists()
    assert await StaffUser.filter(username="enterprise-demo", role=StaffRole.ENTERPRISE).exists()  # kept
    await StaffUser.filter(username="specialty-reviewer").update(specialty_codes=None)  # seeded by an older version
    second = await seed_dev()
    assert second == first
    assert (await StaffUser.get(username="specialty-reviewer")).specialty_codes == reviewer.specialty_codes
