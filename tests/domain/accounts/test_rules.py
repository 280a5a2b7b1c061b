"""Small account rules: the login back-off and when a profile is complete."""

from __future__ import annotations

from types import SimpleNamespace

from domain.accounts import missing_profile_fields, profile_complete
from domain.accounts.login import MAX_LOCK_S, lock_seconds
from domain.accounts.profile import ProfileChanges, clean_profile
from domain.kernel.errors import ErrorCode
from domain.kernel.settings import get_settings

COMPLETE = {
    "nationality": "CN",
    "ethnicity": "汉族",
    "email": "a@example.com",
    "education": "本科",
    "degree": "学士",
    "school": "同济大学",
}


def test_lockout_backs_off_by_doubling_and_caps_at_a_day() -> None:
    threshold = get_settings().login_lock_threshold
    assert [lock_seconds(n) for n in range(1, threshold)] == [0] * (threshold - 1)
    assert [lock_seconds(threshold * k) for k in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert lock_seconds(threshold + 1) == 0  # only every `threshold` failures locks again
    assert lock_seconds(get_settings().login_max_failures) == MAX_LOCK_S


def test_missing_profile_fields_are_named_in_the_forms_order() -> None:
    assert missing_profile_fields(SimpleNamespace(**COMPLETE)) == []
    assert profile_complete(SimpleNamespace(**COMPLETE))
    partial = SimpleNamespace(**(COMPLETE | {"email": None, "school": None}))
    assert missing_profile_fields(partial) == ["email", "school"]
    assert not profile_complete(partial)


def test_the_ethnic_group_is_optional() -> None:
    assert profile_complete(SimpleNamespace(**(COMPLETE | {"ethnicity": None})))


def test_every_invalid_profile_field_is_reported_at_once() -> None:
    _, errors = clean_profile(ProfileChanges(nationality="ZZ", ethnicity="火星族", email="not-an-address", school="x"))
    assert [(e.field, e.code) for e in errors] == [
        ("nationality", ErrorCode.INVALID_INPUT),
        ("ethnicity", ErrorCode.INVALID_INPUT),
        ("email", ErrorCode.INVALID_EMAIL),
        ("school", ErrorCode.INVALID_INPUT),
    ]


def test_profile_values_are_normalised() -> None:
    values, errors = clean_profile(ProfileChanges(nationality=" ｈｋ ", ethnicity=" 汉族 ", school="  同济   大学 "))
    assert (values, errors) == ({"nationality": "HK", "ethnicity": "汉族", "school": "同济 大学"}, [])
