"""Types of the filings' reference data: Specialty, Enterprise, Qualification."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from domain import filings
from domain.filings import EnterpriseStatus
from graph.schema.common import described_enum, nodes_in_order

if TYPE_CHECKING:
    from db import models

described_enum(
    EnterpriseStatus,
    "企业资质状态 / An enterprise's qualification status.",
    {
        "QUALIFIED": "有效 / Qualified: may take on registered constructors.",
        "SUSPENDED": "暂停 / Suspended: cannot take on registered constructors for now.",
        "REVOKED": "撤销 / Revoked: cannot take on registered constructors.",
    },
)


@strawberry.type(description="注册专业 / A specialty of the Level-1 constructor.")
class Specialty:
    code: str = strawberry.field(description="专业代码（两位）/ Two-digit code, e.g. 01.")
    name: str = strawberry.field(description="专业名称 / Name, e.g. 建筑工程.")
    short_name: str = strawberry.field(description="执业印章上的简称 / Short name on the seal, e.g. 建筑.")
    needs_specialty_review: bool = strawberry.field(
        description="是否经国务院有关专业部门审查 / Whether a specialty ministry reviews it before the ministry."
    )

    @classmethod
    def from_domain(cls, specialty: filings.Specialty) -> Specialty:
        return cls(
            code=specialty.code,
            name=specialty.name,
            short_name=specialty.short_name,
            needs_specialty_review=specialty.needs_specialty_review,
        )

    @classmethod
    def of_code(cls, code: str) -> Specialty:
        known = filings.specialty(code)
        if known is None:  # the import only stores known codes; a hand-edited row still answers
            return cls(code=code, name=code, short_name=code, needs_specialty_review=False)
        return cls.from_domain(known)


@strawberry.type(description="聘用企业 / An employing enterprise (public reference data).")
class Enterprise(relay.Node):
    pk: relay.NodeID[int]
    name: str = strawberry.field(description="企业名称 / Name.")
    credit_code: str = strawberry.field(description="统一社会信用代码 / Unified social credit code (GB 32100).")
    province_code: str = strawberry.field(description="省级行政区划代码 / Province code (GB/T 2260), e.g. 11.")
    province_name: str | None = strawberry.field(description="省份名称 / Province name, e.g. 北京市.")
    qualification_status: EnterpriseStatus = strawberry.field(description="资质状态 / Qualification status.")

    @classmethod
    def from_model(cls, row: models.Enterprise) -> Enterprise:
        return cls(
            pk=row.id,
            name=row.name,
            credit_code=row.credit_code,
            province_code=row.province_code,
            province_name=filings.province_name(row.province_code),
            qualification_status=EnterpriseStatus(row.qualification_status),
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes_in_order(node_ids, filings.enterprises_by_ids, cls.from_model)


@strawberry.type(description="资格（管理员导入，一个专业一条）/ A qualification record, one per specialty.")
class Qualification(relay.Node):
    pk: relay.NodeID[int]
    real_name: str = strawberry.field(description="证书上的姓名 / Name on the certificate.")
    specialty: Specialty = strawberry.field(description="专业 / Specialty.")
    certificate_number: str = strawberry.field(description="资格证书编号 / Qualification certificate number.")
    issued_on: dt.date = strawberry.field(description="签发日期 / Issue date.")
    temporary: bool = strawberry.field(description="是否为一级临时 / Temporary Level-1 (一级临时).")

    @classmethod
    def from_model(cls, row: models.Qualification) -> Qualification:
        return cls(
            pk=row.id,
            real_name=row.real_name,
            specialty=Specialty.of_code(row.specialty_code),
            certificate_number=row.certificate_number,
            issued_on=row.issued_on,
            temporary=row.temporary,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        reader = info.context.reader
        return await nodes_in_order(
            node_ids, lambda ids: filings.qualifications_visible_to(reader, ids), cls.from_model
        )
