"""How a kind of filing plugs in: its draft (the inputs of the kind), its rules (every field error at once) and the
values it writes on the Application row. Each kind module builds one `KindHandler` and `register`s it; submission,
pre-check and progress look kinds up here and know nothing else about them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from db.models import Application, ApplicationKind
from domain.kernel.errors import DomainError


class Draft(Protocol):
    """The inputs of one kind (a frozen dataclass), naming its kind."""

    kind: ClassVar[ApplicationKind]


DraftT = TypeVar("DraftT", bound=Draft)


@dataclass(frozen=True)
class Submission(Generic[DraftT]):
    """What every filing carries besides its kind's inputs: the commitment (同意注册须知及个人承诺) and the SMS code."""

    draft: DraftT
    accept_terms: bool
    sms_code: str


@dataclass(frozen=True)
class ApplicationFields:
    """What a kind writes on its Application row (the columns it uses; the rest in `details`)."""

    temporary: bool = False
    enterprise_id: int | None = None
    contract_start: date | None = None
    contract_end: date | None = None
    specialty_codes: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class KindHandler(Generic[DraftT]):
    """One kind of filing. `check(applicant, draft)` returns every refusal (an empty list passes); it runs at
    submission and again, on fresh data, at the pre-check. `fields` is called only after `check` passed;
    `from_row` rebuilds the draft from a stored application for the pre-check. The applicant is
    `domain.filings.eligibility.Applicant`, loaded once per check."""

    kind: ApplicationKind
    label: str  # the kind's Chinese name, e.g. 初始注册
    draft_type: type[DraftT]
    check: Callable[[Any, DraftT], Awaitable[list[DomainError]]]
    fields: Callable[[Any, DraftT], ApplicationFields]
    from_row: Callable[[Application], DraftT]


_HANDLERS: dict[ApplicationKind, KindHandler[Any]] = {}


def register(handler: KindHandler[Any]) -> KindHandler[Any]:
    """Plug a kind in (each kind module calls this once, at import)."""
    if handler.kind in _HANDLERS:
        raise ValueError(f"kind {handler.kind.value} is registered twice")
    if getattr(handler.draft_type, "kind", None) is not handler.kind:
        raise ValueError(f"{handler.draft_type.__name__}.kind is not {handler.kind.value}")
    _HANDLERS[handler.kind] = handler
    return handler


def handler_for(kind: ApplicationKind) -> KindHandler[Any]:
    """The handler of a kind (KeyError for a kind nobody plugged in yet)."""
    return _HANDLERS[kind]


def registered_kinds() -> list[ApplicationKind]:
    """The kinds that can be filed today."""
    return list(_HANDLERS)
