"""requestPasswordReset answers alike for a real account, an unknown one and a wrong name: the same body, status
and headers, and no SMS for the last two (the time is padded too; see the timing check)."""

from __future__ import annotations

import statistics
import time
from typing import Any

import pytest

from tests.graph.accounts.helpers import client_at, make_id_number
from tests.graph.accounts.recovery.helpers import MOBILE, REQUEST_RESET, inbox_after_worker, request_reset_response
from tests.helpers import VALID_ID, Api

UNKNOWN_ID = make_id_number(sequence="777")


def shape(response: Any) -> tuple[int, str, tuple[str, ...]]:
    headers = tuple(sorted(name for name in response.headers if name not in ("date", "content-length")))
    return response.status_code, response.text, headers


async def test_unknown_account_and_wrong_name_answer_like_a_real_one(api: Api, app: Any) -> None:
    assert (await api.register(mobile=MOBILE))["errors"] == []
    answers = set()
    for number, name, address in (
        (VALID_ID, "张三", "198.51.100.1"),  # the real account: a code is sent
        (UNKNOWN_ID, "张三", "198.51.100.2"),  # no such account
        (VALID_ID, "李四", "198.51.100.3"),  # the account, with another name
        (VALID_ID, "张三", "198.51.100.4"),  # the real account again, within the resend interval: nothing sent
    ):
        async with client_at(api, address) as client:
            answers.add(shape(await request_reset_response(client, number, name)))
    assert len(answers) == 1, answers
    status, text, headers = answers.pop()
    assert status == 200 and "set-cookie" not in headers
    assert '"ok":true' in text.replace(" ", "")
    assert len(await inbox_after_worker(api, app)) == 1  # one SMS: for the real account with its own name


@pytest.mark.timing
async def test_real_and_unknown_requests_take_the_same_time(api: Api, app: Any) -> None:
    """The median gap between a request that sends a code and one that sends nothing stays under 10 ms."""
    timings: dict[str, list[float]] = {"real": [], "unknown": []}
    for n in range(12):
        number = make_id_number(sequence=f"{300 + n:03d}")
        assert (await api.register(id_number=number, mobile=f"1391234{n:04d}"))["errors"] == []
        for kind, target in (("real", number), ("unknown", make_id_number(sequence=f"{600 + n:03d}"))):
            captcha_id, answer = await api.captcha()
            form = {"idNumber": target, "realName": "张三", "captchaId": captcha_id, "captchaAnswer": answer}
            async with client_at(api, f"198.51.101.{2 * n + len(kind)}") as client:
                started = time.perf_counter()
                response = await client.post(REQUEST_RESET, {"input": form})
                timings[kind].append(time.perf_counter() - started)
                assert response.status_code == 200
    gap = abs(statistics.median(timings["real"]) - statistics.median(timings["unknown"]))
    real, unknown = (statistics.median(timings[kind]) * 1000 for kind in ("real", "unknown"))
    print(f"requestPasswordReset median: real {real:.1f} ms, unknown {unknown:.1f} ms, gap {gap * 1000:.1f} ms")
    assert gap < 0.010, timings
