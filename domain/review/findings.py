"""审查要点: what the pre-check notes for the reviewer beside the pass or refusal, each finding with its rule and a
severity (INFO: a fact checked; WARNING: something a reviewer must look at). A filing with no WARNING is clean,
which is what the automatic confirmation policy asks for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from db.models import Application, ApplicationKind, Attachment, AttachmentKind, FilingBan, Person
from domain import filings
from domain.filings import Applicant
from domain.kernel.settings import get_settings

REGISTRATION_YEARS = 3  # 注册有效期
BAN_LOOKBACK_YEARS = 3  # a ban that ended this recently is still worth a look
CONTRACT_KINDS = frozenset(
    {
        ApplicationKind.INITIAL,
        ApplicationKind.REREGISTRATION,
        ApplicationKind.CHANGE,
        ApplicationKind.ADD_SPECIALTY,
        ApplicationKind.RENEWAL,
    }
)
QUALIFICATION_KINDS = frozenset(
    {ApplicationKind.INITIAL, ApplicationKind.REREGISTRATION, ApplicationKind.ADD_SPECIALTY}
)
MATERIALS = {
    AttachmentKind.PHOTO: "证件照",
    AttachmentKind.ID_CARD_FRONT: "身份证正面",
    AttachmentKind.ID_CARD_BACK: "身份证反面",
    AttachmentKind.HANDHELD_ID: "手持身份证半身照",
    AttachmentKind.SIGNATURE: "本人签名",
}


class FindingSeverity(str, Enum):
    """INFO: checked and noted; WARNING: the reviewer must look (and the filing is not clean)."""

    INFO = "INFO"
    WARNING = "WARNING"


@dataclass(frozen=True)
class Finding:
    """One finding: a stable code, the Chinese text, its severity and the rule it comes from."""

    code: str
    message: str
    severity: FindingSeverity
    rule: str

    def as_item(self) -> dict[str, Any]:
        """As stored in the PRECHECK step's items."""
        return {"code": self.code, "message": self.message, "severity": self.severity.value, "rule": self.rule}


def is_clean(found: list[Finding]) -> bool:
    """No WARNING: what the automatic confirmation policy asks for."""
    return all(f.severity is FindingSeverity.INFO for f in found)


def age_findings(applicant: Applicant) -> list[Finding]:
    """The age and the years left to the limit (65): WARNING when a 3-year registration would outlive it."""
    limit = get_settings().filing_max_age_years
    left = limit - applicant.age
    severity = FindingSeverity.WARNING if left < REGISTRATION_YEARS else FindingSeverity.INFO
    text = f"申请人{applicant.age}周岁，距{limit}周岁还有{max(left, 0)}年。"
    if severity is FindingSeverity.WARNING:
        text += f"注册有效期（{REGISTRATION_YEARS}年）内将年满{limit}周岁，注册届时失效。"
    return [Finding("AGE", text, severity, "age")]


def qualification_findings(application: Application, applicant: Applicant) -> list[Finding]:
    """Each specialty's qualification age; past the initial window, whether continuing education was declared."""
    if application.kind not in QUALIFICATION_KINDS:
        return []
    window = get_settings().filing_initial_within_years
    declared = bool(application.details.get("continuing_education"))
    found = []
    for code in application.specialty_codes:
        held = applicant.qualifications.get(code)
        if not held:
            continue
        years = full_years(held[0].issued_on, applicant.today)
        text = f"专业{code}的资格证书签发于{held[0].issued_on.isoformat()}，距今{years}年"
        if years < window:
            found.append(Finding("QUALIFICATION_AGE", text + "。", FindingSeverity.INFO, "qualification_age"))
        elif declared:
            found.append(
                Finding("QUALIFICATION_AGE", text + "，已申报继续教育记录。", FindingSeverity.INFO, "qualification_age")
            )
        else:
            text += f"，超过{window}年且未申报继续教育记录。"
            found.append(Finding("CONTINUING_EDUCATION_MISSING", text, FindingSeverity.WARNING, "continuing_education"))
    return found


def full_years(since: date, today: date) -> int:
    """Whole years from `since` to `today`."""
    return today.year - since.year - ((today.month, today.day) < (since.month, since.day))


async def employer_findings(application: Application, applicant: Applicant) -> list[Finding]:
    """One employer only: registered with another enterprise, or another open filing naming another one."""
    wanted = application.enterprise_id  # type: ignore[attr-defined]
    if wanted is None:
        return []
    found = []
    reg = applicant.active_registration
    if reg is not None and reg.enterprise_id != wanted and application.kind is not ApplicationKind.CHANGE:  # type: ignore[attr-defined]
        text = "申请人已在另一家企业注册，申报的聘用企业与注册企业不一致（一人只能受聘于一个单位）。"
        found.append(Finding("REGISTERED_WITH_ANOTHER_ENTERPRISE", text, FindingSeverity.WARNING, "one_employer"))
    others = await Application.filter(
        person_id=application.person_id,  # type: ignore[attr-defined]
        open_key__isnull=False,
        enterprise_id__not_isnull=True,
    ).exclude(id=application.id)
    if any(other.enterprise_id != wanted for other in others):  # type: ignore[attr-defined]
        text = "申请人另有在办申报，所填聘用企业与本申报不同。"
        found.append(Finding("OTHER_FILING_ANOTHER_ENTERPRISE", text, FindingSeverity.WARNING, "one_employer"))
    return found


async def duplicate_id_findings(application: Application, applicant: Applicant) -> list[Finding]:
    """The same ID number (digest) in another open personal-info change, or a new one already taken."""
    own = applicant.person.id_number_digest
    new = application.details.get("new_id_number_digest")
    digests = {own, *([new] if new else [])}
    found = []
    if new and await id_number_taken(new, applicant.person.id):
        text = "申报的新证件号码已被另一账户使用。"
        found.append(Finding("DUPLICATE_ID_NUMBER", text, FindingSeverity.WARNING, "duplicate_id"))
    others = (
        await Application.filter(kind=ApplicationKind.PERSONAL_INFO_CHANGE, open_key__isnull=False)
        .exclude(person_id=applicant.person.id)
        .values_list("details", flat=True)
    )
    if any(isinstance(d, dict) and d.get("new_id_number_digest") in digests for d in others):
        text = "另一申请人的在办个人信息修改申报使用了相同的证件号码。"
        found.append(Finding("DUPLICATE_ID_NUMBER_IN_FILING", text, FindingSeverity.WARNING, "duplicate_id"))
    return found


async def id_number_taken(digest: str, person_id: int) -> bool:
    """Another account holds this ID number digest."""
    return await Person.filter(id_number_digest=digest).exclude(id=person_id).exists()


async def attachment_findings(person_id: int) -> list[Finding]:
    """The five materials present (current): photo, ID card front and back, handheld photo, signature."""
    held = set(await Attachment.filter(person_id=person_id, current=True).values_list("kind", flat=True))
    kinds = {AttachmentKind(k) if not isinstance(k, AttachmentKind) else k for k in held}
    missing = [label for kind, label in MATERIALS.items() if kind not in kinds]
    if missing:
        text = "缺少附件：" + "、".join(missing) + "。"
        return [Finding("ATTACHMENTS_MISSING", text, FindingSeverity.WARNING, "attachments")]
    return [
        Finding(
            "ATTACHMENTS_COMPLETE",
            "证件照、身份证正反面、手持身份证照、签名齐全。",
            FindingSeverity.INFO,
            "attachments",
        )
    ]


def contract_findings(application: Application, applicant: Applicant) -> list[Finding]:
    """Labour-contract dates: not started yet, or ending before the registration's expiry."""
    if application.kind not in CONTRACT_KINDS or application.contract_end is None:
        return []
    found = []
    start, end = application.contract_start, application.contract_end
    if start is not None and start > applicant.today:
        text = f"劳动合同起始日期{start.isoformat()}尚未到来。"
        found.append(Finding("CONTRACT_NOT_STARTED", text, FindingSeverity.WARNING, "contract_dates"))
    expiry = registration_expiry(application, applicant)
    if expiry is not None and end < expiry:
        text = f"劳动合同于{end.isoformat()}终止，早于注册有效期届满日{expiry.isoformat()}。"
        found.append(Finding("CONTRACT_ENDS_BEFORE_EXPIRY", text, FindingSeverity.WARNING, "contract_dates"))
    return found


def registration_expiry(application: Application, applicant: Applicant) -> date | None:
    """When the registration this filing asks for would expire (the latest specialty expiry it gives)."""
    kind, today = application.kind, applicant.today
    if kind in QUALIFICATION_KINDS:
        return add_years(today, REGISTRATION_YEARS)
    held = [applicant.registered[c].expires_on for c in application.specialty_codes if c in applicant.registered]
    if kind is ApplicationKind.RENEWAL and held:
        return add_years(max(held), REGISTRATION_YEARS)
    current = [s.expires_on for s in applicant.registered.values()]
    return max(current) if current else None


def add_years(day: date, years: int) -> date:
    """The same day `years` later (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


async def ban_findings(person_id: int, today: date) -> list[Finding]:
    """A filing ban in force, or one that ended within the last three years."""
    since = add_years(today, -BAN_LOOKBACK_YEARS)
    bans = await FilingBan.filter(person_id=person_id, ends_on__gt=since).order_by("-ends_on")
    found = []
    for ban in bans:
        state = "尚在限制期内" if ban.ends_on > today else "已届满"
        text = f"申请人曾被限制申报至{ban.ends_on.isoformat()}（{ban.reason}），{state}。"
        found.append(Finding("FILING_BAN", text, FindingSeverity.WARNING, "bans"))
    return found


async def review_findings(application: Application) -> list[Finding]:
    """Every finding of the rules above, on fresh data."""
    person = await Person.get(id=application.person_id)  # type: ignore[attr-defined]
    applicant = await filings.load_applicant(person)
    return [
        *age_findings(applicant),
        *qualification_findings(application, applicant),
        *await employer_findings(application, applicant),
        *await duplicate_id_findings(application, applicant),
        *await attachment_findings(person.id),
        *contract_findings(application, applicant),
        *await ban_findings(person.id, applicant.today),
    ]
