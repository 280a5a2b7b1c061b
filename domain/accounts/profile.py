"""The profile (完善个人基本信息): validated fields, all errors at once, and when it counts as complete."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from db.models import Person
from domain.accounts.identifiers import normalize_email
from domain.accounts.nationalities import normalize_nationality
from domain.accounts.profile_options import ETHNIC_GROUPS, Degree, Education, degree_fits, degree_rule
from domain.kernel.actors import Actor, RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.errors import DomainError, DomainErrors, ErrorCode
from domain.trail import TrailAction, business_step

SCHOOL_MAX_LENGTH = 100
PROFILE_LABELS = {
    "nationality": "国籍",
    "ethnicity": "民族",
    "email": "电子邮箱",
    "education": "学历",
    "degree": "学位",
    "school": "毕业院校",
}
# What a filing needs (DOMAIN.md, 完善个人基本信息): 民族 is an optional extra; 国籍 always has a value (default 中国).
REQUIRED_FIELDS = ("nationality", "email", "education", "degree", "school")


def missing_profile_fields(person: object) -> list[str]:
    """The required profile fields a person (a row or any object with those attributes) has not filled in yet."""
    return [name for name in REQUIRED_FIELDS if getattr(person, name, None) is None]


def profile_complete(person: object) -> bool:
    """Filings need every required profile field."""
    return not missing_profile_fields(person)


@dataclass(frozen=True)
class ProfileChanges:
    """Fields of 完善个人基本信息; None leaves a field as it is."""

    nationality: str | None = None
    ethnicity: str | None = None
    email: str | None = None
    education: Education | None = None
    degree: Degree | None = None
    school: str | None = None


def _ethnicity(raw: str) -> str:
    if raw.strip() not in ETHNIC_GROUPS:
        raise DomainError(ErrorCode.INVALID_INPUT, "ethnicity", "民族须为国家标准所列56个民族之一。")
    return raw.strip()


def _school(raw: str) -> str:
    school = " ".join(raw.split())
    if not (2 <= len(school) <= SCHOOL_MAX_LENGTH and school.isprintable()):
        raise DomainError(ErrorCode.INVALID_INPUT, "school", "毕业院校名称应为2至100个字符。")
    return school


def _member(raw: Education | Degree) -> str:
    return str(raw.value)


# Each field's check, in the form's order: the column value, or a DomainError naming the field.
_CLEANERS: dict[str, Callable[[Any], str]] = {
    "nationality": normalize_nationality,
    "ethnicity": _ethnicity,
    "email": normalize_email,
    "education": _member,
    "degree": _member,
    "school": _school,
}


def clean_profile(changes: ProfileChanges) -> tuple[dict[str, str], list[DomainError]]:
    """Validated column values of the fields sent, and the errors of the invalid ones (all of them)."""
    values: dict[str, str] = {}
    errors: list[DomainError] = []
    for name, clean in _CLEANERS.items():
        raw = getattr(changes, name)
        if raw is None:
            continue
        try:
            values[name] = clean(raw)
        except DomainError as exc:
            errors.append(exc)
    return values, errors


def degree_error(education: Education | None, degree: Degree | None) -> DomainError | None:
    """DEGREE_MISMATCH on `degree` when the two do not go together (the rule named in the message)."""
    if degree is None or education is None or degree_fits(education, degree):
        return None
    message = f"学位与学历不符：{degree_rule(degree)}，当前学历为{education.value}。"
    return DomainError(ErrorCode.DEGREE_MISMATCH, "degree", message)


def _after_change(person: Person, values: dict[str, str]) -> tuple[Education | None, Degree | None]:
    """Education and degree as they would be saved: the values sent, else the stored ones."""
    education = values.get("education", person.education)
    degree = values.get("degree", person.degree)
    return (Education(education) if education else None, Degree(degree) if degree else None)


async def update_profile(deps: Deps, actor: Actor, changes: ProfileChanges, meta: RequestMeta) -> Person:
    """Save the profile fields that were sent. Education and degree are checked together as they would be saved
    (the stored value stands for the one not sent), on the row locked for this step, so two concurrent changes
    cannot combine into a pair that neither would have been allowed to write."""
    values, errors = clean_profile(changes)
    async with business_step(deps, meta) as step:
        person = await Person.select_for_update().get(id=actor.id)
        mismatch = degree_error(*_after_change(person, values))
        if mismatch is not None and ("education" in values or "degree" in values):
            errors.append(mismatch)
        if errors:
            raise DomainErrors(errors)
        if values:
            person.update_from_dict(values)
            await person.save(update_fields=list(values))
            changed = "、".join(PROFILE_LABELS[name] for name in values)
            await step.trail(actor.id, TrailAction.PROFILE_UPDATED, f"修改个人基本信息：{changed}")
    return person
