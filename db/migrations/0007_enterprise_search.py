"""Enterprise suggestions answered from indexes, per dialect (Tortoise's RunSQL has no dialect switch, so a
RunPython picks the statements by the connection's dialect):

- SQLite: an FTS5 table with the trigram tokenizer over the name and its pinyin initials (external content, kept
  in step by triggers) for keywords of 3 characters or more; partial B-tree indexes over the qualified
  enterprises' names and initials for prefixes (a 1–2 character keyword such as 中建 or zj).
- PostgreSQL: pg_trgm GIN indexes over the name and the initials; the same partial prefix indexes, in the "C"
  collation so that a range over them is a byte-wise prefix.

The initials of enterprises that exist already are computed here (pypinyin), as the import does for new ones."""

from typing import Any

from pypinyin import Style, lazy_pinyin
from tortoise import migrations
from tortoise.migrations import operations as ops

SQLITE = [
    "CREATE VIRTUAL TABLE enterprise_search USING fts5(name, name_initials, content='enterprise', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER enterprise_search_insert AFTER INSERT ON enterprise BEGIN "
    "INSERT INTO enterprise_search(rowid, name, name_initials) VALUES (new.id, new.name, new.name_initials); END",
    "CREATE TRIGGER enterprise_search_delete AFTER DELETE ON enterprise BEGIN "
    "INSERT INTO enterprise_search(enterprise_search, rowid, name, name_initials) "
    "VALUES ('delete', old.id, old.name, old.name_initials); END",
    "CREATE TRIGGER enterprise_search_update AFTER UPDATE OF name, name_initials ON enterprise BEGIN "
    "INSERT INTO enterprise_search(enterprise_search, rowid, name, name_initials) "
    "VALUES ('delete', old.id, old.name, old.name_initials); "
    "INSERT INTO enterprise_search(rowid, name, name_initials) VALUES (new.id, new.name, new.name_initials); END",
    "INSERT INTO enterprise_search(enterprise_search) VALUES ('rebuild')",
    "CREATE INDEX enterprise_name_prefix ON enterprise (name, id) WHERE qualification_status = 'QUALIFIED'",
    "CREATE INDEX enterprise_initials_prefix ON enterprise (name_initials, id) "
    "WHERE qualification_status = 'QUALIFIED'",
]
SQLITE_REVERSE = [
    "DROP INDEX enterprise_initials_prefix",
    "DROP INDEX enterprise_name_prefix",
    "DROP TRIGGER enterprise_search_update",
    "DROP TRIGGER enterprise_search_delete",
    "DROP TRIGGER enterprise_search_insert",
    "DROP TABLE enterprise_search",
]
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX enterprise_name_trgm ON enterprise USING gin (name gin_trgm_ops)",
    "CREATE INDEX enterprise_initials_trgm ON enterprise USING gin (name_initials gin_trgm_ops)",
    'CREATE INDEX enterprise_name_prefix ON enterprise ((name COLLATE "C"), id) '
    "WHERE qualification_status = 'QUALIFIED'",
    'CREATE INDEX enterprise_initials_prefix ON enterprise ((name_initials COLLATE "C"), id) '
    "WHERE qualification_status = 'QUALIFIED'",
]
POSTGRES_REVERSE = [
    "DROP INDEX enterprise_initials_prefix",
    "DROP INDEX enterprise_name_prefix",
    "DROP INDEX enterprise_initials_trgm",
    "DROP INDEX enterprise_name_trgm",
]


def initials(name: str) -> str:
    letters = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")).lower()
    return "".join(ch for ch in letters if ch.isascii() and ch.isalnum())


async def forward(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    for row in await client.execute_query_dict("SELECT id, name FROM enterprise WHERE name_initials = ''"):
        placeholder = "?" if client.capabilities.dialect == "sqlite" else "$1"
        await client.execute_query(
            f"UPDATE enterprise SET name_initials = {placeholder} WHERE id = {row['id']:d}", [initials(row["name"])]
        )
    for sql in SQLITE if client.capabilities.dialect == "sqlite" else POSTGRES:
        await client.execute_script(sql)


async def backward(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    for sql in SQLITE_REVERSE if client.capabilities.dialect == "sqlite" else POSTGRES_REVERSE:
        await client.execute_script(sql)


class Migration(migrations.Migration):
    dependencies = [("models", "0006_filings")]

    initial = False

    operations = [ops.RunPython(forward, backward)]
