"""Standing rules of the code base checked on every run (the dependency rules are import-linter's, in
`make lint`)."""

import subprocess
import sys

from domain.kernel.settings import PROJECT_ROOT


def test_committed_schema_matches_code() -> None:
    """schema.graphql is what clients build against: regenerate it with `make schema` after a change."""
    result = subprocess.run(
        [sys.executable, "manage.py", "export-schema"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    committed = (PROJECT_ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert result.stdout == committed, "schema.graphql drifted from the code: run `make schema`"
