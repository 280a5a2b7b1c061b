"""Per-request DataLoaders: a list of people answers each field with one query, not one per person."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from strawberry.dataloader import DataLoader

from domain import accounts, filings, verification
from domain.kernel.access import people_visible_to

if TYPE_CHECKING:
    from db.models import ApplicationStep, Attachment, Enterprise, Qualification, VerificationAttempt
    from domain.kernel.actors import Actor

Value = TypeVar("Value")


def by_person(
    actor: Actor | None, batch: Callable[[list[int]], Awaitable[Mapping[int, Value]]], hidden: Callable[[], Value]
) -> DataLoader[int, Value]:
    """A loader over a domain batch function keyed by person id (values in the order asked); a person the actor may
    not see (`access.people_visible_to`, as node(id:) and the file route) gets `hidden()`."""

    async def load(person_ids: Sequence[int]) -> list[Value]:
        visible = await people_visible_to(actor, person_ids)
        found = await batch(sorted(visible)) if visible else {}
        return [found[person_id] if person_id in visible else hidden() for person_id in person_ids]

    return DataLoader(load_fn=load)


def by_key(
    batch: Callable[[list[int]], Awaitable[Mapping[int, Value]]], missing: Callable[[], Value]
) -> DataLoader[int, Value]:
    """A loader over a domain batch function keyed by id, for rows whose access was checked before (the steps of
    filings the actor was shown) or that everyone may see (enterprises)."""

    async def load(keys: Sequence[int]) -> list[Value]:
        found = await batch(sorted(set(keys)))
        return [found[key] if key in found else missing() for key in keys]

    return DataLoader(load_fn=load)


@dataclass
class Loaders:
    """One set per request, for its actor: a loader caches what it read for the rest of the request only."""

    actor: Actor | None = None
    verification: DataLoader[int, VerificationAttempt | None] = field(init=False)
    attachments: DataLoader[int, list[Attachment]] = field(init=False)
    qualifications: DataLoader[int, list[Qualification]] = field(init=False)
    application_steps: DataLoader[int, list[ApplicationStep]] = field(init=False)
    enterprises: DataLoader[int, Enterprise | None] = field(init=False)
    pending_info_changes: DataLoader[int, filings.PendingInfoChange | None] = field(init=False)

    def __post_init__(self) -> None:
        self.verification = by_person(self.actor, verification.current_for_people, lambda: None)
        self.attachments = by_person(self.actor, accounts.current_attachments_for_people, list)
        self.qualifications = by_person(self.actor, filings.qualifications_for_people, list)
        self.application_steps = by_key(filings.steps_of, list)
        self.enterprises = by_key(filings.enterprises_by_ids, lambda: None)
        self.pending_info_changes = by_person(self.actor, filings.pending_info_changes_for, lambda: None)

    def clear(self) -> None:
        """Forget what was read (after a mutation changed it)."""
        self.verification.clear_all()
        self.attachments.clear_all()
        self.qualifications.clear_all()
        self.application_steps.clear_all()
        self.enterprises.clear_all()
        self.pending_info_changes.clear_all()
