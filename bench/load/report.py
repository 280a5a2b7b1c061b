"""What the load run found: p50/p99 per operation (locust's stats CSV), failures, filings accepted against rows in
the database, the dashboard's p99 during the login storm against at rest, the subscriber's events; printed and
written to var/bench-load-<mode>.json."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.load.watch import WatchResult


@dataclass(frozen=True)
class Operation:
    name: str
    requests: int
    failures: int
    p50_ms: float
    p99_ms: float
    per_s: float


@dataclass
class Filings:
    """Accepted `fileInitialRegistration`s (the clients' record) against the database after the run."""

    accepted: int = 0
    stored: int = 0
    prechecked: int = 0
    outbox_pending: int = 0

    @property
    def lost(self) -> int:
        return self.accepted - self.stored


@dataclass
class LoadResult:
    mode: str
    seconds: float
    users: dict[str, int]
    operations: list[Operation] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    filings: Filings = field(default_factory=Filings)
    watch: WatchResult | None = None
    staff_skipped: str = ""
    load_average: dict[str, str] = field(default_factory=dict)
    locust_exit: int = 0

    exceptions: list[str] = field(default_factory=list)  # raised inside locust's users (a bug of the locustfile)

    @property
    def errors(self) -> int:
        return sum(op.failures for op in self.operations if op.name != "Aggregated") + len(self.exceptions)

    def op(self, name: str) -> Operation | None:
        return next((op for op in self.operations if op.name == name), None)

    @property
    def storm_ratio(self) -> float | None:
        rest, storm = self.op("dashboard (rest)"), self.op("dashboard (storm)")
        if rest is None or storm is None or not rest.p99_ms:
            return None
        return storm.p99_ms / rest.p99_ms

    @property
    def passed(self) -> bool:
        watch_ok = self.watch is None or self.watch.ok
        clean = self.errors == 0 and self.locust_exit == 0
        return clean and self.filings.lost == 0 and self.filings.accepted > 0 and watch_ok

    def as_json(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "seconds": self.seconds,
            "users": self.users,
            "operations": [op.__dict__ for op in self.operations],
            "errors": self.errors,
            "failure_samples": self.failures[:20],
            "locust_exceptions": self.exceptions[:20],
            "locust_exit_code": self.locust_exit,
            "filings": {**self.filings.__dict__, "lost": self.filings.lost},
            "dashboard_p99_storm_over_rest": self.storm_ratio,
            "subscriber": self.watch.as_json() if self.watch else None,
            "staff_skipped": self.staff_skipped,
            "load_average": self.load_average,
            "passed": self.passed,
        }


def read_stats(prefix: Path) -> list[Operation]:
    """locust's `<prefix>_stats.csv`: one row per request name, then Aggregated."""
    path = Path(f"{prefix}_stats.csv")
    if not path.exists():
        return []
    with path.open() as stream:
        return [
            Operation(
                name=row["Name"] if row["Type"] != "CHECK" else f"check: {row['Name']}",
                requests=int(row["Request Count"]),
                failures=int(row["Failure Count"]),
                p50_ms=float(row["50%"] or 0),
                p99_ms=float(row["99%"] or 0),
                per_s=float(row["Requests/s"] or 0),
            )
            for row in csv.DictReader(stream)
        ]


def read_failures(prefix: Path) -> list[str]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with path.open() as stream:
        return [f"{row['Occurrences']}× {row['Name']}: {row['Error']}" for row in csv.DictReader(stream)]


def read_exceptions(prefix: Path) -> list[str]:
    path = Path(f"{prefix}_exceptions.csv")
    if not path.exists():
        return []
    with path.open() as stream:
        return [f"{row['Count']}× {row['Message']}: {row['Traceback'][-300:]}" for row in csv.DictReader(stream)]


def print_load(result: LoadResult) -> None:
    print(f"\n== Peak-day load ({result.mode}, {result.seconds:g} s, users {result.users})")
    if result.staff_skipped:
        print(f"   NOTICE: staff users skipped: {result.staff_skipped}")
    print(f"   {'operation':<34}{'requests':>9}{'fail':>6}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}")
    for op in result.operations:
        print(f"   {op.name:<34}{op.requests:>9}{op.failures:>6}{op.per_s:>8.1f}{op.p50_ms:>9.0f}{op.p99_ms:>9.0f}")
    ratio = result.storm_ratio
    rest, storm = result.op("dashboard (rest)"), result.op("dashboard (storm)")
    if ratio is not None and rest and storm:
        print(
            f"   dashboard p99 during the login storm / at rest: {storm.p99_ms:.0f} / {rest.p99_ms:.0f} ms = "
            f"{ratio:.2f}×   (p50 {storm.p50_ms:.0f} / {rest.p50_ms:.0f} ms)"
        )
    print(f"   errors: {result.errors} (must be 0; locust's exit code {result.locust_exit})")
    for failure in (result.failures + result.exceptions)[:10]:
        print(f"     {failure[:300]}")
    filings = result.filings
    print(
        f"   filings accepted {filings.accepted}, in the database {filings.stored}, lost {filings.lost} (must be 0); "
        f"pre-checked {filings.prechecked}, outbox rows still pending {filings.outbox_pending}"
    )
    if result.watch is not None:
        watch = result.watch
        print(
            f"   subscriber on {watch.subscriber_base} for {len(watch.filings)} filings made on {watch.filing_base}: "
            f"{watch.received} progress events received, {watch.pushed} of them written after it listened "
            f"(pub/sub), withdrawals {watch.withdrawals_received}, missing {watch.missing} (must be 0)"
        )
        for problem in watch.problems[:5]:
            print(f"     {problem[:300]}")
    print(f"   load average (1/5/15 min) before {result.load_average.get('before')}, "
          f"after {result.load_average.get('after')}")  # fmt: skip
    print(f"   {'PASS' if result.passed else 'FAIL'}")


def save(result: LoadResult, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"bench-load-{result.mode}.json"
    path.write_text(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
    return path
