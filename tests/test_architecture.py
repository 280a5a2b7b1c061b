"""Standing rules of the code base, checked on every run."""

import ast
import subprocess
import sys
from pathlib import Path

from domain.kernel.settings import PROJECT_ROOT

FORBIDDEN = {"strawberry", "starlette", "arq"}


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_domain_and_db_import_no_transport() -> None:
    offenders = [
        f"{path.relative_to(PROJECT_ROOT)}: {sorted(_imported_roots(path) & FORBIDDEN)}"
        for folder in ("domain", "db")
        for path in (PROJECT_ROOT / folder).rglob("*.py")
        if _imported_roots(path) & FORBIDDEN
    ]
    assert offenders == []


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
