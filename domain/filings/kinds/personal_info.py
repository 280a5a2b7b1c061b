"""个人信息修改 (personal-info change), the kind: the facts its rules read (the images named, when the real-name
verification passed, whether another account holds the number), the row it writes, the draft rebuilt from it.
Nothing about the person changes until the change is approved (`personal_info_state`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from db.models import Application, ApplicationKind, Attachment, Person, VerificationStatus
from domain import accounts, verification
from domain.filings.drafts import ApplicationFields, KindHandler, register
from domain.filings.eligibility import Applicant
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
from domain.filings.reviewer_only import ReviewerOnlyReason
from domain.kernel import keys
from domain.kernel.errors import DomainError, DomainErrors, ErrorCode

LABEL = "个人信息修改"
TAKEN_FOR_REVIEWERS = "新证件号码已被其他账号使用（证件号码重复），请核实申请人身份。"


async def materials_named(person_id: int, ids: Iterable[int]) -> list[Material]:
    """The person's own attachments among `ids` (another person's are simply not found)."""
    wanted = [i for i in ids if 0 < i < 2**31]
    rows = await Attachment.filter(person_id=person_id, id__in=wanted) if wanted else []
    return [Material(row.id, row.kind.value, row.current, row.created_at) for row in rows]


async def verified_at(person_id: int) -> datetime | None:
    """When the person's real-name verification passed (None when it has not)."""
    attempt = (await verification.current_for_people([person_id]))[person_id]
    if attempt is None or attempt.status is not VerificationStatus.PASSED:
        return None
    return attempt.completed_at or attempt.created_at


async def id_number_taken(person_id: int, number: str) -> bool:
    """Another account holds this ID number."""
    digest = accounts.id_number_digest(number)
    return await Person.filter(id_number_digest=digest).exclude(id=person_id).exists()


def _current(person: Person) -> CurrentIdentity:
    return CurrentIdentity(real_name=person.real_name, id_number_digest=person.id_number_digest)


async def _errors(applicant: Applicant, draft: PersonalInfoDraft) -> list[DomainError]:
    person = applicant.person
    found = await materials_named(person.id, draft.attachment_ids)
    errors = change_errors(draft, _current(person), found, await verified_at(person.id))
    number_ok = InfoField.ID_NUMBER in draft.changes and not any(e.field == "new_id_number" for e in errors)
    if (
        draft.stored
        and number_ok
        and await id_number_taken(person.id, accounts.parse_id_number(draft.new_id_number or "").number)
    ):
        # The filer is not told that the number is someone else's (PIPL): a generic refusal; reviewers see why.
        generic = ErrorCode.INFO_CHANGE_NOT_ACCEPTED
        errors.append(ReviewerOnlyReason(generic, ErrorCode.ID_NUMBER_TAKEN, TAKEN_FOR_REVIEWERS))
    return errors


def _fields(applicant: Applicant, draft: PersonalInfoDraft) -> ApplicationFields:
    reg = applicant.registration
    details = details_of(clean_change(draft, _current(applicant.person)))
    return ApplicationFields(temporary=bool(reg and reg.temporary), details=details)


def _from_row(row: Application) -> PersonalInfoDraft:
    """The stored change as a draft (the pre-check): the new number decrypted in memory only."""
    details = row.details
    cipher = details.get("new_id_number_cipher")
    return PersonalInfoDraft(
        changes=tuple(InfoField(c) for c in details.get("changes", [])),
        new_name=details.get("new_name"),
        new_id_number=keys.decrypt(cipher) if cipher else None,
        attachment_ids=tuple(details.get("attachment_ids", [])),
        stored=True,
    )


HANDLER = register(
    KindHandler(
        kind=ApplicationKind.PERSONAL_INFO_CHANGE,
        label=LABEL,
        draft_type=PersonalInfoDraft,
        check=_errors,
        fields=_fields,
        from_row=_from_row,
    )
)


async def corrected_materials(application: Application, attachment_ids: tuple[int, ...]) -> dict[str, Any]:
    """补正: the filing's details with new ID-card images, checked as at filing (every other value kept)."""
    person_id: int = application.person_id  # type: ignore[attr-defined]
    found = await materials_named(person_id, attachment_ids)
    try:
        kept = check_materials(attachment_ids, found, await verified_at(person_id))
    except DomainError as exc:
        raise DomainErrors([exc]) from exc
    return application.details | {"attachment_ids": list(kept)}
