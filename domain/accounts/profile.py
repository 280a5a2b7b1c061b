"""The profile (完善个人基本信息): validated fields, all errors at once, and when it counts as complete."""

from __future__ import annotations

from dataclasses import dataclass

from db.models import Person
from domain.accounts.identifiers import normalize_email
from domain.accounts.profile_options import ETHNIC_GROUPS, Degree, Education
from domain.kernel.actors import Actor, RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.errors import DomainError, DomainErrors, ErrorCode
from domain.trail import TrailAction, business_step

SCHOOL_MAX_LENGTH = 100
PROFILE_LABELS = {"ethnicity": "民族", "email": "电子邮箱", "education": "学历", "degree": "学位", "school": "毕业院校"}


def missing_profile_fields(person: object) -> list[str]:
    """The profile fields a person (a row or any object with those attributes) has not filled in yet."""
    return [name for name in PROFILE_LABELS if getattr(person, name) is None]


def profile_complete(person: object) -> bool:
    """Filings need every profile field."""
    return not missing_profile_fields(person)


@dataclass(frozen=True)
class ProfileChanges:
    """Fields of 完善个人基本信息; None leaves a field as it is."""

    ethnicity: str | None = None
    email: str | None = None
    education: Education | None = None
    degree: Degree | None = None
    school: str | None = None


def clean_profile(changes: ProfileChanges) -> dict[str, str]:
    """Validated column values; every invalid field reported at once."""
    values: dict[str, str] = {}
    errors: list[DomainError] = []
    if changes.ethnicity is not None:
        if changes.ethnicity.strip() in ETHNIC_GROUPS:
            values["ethnicity"] = changes.ethnicity.strip()
        else:
            errors.append(DomainError(ErrorCode.INVALID_INPUT, "ethnicity", "民族须为国家标准所列56个民族之一。"))
    if changes.email is not None:
        try:
            values["email"] = normalize_email(changes.email)
        except DomainError as exc:
            errors.append(exc)
    if changes.school is not None:
        school = " ".join(changes.school.split())
        if 2 <= len(school) <= SCHOOL_MAX_LENGTH and school.isprintable():
            values["school"] = school
        else:
            errors.append(DomainError(ErrorCode.INVALID_INPUT, "school", "毕业院校名称应为2至100个字符。"))
    if changes.education is not None:
        values["education"] = changes.education.value
    if changes.degree is not None:
        values["degree"] = changes.degree.value
    if errors:
        raise DomainErrors(errors)
    return values


async def update_profile(deps: Deps, actor: Actor, changes: ProfileChanges, meta: RequestMeta) -> Person:
    """Save the profile fields that were sent."""
    values = clean_profile(changes)
    async with business_step(deps, meta) as step:
        person = await Person.get(id=actor.id)
        if values:
            person.update_from_dict(values)
            await person.save(update_fields=list(values))
            changed = "、".join(PROFILE_LABELS[name] for name in values)
            await step.trail(actor.id, TrailAction.PROFILE_UPDATED, f"修改个人基本信息：{changed}")
    return person
