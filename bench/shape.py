"""The viewer query and the JSON it answers, built by hand for the baselines (no Strawberry involved)."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from domain.accounts.identifiers import mask_mobile
from domain.accounts.profile_options import Degree, Education

# The same operation as tests/helpers.py VIEWER: profile, current attachments, trail page with totalCount.
VIEWER_QUERY = """query($first: Int!, $after: String) { viewer { id realName idNumberMasked mobileMasked ethnicity email
  education degree school profileComplete attachments { id kind url width height }
  trail(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id action description ip userAgent occurredAt actor } } } } }"""
PAGE_SIZE = 20
MAX_PAGE = 100
PROFILE_FIELDS = ("ethnicity", "email", "education", "degree", "school")

Json = dict[str, Any]


def bearer_token(headers: Mapping[str, str]) -> str | None:
    """The token of an `Authorization: Bearer …` header, read as graph.context reads it."""
    header = headers.get("authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    return header[7:].strip() or None


def page_size(raw: str | None) -> int | None:
    """`first` from the query string; None when missing or outside 1..100."""
    if raw is None or not raw.isdigit():
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_PAGE else None


def global_id(type_name: str, pk: int) -> str:
    """The Relay global id Strawberry gives a node: base64 of `Type:pk`."""
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def cursor(seq: int) -> str:
    """The keyset cursor of graph.schema.common.encode_cursor: a trail entry's `seq`, not its id."""
    return base64.urlsafe_b64encode(f"k:{seq}".encode()).decode()


def enum_name(enum: type[Education] | type[Degree], value: str | None) -> str | None:
    """A stored enum value (e.g. 大学本科) as its GraphQL name (BACHELOR)."""
    return enum(value).name if value else None


def person_json(row: Mapping[str, Any], attachments: list[Json], trail: Json) -> Json:
    """The `viewer` object from a person's columns (a model's fields or a raw row)."""
    profile = {name: row[name] for name in PROFILE_FIELDS}
    return {
        "id": global_id("Person", row["id"]),
        "realName": row["real_name"],
        "idNumberMasked": row["id_number_masked"],
        "mobileMasked": mask_mobile(row["mobile"]),
        "ethnicity": profile["ethnicity"],
        "email": profile["email"],
        "education": enum_name(Education, profile["education"]),
        "degree": enum_name(Degree, profile["degree"]),
        "school": profile["school"],
        # 民族 is optional and 国籍 always set (default CN): the other four decide (domain.accounts.profile).
        "profileComplete": None not in (profile["email"], profile["education"], profile["degree"], profile["school"]),
        "attachments": attachments,
        "trail": trail,
    }


def attachment_json(pk: int, kind: str, width: int, height: int, url: str) -> Json:
    """One current attachment (`url`: the link signed for the viewer, as `Attachment.url` answers it)."""
    return {
        "id": global_id("Attachment", pk),
        "kind": kind,
        "url": url,
        "width": width,
        "height": height,
    }


def trail_node_json(row: Mapping[str, Any], occurred_at: dt.datetime) -> Json:
    """One trail entry; `row` has the column names of trail_entry."""
    return {
        "id": global_id("OperationTrail", row["id"]),
        "action": row["action"],
        "description": row["description"],
        "ip": row["ip"],
        "userAgent": row["user_agent"],
        "occurredAt": occurred_at.isoformat(),
        "actor": row["actor"],
    }


def trail_json(nodes: Sequence[Json], seqs: Sequence[int], more: bool, total: int) -> Json:
    """The trail connection from its nodes (newest first), their `seq`s and the chain head's seq (the total)."""
    edges = [{"cursor": cursor(seq), "node": node} for seq, node in zip(seqs, nodes, strict=True)]
    return {
        "totalCount": total,
        "pageInfo": {"hasNextPage": more, "endCursor": edges[-1]["cursor"] if edges else None},
        "edges": edges,
    }


def envelope(viewer: Json | None) -> Json:
    """A GraphQL-shaped response body."""
    return {"data": {"viewer": viewer}}
