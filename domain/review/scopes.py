"""Whose filings each staff user reviews (the rule is `domain.kernel.access.application_in_scope`): a filing outside
the scope answers NOT_FOUND exactly as a missing one, so an id tells nothing about other companies' employees."""

from __future__ import annotations

from db.models import Application, ApplicationStatus
from domain import filings
from domain.kernel import access
from domain.kernel.actors import Actor
from domain.kernel.errors import DomainError, ErrorCode

NOT_FOUND_TEXT = "未找到该申报。"


async def find_in_scope(actor: Actor, application_id: int | None) -> Application:
    """The filing if the actor's review scope holds it; NOT_FOUND alike for a missing id and one out of scope."""
    application = await Application.get_or_none(id=application_id) if application_id else None
    if application is None or not access.application_in_scope(actor, application):
        raise DomainError(ErrorCode.NOT_FOUND, "id", NOT_FOUND_TEXT)
    return application


def acts_on_current_specialty(actor: Actor, application: Application) -> bool:
    """At specialty review, the specialty under review now (one at a time, in code order) is one of the actor's."""
    if application.status is not ApplicationStatus.SPECIALTY_REVIEW:
        return True
    pending = filings.pending_specialty_reviews(application)
    return bool(pending) and pending[0] in actor.specialty_codes
