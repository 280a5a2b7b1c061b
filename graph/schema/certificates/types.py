"""我的证书: Certificate (a Relay node, owner only) and its RegisteredSpecialty items, as issued (the snapshot)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import TYPE_CHECKING, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from domain import certificates
from graph.schema.accounts.types import Gender
from graph.schema.common import nodes_in_order

if TYPE_CHECKING:
    from db import models


@strawberry.enum(description="证书被取代的原因 / Why a certificate version is no longer current.")
class SupersededReason(Enum):
    REPLACED = strawberry.enum_value("REPLACED", description="证书更换（遗失、污损等）/ Replaced by a new issue.")
    CHANGED = strawberry.enum_value(
        "CHANGED", description="注册信息变更后换发 / Reissued after a change (employer, specialties, renewal, info)."
    )
    CANCELLED = strawberry.enum_value("CANCELLED", description="注册已注销 / The registration was cancelled.")
    LAPSED = strawberry.enum_value(
        "LAPSED", description="注册已失效（到期未延续、年满65周岁）/ The registration lapsed."
    )


@strawberry.type(description="证书上的注册专业及其有效期 / A specialty on the certificate, with its own expiry.")
class RegisteredSpecialty:
    code: str = strawberry.field(description="专业代码 / Specialty code, e.g. 01.")
    name: str = strawberry.field(description="专业名称 / Specialty name, e.g. 建筑工程.")
    expires_on: dt.date = strawberry.field(description="有效期至 / Valid until (inclusive).")


def _superseded_reason(value: str | None) -> SupersededReason | None:
    if value is None:
        return None
    return SupersededReason[value] if value in SupersededReason.__members__ else SupersededReason.CHANGED


@strawberry.type(
    description="注册证书（电子证书）的一个版本：印章校验码每次换发加一 / One version of the registration certificate "
    "(the seal check code goes up by one per reissue); its facts as issued."
)
class Certificate(relay.Node):
    pk: relay.NodeID[int]
    number: str = strawberry.field(description="注册编号 / Registration number, e.g. 京111050700001.")
    seal_check: int = strawberry.field(description="印章校验码 / Seal check code (00, 01, …).")
    number_with_check: str = strawberry.field(
        description="注册编号及印章校验码 / Number with the seal check code, e.g. 京111050700001(02)."
    )
    current: bool = strawberry.field(description="是否为当前有效版本 / Whether this is the current version.")
    reason: str = strawberry.field(
        description="核发原因（申报类型，如 INITIAL、CHANGE）/ Why it was issued: the filing kind (ApplicationKind)."
    )
    issued_on: dt.date = strawberry.field(description="发证日期 / Issue date.")
    issued_at: dt.datetime = strawberry.field(description="核发时间 / Issued at (UTC).")
    superseded_at: dt.datetime | None = strawberry.field(description="被取代时间 / When it stopped being current.")
    superseded_reason: SupersededReason | None = strawberry.field(description="被取代原因 / Why it is not current.")
    name: str = strawberry.field(description="姓名 / Holder's name as issued.")
    gender: Gender | None = strawberry.field(description="性别 / Gender.")
    birth_date: dt.date | None = strawberry.field(description="出生日期 / Birth date.")
    id_number_masked: str | None = strawberry.field(description="证件号码（脱敏）/ ID number, masked.")
    enterprise_name: str = strawberry.field(description="聘用企业 / Employing enterprise as issued.")
    temporary: bool = strawberry.field(description="是否一级临时建造师 / Temporary Level-1 constructor.")
    issuer: str = strawberry.field(description="发证机关 / Issuing authority.")
    specialties: list[RegisteredSpecialty] = strawberry.field(
        description="注册专业及各自有效期 / Specialties, each with its expiry."
    )
    usable_until: dt.date | None = strawberry.field(
        description="今天下载的电子证书可使用至（180日，不超过最早的专业有效期和年满65周岁之日；非当前版本为空）/ "
        "Until when a download made today is usable: 180 days, capped at the earliest expiry and the 65th "
        "birthday; null when not current or nothing is left."
    )

    @classmethod
    def from_model(cls, row: models.Certificate) -> Certificate:
        snapshot: dict[str, Any] = row.snapshot
        birth = snapshot.get("birth_date")
        return cls(
            pk=row.id,
            number=row.number,
            seal_check=row.seal_check,
            number_with_check=certificates.number_with_check(row),
            current=row.current_key is not None,
            reason=row.reason,
            issued_on=row.issued_on,
            issued_at=row.issued_at,
            superseded_at=row.superseded_at,
            superseded_reason=_superseded_reason(row.superseded_reason),
            name=str(snapshot.get("name", "")),
            gender=Gender(snapshot["gender"]) if snapshot.get("gender") in ("M", "F") else None,
            birth_date=dt.date.fromisoformat(str(birth)) if birth else None,
            id_number_masked=snapshot.get("id_number_masked"),
            enterprise_name=str(snapshot.get("enterprise_name", "")),
            temporary=bool(snapshot.get("temporary", False)),
            issuer=str(snapshot.get("issuer", "")),
            specialties=[
                RegisteredSpecialty(
                    code=str(item.get("code", "")),
                    name=str(item.get("name", "")),
                    expires_on=dt.date.fromisoformat(str(item["expires_on"])),
                )
                for item in snapshot.get("specialties", [])
            ],
            usable_until=certificates.usable_until_today(row),
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        actor = info.context.actor
        return await nodes_in_order(
            node_ids, lambda ids: certificates.certificates_visible_to(actor, ids), cls.from_model
        )
