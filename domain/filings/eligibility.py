"""Who may file at all (verified, profile complete, not banned) and the rules the kinds share: the applicant as the
rules see them (registration, qualifications, age), labour-contract dates, the enterprise, specialties."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from db.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    Enterprise,
    EnterpriseStatus,
    FilingBan,
    Person,
    Qualification,
    RegisteredSpecialty,
    Registration,
    RegistrationStatus,
)
from domain import accounts, verification
from domain.filings.specialties import specialty
from domain.kernel import clock
from domain.kernel.errors import DomainError, ErrorCode
from domain.kernel.settings import get_settings

EARLIEST_CONTRACT = date(1950, 1, 1)
MAX_CONTRACT_YEARS = 100
MAX_SPECIALTIES_GIVEN = 20  # a longer list is refused before it is looked at


@dataclass(frozen=True)
class Applicant:
    """A person as the filing rules see them, read once per check (fresh at the pre-check)."""

    person: Person
    today: date
    registration: Registration | None
    registered: dict[str, RegisteredSpecialty]  # active specialties of the registration, by code
    qualifications: dict[str, list[Qualification]]  # by specialty code, permanent ones first
    refused_before: bool  # an initial registration or re-registration was refused (不予注册)

    @property
    def active_registration(self) -> Registration | None:
        """The registration when it is ACTIVE."""
        reg = self.registration
        return reg if reg is not None and reg.status is RegistrationStatus.ACTIVE else None

    @property
    def age(self) -> int:
        """Full years of age today."""
        born = self.person.birth_date
        return self.today.year - born.year - ((self.today.month, self.today.day) < (born.month, born.day))


async def load_applicant(person: Person) -> Applicant:
    """The applicant's registration, its specialties and their qualifications (four queries)."""
    registration = await Registration.get_or_none(person_id=person.id)
    registered: dict[str, RegisteredSpecialty] = {}
    if registration is not None:
        for held in await RegisteredSpecialty.filter(registration_id=registration.id, active=True):
            registered[held.specialty_code] = held
    qualifications: dict[str, list[Qualification]] = {}
    rows = await Qualification.filter(id_number_digest=person.id_number_digest).order_by("temporary", "-issued_on")
    for row in rows:
        qualifications.setdefault(row.specialty_code, []).append(row)
    refused = await Application.exists(
        person_id=person.id,
        status=ApplicationStatus.REFUSED,
        kind__in=[ApplicationKind.INITIAL, ApplicationKind.REREGISTRATION],
    )
    return Applicant(person, clock.business_date(), registration, registered, qualifications, refused)


async def require_may_file(person: Person) -> None:
    """The gates before any rule, cheapest first: verified, profile complete, not banned."""
    await verification.require_verified(person.id)
    missing = accounts.missing_profile_fields(person)
    if missing:
        names = "、".join(accounts.PROFILE_LABELS[name] for name in missing)
        raise DomainError(ErrorCode.PROFILE_INCOMPLETE, None, f"请先完善个人基本信息（尚缺：{names}）后再申报。")
    await require_not_banned(person.id)


async def require_not_banned(person_id: int) -> None:
    """A ban set by staff (false materials 1 year, fraud 3 years) refuses every filing until it ends."""
    today = clock.business_date()
    ban = await FilingBan.filter(person_id=person_id, ends_on__gt=today).order_by("-ends_on").first()
    if ban is not None:
        message = f"您已被限制申报，{ban.ends_on.year}年{ban.ends_on.month}月{ban.ends_on.day}日前不能提交申报。"
        raise DomainError(ErrorCode.FILING_BANNED, None, message)


def age_errors(applicant: Applicant) -> list[DomainError]:
    """No registration at 65 or over (a setting)."""
    limit = get_settings().filing_max_age_years
    if applicant.age >= limit:
        return [DomainError(ErrorCode.AGE_LIMIT, None, f"年满{limit}周岁不予注册。")]
    return []


def contract_errors(today: date, start: date | None, end: date | None) -> list[DomainError]:
    """Labour-contract dates: both given, end after start, started, still running, within sane bounds."""
    errors = [
        DomainError(ErrorCode.REQUIRED, name)
        for name, value in (("contract_start", start), ("contract_end", end))
        if value is None
    ]
    if start is None or end is None:
        return errors
    latest = date(today.year + MAX_CONTRACT_YEARS, 12, 31)
    if start < EARLIEST_CONTRACT or start > today:
        errors.append(
            _contract(ErrorCode.CONTRACT_DATES_INVALID, "contract_start", "劳动合同起始日期不正确：合同须已开始履行。")
        )
    if end <= start:
        errors.append(_contract(ErrorCode.CONTRACT_DATES_INVALID, "contract_end", "劳动合同终止日期须晚于起始日期。"))
    elif end <= today or end > latest:
        errors.append(_contract(ErrorCode.CONTRACT_DATES_INVALID, "contract_end", "劳动合同已到期或终止日期不正确。"))
    return errors


def _contract(code: ErrorCode, field: str, message: str) -> DomainError:
    return DomainError(code, field, message)


async def enterprise_errors(
    enterprise_id: int | None, field: str | None = "enterprise_id"
) -> tuple[Enterprise | None, list[DomainError]]:
    """The chosen enterprise: given, known, and QUALIFIED (资质)."""
    if enterprise_id is None:
        return None, [DomainError(ErrorCode.REQUIRED, field, "请选择聘用企业。")]
    enterprise = await Enterprise.get_or_none(id=enterprise_id) if enterprise_id > 0 else None
    if enterprise is None:
        return None, [DomainError(ErrorCode.ENTERPRISE_NOT_FOUND, field)]
    if enterprise.qualification_status != EnterpriseStatus.QUALIFIED.value:
        return enterprise, [DomainError(ErrorCode.ENTERPRISE_NOT_QUALIFIED, field)]
    return enterprise, []


def specialty_codes(given: list[str], field: str = "specialty_codes") -> tuple[list[str], list[DomainError]]:
    """Known specialty codes, each once, in the order given; at least one."""
    if not given:
        return [], [DomainError(ErrorCode.REQUIRED, field, "请选择申请注册的专业。")]
    if len(given) > MAX_SPECIALTIES_GIVEN:
        return [], [DomainError(ErrorCode.INVALID_INPUT, field, f"所选专业过多（最多{MAX_SPECIALTIES_GIVEN}项）。")]
    codes = list(dict.fromkeys(code.strip() for code in given))
    unknown = [code for code in codes if specialty(code) is None]
    if unknown:
        shown = "、".join(code[:10] for code in unknown[:3])
        return [], [DomainError(ErrorCode.INVALID_INPUT, field, f"专业代码不正确：{shown}。")]
    return codes, []


def specialty_names(codes: list[str]) -> str:
    """建筑工程、市政公用工程."""
    return "、".join(s.name for code in codes if (s := specialty(code)) is not None)


def qualification_errors(applicant: Applicant, codes: list[str], field: str = "specialty_codes") -> list[DomainError]:
    """The person holds a qualification in each specialty (matched by ID number)."""
    missing = [code for code in codes if code not in applicant.qualifications]
    if not missing:
        return []
    message = f"您没有以下专业的资格记录：{specialty_names(missing)}。"
    return [DomainError(ErrorCode.NOT_QUALIFIED_IN_SPECIALTY, field, message)]


def temporary_of(
    applicant: Applicant, codes: list[str], field: str = "specialty_codes"
) -> tuple[bool, list[DomainError]]:
    """Whether the specialties are held as temporary (一级临时); a mix is refused (the two menus file apart)."""
    kinds = {applicant.qualifications[code][0].temporary for code in codes if code in applicant.qualifications}
    if len(kinds) > 1:
        return False, [DomainError(ErrorCode.TEMPORARY_MIXED, field)]
    return kinds == {True}, []


def continuing_education_errors(applicant: Applicant, codes: list[str], declared: bool) -> list[DomainError]:
    """An initial registration more than 3 years after the qualification's issue needs a CE record declared."""
    years = get_settings().filing_initial_within_years
    if declared:
        return []
    old = [
        code
        for code in codes
        if code in applicant.qualifications
        and _older_than(applicant.qualifications[code][0].issued_on, applicant.today, years)
    ]
    if not old:
        return []
    message = f"以下专业的资格证书签发已超过{years}年，须具备并申报继续教育记录：{specialty_names(old)}。"
    return [DomainError(ErrorCode.CONTINUING_EDUCATION_REQUIRED, "continuing_education", message)]


def _older_than(issued: date, today: date, years: int) -> bool:
    try:
        anniversary = issued.replace(year=issued.year + years)
    except ValueError:  # 29 February
        anniversary = issued.replace(year=issued.year + years, day=28)
    return today > anniversary


def temporary_only_errors(applicant: Applicant, only_temporary: bool, label: str) -> list[DomainError]:
    """A kind open to temporary Level-1 holders only (a policy setting)."""
    reg = applicant.active_registration
    if only_temporary and reg is not None and not reg.temporary:
        return [DomainError(ErrorCode.KIND_NOT_OPEN, None, f"{label}目前仅对一级临时建造师开放。")]
    return []


def active_registration_errors(applicant: Applicant) -> list[DomainError]:
    """Kinds that change a registration need an ACTIVE one."""
    return [] if applicant.active_registration is not None else [DomainError(ErrorCode.NOT_REGISTERED)]
