"""Every top-level error code is listed in graph/policy/codes.py with its Chinese and English meaning, and the code
base raises them through that list, not as loose strings."""

from __future__ import annotations

import re
from pathlib import Path

from graph.errors import AUTH_CODES
from graph.policy.codes import MEANINGS, TopLevelCode

GRAPH = Path(__file__).resolve().parents[3] / "graph"
LOOSE_CODE = re.compile(
    r"""["']code["']\s*:\s*["'][A-Z_]+["']|CodedError\(\s*["'][A-Z_]+["']|Refusal\([^)]*["'][A-Z_]+["']"""
)
HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_code_has_a_chinese_and_an_english_meaning() -> None:
    assert set(MEANINGS) == set(TopLevelCode)
    for code, (chinese, english) in MEANINGS.items():
        assert HAN.search(chinese), code
        assert english and not HAN.search(english), code


def test_auth_codes_are_top_level_codes() -> None:
    assert {code.value for code in AUTH_CODES} <= {code.value for code in TopLevelCode}


def test_no_code_is_raised_as_a_loose_string() -> None:
    loose = [
        f"{path.relative_to(GRAPH.parent)}: {match.group(0)}"
        for path in GRAPH.rglob("*.py")
        for match in LOOSE_CODE.finditer(path.read_text())
    ]
    assert not loose, loose
