"""Control characters (NUL) in staff inputs are dropped before they reach the database (found by an adversarial
review: a NUL in a correction item's field or an announcement's title was a 500 on PostgreSQL)."""

from __future__ import annotations

from domain import filings
from domain.announcements.publishing import _clean_title


def test_a_correction_item_s_field_loses_its_control_characters() -> None:
    [item] = filings.clean_items([filings.CorrectionItem("ID_CARD_UNCLEAR", "请重新上传", "attach\x00mentIds\u200b")])
    assert item == {"code": "ID_CARD_UNCLEAR", "message": "请重新上传", "field": "attachmentIds"}
    [bare] = filings.clean_items([filings.CorrectionItem("X", "补正", "\x00")])
    assert "field" not in bare


def test_an_announcement_title_loses_its_control_characters() -> None:
    assert _clean_title("住建部\x00公告") == "住建部公告"
    assert _clean_title("\x00 ") == _clean_title(None)  # blank: the default title
