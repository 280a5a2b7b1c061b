"""Login sessions (ASVS 7.x): 256-bit random tokens stored as SHA-256, idle and absolute timeouts."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from db.models import Person, Session, StaffUser
from domain.kernel import clock
from domain.kernel.actors import Actor, ActorKind, RequestMeta
from domain.kernel.settings import get_settings

TOUCH_EVERY_S = 60  # refresh last_seen_at at most once a minute: one write per active minute, not per request
MAX_TOKEN_LENGTH = 128


@dataclass(frozen=True)
class IssuedSession:
    """A new session: the token goes to the client once and is never stored."""

    token: str
    session: Session


def token_hash(token: str) -> str:
    """What the database keeps of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token(token: str) -> str:
    """The CSRF value bound to a session token (double-submit for cookie-authenticated requests)."""
    return hashlib.sha256(b"csrf:" + token.encode()).hexdigest()[:32]


async def open_session(
    meta: RequestMeta, person: Person | None = None, staff: StaffUser | None = None
) -> IssuedSession:
    """Start a session for a person (inside the login's business step) or a staff user."""
    settings = get_settings()
    token = secrets.token_urlsafe(32)
    now = clock.now()
    session = await Session.create(
        token_hash=token_hash(token),
        person=person,
        staff=staff,
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(seconds=settings.session_absolute_s),
        ip=meta.ip,
        user_agent=meta.user_agent[:300],
    )
    return IssuedSession(token, session)


async def resolve(token: str) -> Actor | None:
    """The actor behind a token, or None when unknown, revoked, idle too long or past its absolute limit."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    session = await Session.get_or_none(token_hash=token_hash(token), revoked_at__isnull=True).prefetch_related("staff")
    return await _actor_of(session, touch=True)


async def resolve_id(session_id: int) -> Actor | None:
    """The actor of a live session by its id (a signed link names its session); never refreshes its idle time."""
    session = await Session.get_or_none(id=session_id, revoked_at__isnull=True).prefetch_related("staff")
    return await _actor_of(session, touch=False)


async def _actor_of(session: Session | None, touch: bool) -> Actor | None:
    now = clock.now()
    idle_limit = timedelta(seconds=get_settings().session_idle_s)
    if session is None or now >= session.expires_at or now - session.last_seen_at >= idle_limit:
        return None
    if touch and now - session.last_seen_at >= timedelta(seconds=TOUCH_EVERY_S):
        await Session.filter(id=session.id).update(last_seen_at=now)
    if session.person_id is not None:  # type: ignore[attr-defined]
        return Actor(ActorKind.PERSON, session.person_id, session.id)  # type: ignore[attr-defined]
    staff = session.staff
    if staff is None or not staff.active:
        return None
    return Actor(
        ActorKind.STAFF,
        staff.id,
        session.id,
        role=staff.role.value,
        enterprise_id=staff.enterprise_id,  # type: ignore[attr-defined]
        province_code=staff.province_code,
        label=staff.username,
        specialty_codes=tuple(staff.specialty_codes or ()),
    )


async def revoke(session_id: int) -> None:
    """End one session (logout)."""
    await Session.filter(id=session_id, revoked_at__isnull=True).update(revoked_at=clock.now())


async def revoke_others(person_id: int, keep_session_id: int | None) -> int:
    """End every other session of a person (after a password or mobile change)."""
    query = Session.filter(person_id=person_id, revoked_at__isnull=True)
    if keep_session_id is not None:
        query = query.exclude(id=keep_session_id)
    return await query.update(revoked_at=clock.now())
