"""Filings placed straight into review queues (as the transitions leave them), and staff actors of each role."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import count
from typing import Any

from db.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    Attachment,
    AttachmentKind,
    Person,
    StaffRole,
    StaffUser,
)
from domain import filings
from domain.kernel import clock
from domain.kernel.actors import Actor, ActorKind
from tests.domain.filings.helpers import make_person

_staff = count(1)
_files = count(1)
ALL_MATERIALS = tuple(AttachmentKind)
BASE = datetime(2026, 3, 2, 1, 0, 0, tzinfo=clock.now().tzinfo)
SCOPES = {
    ApplicationStatus.ENTERPRISE_CONFIRMATION: "E",
    ApplicationStatus.SPECIALTY_REVIEW: "S",
    ApplicationStatus.MINISTRY_REVIEW: "M",
}


async def queued(
    person: Person,
    key: str,
    entered: datetime,
    deadline: date | None = None,
    kind: ApplicationKind = ApplicationKind.INITIAL,
) -> Application:
    """A filing waiting in the queue `key` since `entered`, due on `deadline` (a month later unless said)."""
    stage = ApplicationStatus(key.split("|", maxsplit=1)[0])
    now = clock.now()
    return await Application.create(
        person_id=person.id,
        kind=kind,
        status=stage,
        terms_version="2024.1",
        terms_accepted_at=now,
        submitted_at=now,
        updated_at=now,
        specialty_codes=["01"],
        queue_key=key,
        stage_entered_at=entered,
        stage_deadline_on=deadline or (entered.date() + timedelta(days=30)),
    )


def key(stage: ApplicationStatus, scope: str) -> str:
    return filings.queue_key(stage, scope)


MINISTRY = key(ApplicationStatus.MINISTRY_REVIEW, "M")


async def staff(role: StaffRole, enterprise_id: int | None = None, **columns: Any) -> Actor:
    """A staff user of the role (a row, for the specialty codes and the mobile) and its actor."""
    row = await StaffUser.create(
        username=f"staff{next(_staff)}",
        display_name="审查员",
        role=role,
        enterprise_id=enterprise_id,
        password_hash="not-a-login",
        **columns,
    )
    return Actor(ActorKind.STAFF, row.id, 0, role=role.value, enterprise_id=enterprise_id, label=row.username)


async def people(n: int) -> list[Person]:
    return [await make_person() for _ in range(n)]


def at(minutes: int) -> datetime:
    """A time `minutes` after a fixed base."""
    return BASE + timedelta(minutes=minutes)


async def attach(person: Person, kinds: tuple[AttachmentKind, ...] = ALL_MATERIALS, current: bool = True) -> None:
    for kind in kinds:
        await Attachment.create(
            person_id=person.id,
            kind=kind,
            storage_name=f"f{next(_files):08d}",
            content_type="image/jpeg",
            size_bytes=1000,
            width=295,
            height=413,
            sha256="0" * 64,
            current=current,
            created_at=clock.now(),
        )
