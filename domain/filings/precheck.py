"""The automatic pre-check's rules (系统预审): a filing's rules run again on fresh data. The job that applies them
(first review stage, or REFUSED with every reason listed on the step) is domain.review's `precheck`, which adds
the reviewer's findings and the automatic confirmation policy."""

from __future__ import annotations

from db.models import Application, ApplicationStatus, Person
from domain.filings.drafts import handler_for
from domain.filings.eligibility import load_applicant, require_may_file
from domain.filings.reviewer_only import reviewer_part
from domain.kernel.errors import DomainError

NEXT_STAGE_TEXT = {
    ApplicationStatus.ENTERPRISE_CONFIRMATION: "待聘用企业确认",
    ApplicationStatus.SPECIALTY_REVIEW: "待专业部门审查",
    ApplicationStatus.MINISTRY_REVIEW: "待住房和城乡建设部审查",
}


async def findings(application: Application) -> list[DomainError]:
    """Every reason the filing cannot go on, read now (gates and the kind's rules; an empty list passes)."""
    person = await Person.get(id=application.person_id)  # type: ignore[attr-defined]
    try:
        await require_may_file(person)
    except DomainError as exc:
        return [exc]
    handler = handler_for(application.kind)
    return await handler.check(await load_applicant(person), handler.from_row(application))


def reason_items(errors: list[DomainError]) -> list[dict[str, str]]:
    """The step's items: each reason with its code (and field when it has one); a reviewer-only reason adds its
    real code and message under keys the filer's view leaves out."""
    return [
        {"code": e.code.value, "message": e.message, **({"field": e.field} if e.field else {}), **reviewer_part(e)}
        for e in errors
    ]
