"""`python -m bench.load [--seconds 60] [--users N] [--storm-users N] [--scale]`: a peak day against `make run`.

The stack starts as `make run` starts it (in a temporary VAR_DIR, APP_ENV=dev, on free loopback ports in
8120–8129): SQLite and the embedded Redis with one API process and one worker, or with --scale PostgreSQL (database
`load_scale`, recreated) and the Redis server (database 3, flushed) with API_PROCESSES=2 and WORKER_PROCESSES=2.
N verified applicants are seeded; locust (headless, its own process, loopback only, bounded in time) logs them in,
polls their dashboards, files one initial registration each, storms the login in the second half, and staff work
their queues when the schema has the review fields. A subscriber on the last API process follows filings made on the
first. Exit 1 when a request failed, a filing accepted is not in the database, or a progress event did not arrive."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bench.load.report import print_load, save
from bench.load.run import LoadOptions, run_load
from bench.load.stack import StackOptions, reset_services, running


def parse_options(argv: list[str]) -> LoadOptions:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0, help="locust's run time (default 60)")
    parser.add_argument("--users", type=int, default=40, help="applicants, each a seeded person (default 40)")
    parser.add_argument("--storm-users", type=int, default=8, help="login-storm users, second half (default 8)")
    parser.add_argument("--watched", type=int, default=3, help="filings followed by the subscriber (default 3)")
    parser.add_argument("--scale", action="store_true", help="PostgreSQL + Redis server, 2 API processes, 2 workers")
    args = parser.parse_args(argv)
    if args.seconds < 20 or args.users < 1:
        parser.error("--seconds at least 20, --users at least 1")
    return LoadOptions(args.seconds, args.users, args.storm_users, args.watched, args.scale)


def main(argv: list[str] | None = None) -> int:
    options = parse_options(sys.argv[1:] if argv is None else argv)
    stack_options = StackOptions(scale=options.scale)
    asyncio.run(reset_services(stack_options))
    with running(stack_options) as stack:
        print(f"stack up: {', '.join(stack.bases)} ({stack.pids})", flush=True)
        result = asyncio.run(run_load(stack, options))
        locust_output = (stack.var_dir / "locust.out").read_text(errors="replace")
        stack.keep = not result.passed
        var_dir = stack.var_dir
    print_load(result)
    from domain.kernel.settings import PROJECT_ROOT

    print(f"   figures: {save(result, PROJECT_ROOT / 'var')}")
    if not result.passed:
        print(locust_output[-3000:], file=sys.stderr)
        print(f"FAIL: the run's var/ (logs, locust's CSV) is kept in {var_dir}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
