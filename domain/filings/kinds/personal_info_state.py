"""个人信息修改 after filing: what the person sees while the change is under review, and the change applied once
approved (the review issue calls `apply_personal_info_change`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from tortoise.exceptions import IntegrityError

from db.models import Application, ApplicationKind, ApplicationStatus, Person
from domain import accounts
from domain.kernel import keys
from domain.kernel.errors import DomainError, ErrorCode
from domain.trail import BusinessStep, TrailAction


@dataclass(frozen=True)
class PendingInfoChange:
    """A personal-info change under review, as the person sees it."""

    application_id: int
    status: ApplicationStatus
    changes: list[str]
    new_name: str | None
    new_id_number_masked: str | None
    submitted_at: datetime


def _pending(row: Application) -> PendingInfoChange:
    details = row.details
    return PendingInfoChange(
        application_id=row.id,
        status=ApplicationStatus(row.status),
        changes=list(details.get("changes", [])),
        new_name=details.get("new_name"),
        new_id_number_masked=details.get("new_id_number_masked"),
        submitted_at=row.submitted_at,
    )


async def pending_info_changes_for(person_ids: Iterable[int]) -> dict[int, PendingInfoChange | None]:
    """Each person's open personal-info change, in one query (a DataLoader batch)."""
    wanted = list(person_ids)
    found: dict[int, PendingInfoChange | None] = dict.fromkeys(wanted)
    rows = await Application.filter(
        person_id__in=wanted, kind=ApplicationKind.PERSONAL_INFO_CHANGE, open_key__isnull=False
    )
    for row in rows:
        found[row.person_id] = _pending(row)  # type: ignore[attr-defined]
    return found


async def apply_personal_info_change(step: BusinessStep, application: Application) -> Person:
    """On approval (the review issue calls this inside its step): the new name and ID number become the person's,
    the number re-checked, encrypted, digested and masked as at registration. `ID_NUMBER_TAKEN` if another
    account took the number meanwhile (the unique digest decides; the step rolls back)."""
    if application.kind is not ApplicationKind.PERSONAL_INFO_CHANGE:
        raise DomainError(ErrorCode.CONFLICT)
    details = application.details
    person = await Person.get(id=application.person_id)  # type: ignore[attr-defined]
    changed: list[str] = []
    columns = ["updated_at"]
    if details.get("new_name"):
        person.real_name = details["new_name"]
        changed.append(f"姓名改为{person.real_name}")
        columns.append("real_name")
    if details.get("new_id_number_cipher"):
        resident = accounts.parse_id_number(keys.decrypt(details["new_id_number_cipher"]))
        for column, value in accounts.id_number_columns(resident).items():
            setattr(person, column, value)
            columns.append(column)
        changed.append(f"证件号码改为{resident.masked}")
    try:
        await person.save(update_fields=columns)
    except IntegrityError as exc:
        raise DomainError(ErrorCode.ID_NUMBER_TAKEN, "new_id_number") from exc
    await step.trail(person.id, TrailAction.PERSONAL_INFO_CHANGED, "个人信息修改获准：" + "，".join(changed), "系统")
    return person
