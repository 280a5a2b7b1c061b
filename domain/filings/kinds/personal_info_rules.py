"""个人信息修改 (personal-info change), its rules as pure functions: a new name and/or ID number, validated and new,
with new ID-card images; the new ID number kept encrypted like the person's own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, ClassVar

from db.models import ApplicationKind
from domain.accounts import ResidentId, id_number_digest, normalize_name, parse_id_number
from domain.kernel import keys
from domain.kernel.errors import DomainError, DomainErrors, ErrorCode

MAX_ATTACHMENTS = 10
REQUIRED_MATERIALS = ("ID_CARD_FRONT", "ID_CARD_BACK")
ALLOWED_MATERIALS = (*REQUIRED_MATERIALS, "HANDHELD_ID")


class InfoField(str, Enum):
    """What a personal-info change changes."""

    NAME = "NAME"
    ID_NUMBER = "ID_NUMBER"


@dataclass(frozen=True)
class PersonalInfoDraft:
    """个人信息修改: the boxes ticked, the new values, the ID-card images uploaded for it (attachment ids)."""

    kind: ClassVar[ApplicationKind] = ApplicationKind.PERSONAL_INFO_CHANGE
    changes: tuple[InfoField, ...]
    new_name: str | None = None
    new_id_number: str | None = None
    attachment_ids: tuple[int, ...] = ()
    # Rebuilt from a stored filing (the pre-check). Only then is the number looked up among other accounts: the
    # filing's SMS code is used up by then, so nobody can probe ID numbers for free with refused filings.
    stored: bool = False


@dataclass(frozen=True)
class CurrentIdentity:
    """The person as they are: their name and the digest of their ID number."""

    real_name: str
    id_number_digest: str


@dataclass(frozen=True)
class Material:
    """One of the person's attachments named by the change."""

    id: int
    kind: str
    current: bool
    uploaded_at: datetime


@dataclass(frozen=True)
class CleanChange:
    """A checked change: the new name, the new ID number, the attachments it rests on."""

    new_name: str | None
    resident: ResidentId | None
    attachment_ids: tuple[int, ...]


def _new_name(change: PersonalInfoDraft, current: CurrentIdentity) -> str | None:
    if InfoField.NAME not in change.changes:
        if change.new_name:
            raise DomainError(ErrorCode.INVALID_INPUT, "new_name", "未勾选修改姓名，请勿填写新姓名。")
        return None
    if not change.new_name or not change.new_name.strip():
        raise DomainError(ErrorCode.INVALID_NAME, "new_name", "请填写新的姓名。")
    try:
        name = normalize_name(change.new_name[:200])
    except DomainError as exc:
        raise DomainError(exc.code, "new_name", exc.message) from exc
    if name == current.real_name:
        raise DomainError(ErrorCode.INFO_UNCHANGED, "new_name", "新姓名与当前姓名相同。")
    return name


def _new_resident(change: PersonalInfoDraft, current: CurrentIdentity) -> ResidentId | None:
    if InfoField.ID_NUMBER not in change.changes:
        if change.new_id_number:
            raise DomainError(ErrorCode.INVALID_INPUT, "new_id_number", "未勾选修改证件号码，请勿填写新证件号码。")
        return None
    if not change.new_id_number or not change.new_id_number.strip():
        raise DomainError(ErrorCode.INVALID_ID_NUMBER, "new_id_number", "请填写新的证件号码。")
    resident = parse_id_number(change.new_id_number[:200], "new_id_number")
    if id_number_digest(resident.number) == current.id_number_digest:
        raise DomainError(ErrorCode.INFO_UNCHANGED, "new_id_number", "新证件号码与当前证件号码相同。")
    return resident


def check_materials(ids: tuple[int, ...], found: list[Material], verified_at: datetime | None) -> tuple[int, ...]:
    """The ID-card images: the person's own current ones, uploaded after their real-name verification passed (so
    they show the new card), front and back both; a handheld photo may be added."""
    wanted = tuple(dict.fromkeys(ids))
    if len(wanted) > MAX_ATTACHMENTS:
        raise DomainError(ErrorCode.INVALID_INPUT, "attachment_ids", f"附件不能超过{MAX_ATTACHMENTS}个。")
    by_id = {m.id: m for m in found}
    if any(i not in by_id for i in wanted):
        raise DomainError(ErrorCode.NOT_FOUND, "attachment_ids", "附件不存在。")
    chosen = [by_id[i] for i in wanted]
    if any(m.kind not in ALLOWED_MATERIALS for m in chosen):
        message = "只能提交身份证人像面、国徽面和手持身份证半身照。"
        raise DomainError(ErrorCode.INVALID_INPUT, "attachment_ids", message)
    fresh = {m.kind for m in chosen if m.current and (verified_at is None or m.uploaded_at > verified_at)}
    if not set(REQUIRED_MATERIALS) <= fresh:
        raise DomainError(ErrorCode.MATERIALS_REQUIRED, "attachment_ids")
    return wanted


def change_errors(
    change: PersonalInfoDraft, current: CurrentIdentity, found: list[Material], verified_at: datetime | None
) -> list[DomainError]:
    """Every refusal at once: no box ticked, a ticked value invalid or unchanged (or a value without its box), the
    new ID-card images missing."""
    errors: list[DomainError] = []
    if not change.changes:
        errors.append(DomainError(ErrorCode.NOTHING_TO_CHANGE, "changes"))
    for check in (_new_name, _new_resident):
        try:
            check(change, current)
        except DomainError as exc:
            errors.append(exc)
    try:
        check_materials(change.attachment_ids, found, verified_at)
    except DomainError as exc:
        errors.append(exc)
    return errors


def clean_change(change: PersonalInfoDraft, current: CurrentIdentity) -> CleanChange:
    """The checked values of a change that passed `change_errors`."""
    errors = change_errors(change, current, [], None)
    if any(e.field != "attachment_ids" for e in errors):
        raise DomainErrors([e for e in errors if e.field != "attachment_ids"])
    return CleanChange(
        new_name=_new_name(change, current),
        resident=_new_resident(change, current),
        attachment_ids=tuple(dict.fromkeys(change.attachment_ids)),
    )


def details_of(clean: CleanChange) -> dict[str, Any]:
    """The application's `details`: the new ID number encrypted (as the person's is), its digest and mask."""
    changes = [InfoField.NAME.value] if clean.new_name is not None else []
    changes += [InfoField.ID_NUMBER.value] if clean.resident is not None else []
    details: dict[str, Any] = {
        "changes": changes,
        "new_name": clean.new_name,
        "attachment_ids": list(clean.attachment_ids),
    }
    if clean.resident is not None:
        details |= {
            "new_id_number_cipher": keys.encrypt(clean.resident.number),
            "new_id_number_digest": id_number_digest(clean.resident.number),
            "new_id_number_masked": clean.resident.masked,
        }
    return details
