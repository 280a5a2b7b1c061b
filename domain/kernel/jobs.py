"""Every job the workers run, by name, and their retry arithmetic (one place for both)."""

from __future__ import annotations

from enum import Enum

MAX_TRIES = 5  # every job family; the last try records a visible failure
BACKOFF_BASE_S = 5


class Job(str, Enum):
    """Jobs handed to the workers through the outbox (the arq function of the same name runs each)."""

    PRECHECK_APPLICATION = "precheck_application"
    SEND_SMS = "send_sms"
    PROCESS_VERIFICATION_NOTICE = "process_verification_notice"
    SANDBOX_SEND_NOTICE = "sandbox_send_notice"
    RUN_IMPORT = "run_import"  # a queued CSV import (qualifications, enterprises)
    APPLY_APPROVAL = "apply_approval"  # an approved filing's effect: registration and certificate (once)


def is_final_try(job_try: int) -> bool:
    """The last of MAX_TRIES: the job records its failure instead of retrying."""
    return job_try >= MAX_TRIES


def backoff_s(job_try: int) -> int:
    """Seconds before the next try after try `job_try` (1-based): 5, 10, 20, 40 …"""
    return int(BACKOFF_BASE_S * 2 ** (job_try - 1))
