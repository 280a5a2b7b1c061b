"""The Chinese messages are Chinese: no English words inside them, except proper names and codes (JPG, PNG)."""

from __future__ import annotations

import re

from domain.kernel.errors import MESSAGES, WAIT_MESSAGES
from tests.helpers import VIEWER, Api

ALLOWED = {"JPG", "PNG", "ID", "SMS", "MB", "CSV", "UTF"}
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def english_words(message: str) -> set[str]:
    return set(LATIN_WORD.findall(message)) - ALLOWED


def test_the_error_messages_have_no_english_words() -> None:
    for code, message in [*MESSAGES.items(), *WAIT_MESSAGES.items()]:
        assert not english_words(message.replace("{wait}", "")), (code, message)


async def test_a_page_size_out_of_range_is_told_in_chinese(api: Api) -> None:
    await api.signed_up()
    body = (await api.post(VIEWER, {"first": 0})).json()
    [error] = body["errors"]
    assert error["extensions"]["code"] == "INVALID_PAGE_SIZE"
    assert error["message"] == "每页条数须在1到100之间。"
    assert not english_words(error["message"])
