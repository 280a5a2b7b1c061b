"""Enterprise suggestions while the person types (`enterprises(keyword, first)`), answered from indexes only:
qualified enterprises whose name starts with the keyword, then those whose pinyin initials start with it, then those
whose name or initials contain it (3 characters or more: the trigram indexes of migration 0007; 1 or 2 characters:
the gram table of migration 0010). Each tier reads a bounded number of rows in its index's order, so the work does
not grow with the table; the order is deterministic (name, initials, id)."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from db.models import Enterprise
from domain.kernel.errors import DomainError, ErrorCode

MAX_SUGGESTIONS = 20
DEFAULT_SUGGESTIONS = 10
MAX_KEYWORD_CHARS = 50
MIN_SUBSTRING_CHARS = 3  # a trigram index needs three characters; shorter keywords use the gram table
INITIALS_MARK = "\x1f"  # marks the initials' grams in enterprise_gram (a keyword never holds it)
GRAM_ROWS_PER_SUGGESTION = 8  # a one-character range meets one enterprise once per gram starting with it
PREFIX_END = "\U0010ffff"  # sorts after any character: [keyword, keyword + END) is the keyword's prefix range

SQLITE = {
    "name": "SELECT id FROM enterprise WHERE qualification_status = 'QUALIFIED' AND name >= ? AND name < ? "
    "ORDER BY name, id LIMIT ?",
    "initials": "SELECT id FROM enterprise WHERE qualification_status = 'QUALIFIED' AND name_initials >= ? "
    "AND name_initials < ? ORDER BY name_initials, id LIMIT ?",
    "contains": "SELECT e.id FROM enterprise_search JOIN enterprise e ON e.id = enterprise_search.rowid "
    "WHERE enterprise_search MATCH ? AND e.qualification_status = 'QUALIFIED' ORDER BY enterprise_search.rowid "
    "LIMIT ?",
    "gram": "SELECT g.enterprise_id AS id FROM enterprise_gram g JOIN enterprise e ON e.id = g.enterprise_id "
    "WHERE g.gram = ? AND e.qualification_status = 'QUALIFIED' ORDER BY g.enterprise_id LIMIT ?",
    "gram_range": "SELECT g.enterprise_id AS id FROM enterprise_gram g JOIN enterprise e ON e.id = g.enterprise_id "
    "WHERE g.gram >= ? AND g.gram < ? AND e.qualification_status = 'QUALIFIED' ORDER BY g.gram, g.enterprise_id "
    "LIMIT ?",
}
POSTGRES = {
    "name": "SELECT id FROM enterprise WHERE qualification_status = 'QUALIFIED' AND name COLLATE \"C\" >= $1 "
    'AND name COLLATE "C" < $2 ORDER BY name COLLATE "C", id LIMIT $3',
    "initials": "SELECT id FROM enterprise WHERE qualification_status = 'QUALIFIED' AND name_initials COLLATE \"C\" "
    '>= $1 AND name_initials COLLATE "C" < $2 ORDER BY name_initials COLLATE "C", id LIMIT $3',
    # The status is checked outside the trigram lookup: else the planner may prefer the partial prefix indexes
    # (every qualified row) as the status filter.
    "contains": "WITH hits AS MATERIALIZED (SELECT id, qualification_status FROM enterprise WHERE name ILIKE $1 "
    "OR name_initials LIKE $2) SELECT id FROM hits WHERE qualification_status = 'QUALIFIED' ORDER BY id LIMIT $3",
    "gram": "SELECT g.enterprise_id AS id FROM enterprise_gram g JOIN enterprise e ON e.id = g.enterprise_id "
    "WHERE g.gram = $1 AND e.qualification_status = 'QUALIFIED' ORDER BY g.enterprise_id LIMIT $2",
    "gram_range": "SELECT g.enterprise_id AS id FROM enterprise_gram g JOIN enterprise e ON e.id = g.enterprise_id "
    "WHERE g.gram >= $1 AND g.gram < $2 AND e.qualification_status = 'QUALIFIED' "
    "ORDER BY g.gram, g.enterprise_id LIMIT $3",
}
# PostgreSQL's planner would answer a substring by walking the primary key and filtering (cheap for a common
# keyword, the whole table for one that matches nothing) or by a sequential scan: within the statement's
# transaction only the trigram indexes' bitmap is left to it.
POSTGRES_INDEX_ONLY = "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off"


def clean_keyword(keyword: str) -> str:
    """The keyword trimmed, inner whitespace collapsed to one space, control characters and lone surrogates
    dropped; too long is a coded error."""
    text = " ".join("".join(ch for ch in keyword if ch.isprintable() or ch.isspace()).split())
    text = "".join(ch for ch in text if not 0xD800 <= ord(ch) <= 0xDFFF)
    if len(text) > MAX_KEYWORD_CHARS:
        raise DomainError(ErrorCode.INVALID_INPUT, "keyword", f"关键字最多{MAX_KEYWORD_CHARS}个字符。")
    return text


def check_first(first: int | None) -> int:
    """How many suggestions: 1 to 20 (10 when not given)."""
    if first is None:
        return DEFAULT_SUGGESTIONS
    if not 1 <= first <= MAX_SUGGESTIONS:
        raise DomainError(ErrorCode.INVALID_INPUT, "first", f"建议条数须在1到{MAX_SUGGESTIONS}之间。")
    return first


def _like_pattern(text: str) -> str:
    """`%text%` with LIKE's wildcards in the text taken literally (PostgreSQL's default escape is the backslash)."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def statements(keyword: str, limit: int, dialect: str) -> list[tuple[str, list[object]]]:
    """The tiers' statements for this keyword, in order of preference."""
    sql = SQLITE if dialect == "sqlite" else POSTGRES
    tiers: list[tuple[str, list[object]]] = [(sql["name"], [keyword, keyword + PREFIX_END, limit])]
    initials = keyword.lower()
    if initials.isascii() and initials.isalnum():
        tiers.append((sql["initials"], [initials, initials + PREFIX_END, limit]))
    if len(keyword) < MIN_SUBSTRING_CHARS:
        return tiers + _gram_tiers(keyword, initials, limit, sql)
    if dialect == "sqlite":
        tiers.append((sql["contains"], ['"' + keyword.replace('"', '""') + '"', limit]))
    else:
        tiers.append((sql["contains"], [_like_pattern(keyword), _like_pattern(initials), limit]))
    return tiers


def _gram_tiers(keyword: str, initials: str, limit: int, sql: dict[str, str]) -> list[tuple[str, list[object]]]:
    """A 2-character keyword is one gram (of the name, and of the initials when it is letters or digits); a
    1-character keyword is the range of grams that start with it."""
    grams = [keyword.lower()] + ([INITIALS_MARK + initials] if initials.isascii() and initials.isalnum() else [])
    if len(keyword) == 2:
        return [(sql["gram"], [gram, limit]) for gram in grams]
    rows = limit * GRAM_ROWS_PER_SUGGESTION
    return [(sql["gram_range"], [gram, gram + PREFIX_END, rows]) for gram in grams]


async def suggest_enterprises(keyword: str, first: int | None = None) -> list[Enterprise]:
    """Qualified enterprises for what the person typed: by name prefix, initials prefix, then substring."""
    limit = check_first(first)
    text = clean_keyword(keyword)
    if not text:
        return []
    ids: list[int] = []
    async with in_transaction() as connection:
        dialect = connection.capabilities.dialect
        for sql, params in statements(text, limit, dialect):
            if len(ids) >= limit:
                break
            if dialect != "sqlite" and sql is POSTGRES["contains"]:
                await connection.execute_script(POSTGRES_INDEX_ONLY)
            for row in await connection.execute_query_dict(sql, params):
                if row["id"] not in ids:
                    ids.append(row["id"])
        ids = ids[:limit]
        found = {row.id: row for row in await Enterprise.filter(id__in=ids).using_db(connection)} if ids else {}
    return [found[key] for key in ids if key in found]


async def query_plans(keyword: str, first: int | None = None) -> list[str]:
    """The database's plan for each tier the keyword runs (EXPLAIN QUERY PLAN / EXPLAIN), as the suggestions run
    them: how the tests and the bench show that only indexes answer."""
    limit, text = check_first(first), clean_keyword(keyword)
    plans: list[str] = []
    async with in_transaction() as connection:
        dialect = connection.capabilities.dialect
        explain = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN "
        for sql, params in statements(text, limit, dialect):
            if dialect != "sqlite" and sql is POSTGRES["contains"]:
                await connection.execute_script(POSTGRES_INDEX_ONLY)
            rows = await connection.execute_query_dict(explain + sql, params)
            plans.append("\n".join(str(list(row.values())[-1]) for row in rows))
    return plans
