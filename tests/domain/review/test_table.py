"""The transitions table: well formed, agreeing with what filings does itself, and the committed diagram is its."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from db.models import ApplicationStatus
from domain import filings, review
from domain.review.transitions import Action

ROOT = Path(__file__).resolve().parents[3]


def test_each_source_and_action_ends_with_a_row_that_always_applies() -> None:
    groups: dict[tuple[ApplicationStatus | None, Action], list[review.Transition]] = defaultdict(list)
    for row in review.TRANSITIONS:
        groups[(row.source, row.action)].append(row)
    for (source, action), rows in groups.items():
        assert len({row.actor for row in rows}) == 1, (source, action)  # one role per stage and action
        if action is Action.RESUBMIT:  # back to the stage of the notice answered (filings.resubmit reads it)
            assert all(row.when for row in rows)
            continue
        assert rows[-1].guard is None, (source, action)
        assert all(row.guard is not None and row.when for row in rows[:-1]), (source, action)


def test_the_table_agrees_with_the_moves_filings_makes_itself() -> None:
    rows = review.TRANSITIONS
    assert {r.source for r in rows if r.action is Action.WITHDRAW} == set(filings.WITHDRAWABLE)
    assert {r.source for r in rows if r.action is Action.RETURN} == set(filings.REVIEW_STAGES)
    assert {r.source for r in rows if r.action is Action.RETURN} == set(filings.STAGE_LABELS)
    assert {r.target for r in rows if r.action is Action.RESUBMIT} == set(filings.REVIEW_STAGES)
    assert set(review.DECIDED) == set(ApplicationStatus) - set(filings.WITHDRAWABLE)
    reached = {r.target for r in rows}
    assert reached == set(ApplicationStatus)  # every status is reachable
    for row in rows:  # nothing leaves a decided filing but its announcement
        assert row.source not in review.DECIDED or (row.source, row.action) == (
            ApplicationStatus.APPROVED,
            Action.ANNOUNCE,
        )
    staff_rows = [r for r in rows if r.action in review.STAFF_ACTIONS]
    assert {r.by for r in staff_rows} == {"domain.review"}
    assert {r.actor.value for r in staff_rows} == {"ENTERPRISE", "SPECIALTY_MINISTRY", "MINISTRY"}


def test_the_committed_diagram_is_the_one_the_table_generates() -> None:
    committed = (ROOT / "docs" / "review-states.md").read_text(encoding="utf-8")
    assert committed == review.diagram_markdown(), "run: python manage.py review-diagram (and update the doc)"
    for row in review.TRANSITIONS:
        assert f"{row.target.value}: {row.action.value} by {row.actor.value}" in committed


def test_the_command_prints_the_diagram() -> None:
    printed = subprocess.run(
        [sys.executable, "manage.py", "review-diagram"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert printed.stdout == review.diagram_mermaid()
    assert printed.stdout.startswith("stateDiagram-v2\n")
