"""Rules of verification attempts: which one a person's verification shows, and when the QR code is shown."""

from __future__ import annotations

from db.models import Person, VerificationAttempt, VerificationMethod, VerificationStatus
from domain import verification
from domain.kernel import clock
from tests.helpers import VALID_ID_2, Api

URL = "https://openapi.alipay.com/gateway.do?certify_id=abc"


async def attempt(person_id: int, n: int, status: VerificationStatus) -> VerificationAttempt:
    now = clock.now()
    return await VerificationAttempt.create(
        person_id=person_id,
        method=VerificationMethod.ALIPAY,
        status=status,
        outer_order_no=f"RV{n:030d}",
        provider="sandbox",
        created_at=now,
        expires_at=now,
    )


def test_the_qr_code_is_shown_only_while_pending() -> None:
    assert verification.certify_qr(VerificationStatus.PENDING, URL).startswith("data:image/png;base64,")  # type: ignore[union-attr]
    for status in (VerificationStatus.PASSED, VerificationStatus.FAILED, VerificationStatus.EXPIRED):
        assert verification.certify_qr(status, URL) is None
    assert verification.certify_qr(VerificationStatus.PENDING, None) is None


async def test_a_passed_attempt_wins_over_later_ones_for_each_person(api: Api) -> None:
    await api.signed_up()
    await api.signed_up(id_number=VALID_ID_2, mobile="13800138002")
    first, second = [person.id async for person in Person.all().order_by("id")]
    passed = await attempt(first, 1, VerificationStatus.PASSED)
    await attempt(first, 2, VerificationStatus.FAILED)
    await attempt(second, 3, VerificationStatus.FAILED)
    latest = await attempt(second, 4, VerificationStatus.EXPIRED)
    shown = await verification.current_for_people([first, second, 999_999])
    assert {key: row.id if row else None for key, row in shown.items()} == {
        first: passed.id,
        second: latest.id,
        999_999: None,
    }
