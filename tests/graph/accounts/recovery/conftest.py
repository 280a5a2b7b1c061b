"""Every recovery test starts with an empty dev inbox."""

from __future__ import annotations

import pytest

from tests.helpers import clear_dev_inbox


@pytest.fixture(autouse=True)
def empty_inbox() -> None:
    clear_dev_inbox()
