"""The dev seed of reference data: a few hundred enterprises, the test ID numbers' qualifications, idempotent."""

from __future__ import annotations

from typing import Any

from db.models import Enterprise, Qualification
from domain import filings
from domain.accounts import id_number_digest
from tests.helpers import VALID_ID


async def test_the_seed_creates_what_is_missing_and_changes_nothing_again(app: Any) -> None:
    first = await filings.seed_reference()
    assert first["enterprises"] == 300 and first["qualifications_added"] == 5
    assert await Enterprise.filter(qualification_status="QUALIFIED").count() > 280
    assert await Enterprise.filter(name_initials="").count() == 0
    assert await Qualification.filter(id_number_digest=id_number_digest(VALID_ID)).count() == 2
    again = await filings.seed_reference()
    assert (again["enterprises_added"], again["qualifications_added"]) == (0, 0)
