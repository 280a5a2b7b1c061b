"""Types of filings and their progress: Application (a Relay node), ProgressStep, the enums, the connection."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from domain import filings
from domain.filings import ActorRole, ApplicationKind, ApplicationStatus, Stage, StepOutcome
from graph.schema.common import check_page_size, decode_cursor, described_enum, encode_cursor, nodes_in_order
from graph.schema.filings.reference import Enterprise, Specialty

if TYPE_CHECKING:
    from db import models
    from domain.kernel.actors import Actor
    from graph.schema.accounts.types import Person
    from graph.schema.filings.kinds_other import ApplicationDetails

described_enum(
    ApplicationKind,
    "申报类型 / Kind of filing.",
    {
        "INITIAL": "初始注册 / Initial registration.",
        "CHANGE": "变更注册（变更聘用企业）/ Change of employer.",
        "ADD_SPECIALTY": "增项注册 / Additional specialty.",
        "RENEWAL": "延续注册 / Renewal.",
        "CANCELLATION": "注销注册 / Cancellation.",
        "REREGISTRATION": "重新注册 / Re-registration.",
        "CERTIFICATE_REPLACEMENT": "证书更换（遗失、污损等）/ Certificate replacement.",
        "PERSONAL_INFO_CHANGE": "个人信息修改 / Personal-information change.",
    },
)
described_enum(
    ApplicationStatus,
    "申报状态 / Where a filing is.",
    {
        "SUBMITTED": "已提交，待系统预审 / Submitted, waiting for the automatic pre-check.",
        "ENTERPRISE_CONFIRMATION": "待聘用企业确认 / Waiting for the employer's confirmation.",
        "SPECIALTY_REVIEW": "专业部门审查中 / Under review by the specialty ministry.",
        "MINISTRY_REVIEW": "住建部审查中 / Under review by the ministry.",
        "RETURNED": "退回补正，待申请人重新提交 / Returned for correction; waiting for the applicant.",
        "APPROVED": "准予注册 / Approved.",
        "ANNOUNCED": "已公告 / Announced.",
        "REFUSED": "不予受理或不予注册 / Refused.",
        "WITHDRAWN": "申请人已撤回 / Withdrawn by the applicant.",
    },
)
described_enum(
    StepOutcome,
    "步骤结果 / What happened at a step.",
    {
        "PENDING": "待办理 / Waiting for someone to act.",
        "DONE": "已完成 / Done.",
        "PASSED": "通过 / Passed.",
        "RETURNED": "退回补正 / Returned for correction.",
        "REFUSED": "不予通过 / Refused.",
        "WITHDRAWN": "已撤回 / Withdrawn.",
    },
)
described_enum(
    Stage,
    "办理环节 / Stage of a step.",
    {
        "SUBMISSION": "申报提交 / Submission.",
        "PRECHECK": "系统预审 / Automatic pre-check.",
        "ENTERPRISE_CONFIRMATION": "聘用企业确认 / Employer's confirmation.",
        "SPECIALTY_REVIEW": "专业部门审查 / Specialty ministry review.",
        "MINISTRY_REVIEW": "住建部审查 / Ministry review.",
        "CORRECTION": "补正后重新提交 / Resubmission after a return for correction.",
        "ANNOUNCEMENT": "公告 / Announcement.",
        "WITHDRAWAL": "申请人撤回 / Withdrawal by the applicant.",
    },
)
described_enum(
    ActorRole,
    "办理人角色 / Who acted at a step.",
    {
        "APPLICANT": "申请人 / The applicant.",
        "SYSTEM": "系统 / The system (automatic pre-check).",
        "ENTERPRISE": "聘用企业 / The employing enterprise.",
        "SPECIALTY_MINISTRY": "国务院有关专业部门 / The specialty ministry.",
        "MINISTRY": "住房和城乡建设部 / The ministry.",
    },
)


@strawberry.type(description="步骤事项（预审理由、补正事项）/ A reason found or an item to correct.")
class ProgressItem:
    code: str = strawberry.field(description="代码 / Code, e.g. ENTERPRISE_NOT_QUALIFIED.")
    message: str = strawberry.field(description="说明（中文）/ What, in Chinese.")
    field: str | None = strawberry.field(description="相关的申报字段 / The filing's field concerned, if any.")
    reviewer_only: strawberry.Private[dict[str, str]]

    @strawberry.field(
        description="仅审查人员可见的真实理由代码（申请人看到的是笼统的理由，此处为空）/ The real reason's code, for "
        "staff only: the filer is given a generic reason and reads null here (e.g. ID_NUMBER_TAKEN)."
    )
    def reviewer_code(self, info: Info) -> str | None:
        return self.reviewer_only.get("reviewer_code") if _is_staff(info) else None

    @strawberry.field(
        description="仅审查人员可见的真实理由说明 / The real reason in Chinese, for staff only (null for the filer)."
    )
    def reviewer_message(self, info: Info) -> str | None:
        return self.reviewer_only.get("reviewer_message") if _is_staff(info) else None


def _is_staff(info: Info) -> bool:
    actor = info.context.actor
    return actor is not None and not actor.is_person


@strawberry.type(description="进度步骤 / One step of a filing's progress.")
class ProgressStep:
    application_pk: strawberry.Private[int]
    seq: int = strawberry.field(description="序号（从1起）/ Sequence number, from 1.")
    stage: Stage = strawberry.field(description="办理环节 / Stage.")
    outcome: StepOutcome = strawberry.field(description="结果 / Outcome.")
    actor_role: ActorRole = strawberry.field(description="办理人角色 / Who acted.")
    comment: str | None = strawberry.field(description="意见 / Comment.")
    items: list[ProgressItem] = strawberry.field(
        description="事项：预审不通过的理由或须补正的内容 / Reasons found by the pre-check, or items to correct."
    )
    created_at: dt.datetime = strawberry.field(description="时间（UTC）/ When (UTC).")
    deadline: dt.date | None = strawberry.field(description="办理期限 / Deadline, if any.")

    @strawberry.field(description="所属申报 / The filing's global id.")
    def application_id(self) -> relay.GlobalID:
        return relay.GlobalID("Application", str(self.application_pk))

    @classmethod
    def from_model(cls, row: models.ApplicationStep) -> ProgressStep:
        return cls(
            application_pk=row.application_id,  # type: ignore[attr-defined]
            seq=row.seq,
            stage=Stage(row.stage),
            outcome=row.outcome,
            actor_role=ActorRole(row.actor_role),
            comment=row.comment,
            items=[_item(item) for item in row.items],
            created_at=row.created_at,
            deadline=row.deadline_on,
        )


def _item(item: dict[str, Any]) -> ProgressItem:
    shown = filings.for_applicant(item)
    hidden = {key: str(value) for key, value in item.items() if key not in shown}
    return ProgressItem(
        code=str(shown.get("code", "")),
        message=str(shown.get("message", "")),
        field=shown.get("field"),
        reviewer_only=hidden,
    )


@strawberry.type(description="注册申报 / A filing (注册申报) and its progress.")
class Application(relay.Node):
    pk: relay.NodeID[int]
    person_pk: strawberry.Private[int]
    enterprise_pk: strawberry.Private[int | None]
    details_of_kind: strawberry.Private[dict[str, Any]]
    kind: ApplicationKind = strawberry.field(description="申报类型 / Kind.")
    status: ApplicationStatus = strawberry.field(description="状态 / Status.")
    temporary: bool = strawberry.field(description="是否为一级临时建造师的申报 / A temporary Level-1 filing.")
    contract_start: dt.date | None = strawberry.field(description="劳动合同起始日期 / Labour contract start.")
    contract_end: dt.date | None = strawberry.field(description="劳动合同终止日期 / Labour contract end.")
    specialties: list[Specialty] = strawberry.field(description="申报的专业 / Specialties filed for.")
    continuing_education: bool = strawberry.field(
        description="已申报继续教育记录 / A continuing-education record was declared."
    )
    terms_version: str = strawberry.field(description="同意的注册须知及个人承诺版本 / Version of the accepted terms.")
    terms_accepted_at: dt.datetime = strawberry.field(description="同意承诺的时间 / When the terms were accepted.")
    submitted_at: dt.datetime = strawberry.field(description="提交时间 / Submitted at (UTC).")
    updated_at: dt.datetime = strawberry.field(description="最后更新时间 / Last change (UTC).")
    decided_at: dt.datetime | None = strawberry.field(description="办结时间 / Decided or withdrawn at (UTC).")

    @strawberry.field(description="聘用企业 / The employing enterprise.")
    async def enterprise(self, info: Info) -> Enterprise | None:
        if self.enterprise_pk is None:
            return None
        row = await info.context.loaders.enterprises.load(self.enterprise_pk)
        return Enterprise.from_model(row) if row is not None else None

    @strawberry.field(
        description="申请人（本人；或审查范围内的工作人员，查阅记入申请人的操作轨迹）/ The applicant: the person "
        "themself, or staff whose review scope holds an open filing of theirs (each staff read goes to the "
        "applicant's trail); null for anyone else."
    )
    async def applicant(self, info: Info) -> Annotated[Person, strawberry.lazy("graph.schema.accounts.types")] | None:
        from domain import accounts
        from graph.schema.accounts.types import Person

        found = await accounts.people_visible_to(info.context.reader, [self.person_pk])
        row = found.get(self.person_pk)
        return Person.from_model(row) if row is not None else None

    @strawberry.field(description="办理进度（按时间顺序）/ The steps, in order.")
    async def steps(self, info: Info) -> list[ProgressStep]:
        return [ProgressStep.from_model(row) for row in await info.context.loaders.application_steps.load(self.pk)]

    @strawberry.field(
        description="该类申报特有的内容（注销、证书更换、个人信息修改）/ What is particular to the kind "
        "(cancellation, certificate replacement, personal-information change); null for the other kinds."
    )
    def details(self) -> Annotated[ApplicationDetails, strawberry.lazy("graph.schema.filings.kinds_other")] | None:
        from graph.schema.filings.kinds_other import application_details

        return application_details(self.kind, self.details_of_kind)  # type: ignore[no-any-return]

    @strawberry.field(description="是否可撤回（尚未办结）/ Whether it can still be withdrawn (not yet decided).")
    def withdrawable(self) -> bool:
        return self.status in filings.WITHDRAWABLE

    @classmethod
    def from_model(cls, row: models.Application) -> Application:
        return cls(
            pk=row.id,
            person_pk=row.person_id,  # type: ignore[attr-defined]
            enterprise_pk=row.enterprise_id,  # type: ignore[attr-defined]
            details_of_kind=row.details,
            kind=row.kind,
            status=row.status,
            temporary=row.temporary,
            contract_start=row.contract_start,
            contract_end=row.contract_end,
            specialties=[Specialty.of_code(code) for code in row.specialty_codes],
            continuing_education=bool(row.details.get("continuing_education")),
            terms_version=row.terms_version,
            terms_accepted_at=row.terms_accepted_at,
            submitted_at=row.submitted_at,
            updated_at=row.updated_at,
            decided_at=row.decided_at,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        actor = info.context.actor
        return await nodes_in_order(node_ids, lambda ids: filings.applications_visible_to(actor, ids), cls.from_model)


@strawberry.type(description="注册申报列表（新的在前）/ Filings, newest first.")
class ApplicationConnection(relay.Connection[Application]):
    person_pk: strawberry.Private[int]
    wanted: strawberry.Private[filings.ApplicationFilter | None]

    @strawberry.field(description="符合条件的申报总数 / How many filings match the filters.")
    async def total_count(self) -> int:
        if self.wanted is None:
            return 0
        return await filings.count_applications(self.person_pk, self.wanted)


async def applications_page(
    actor: Actor | None, person_id: int, first: int, after: str | None, wanted: filings.ApplicationFilter
) -> ApplicationConnection:
    """One page of a person's filings, newest first; empty for a caller who may not see them."""
    check_page_size(first)
    before_id = decode_cursor(after)
    if not filings.may_view_applications(actor, person_id):
        return ApplicationConnection(edges=[], page_info=_page_info([], False, False), person_pk=person_id, wanted=None)
    rows, more = await filings.applications_page(person_id, wanted, first, before_id)
    edges = [relay.Edge(cursor=encode_cursor(row.id), node=Application.from_model(row)) for row in rows]
    page_info = _page_info(edges, more, before_id is not None)
    return ApplicationConnection(edges=edges, page_info=page_info, person_pk=person_id, wanted=wanted)


def _page_info(edges: list[relay.Edge[Application]], more: bool, after_given: bool) -> relay.PageInfo:
    return relay.PageInfo(
        has_next_page=more,
        has_previous_page=after_given,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
