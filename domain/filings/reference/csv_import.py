"""Streaming CSV imports of reference data: UTF-8 (a BOM allowed), a fixed header, each row validated on its own
(a bad row becomes a line of the report, good rows are kept), valid rows written in batches (one transaction each)
as an upsert on the natural key that counts what it inserted, changed and left as it was, so re-importing a file
changes nothing. Memory stays bounded by the batch (plus an 8-byte hash and the row number per key seen, to report
duplicate rows)."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import inspect
import io
import time
from collections.abc import Awaitable, Callable, Hashable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, Generic, TypeVar

from domain.kernel import threads
from domain.kernel.errors import DomainError, DomainErrors, ErrorCode

Record = TypeVar("Record")
Result = TypeVar("Result")
BATCH_ROWS = 1000
MAX_REPORTED_ERRORS = 200
NOT_UTF8 = "\ufffd"
Progress = Callable[[int, int], Awaitable[None] | None]  # rows read, bytes read (a coroutine is awaited)
_pool = threads.background_pool(1, "csv-import")  # one import reads at a time per process


@dataclass(frozen=True)
class RowError:
    """One problem of one row: the row's line in the file (the header is line 1), the column, code and reason."""

    row: int
    field: str | None
    code: ErrorCode
    message: str


@dataclass
class ImportReport:
    """What an import did; `errors` holds the first MAX_REPORTED_ERRORS problems, `error_count` all of them."""

    rows_read: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    finished: bool = True  # False: a part of the file stopped at its time budget (more rows follow)

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(error)

    @property
    def errors_not_shown(self) -> int:
        return self.error_count - len(self.errors)


@dataclass(frozen=True)
class Counts:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class ImportKind(Generic[Record]):
    """One kind of import: its header, how a row becomes a record (DomainError/DomainErrors with the column
    names as fields), the record's natural key, and how a batch is written."""

    header: tuple[str, ...]
    parse: Callable[[dict[str, str]], Record]
    key: Callable[[Record], Hashable]
    write: Callable[[list[Record]], Awaitable[Counts]]


def _key_hash(key: Hashable) -> int:
    return int.from_bytes(hashlib.blake2b(repr(key).encode(), digest_size=8).digest())


def _rows(text: io.TextIOWrapper) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each non-blank row. CSV that cannot be parsed (an unclosed quote, a field over the
    csv module's limit) stops the reading at that line."""
    reader = csv.reader(text, strict=True)
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise UnreadableRow(reader.line_num + 1) from exc
        if any(cell.strip() for cell in cells):
            yield reader.line_num, cells


class UnreadableRow(Exception):
    def __init__(self, row: int) -> None:
        self.row = row
        super().__init__(f"unreadable at line {row}")


def _check_header(first: list[str] | None, header: tuple[str, ...]) -> None:
    if first is not None and any(NOT_UTF8 in cell for cell in first):
        raise DomainError(ErrorCode.IMPORT_FILE_UNREADABLE, "file", "文件不是UTF-8编码，请另存为UTF-8编码的CSV文件。")
    if first is None or tuple(cell.strip() for cell in first) != header:
        raise DomainError(ErrorCode.IMPORT_HEADER_INVALID, "file", f"表头不正确，第一行应为：{','.join(header)}")


def _row_errors(row: int, exc: DomainError | DomainErrors) -> list[RowError]:
    problems = exc.errors if isinstance(exc, DomainErrors) else [exc]
    return [RowError(row, problem.field, problem.code, problem.message) for problem in problems]


@dataclass(frozen=True)
class Part:
    """Which part of a file to import: after its first `skip_rows` data rows (read again only for their keys, so a
    duplicate of an earlier row is still reported), stopping after `budget_s` seconds (None: to the end)."""

    skip_rows: int = 0
    budget_s: float | None = None


async def run_import(
    kind: ImportKind[Record],
    stream: BinaryIO,
    progress: Progress | None = None,
    batch_rows: int = BATCH_ROWS,
    part: Part | None = None,
) -> ImportReport:
    """Read, validate and write the file (or a part of it: `report.finished` says whether it reached the end); the
    header is checked before anything is written. Reading and validating (CPU work) run in a low-priority thread, a
    batch at a time, so the event loop keeps serving."""
    loop = asyncio.get_running_loop()
    part = part or Part()
    # Bytes that are not UTF-8 become U+FFFD: that row is then refused alone (the header: the whole file).
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
    try:
        state = _Reading(kind, _rows(text), batch_rows)
        await loop.run_in_executor(_pool, state.header)
        await loop.run_in_executor(_pool, state.skip, part.skip_rows)
        started = time.monotonic()
        while not state.done:
            batch = await loop.run_in_executor(_pool, state.next_batch)
            if batch:
                _add(state.report, await kind.write(batch))
            if progress is not None:
                reported = progress(part.skip_rows + state.report.rows_read, stream.tell())
                if inspect.isawaitable(reported):
                    await reported
            if part.budget_s is not None and time.monotonic() - started >= part.budget_s:
                break
    finally:
        text.detach()  # the caller's stream stays open (closing the wrapper would close it)
    state.report.finished = state.done
    return state.report


@dataclass
class _Reading(Generic[Record]):
    """The reading side of one import, advanced a batch at a time (always by one thread at a time)."""

    kind: ImportKind[Record]
    rows: Iterator[tuple[int, list[str]]]
    batch_rows: int
    report: ImportReport = field(default_factory=ImportReport)
    seen: dict[int, int] = field(default_factory=dict)
    done: bool = False

    def header(self) -> None:
        try:
            first = next((cells for _, cells in self.rows), None)
        except UnreadableRow as unreadable:
            raise DomainError(ErrorCode.IMPORT_FILE_UNREADABLE, "file") from unreadable
        _check_header(first, self.kind.header)

    def skip(self, rows: int) -> None:
        """Pass over rows an earlier part imported, keeping their keys (their errors were reported then)."""
        scratch = ImportReport()
        try:
            for _ in range(rows):
                line, cells = next(self.rows)
                _parse(self.kind, line, cells, scratch, self.seen)
        except (StopIteration, UnreadableRow):
            self.done = True

    def next_batch(self) -> list[Record]:
        batch: list[Record] = []
        try:
            for line, cells in self.rows:
                self.report.rows_read += 1
                record = _parse(self.kind, line, cells, self.report, self.seen)
                if record is not None:
                    batch.append(record)
                if len(batch) >= self.batch_rows:
                    return batch
        except UnreadableRow as unreadable:
            self.report.add_error(
                RowError(unreadable.row, None, ErrorCode.IMPORT_FILE_UNREADABLE, _unreadable(unreadable))
            )
        self.done = True
        return batch


async def run_in_background(work: Callable[[], Result]) -> Result:
    """CPU work of an import (pinyin initials) in the import's low-priority thread."""
    return await asyncio.get_running_loop().run_in_executor(_pool, work)


def _unreadable(unreadable: UnreadableRow) -> str:
    return f"自第{unreadable.row}行起无法按CSV格式读取（如引号未闭合），其后的行未导入。"


def _parse(
    kind: ImportKind[Record], line: int, cells: list[str], report: ImportReport, seen: dict[int, int]
) -> Record | None:
    if any(NOT_UTF8 in cell for cell in cells):
        report.add_error(RowError(line, None, ErrorCode.IMPORT_FILE_UNREADABLE, "该行含有非UTF-8编码的内容。"))
        return None
    if len(cells) != len(kind.header):
        message = f"列数不正确：应为{len(kind.header)}列，实为{len(cells)}列。"
        report.add_error(RowError(line, None, ErrorCode.INVALID_INPUT, message))
        return None
    try:
        record = kind.parse({name: cell.strip() for name, cell in zip(kind.header, cells, strict=True)})
    except (DomainError, DomainErrors) as exc:
        for error in _row_errors(line, exc):
            report.add_error(error)
        return None
    digest = _key_hash(kind.key(record))
    if digest in seen:
        message = f"与第{seen[digest]}行重复（同一记录只能出现一次）。"
        report.add_error(RowError(line, None, ErrorCode.DUPLICATE_ROW, message))
        return None
    seen[digest] = line
    return record


def _add(report: ImportReport, counts: Counts) -> None:
    report.imported += counts.imported
    report.updated += counts.updated
    report.unchanged += counts.unchanged


__all__ = ["Counts", "ImportKind", "ImportReport", "Part", "RowError", "run_import"]
