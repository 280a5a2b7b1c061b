"""Per-request DataLoaders: a list of people answers each field with one query, not one per person."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from strawberry.dataloader import DataLoader

from domain import accounts, verification

if TYPE_CHECKING:
    from db.models import Attachment, VerificationAttempt

Value = TypeVar("Value")


def by_person(batch: Callable[[list[int]], Awaitable[Mapping[int, Value]]]) -> DataLoader[int, Value]:
    """A loader over a domain batch function keyed by person id (values in the order asked)."""

    async def load(person_ids: Sequence[int]) -> list[Value]:
        found = await batch(list(person_ids))
        return [found[person_id] for person_id in person_ids]

    return DataLoader(load_fn=load)


@dataclass
class Loaders:
    """One set per request: a loader caches what it read for the rest of the request only."""

    verification: DataLoader[int, VerificationAttempt | None] = field(
        default_factory=lambda: by_person(verification.current_for_people)
    )
    attachments: DataLoader[int, list[Attachment]] = field(
        default_factory=lambda: by_person(accounts.current_attachments_for_people)
    )

    def clear(self) -> None:
        """Forget what was read (after a mutation changed it)."""
        self.verification.clear_all()
        self.attachments.clear_all()
