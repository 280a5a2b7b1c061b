"""使用时限: a download is usable 180 days (CERTIFICATE_USABLE_DAYS), capped at the earliest specialty expiry and
the holder's 65th birthday (29 February: the 28th in a common year), each printed as the last usable day."""

from __future__ import annotations

from datetime import date

from domain.certificates.downloads import birthday, usable_until

TODAY = date(2026, 11, 30)


def snapshot(birth: str = "1991-01-01", *expiries: str) -> dict[str, object]:
    specialties = [{"code": "01", "name": "建筑工程", "expires_on": day} for day in expiries or ("2029-11-29",)]
    return {"birth_date": birth, "specialties": specialties}


def test_180_days_when_nothing_comes_sooner() -> None:
    assert usable_until(snapshot(), TODAY) == date(2027, 5, 29)


def test_the_earliest_specialty_expiry_caps_it() -> None:
    assert usable_until(snapshot("1991-01-01", "2029-11-29", "2027-01-15"), TODAY) == date(2027, 1, 15)


def test_the_65th_birthday_caps_it() -> None:
    assert usable_until(snapshot("1962-02-10"), TODAY) == date(2027, 2, 10)
    assert usable_until(snapshot("1961-12-01"), TODAY) == date(2026, 12, 1)


def test_a_leap_day_birthday_turns_65_on_the_28th_in_a_common_year() -> None:
    assert birthday(date(1960, 2, 29), 65) == date(2025, 2, 28)
    assert birthday(date(1964, 2, 29), 65) == date(2029, 2, 28)
    assert birthday(date(1968, 2, 29), 64) == date(2032, 2, 29)  # a leap year keeps the 29th


def test_past_caps_leave_a_date_before_today() -> None:
    assert usable_until(snapshot("1991-01-01", "2026-11-29"), TODAY) < TODAY


def test_a_specialty_already_expired_no_longer_caps_the_others() -> None:
    """Found by an adversarial review: once 01 expired, the holder of a current certificate could no longer download
    it for 02 (valid two more years)."""
    snapshot = {
        "birth_date": "1980-05-01",
        "specialties": [{"expires_on": "2026-01-10"}, {"expires_on": "2028-01-01"}],
    }
    assert usable_until(snapshot, date(2026, 1, 5)) == date(2026, 1, 10)  # both valid: the earliest caps
    assert usable_until(snapshot, date(2026, 2, 1)) == date(2026, 7, 31)  # 01 expired: 180 days (02 runs on)
    assert usable_until(snapshot, date(2028, 3, 1)) == date(2028, 1, 1)  # all expired: in the past, not usable
