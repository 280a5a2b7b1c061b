"""Inputs and payloads of the filing mutations: one input per kind (each with acceptTerms and smsCode), withdraw.
Ids are global ids; one that is malformed or names another type becomes an id no row has, so the domain answers
with its coded error beside every other field's (never a top-level error)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry import relay

from domain import filings
from graph.schema.common import UserError, errors_field, parse_db_id
from graph.schema.filings.applications import Application

NO_SUCH_ROW = 0  # no table has id 0: the domain says "not found" for it


def db_id(global_id: strawberry.ID | None, type_name: str) -> int | None:
    """The database id inside a global id of `type_name`; None when not given, 0 when it names nothing of it."""
    if global_id is None:
        return None
    try:
        decoded = relay.GlobalID.from_id(str(global_id)[:200])
    except (ValueError, TypeError):
        return NO_SUCH_ROW
    if decoded.type_name != type_name:
        return NO_SUCH_ROW
    return parse_db_id(decoded.node_id) or NO_SUCH_ROW


def _specialties(codes: list[str] | None) -> list[str]:
    return [code[:10] for code in codes or []]


ACCEPT_TERMS = (
    "同意注册须知及个人承诺（须为 true）/ Accept the registration notice and personal commitment (must be true)."
)
SMS_CODE = (
    "发送到本人手机、用于该类申报的短信验证码 / The SMS code for this kind of filing, sent to the person's mobile."
)
ENTERPRISE = "聘用企业（enterprises 查询返回的 ID）/ The employing enterprise: an id from the enterprises query."
CONTRACT_START = "劳动合同起始日期 / Labour contract start date."
CONTRACT_END = "劳动合同终止日期（晚于起始日期，尚未到期）/ Labour contract end date: after the start, not yet passed."


def _submission(draft: Any, accept_terms: bool, sms_code: str) -> filings.Submission[Any]:
    return filings.Submission(draft=draft, accept_terms=accept_terms, sms_code=sms_code)


@strawberry.input(description="初始注册 / File an initial registration.")
class FileInitialRegistrationInput:
    enterprise_id: strawberry.ID | None = strawberry.field(default=None, description=ENTERPRISE)
    contract_start: dt.date | None = strawberry.field(default=None, description=CONTRACT_START)
    contract_end: dt.date | None = strawberry.field(default=None, description=CONTRACT_END)
    specialty_codes: list[str] | None = strawberry.field(
        default=None,
        description="申请注册的专业代码（须有该专业资格）/ Specialty codes, each one the person is qualified in.",
    )
    continuing_education: bool = strawberry.field(
        default=False,
        description="已具备继续教育记录（资格证书签发超过3年时必需）/ Declares a continuing-education record "
        "(needed when the qualification was issued more than 3 years ago).",
    )
    accept_terms: bool = strawberry.field(description=ACCEPT_TERMS)
    sms_code: str = strawberry.field(description=SMS_CODE)

    def to_domain(self) -> filings.Submission[Any]:
        draft = filings.InitialDraft(
            enterprise_id=db_id(self.enterprise_id, "Enterprise"),
            contract_start=self.contract_start,
            contract_end=self.contract_end,
            specialty_codes=_specialties(self.specialty_codes),
            continuing_education=self.continuing_education,
        )
        return _submission(draft, self.accept_terms, self.sms_code)


@strawberry.input(description="重新注册（注册被注销、失效或不予注册后）/ File a re-registration.")
class FileReregistrationInput(FileInitialRegistrationInput):
    def to_domain(self) -> filings.Submission[Any]:
        draft = filings.ReregistrationDraft(
            enterprise_id=db_id(self.enterprise_id, "Enterprise"),
            contract_start=self.contract_start,
            contract_end=self.contract_end,
            specialty_codes=_specialties(self.specialty_codes),
            continuing_education=self.continuing_education,
        )
        return _submission(draft, self.accept_terms, self.sms_code)


@strawberry.input(description="变更注册（变更聘用企业，注册有效期不变）/ File a change of employer (the expiry stays).")
class FileChangeRegistrationInput:
    enterprise_id: strawberry.ID | None = strawberry.field(default=None, description="新聘用企业 / The new employer.")
    contract_start: dt.date | None = strawberry.field(default=None, description=CONTRACT_START)
    contract_end: dt.date | None = strawberry.field(default=None, description=CONTRACT_END)
    accept_terms: bool = strawberry.field(description=ACCEPT_TERMS)
    sms_code: str = strawberry.field(description=SMS_CODE)

    def to_domain(self) -> filings.Submission[Any]:
        draft = filings.ChangeDraft(
            enterprise_id=db_id(self.enterprise_id, "Enterprise"),
            contract_start=self.contract_start,
            contract_end=self.contract_end,
        )
        return _submission(draft, self.accept_terms, self.sms_code)


@strawberry.input(description="增项注册 / File an additional specialty.")
class FileAdditionalSpecialtyInput:
    specialty_code: str | None = strawberry.field(
        default=None, description="增加的专业代码 / The specialty to add (qualified in, not yet registered)."
    )
    contract_start: dt.date | None = strawberry.field(default=None, description=CONTRACT_START)
    contract_end: dt.date | None = strawberry.field(default=None, description=CONTRACT_END)
    accept_terms: bool = strawberry.field(description=ACCEPT_TERMS)
    sms_code: str = strawberry.field(description=SMS_CODE)

    def to_domain(self) -> filings.Submission[Any]:
        draft = filings.AddSpecialtyDraft(
            specialty_code=self.specialty_code[:10] if self.specialty_code else None,
            contract_start=self.contract_start,
            contract_end=self.contract_end,
        )
        return _submission(draft, self.accept_terms, self.sms_code)


@strawberry.input(description="延续注册 / File a renewal.")
class FileRenewalInput:
    specialty_codes: list[str] | None = strawberry.field(
        default=None,
        description="延续的专业代码（有效期届满前90至30日内）/ Specialties to renew, each 90 to 30 days before expiry.",
    )
    contract_start: dt.date | None = strawberry.field(default=None, description=CONTRACT_START)
    contract_end: dt.date | None = strawberry.field(default=None, description=CONTRACT_END)
    accept_terms: bool = strawberry.field(description=ACCEPT_TERMS)
    sms_code: str = strawberry.field(description=SMS_CODE)

    def to_domain(self) -> filings.Submission[Any]:
        draft = filings.RenewalDraft(
            specialty_codes=_specialties(self.specialty_codes),
            contract_start=self.contract_start,
            contract_end=self.contract_end,
        )
        return _submission(draft, self.accept_terms, self.sms_code)


@strawberry.input(description="撤回申报（尚未办结时）/ Withdraw a filing that is not yet decided.")
class WithdrawApplicationInput:
    id: strawberry.ID = strawberry.field(description="申报 ID / The filing's global id.")

    def to_domain(self) -> filings.Withdrawal:
        return filings.Withdrawal(application_id=db_id(self.id, "Application"))


@strawberry.type(description="申报结果 / Result of a filing mutation.")
class FilingPayload:
    errors: list[UserError] = errors_field()
    application: Application | None = strawberry.field(
        default=None, description="已提交的申报（待系统预审）/ The filing as submitted (waiting for the pre-check)."
    )


@strawberry.type(description="撤回结果 / Result of withdrawApplication.")
class WithdrawApplicationPayload:
    errors: list[UserError] = errors_field()
    application: Application | None = strawberry.field(default=None, description="已撤回的申报 / The withdrawn filing.")
