"""A specialty ministry sees only the filings it reviews: the kinds that grant or extend a specialty. A change of
employer, a replacement, a personal-info change or a cancellation carries the registration's specialties too, yet
no specialty ministry reads it or its applicant (found by an adversarial review: a 01 reviewer downloaded the ID
card of a cancellation filer)."""

from __future__ import annotations

from typing import Any

import pytest

from db.models import ApplicationKind, ApplicationStatus, Person, StaffRole
from domain.kernel.access import application_in_scope, people_visible_to
from tests.filing_helpers import applicant, make_enterprise
from tests.helpers import Api
from tests.review_helpers import filing, staff

REVIEWED = [
    ApplicationKind.INITIAL,
    ApplicationKind.REREGISTRATION,
    ApplicationKind.ADD_SPECIALTY,
    ApplicationKind.RENEWAL,
]
NOT_REVIEWED = [k for k in ApplicationKind if k not in REVIEWED]


@pytest.mark.parametrize("kind", list(ApplicationKind))
async def test_a_specialty_ministry_sees_only_the_kinds_it_reviews(api: Api, app: Any, kind: ApplicationKind) -> None:
    person: Person = await applicant(api)
    open_filing = await filing(person, ApplicationStatus.MINISTRY_REVIEW, await make_enterprise(), ["02"], kind)
    reviewer = await staff(StaffRole.SPECIALTY_MINISTRY, specialties=["02"])
    other = await staff(StaffRole.SPECIALTY_MINISTRY, specialties=["03"])
    expected = kind in REVIEWED
    assert application_in_scope(reviewer, open_filing) is expected
    assert await people_visible_to(reviewer, [person.id]) == ({person.id} if expected else set())
    assert not application_in_scope(other, open_filing) and await people_visible_to(other, [person.id]) == set()
    ministry = await staff(StaffRole.MINISTRY)
    assert application_in_scope(ministry, open_filing) and await people_visible_to(ministry, [person.id]) == {person.id}


def test_the_kinds_not_reviewed_are_the_four_that_change_no_specialty() -> None:
    assert set(NOT_REVIEWED) == {
        ApplicationKind.CHANGE,
        ApplicationKind.CERTIFICATE_REPLACEMENT,
        ApplicationKind.PERSONAL_INFO_CHANGE,
        ApplicationKind.CANCELLATION,
    }
