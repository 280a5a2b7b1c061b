"""The certificates' daily crons as the worker runs them: registered once a day in Beijing time, each job a thin
call of the domain, their SMS delivered by the worker."""

from __future__ import annotations

from datetime import timedelta

from domain.kernel import clock
from domain.kernel.clock import BUSINESS_TZ
from tests.helpers import Api
from tests.holders import later, person, registered
from tests.workers.burst import run_burst
from workers.certificates_cron import lapse_registrations, send_renewal_reminders
from workers.settings import WorkerSettings


def test_the_crons_run_hourly_reminders_by_day_in_beijing_time() -> None:
    crons = {job.name: job for job in WorkerSettings.cron_jobs}
    assert WorkerSettings.timezone is BUSINESS_TZ
    for name, hours in (("cron:lapse_registrations", None), ("cron:send_renewal_reminders", set(range(9, 21)))):
        job = crons[name]
        assert (job.hour, job.second, job.unique, job.timeout_s) == (hours, 0, True, None)
        assert job.day is None and job.weekday is None and job.minute is not None and len(job.minute) == 1


async def test_the_jobs_remind_and_lapse_and_the_worker_sends_the_sms(api: Api) -> None:
    today = clock.business_date()
    holder = await person("褚四")
    await registered(holder, {"01": today + timedelta(days=90)})
    ctx = {"deps": api.app.state.deps}

    assert await send_renewal_reminders(ctx) == 1
    assert await send_renewal_reminders(ctx) == 0
    later(91)
    assert await lapse_registrations(ctx) == 1
    assert await lapse_registrations(ctx) == 0
    assert (await run_burst(api.app)).failed == 0
    texts = [message["text"] for message in await api.sms_inbox(holder.mobile)]
    assert len(texts) == 2 and "失效" in texts[0] and "即将到期" in texts[1]
