"""The rules of cancellation, certificate replacement and personal-info change, as pure functions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from db.models import RegistrationStatus
from domain.accounts import id_number_digest
from domain.filings.kinds.cancellation import (
    CancellationDraft,
    CancellationReason,
    age_on,
    cancellation_details,
    cancellation_errors,
)
from domain.filings.kinds.free_text import clean_text
from domain.filings.kinds.held import HeldRegistration
from domain.filings.kinds.personal_info_rules import (
    CurrentIdentity,
    InfoField,
    Material,
    PersonalInfoDraft,
    change_errors,
    check_materials,
    clean_change,
    details_of,
)
from domain.filings.kinds.replacement import (
    ReplacementDraft,
    ReplacementReason,
    replacement_details,
    replacement_errors,
)
from domain.kernel import keys
from domain.kernel.errors import DomainError, DomainErrors, ErrorCode
from tests.helpers import VALID_ID, VALID_ID_2

TODAY = date(2026, 6, 1)
ACTIVE = HeldRegistration(RegistrationStatus.ACTIVE, (date(2027, 1, 1),))
BORN = date(1980, 5, 5)


def codes(errors: list[DomainError] | DomainErrors) -> list[tuple[str | None, ErrorCode]]:
    listed = errors.errors if isinstance(errors, DomainErrors) else errors
    return [(e.field, e.code) for e in listed]


def cancel(reason: CancellationReason, note: str | None = None, held: HeldRegistration | None = ACTIVE,
           born: date = BORN) -> list[tuple[str | None, ErrorCode]]:  # fmt: skip
    return codes(cancellation_errors(CancellationDraft(reason, note), held, born, TODAY))


@pytest.mark.parametrize(
    "held",
    [None, *(HeldRegistration(s) for s in RegistrationStatus if s is not RegistrationStatus.ACTIVE)],
)
def test_cancellation_and_replacement_need_an_active_registration(held: HeldRegistration | None) -> None:
    assert cancel(CancellationReason.CONTRACT_ENDED, held=held) == [(None, ErrorCode.NOT_REGISTERED)]
    errors = replacement_errors(ReplacementDraft(ReplacementReason.LOST), held)
    assert codes(errors) == [(None, ErrorCode.NOT_REGISTERED)]


def test_a_cancellation_records_its_reason_with_the_chinese_label() -> None:
    draft = CancellationDraft(CancellationReason.CONTRACT_ENDED)
    assert cancellation_errors(draft, ACTIVE, BORN, TODAY) == []
    assert cancellation_details(draft) == {
        "reason": "CONTRACT_ENDED",
        "reason_label": "已与聘用企业解除聘用合同关系",
        "note": "",
    }


def test_every_cancellation_reason_has_a_label() -> None:
    for reason in CancellationReason:
        assert cancellation_details(CancellationDraft(reason, "说明"))["reason_label"]


def test_age_limit_only_from_the_65th_birthday() -> None:
    assert age_on(date(1961, 6, 1), TODAY) == 65
    assert age_on(date(1961, 6, 2), TODAY) == 64
    assert cancel(CancellationReason.AGE_LIMIT, born=date(1961, 6, 1)) == []
    assert cancel(CancellationReason.AGE_LIMIT, born=date(1961, 6, 2)) == [("reason", ErrorCode.REASON_NOT_APPLICABLE)]
    draft = CancellationDraft(CancellationReason.AGE_LIMIT)
    assert "未满65周岁" in cancellation_errors(draft, ACTIVE, BORN, TODAY)[0].message


def test_expiry_as_a_reason_only_when_every_specialty_has_expired() -> None:
    assert cancel(CancellationReason.REGISTRATION_EXPIRED) == [("reason", ErrorCode.REASON_NOT_APPLICABLE)]
    expired = HeldRegistration(RegistrationStatus.ACTIVE, (date(2026, 5, 31), date(2026, 1, 1)))
    assert cancel(CancellationReason.REGISTRATION_EXPIRED, held=expired) == []


def test_other_cancellation_needs_a_note_and_all_errors_come_at_once() -> None:
    assert cancel(CancellationReason.OTHER, note=" \u200b\u3000") == [("note", ErrorCode.REQUIRED)]
    assert cancel(CancellationReason.AGE_LIMIT, note="长" * 201) == [
        ("reason", ErrorCode.REASON_NOT_APPLICABLE),
        ("note", ErrorCode.TEXT_TOO_LONG),
    ]
    draft = CancellationDraft(CancellationReason.OTHER, "长" * 201)
    assert "200字" in cancellation_errors(draft, ACTIVE, BORN, TODAY)[0].message
    assert cancel(CancellationReason.OTHER, note="长" * 200) == []


def test_replacement_reason_text_required_for_other_and_bounded() -> None:
    assert replacement_details(ReplacementDraft(ReplacementReason.LOST))["reason_label"] == "遗失"
    damaged = ReplacementDraft(ReplacementReason.DAMAGED, " 水 浸 ")
    assert replacement_errors(damaged, ACTIVE) == []
    assert replacement_details(damaged)["reason_text"] == "水 浸"
    for blank in (None, "", "   ", "\u200b\ufeff", "\u3000"):
        errors = replacement_errors(ReplacementDraft(ReplacementReason.OTHER, blank), ACTIVE)
        assert codes(errors) == [("reason_text", ErrorCode.REQUIRED)]
    longest = ReplacementDraft(ReplacementReason.OTHER, "证" * 200)
    assert replacement_errors(longest, ACTIVE) == []
    assert replacement_details(longest)["commitment_version"]
    for long_text in ("证" * 201, "证" * 100_000):
        errors = replacement_errors(ReplacementDraft(ReplacementReason.OTHER, long_text), ACTIVE)
        assert codes(errors) == [("reason_text", ErrorCode.TEXT_TOO_LONG)]


def test_free_text_drops_invisible_and_control_characters() -> None:
    assert clean_text("a\u200bb\x00c\u202e\n d\u3000\u3000e") == "abc d e"


# Personal-info change

VERIFIED_AT = datetime(2026, 5, 1, tzinfo=UTC)
ME = CurrentIdentity(real_name="张三", id_number_digest=id_number_digest(VALID_ID))
NEW = VERIFIED_AT + timedelta(days=1)
CARDS = [Material(11, "ID_CARD_FRONT", True, NEW), Material(12, "ID_CARD_BACK", True, NEW)]


def change(**kwargs: object) -> PersonalInfoDraft:
    values: dict[str, object] = {"changes": (InfoField.NAME,), "new_name": "李四", "attachment_ids": (11, 12)}
    return PersonalInfoDraft(**(values | kwargs))  # type: ignore[arg-type]


def test_a_name_and_id_number_change_is_checked_and_the_number_encrypted() -> None:
    draft = change(changes=(InfoField.NAME, InfoField.ID_NUMBER), new_id_number=VALID_ID_2.lower())
    assert change_errors(draft, ME, CARDS, VERIFIED_AT) == []
    clean = clean_change(draft, ME)
    assert clean.new_name == "李四" and clean.resident is not None and clean.resident.number == VALID_ID_2
    details = details_of(clean)
    assert details["changes"] == ["NAME", "ID_NUMBER"]
    assert details["new_id_number_masked"] == "1201**********8241"
    assert VALID_ID_2 not in repr(details)
    assert keys.decrypt(details["new_id_number_cipher"]) == VALID_ID_2
    assert details["new_id_number_digest"] == id_number_digest(VALID_ID_2)


def test_a_name_only_change_keeps_no_id_number() -> None:
    details = details_of(clean_change(change(new_name="李·四"), ME))
    assert details == {"changes": ["NAME"], "new_name": "李·四", "attachment_ids": [11, 12]}


def test_every_personal_info_error_is_reported_at_once() -> None:
    draft = change(changes=(), new_name="李四", new_id_number=VALID_ID_2, attachment_ids=())
    assert codes(change_errors(draft, ME, [], None)) == [
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
    assert codes(change_errors(change(**kwargs), ME, CARDS, VERIFIED_AT)) == [expected]
    with pytest.raises(DomainErrors):
        clean_change(change(**kwargs), ME)


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
    assert codes(change_errors(change(attachment_ids=ids), ME, found, VERIFIED_AT)) == [("attachment_ids", code)]


def test_a_handheld_photo_may_be_added_and_duplicates_collapse() -> None:
    found = [*CARDS, Material(13, "HANDHELD_ID", True, NEW)]
    assert change_errors(change(attachment_ids=(11, 12, 12, 13)), ME, found, VERIFIED_AT) == []
    assert check_materials((11, 12, 12, 13), found, VERIFIED_AT) == (11, 12, 13)
