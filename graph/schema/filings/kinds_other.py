"""Cancellation, certificate replacement, personal-info change and resubmission: their enums, inputs (each filing
with acceptTerms and smsCode), what the progress query shows of each (`Application.details`) and the pending
personal-info change a person sees (`Person.pendingInfoChange`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

from domain import filings
from domain.filings import CancellationReason, InfoField, ReplacementReason
from graph.schema.common import UserError, described_enum, errors_field

if TYPE_CHECKING:
    from graph.schema.filings.applications import Application

MAX_IDS_PASSED = 11  # one over the domain's cap, so a longer list is refused there, with its message

described_enum(
    CancellationReason,
    "注销原因（《注册建造师管理规定》第十六条、第十七条）/ Why the registration is cancelled (articles 16 and 17).",
    {
        reason.name: f"{filings.CANCELLATION_REASON_LABELS[reason]} / {english}"
        for reason, english in {
            CancellationReason.ENTERPRISE_BANKRUPT: "The employer went bankrupt.",
            CancellationReason.ENTERPRISE_LICENCE_REVOKED: "The employer's business licence was revoked.",
            CancellationReason.ENTERPRISE_QUALIFICATION_REVOKED: "The employer's qualification was revoked.",
            CancellationReason.CONTRACT_ENDED: "The labour contract with the employer ended.",
            CancellationReason.REGISTRATION_EXPIRED: "Expired without renewal (every specialty past its expiry).",
            CancellationReason.AGE_LIMIT: "Aged 65 or over.",
            CancellationReason.INCAPACITY: "No longer of full civil capacity.",
            CancellationReason.REGISTRATION_REVOKED: "The registration was revoked by law.",
            CancellationReason.CERTIFICATE_REVOKED: "The registration certificate was revoked by law.",
            CancellationReason.CRIMINAL_PENALTY: "A criminal penalty.",
            CancellationReason.OTHER: "Another case provided by law (explain in the note).",
        }.items()
    },
)
described_enum(
    ReplacementReason,
    "证书更换原因 / Why the certificate is replaced.",
    {
        "LOST": "遗失 / Lost.",
        "DAMAGED": "污损 / Damaged.",
        "OTHER": "其他（须填写原因）/ Other (explain in reasonText).",
    },
)
described_enum(
    InfoField,
    "个人信息修改项 / What a personal-information change changes.",
    {"NAME": "姓名 / Name.", "ID_NUMBER": "证件号码 / ID number."},
)

ACCEPT_TERMS = (
    "同意注册须知及个人承诺（须为 true）/ Accept the registration notice and personal commitment (must be true)."
)
SMS_CODE = (
    "发送到本人手机、用于该类申报的短信验证码 / The SMS code for this kind of filing, sent to the person's mobile."
)
ATTACHMENT_IDS = (
    "新身份证人像面、国徽面（实名认证后重新上传的当前附件；可加手持身份证半身照，最多10个）/ The new ID card's "
    "front and back, uploaded after the real-name verification (current attachments; a handheld photo may be added; "
    "at most 10)."
)


def _db_ids(ids: list[strawberry.ID] | None, type_name: str) -> tuple[int, ...]:
    from graph.schema.filings.application_inputs import db_id

    return tuple(db_id(i, type_name) or 0 for i in (ids or [])[:MAX_IDS_PASSED])


def _submission(draft: Any, accept_terms: bool, sms_code: str) -> filings.Submission[Any]:
    return filings.Submission(draft=draft, accept_terms=accept_terms, sms_code=sms_code)


@strawberry.input(description="注销注册 / File a cancellation.")
class FileCancellationInput:
    reason: CancellationReason = strawberry.field(description="注销原因 / The reason.")
    note: str | None = strawberry.field(
        default=None, description="原因说明（选“其他”时必填，200字以内）/ A note (required for OTHER; 200 at most)."
    )
    accept_terms: bool = strawberry.field(description=ACCEPT_TERMS)
    sms_code: str = strawberry.field(description=SMS_CODE)

    def to_domain(self) -> filings.Submission[Any]:
        return _submission(filings.CancellationDraft(self.reason, self.note), self.accept_terms, self.sms_code)


@strawberry.input(description="证书更换 / File a certificate replacement.")
class FileCertificateReplacementInput:
    reason: ReplacementReason = strawberry.field(description="更换原因 / The reason.")
    reason_text: str | None = strawberry.field(
        default=None, description="原因说明（选“其他”时必填，200字以内）/ The reason in words (required for OTHER)."
    )
    accept_terms: bool = strawberry.field(
        description="同意注册须知及个人承诺（含证书更换承诺，须为 true）/ Accept the notice and the commitment, "
        "including the replacement commitment (must be true)."
    )
    sms_code: str = strawberry.field(description=SMS_CODE)

    def to_domain(self) -> filings.Submission[Any]:
        draft = filings.ReplacementDraft(self.reason, self.reason_text)
        return _submission(draft, self.accept_terms, self.sms_code)


@strawberry.input(
    description="个人信息修改（获准后生效）/ File a personal-information change (effective once approved)."
)
class FilePersonalInfoChangeInput:
    changes: list[InfoField] = strawberry.field(description="修改项（可多选）/ What changes (one or both).")
    new_name: str | None = strawberry.field(default=None, description="新姓名 / The new name (when NAME is ticked).")
    new_id_number: str | None = strawberry.field(
        default=None, description="新证件号码（18位居民身份证号码）/ The new 18-character resident ID number."
    )
    attachment_ids: list[strawberry.ID] | None = strawberry.field(default=None, description=ATTACHMENT_IDS)
    accept_terms: bool = strawberry.field(description=ACCEPT_TERMS)
    sms_code: str = strawberry.field(description=SMS_CODE)

    def to_domain(self) -> filings.Submission[Any]:
        draft = filings.PersonalInfoDraft(
            changes=tuple(dict.fromkeys(self.changes)),
            new_name=self.new_name,
            new_id_number=self.new_id_number,
            attachment_ids=_db_ids(self.attachment_ids, "Attachment"),
        )
        return _submission(draft, self.accept_terms, self.sms_code)


@strawberry.input(
    description="补正后重新提交（每份补正通知一次）/ Resubmit after a return for correction (once per notice)."
)
class ResubmitApplicationInput:
    id: strawberry.ID = strawberry.field(description="被退回补正的申报 ID / The returned filing's global id.")
    accept_terms: bool = strawberry.field(description=ACCEPT_TERMS)
    note: str | None = strawberry.field(
        default=None, description="补正说明（500字以内）/ A note to the reviewer (500 characters at most)."
    )
    attachment_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="仅个人信息修改：重新上传的身份证图片（不填则沿用原附件）/ Personal-information change only: the "
        "ID-card images uploaded anew (null keeps those filed).",
    )

    def to_domain(self) -> filings.Resubmission:
        from graph.schema.filings.application_inputs import db_id

        ids = None if self.attachment_ids is None else _db_ids(self.attachment_ids, "Attachment")
        return filings.Resubmission(db_id(self.id, "Application"), self.accept_terms, self.note, ids)


@strawberry.type(description="注销注册的申报内容 / What a cancellation filed.")
class CancellationDetails:
    cancellation_reason: CancellationReason = strawberry.field(description="注销原因 / The reason.")
    note: str | None = strawberry.field(description="原因说明 / The note.")


@strawberry.type(description="证书更换的申报内容 / What a certificate replacement filed.")
class CertificateReplacementDetails:
    replacement_reason: ReplacementReason = strawberry.field(description="更换原因 / The reason.")
    reason_text: str | None = strawberry.field(description="原因说明 / The reason in words.")
    commitment: str = strawberry.field(description="所作的证书更换承诺 / The replacement commitment accepted.")


@strawberry.type(description="个人信息修改的申报内容 / What a personal-information change filed.")
class PersonalInfoChangeDetails:
    changes: list[InfoField] = strawberry.field(description="修改项 / What changes.")
    new_name: str | None = strawberry.field(description="新姓名 / The new name.")
    new_id_number_masked: str | None = strawberry.field(description="新证件号码（脱敏）/ The new ID number, masked.")
    attachment_ids: list[relay.GlobalID] = strawberry.field(description="所附身份证图片 / The ID-card images filed.")


ApplicationDetails = Annotated[
    CancellationDetails | CertificateReplacementDetails | PersonalInfoChangeDetails,
    strawberry.union(
        "ApplicationDetails", description="该类申报特有的内容 / What is particular to the kind of filing."
    ),
]


def _text(value: Any) -> str | None:
    return str(value) if value else None


def application_details(kind: filings.ApplicationKind, details: dict[str, Any]) -> Any:
    """What the progress query shows of a filing of these kinds (None for the other kinds)."""
    if kind is filings.ApplicationKind.CANCELLATION:
        return CancellationDetails(
            cancellation_reason=CancellationReason(details["reason"]), note=_text(details.get("note"))
        )
    if kind is filings.ApplicationKind.CERTIFICATE_REPLACEMENT:
        return CertificateReplacementDetails(
            replacement_reason=ReplacementReason(details["reason"]),
            reason_text=_text(details.get("reason_text")),
            commitment=filings.REPLACEMENT_COMMITMENT_TEXT,
        )
    if kind is filings.ApplicationKind.PERSONAL_INFO_CHANGE:
        return PersonalInfoChangeDetails(
            changes=[InfoField(c) for c in details.get("changes", [])],
            new_name=details.get("new_name"),
            new_id_number_masked=details.get("new_id_number_masked"),
            attachment_ids=[relay.GlobalID("Attachment", str(i)) for i in details.get("attachment_ids", [])],
        )
    return None


@strawberry.type(description="审核中的个人信息修改 / A personal-information change under review.")
class PendingInfoChange:
    application_id: relay.GlobalID = strawberry.field(description="该申报 ID / The filing's global id.")
    status: filings.ApplicationStatus = strawberry.field(description="申报状态 / The filing's status.")
    changes: list[InfoField] = strawberry.field(description="修改项 / What changes.")
    new_name: str | None = strawberry.field(description="新姓名 / The new name.")
    new_id_number_masked: str | None = strawberry.field(description="新证件号码（脱敏）/ The new ID number, masked.")
    submitted_at: dt.datetime = strawberry.field(description="提交时间 / Submitted at (UTC).")

    @classmethod
    def of(cls, pending: filings.PendingInfoChange) -> PendingInfoChange:
        return cls(
            application_id=relay.GlobalID("Application", str(pending.application_id)),
            status=pending.status,
            changes=[InfoField(c) for c in pending.changes],
            new_name=pending.new_name,
            new_id_number_masked=pending.new_id_number_masked,
            submitted_at=pending.submitted_at,
        )


@strawberry.type(description="重新提交结果 / Result of resubmitApplication.")
class ResubmitApplicationPayload:
    errors: list[UserError] = errors_field()
    application: Annotated[Application, strawberry.lazy("graph.schema.filings.applications")] | None = strawberry.field(
        default=None, description="重新提交后的申报 / The filing, back under review."
    )
