"""Daily crons of certificates: renewal reminders by SMS (90 and 30 days before a specialty's expiry) and lapse
(失效: at expiry of every specialty, at 65). Both are idempotent: a second run the same day changes nothing."""

from __future__ import annotations

from typing import Any

from domain import certificates


async def send_renewal_reminders(ctx: dict[str, Any]) -> int:
    """SMS the holders whose specialties expire in 90 or 30 days (each reminder once); how many SMS."""
    return await certificates.send_renewal_reminders(ctx["deps"])


async def lapse_registrations(ctx: dict[str, Any]) -> int:
    """Specialties past expiry become inactive; registrations lapse when none is left or at 65; how many lapsed."""
    return await certificates.lapse_registrations(ctx["deps"])
