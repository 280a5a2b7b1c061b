"""What the issue-9 figures print; 1 (fail the command) when the dashboard's statements grow with the filings."""

from __future__ import annotations

import sys

from bench.dashboard import print_dashboard
from bench.filing_rate import print_filing_rate
from bench.run import BenchResult


def print_filings(result: BenchResult) -> int:
    """The dashboard and the submissions per second; the dashboard's gate decides the exit status."""
    print_dashboard(result.dashboard)
    if result.filing_rate is not None:
        print_filing_rate(result.filing_rate)
    if not result.dashboard.constant:
        print("FAIL: the SQL statements per dashboard request grow with the filings (N+1?)", file=sys.stderr)
        return 1
    return 0
