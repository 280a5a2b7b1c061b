"""Types of the staff review queue (待办队列): the stages, the pre-check's findings, one item per filing waiting,
the connection (keyset cursors, totalCount only when selected)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from enum import Enum

import strawberry
from strawberry import relay

from domain import review
from domain.filings import ApplicationStatus
from domain.kernel.actors import Actor
from domain.kernel.errors import DomainError
from domain.review import FindingSeverity
from graph.errors import CodedError
from graph.policy.codes import TopLevelCode
from graph.schema.common import check_page_size, described_enum
from graph.schema.filings.applications import Application

described_enum(
    FindingSeverity,
    "审查要点的级别 / Severity of a pre-check finding.",
    {
        "INFO": "提示：已核对的事实 / A fact checked and noted.",
        "WARNING": "警示：须审查人员关注（有此项的申报不会被自动确认）/ Needs a reviewer's attention (a filing with "
        "one is never confirmed automatically).",
    },
)


@strawberry.enum(description="审查环节 / A review stage (a queue).")
class ReviewQueueStage(Enum):
    ENTERPRISE_CONFIRMATION = strawberry.enum_value(
        "ENTERPRISE_CONFIRMATION", description="聘用企业确认（5个工作日）/ The employer's confirmation."
    )
    SPECIALTY_REVIEW = strawberry.enum_value(
        "SPECIALTY_REVIEW", description="专业部门审查（10个工作日）/ Specialty ministry review."
    )
    MINISTRY_REVIEW = strawberry.enum_value("MINISTRY_REVIEW", description="住建部审查（20个工作日）/ Ministry review.")


@strawberry.type(description="审查要点（系统预审发现）/ A finding of the automatic pre-check, for the reviewer.")
class ReviewFinding:
    code: str = strawberry.field(description="代码 / Code, e.g. AGE, ATTACHMENTS_MISSING.")
    message: str = strawberry.field(description="说明（中文）/ What, in Chinese.")
    severity: FindingSeverity = strawberry.field(description="级别 / INFO or WARNING.")
    rule: str = strawberry.field(description="依据的规则 / The rule it comes from, e.g. age, one_employer.")


@strawberry.type(description="待办事项：等待审查的申报 / A filing waiting in a review queue.")
class ReviewQueueItem:
    application: Application = strawberry.field(description="申报 / The filing.")
    stage: ReviewQueueStage = strawberry.field(description="所处审查环节 / The stage it waits at.")
    entered_at: dt.datetime = strawberry.field(description="进入本环节的时间 / When it entered the stage (UTC).")
    deadline: dt.date = strawberry.field(description="办理期限（工作日计算）/ Deadline, in working days.")
    overdue: bool = strawberry.field(description="已超过办理期限 / Past the deadline.")
    workdays_left: int = strawberry.field(
        description="距期限剩余工作日（超期为负数）/ Working days left to the deadline (negative when overdue)."
    )
    findings: list[ReviewFinding] = strawberry.field(description="系统预审的审查要点 / The pre-check's findings.")

    @classmethod
    def from_domain(cls, item: review.QueueItem) -> ReviewQueueItem:
        return cls(
            application=Application.from_model(item.application),
            stage=ReviewQueueStage(item.stage.value),
            entered_at=item.entered_at,
            deadline=item.deadline_on,
            overdue=item.overdue,
            workdays_left=item.workdays_left,
            findings=[
                ReviewFinding(code=f.code, message=f.message, severity=f.severity, rule=f.rule) for f in item.findings
            ],
        )


@strawberry.type(description="待办队列的一条 / One edge of the review queue.")
class ReviewQueueEdge:
    cursor: str = strawberry.field(description="该条的游标 / The edge's cursor.")
    node: ReviewQueueItem = strawberry.field(description="待办事项 / The item.")


@strawberry.type(description="待办队列（最早进入的在前；仅超期时按期限先后）/ A review queue, oldest first.")
class ReviewQueueConnection:
    edges: list[ReviewQueueEdge] = strawberry.field(description="本页各条 / The page's edges.")
    page_info: relay.PageInfo = strawberry.field(description="分页信息 / Pagination.")
    actor: strawberry.Private[Actor | None]
    request: strawberry.Private[review.QueueRequest]

    @strawberry.field(description="队列中的申报总数（仅在查询时计算）/ How many filings wait (counted only if asked).")
    async def total_count(self) -> int:
        return await review.review_queue_count(self.actor, self.request)


def cursor_text(cursor: str | None, overdue: bool) -> str | None:
    """The domain cursor inside an opaque one; a malformed one is INVALID_CURSOR (never the first page)."""
    if cursor is None:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        review.QueueCursor.parse(text, overdue)
    except (ValueError, binascii.Error, UnicodeDecodeError, DomainError):
        raise CodedError(TopLevelCode.INVALID_CURSOR.value, "分页游标不正确，请从第一页重新查询。") from None
    return text


def opaque(cursor: review.QueueCursor) -> str:
    """A client's cursor: the domain's, base64."""
    return base64.urlsafe_b64encode(cursor.text().encode()).decode()


async def review_queue_page(
    actor: Actor | None, stage: ReviewQueueStage | None, first: int, after: str | None, overdue: bool
) -> ReviewQueueConnection:
    """One page of the actor's review queue(s)."""
    check_page_size(first)
    wanted = ApplicationStatus(stage.value) if stage is not None else None
    request = review.QueueRequest(wanted, first, cursor_text(after, overdue), overdue)
    items, more = await review.review_queue(actor, request)
    edges = [
        ReviewQueueEdge(
            cursor=base64.urlsafe_b64encode(i.cursor.text().encode()).decode(), node=ReviewQueueItem.from_domain(i)
        )
        for i in items
    ]
    page_info = relay.PageInfo(
        has_next_page=more,
        has_previous_page=after is not None,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return ReviewQueueConnection(edges=edges, page_info=page_info, actor=actor, request=request)
