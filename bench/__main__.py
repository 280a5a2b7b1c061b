"""`python -m bench` (make bench): the viewer query through GraphQL against two hand-written baselines,
verification notices processed per second by one arq worker against arq's no-op job rate, the dashboard's
latency during a login storm (`--storm-only` runs that alone), and enterprise suggestions at 100k enterprises
against 1k (`--suggestions-only`); the applicant dashboard against a Starlette + Tortoise endpoint (SQL statements
per request constant as filings grow: a gate) and filings submitted per second against a raw insert endpoint
(`--filings-only` runs these two alone); the staff review queue's first page at 1M applications against 1k
(`--queue-only`); approvals applied per second by one arq worker against arq's no-op job rate (`--approvals-only`);
and last the peak-day load run with locust against `make run` (bench.load; `--load-only` runs it alone,
`--load-scale` on PostgreSQL + a Redis server with two API processes and two workers, `--load-seconds 0` skips it)."""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
from pathlib import Path
from typing import Any

from bench.env import prepare_environment


def parse_options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--rounds", type=int, default=10, help="interleaved rounds (default 10)")
    parser.add_argument("--requests", type=int, default=50, help="requests per endpoint per round (default 50)")
    parser.add_argument("--warmup", type=int, default=30, help="untimed requests per endpoint first")
    parser.add_argument("--large-trail", type=int, default=10_000, help="entries of the large trail")
    parser.add_argument(
        "--profile", action="store_true", help="also break the GraphQL time down (extensions, cProfile)"
    )
    parser.add_argument("--notice-rounds", type=int, default=5, help="interleaved notice/no-op rounds (default 5)")
    parser.add_argument("--notices", type=int, default=200, help="jobs of each kind per round; 0 skips (default 200)")
    parser.add_argument("--storm-only", action="store_true", help="only the login storm (no viewer, no notices)")
    parser.add_argument("--storm-seconds", type=float, default=4.0, help="seconds per storm phase; 0 skips")
    parser.add_argument("--storm-logins", type=int, default=8, help="login clients, one address each (default 8)")
    parser.add_argument("--storm-dashboards", type=int, default=4, help="dashboard clients (default 4)")
    parser.add_argument("--suggestions-only", action="store_true", help="only the enterprise suggestions (issue 9)")
    parser.add_argument(
        "--filings-only", action="store_true", help="only the applicant dashboard and submissions per second (issue 9)"
    )
    parser.add_argument(
        "--queue-only", action="store_true", help="only the review queue at 1M applications against 1k (issue 10)"
    )
    parser.add_argument("--submissions", type=int, default=20, help="submissions of each way per round; 0 skips")
    parser.add_argument(
        "--load-only", action="store_true", help="only the peak-day load run (python -m bench.load; issue 10)"
    )
    parser.add_argument(
        "--load-seconds", type=float, default=60.0, help="the load run's seconds (default 60; 0 skips it)"
    )
    parser.add_argument("--load-users", type=int, default=40, help="the load run's applicants (default 40)")
    parser.add_argument(
        "--load-scale", action="store_true", help="the load run on PostgreSQL + Redis, 2 API processes, 2 workers"
    )
    parser.add_argument("--approvals-only", action="store_true", help="only the approvals per second (issue 10)")
    parser.add_argument("--approval-rounds", type=int, default=5, help="interleaved approval/no-op rounds")
    parser.add_argument("--approvals", type=int, default=200, help="jobs of each kind per round; 0 skips")
    return parser.parse_args(argv)


def run_load(args: argparse.Namespace) -> int:
    """The peak-day load run (its own stack, its own temporary VAR_DIR)."""
    from bench.load.__main__ import main as load_main

    argv = ["--seconds", f"{args.load_seconds:g}", "--users", str(args.load_users)]
    return load_main(argv + (["--scale"] if args.load_scale else []))


def main(argv: list[str] | None = None) -> int:
    args = parse_options(sys.argv[1:] if argv is None else argv)
    return run_load(args) if args.load_only else run_benchmarks(args)


def run_benchmarks(args: argparse.Namespace) -> int:
    """Run in a fresh temporary VAR_DIR (new SQLite file, embedded Redis); removed afterwards."""
    var_dir = prepare_environment()  # before anything reads the settings
    if args.approvals_only:
        return run_approvals(args, var_dir)
    return run_everything(args, var_dir)


def run_everything(args: argparse.Namespace, var_dir: Path) -> int:
    """Every figure but those its options skip; 1 when a gate fails."""
    from bench.filings_report import print_filings
    from bench.report import print_report
    from bench.review_queue import print_review_queue
    from bench.run import Options, run
    from bench.storm import StormOptions, print_storm
    from bench.suggestions import print_suggestions

    storm = StormOptions(args.storm_seconds, args.storm_logins, args.storm_dashboards) if args.storm_seconds else None

    options = Options(
        rounds=args.rounds,
        requests=args.requests,
        warmup=args.warmup,
        large_trail=args.large_trail,
        profile=args.profile,
        notice_rounds=args.notice_rounds,
        notices=args.notices,
        storm=storm,
        storm_only=args.storm_only,
        suggestions_only=args.suggestions_only,
        filings_only=args.filings_only,
        queue_only=args.queue_only,
        submissions=args.submissions,
    )
    try:
        result = asyncio.run(run(options))
        if options.filings_only:
            return print_filings(result)
        if options.queue_only:
            print_review_queue(result.review_queue)
            return gates(options, result)
        if options.storm_only:
            if result.storm:
                print_storm(result.storm)
            return 0  # no viewer scenarios: no statements gate
        if not options.suggestions_only:
            print_report(result)
        if result.review_queue is not None:
            print_review_queue(result.review_queue)
        if result.suggestions is not None:
            print_suggestions(result.suggestions)
        if result.dashboard is not None and print_filings(result):
            return 1
        if args.approvals > 0 and not options.suggestions_only:  # its own database in the same VAR_DIR
            run_approvals(args, None)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    return gates(options, result) or then_load(args, options)


def then_load(args: argparse.Namespace, options: Any) -> int:
    """The full run ends with the peak-day load run (it starts `make run`'s stack itself); 1 when it failed."""
    only = options.storm_only or options.suggestions_only or options.filings_only or options.queue_only
    return run_load(args) if args.load_seconds > 0 and not only else 0


def gates(options: Any, result: Any) -> int:
    """The run's pass/fail figures after the report: 1 (with the reason on stderr) when one failed."""
    from bench.report import statements_constant

    if result.suggestions is not None and not result.suggestions.passed:
        print("FAIL: enterprise suggestions at 100k over 2× those at 1k, or a table scan", file=sys.stderr)
        return 1
    if result.review_queue is not None and not result.review_queue.passed:
        print("FAIL: the review queue's first page at 1M over 1.2× that at 1k, or a scan or sort", file=sys.stderr)
        return 1
    viewer_measured = not (options.suggestions_only or options.queue_only)
    if viewer_measured and not statements_constant(result):  # a correctness figure: fail the command
        print("FAIL: the SQL statements per GraphQL request grow with the trail (N+1?)", file=sys.stderr)
        return 1
    return 0


def run_approvals(args: argparse.Namespace, var_dir: Path | None) -> int:
    """Issue 10's approvals per second against arq's no-op rate (its own database; `var_dir` removed after)."""
    from bench.approvals import measure_approvals, print_approvals

    try:
        print_approvals(asyncio.run(measure_approvals(args.approval_rounds, args.approvals)), args.approval_rounds)
    finally:
        if var_dir is not None:
            shutil.rmtree(var_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
