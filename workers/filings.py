"""Jobs of filings: the automatic pre-check of a submitted application (with the reviewer's findings and the
automatic confirmation policy, domain.review); a queued CSV import."""

from __future__ import annotations

from typing import Any

from arq.worker import Retry

from domain import filings, review
from domain.kernel.jobs import backoff_s, is_final_try


async def precheck_application(ctx: dict[str, Any], outbox_id: str) -> str:
    """Run the filing's rules again on fresh data; move it to its first review stage or refuse it (acts once)."""
    return await review.precheck(ctx["deps"], outbox_id)


async def run_import(ctx: dict[str, Any], outbox_id: str) -> str:
    """Import the next part of a queued CSV (a rerun changes nothing more); an unexpected fault retries with
    back-off, the last try marks the import failed."""
    final_try = is_final_try(ctx["job_try"])
    try:
        return await filings.run_import_job(ctx["deps"], outbox_id, final_try=final_try)
    except Exception as exc:
        if final_try:
            raise
        raise Retry(defer=backoff_s(ctx["job_try"])) from exc
