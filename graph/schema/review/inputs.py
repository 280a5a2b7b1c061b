"""Inputs and payloads of the staff mutations: confirmApplication, returnApplication, reviewApplication,
createStaffUser. Ids are global ids (a malformed one, or one of another type, answers NOT_FOUND in `errors`)."""

from __future__ import annotations

from enum import Enum

import strawberry

from domain import accounts, filings, review
from domain.accounts import StaffRole
from graph.schema.accounts.types import StaffUser
from graph.schema.common import UserError, errors_field
from graph.schema.filings.application_inputs import db_id
from graph.schema.filings.applications import Application

MAX_ITEMS_READ = 100  # more than the domain's 30: it answers with its own coded error
MAX_CODES_READ = 20


@strawberry.enum(description="审查结论 / A reviewer's decision.")
class ReviewDecision(Enum):
    APPROVE = strawberry.enum_value(
        "APPROVE",
        description="通过（专业部门：本专业审查通过；住建部：准予注册）/ Pass (specialty ministry: this specialty; "
        "ministry: approve).",
    )
    REJECT = strawberry.enum_value("REJECT", description="不予注册（须填写理由）/ Refuse (a comment is required).")
    RETURN = strawberry.enum_value("RETURN", description="退回补正（须列明补正事项）/ Return for correction (items).")


ACTIONS = {
    ReviewDecision.APPROVE: review.Action.APPROVE,
    ReviewDecision.REJECT: review.Action.REJECT,
    ReviewDecision.RETURN: review.Action.RETURN,
}
ID_TEXT = "申报 ID / The filing's global id."
COMMENT_TEXT = "意见（500字以内）/ Comment (500 characters at most)."


@strawberry.input(description="补正事项 / An item to correct.")
class CorrectionItemInput:
    code: str = strawberry.field(description="代码（大写字母、数字、下划线）/ Code, e.g. ID_CARD_UNCLEAR.")
    message: str = strawberry.field(description="须补正的内容（中文）/ What to correct, in Chinese.")
    field: str | None = strawberry.field(default=None, description="相关的申报字段 / The filing's field, if any.")

    def to_domain(self) -> filings.CorrectionItem:
        return filings.CorrectionItem(self.code[:100], self.message[:2000], self.field[:100] if self.field else None)


def _items(items: list[CorrectionItemInput] | None) -> tuple[filings.CorrectionItem, ...]:
    return tuple(item.to_domain() for item in (items or [])[:MAX_ITEMS_READ])


@strawberry.input(description="聘用企业确认申报 / The employer confirms a filing.")
class ConfirmApplicationInput:
    id: strawberry.ID = strawberry.field(description=ID_TEXT)
    comment: str | None = strawberry.field(default=None, description=COMMENT_TEXT)

    def to_domain(self) -> review.Decision:
        return review.Decision(db_id(self.id, "Application"), review.Action.CONFIRM, self.comment)


@strawberry.input(description="退回补正（一次列明全部事项）/ Return a filing with everything to correct.")
class ReturnApplicationInput:
    id: strawberry.ID = strawberry.field(description=ID_TEXT)
    items: list[CorrectionItemInput] = strawberry.field(description="补正事项（1至30项）/ Items, 1 to 30.")
    comment: str | None = strawberry.field(default=None, description=COMMENT_TEXT)

    def to_domain(self) -> review.Decision:
        return review.Decision(db_id(self.id, "Application"), review.Action.RETURN, self.comment, _items(self.items))


@strawberry.input(description="专业部门或住建部的审查结论 / A specialty ministry's or the ministry's decision.")
class ReviewApplicationInput:
    id: strawberry.ID = strawberry.field(description=ID_TEXT)
    decision: ReviewDecision = strawberry.field(description="结论 / The decision.")
    comment: str | None = strawberry.field(
        default=None, description="意见；不予注册时必填 / Comment; required to refuse."
    )
    items: list[CorrectionItemInput] | None = strawberry.field(
        default=None, description="补正事项（退回补正时必填）/ Items to correct (RETURN only, required there)."
    )
    false_materials: bool = strawberry.field(
        default=False,
        description="认定提供虚假材料（仅住建部不予注册时）：一年内不得申报 / False materials (the ministry's REJECT "
        "only): no filing for one year.",
    )

    def to_domain(self) -> review.Decision:
        action = ACTIONS[self.decision]
        application_id = db_id(self.id, "Application")
        return review.Decision(application_id, action, self.comment, _items(self.items), self.false_materials)


@strawberry.input(description="创建工作人员账号（管理员）/ Create a staff account (administrators).")
class CreateStaffUserInput:
    username: str = strawberry.field(description="用户名（3–50位小写字母、数字、._-）/ Username.")
    display_name: str | None = strawberry.field(default=None, description="姓名 / Display name.")
    role: StaffRole = strawberry.field(description="角色 / Role.")
    enterprise_id: strawberry.ID | None = strawberry.field(
        default=None, description="所属企业（ENTERPRISE 必填）/ The enterprise (ENTERPRISE role: required)."
    )
    province_code: str | None = strawberry.field(
        default=None, description="省级行政区划代码（PROVINCE 必填）/ Province code (PROVINCE role: required)."
    )
    specialty_codes: list[str] | None = strawberry.field(
        default=None,
        description="所审查的专业（SPECIALTY_MINISTRY 必填，仅经专业部门审查的专业）/ Specialties reviewed "
        "(SPECIALTY_MINISTRY: required; only those a specialty ministry reviews).",
    )
    mobile: str | None = strawberry.field(default=None, description="手机号码（通知用）/ Mobile, for notices.")

    def to_domain(self) -> accounts.NewStaff:
        codes = None if self.specialty_codes is None else tuple(c[:10] for c in self.specialty_codes[:MAX_CODES_READ])
        return accounts.NewStaff(
            username=self.username[:100],
            role=self.role.value,
            display_name=(self.display_name or "")[:100],
            province_code=self.province_code[:10] if self.province_code is not None else None,
            enterprise_id=db_id(self.enterprise_id, "Enterprise"),
            specialty_codes=codes,
            mobile=self.mobile[:40] if self.mobile is not None else None,
        )


@strawberry.type(description="聘用企业确认结果 / Result of confirmApplication.")
class ConfirmApplicationPayload:
    errors: list[UserError] = errors_field()
    application: Application | None = strawberry.field(default=None, description="确认后的申报 / The filing after it.")


@strawberry.type(description="退回补正结果 / Result of returnApplication.")
class ReturnApplicationPayload:
    errors: list[UserError] = errors_field()
    application: Application | None = strawberry.field(default=None, description="退回后的申报 / The filing after it.")


@strawberry.type(description="审查结论结果 / Result of reviewApplication.")
class ReviewApplicationPayload:
    errors: list[UserError] = errors_field()
    application: Application | None = strawberry.field(default=None, description="审查后的申报 / The filing after it.")


DecisionPayload = ConfirmApplicationPayload | ReturnApplicationPayload | ReviewApplicationPayload


@strawberry.type(description="创建工作人员结果 / Result of createStaffUser.")
class CreateStaffUserPayload:
    errors: list[UserError] = errors_field()
    staff_user: StaffUser | None = strawberry.field(default=None, description="新账号 / The new account.")
    password: str | None = strawberry.field(
        default=None,
        description="初始密码（只在此返回一次，不会再次显示）/ The generated password, returned this once only.",
    )
