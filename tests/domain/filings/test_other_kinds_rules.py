"""The rules of cancellation, certificate replacement and personal-info change, as pure functions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from db.models import RegistrationStatus
from domain.accounts import id_number_digest
from domain.filings.kinds.cancellation import CancellationReason, CancellationRequest, age_on, check_cancellation
from domain.filings.kinds.free_text import clean_text
from domain.filings.kinds.personal_info import (
    CurrentIdentity,
    InfoField,
    Material,
    PersonalInfoChange,
    clean_change,
    details_of,
)
from domain.filings.kinds.registration_facts import RegistrationFacts, SpecialtyHeld
from domain.filings.kinds.replacement import ReplacementReason, ReplacementRequest, check_replacement
from domain.kernel import keys
from domain.kernel.errors import DomainError, DomainErrors, ErrorCode
from tests.helpers import VALID_ID, VALID_ID_2

TODAY = date(2026, 6, 1)
ACTIVE = RegistrationFacts(RegistrationStatus.ACTIVE, (SpecialtyHeld("01", date(2027, 1, 1)),))
BORN = date(1980, 5, 5)


def codes(exc: DomainError | DomainErrors) -> list[tuple[str | None, ErrorCode]]:
    errors = exc.errors if isinstance(exc, DomainErrors) else [exc]
    return [(e.field, e.code) for e in errors]


@pytest.mark.parametrize(
    "registration",
    [None, *(RegistrationFacts(s) for s in RegistrationStatus if s is not RegistrationStatus.ACTIVE)],
)
def test_cancellation_and_replacement_need_an_active_registration(registration: RegistrationFacts | None) -> None:
    with pytest.raises(DomainError) as caught:
        check_cancellation(CancellationRequest(CancellationReason.CONTRACT_ENDED), registration, BORN, TODAY)
    assert caught.value.code is ErrorCode.NOT_REGISTERED
    with pytest.raises(DomainError) as caught:
        check_replacement(ReplacementRequest(ReplacementReason.LOST), registration)
    assert caught.value.code is ErrorCode.NOT_REGISTERED


def test_a_cancellation_records_its_reason_with_the_chinese_label() -> None:
    details = check_cancellation(CancellationRequest(CancellationReason.CONTRACT_ENDED), ACTIVE, BORN, TODAY)
    assert details == {"reason": "CONTRACT_ENDED", "reason_label": "已与聘用企业解除聘用合同关系", "note": ""}


def test_every_cancellation_reason_has_a_label() -> None:
    for reason in CancellationReason:
        request = CancellationRequest(reason, note="说明")
        if reason in (CancellationReason.AGE_LIMIT, CancellationReason.REGISTRATION_EXPIRED):
            continue
        assert check_cancellation(request, ACTIVE, BORN, TODAY)["reason_label"]


def test_age_limit_only_from_the_65th_birthday() -> None:
    assert age_on(date(1961, 6, 1), TODAY) == 65
    assert age_on(date(1961, 6, 2), TODAY) == 64
    request = CancellationRequest(CancellationReason.AGE_LIMIT)
    assert check_cancellation(request, ACTIVE, date(1961, 6, 1), TODAY)["reason"] == "AGE_LIMIT"
    with pytest.raises(DomainErrors) as caught:
        check_cancellation(request, ACTIVE, date(1961, 6, 2), TODAY)
    assert codes(caught.value) == [("reason", ErrorCode.REASON_NOT_APPLICABLE)]
    assert "未满65周岁" in caught.value.errors[0].message


def test_expiry_as_a_reason_only_when_every_specialty_has_expired() -> None:
    request = CancellationRequest(CancellationReason.REGISTRATION_EXPIRED)
    with pytest.raises(DomainErrors) as caught:
        check_cancellation(request, ACTIVE, BORN, TODAY)
    assert codes(caught.value) == [("reason", ErrorCode.REASON_NOT_APPLICABLE)]
    expired = RegistrationFacts(
        RegistrationStatus.ACTIVE,
        (SpecialtyHeld("01", date(2026, 5, 31)), SpecialtyHeld("02", date(2030, 1, 1), active=False)),
    )
    assert check_cancellation(request, expired, BORN, TODAY)["reason"] == "REGISTRATION_EXPIRED"


def test_other_cancellation_needs_a_note_and_all_errors_come_at_once() -> None:
    with pytest.raises(DomainErrors) as caught:
        check_cancellation(CancellationRequest(CancellationReason.OTHER, note=" \u200b\u3000"), ACTIVE, BORN, TODAY)
    assert codes(caught.value) == [("note", ErrorCode.REQUIRED)]
    with pytest.raises(DomainErrors) as caught:
        check_cancellation(CancellationRequest(CancellationReason.AGE_LIMIT, note="长" * 201), ACTIVE, BORN, TODAY)
    assert codes(caught.value) == [("reason", ErrorCode.REASON_NOT_APPLICABLE), ("note", ErrorCode.TEXT_TOO_LONG)]
    assert "200字" in caught.value.errors[1].message


def test_replacement_reason_text_required_for_other_and_bounded() -> None:
    assert check_replacement(ReplacementRequest(ReplacementReason.LOST), ACTIVE)["reason_label"] == "遗失"
    assert check_replacement(ReplacementRequest(ReplacementReason.DAMAGED, " 水 浸 "), ACTIVE)["reason_text"] == "水 浸"
    for blank in (None, "", "   ", "\u200b\ufeff", "\u3000"):
        with pytest.raises(DomainError) as caught:
            check_replacement(ReplacementRequest(ReplacementReason.OTHER, blank), ACTIVE)
        assert (caught.value.field, caught.value.code) == ("reason_text", ErrorCode.REQUIRED)
    details = check_replacement(ReplacementRequest(ReplacementReason.OTHER, "证" * 200), ACTIVE)
    assert details["reason_text"] == "证" * 200 and details["commitment_version"]
    for long_text in ("证" * 201, "证" * 100_000):
        with pytest.raises(DomainError) as caught:
            check_replacement(ReplacementRequest(ReplacementReason.OTHER, long_text), ACTIVE)
        assert caught.value.code is ErrorCode.TEXT_TOO_LONG


def test_free_text_drops_invisible_and_control_characters() -> None:
    assert clean_text("a\u200bb\x00c\u202e\n d\u3000\u3000e") == "abc d e"


# Personal-info change

VERIFIED_AT = datetime(2026, 5, 1, tzinfo=UTC)
ME = CurrentIdentity(real_name="张三", id_number_digest=id_number_digest(VALID_ID))
NEW = VERIFIED_AT + timedelta(days=1)
CARDS = [Material(11, "ID_CARD_FRONT", True, NEW), Material(12, "ID_CARD_BACK", True, NEW)]


def change(**kwargs: object) -> PersonalInfoChange:
    values: dict[str, object] = {"changes": (InfoField.NAME,), "new_name": "李四", "attachment_ids": (11, 12)}
    return PersonalInfoChange(**(values | kwargs))  # type: ignore[arg-type]


def test_a_name_and_id_number_change_is_checked_and_the_number_encrypted() -> None:
    clean = clean_change(
        change(changes=(InfoField.NAME, InfoField.ID_NUMBER), new_id_number=VALID_ID_2.lower()), ME, CARDS, VERIFIED_AT
    )
    assert clean.new_name == "李四" and clean.resident is not None and clean.resident.number == VALID_ID_2
    details = details_of(clean)
    assert details["changes"] == ["NAME", "ID_NUMBER"]
    assert details["new_id_number_masked"] == "1201**********8241"
    assert VALID_ID_2 not in repr(details)
    assert keys.decrypt(details["new_id_number_cipher"]) == VALID_ID_2
    assert details["new_id_number_digest"] == id_number_digest(VALID_ID_2)


def test_a_name_only_change_keeps_no_id_number() -> None:
    details = details_of(clean_change(change(new_name="李·四"), ME, CARDS, VERIFIED_AT))
    assert details == {"changes": ["NAME"], "new_name": "李·四", "attachment_ids": [11, 12]}


def test_every_personal_info_error_is_reported_at_once() -> None:
    with pytest.raises(DomainErrors) as caught:
        clean_change(change(changes=(), new_name="李四", new_id_number=VALID_ID_2, attachment_ids=()), ME, [], None)
    assert codes(caught.value) == [
        ("changes", ErrorCode.NOTHING_TO_CHANGE),
        ("new_name", ErrorCode.INVALID_INPUT),
        ("new_id_number", ErrorCode.INVALID_INPUT),
        ("attachment_ids", ErrorCode.MATERIALS_REQUIRED),
    ]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"new_name": None}, ("new_name", ErrorCode.INVALID_NAME)),
        ({"new_name": "Zhang San"}, ("new_name", ErrorCode.INVALID_NAME)),
        ({"new_name": "张" * 31}, ("new_name", ErrorCode.INVALID_NAME)),
        ({"new_name": "张" * 100_000}, ("new_name", ErrorCode.INVALID_NAME)),
        ({"new_name": " 张三 "}, ("new_name", ErrorCode.INFO_UNCHANGED)),
        ({"changes": (InfoField.ID_NUMBER,), "new_name": None}, ("new_id_number", ErrorCode.INVALID_ID_NUMBER)),
        (
            {"changes": (InfoField.ID_NUMBER,), "new_name": None, "new_id_number": "230307196304054513"},
            ("new_id_number", ErrorCode.INVALID_ID_NUMBER),
        ),
        (
            {"changes": (InfoField.ID_NUMBER,), "new_name": None, "new_id_number": "1" * 5000},
            ("new_id_number", ErrorCode.INVALID_ID_NUMBER),
        ),
        (
            {"changes": (InfoField.ID_NUMBER,), "new_name": None, "new_id_number": VALID_ID},
            ("new_id_number", ErrorCode.INFO_UNCHANGED),
        ),
    ],
)
def test_new_values_are_validated(kwargs: dict[str, object], expected: tuple[str, ErrorCode]) -> None:
    with pytest.raises(DomainErrors) as caught:
        clean_change(change(**kwargs), ME, CARDS, VERIFIED_AT)
    assert codes(caught.value) == [expected]


OLD = VERIFIED_AT - timedelta(days=1)


@pytest.mark.parametrize(
    ("ids", "found", "code"),
    [
        ((11,), CARDS, ErrorCode.MATERIALS_REQUIRED),  # the back is missing
        ((11, 12), [CARDS[0], Material(12, "ID_CARD_BACK", True, OLD)], ErrorCode.MATERIALS_REQUIRED),  # not new
        ((11, 12), [CARDS[0], Material(12, "ID_CARD_BACK", False, NEW)], ErrorCode.MATERIALS_REQUIRED),  # replaced
        ((11, 12, 99), CARDS, ErrorCode.NOT_FOUND),  # not the person's
        ((11, 12, 13), [*CARDS, Material(13, "PHOTO", True, NEW)], ErrorCode.INVALID_INPUT),
        (tuple(range(11, 22)), CARDS, ErrorCode.INVALID_INPUT),  # too many
    ],
)
def test_the_new_id_card_images_are_required(ids: tuple[int, ...], found: list[Material], code: ErrorCode) -> None:
    with pytest.raises(DomainErrors) as caught:
        clean_change(change(attachment_ids=ids), ME, found, VERIFIED_AT)
    assert codes(caught.value) == [("attachment_ids", code)]


def test_a_handheld_photo_may_be_added_and_duplicates_collapse() -> None:
    found = [*CARDS, Material(13, "HANDHELD_ID", True, NEW)]
    clean = clean_change(change(attachment_ids=(11, 12, 12, 13)), ME, found, VERIFIED_AT)
    assert clean.attachment_ids == (11, 12, 13)
