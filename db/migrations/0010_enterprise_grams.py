"""Enterprise suggestions for keywords of one or two characters, by substring (建工 inside 重庆建工集团): a table of
each name's one- and two-character pieces (and its pinyin initials', marked with a leading \\x1f, which no keyword
holds) keyed by (gram, enterprise id), kept in step with the enterprise table by triggers. A two-character keyword
is one index lookup; a one-character keyword a range of the same index. Longer keywords keep the trigram indexes of
migration 0007."""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

MAX_NAME_CHARS = 200  # enterprise.name's max_length: the positions table covers every character

SQLITE_GRAMS = (
    "INSERT OR IGNORE INTO enterprise_gram (gram, enterprise_id) "
    "SELECT lower(substr(new.name, n, 2)), new.id FROM gram_position WHERE n <= length(new.name); "
    "INSERT OR IGNORE INTO enterprise_gram (gram, enterprise_id) "
    "SELECT char(31) || substr(new.name_initials, n, 2), new.id FROM gram_position "
    "WHERE n <= length(new.name_initials);"
)
SQLITE = [
    "CREATE TABLE enterprise_gram (gram TEXT NOT NULL, enterprise_id INTEGER NOT NULL, "
    "PRIMARY KEY (gram, enterprise_id)) WITHOUT ROWID",
    "CREATE INDEX enterprise_gram_owner ON enterprise_gram (enterprise_id)",
    "CREATE TABLE gram_position (n INTEGER PRIMARY KEY)",
    f"WITH RECURSIVE p(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM p WHERE n < {MAX_NAME_CHARS}) "
    "INSERT INTO gram_position SELECT n FROM p",
    f"CREATE TRIGGER enterprise_gram_insert AFTER INSERT ON enterprise BEGIN {SQLITE_GRAMS} END",
    "CREATE TRIGGER enterprise_gram_delete AFTER DELETE ON enterprise BEGIN "
    "DELETE FROM enterprise_gram WHERE enterprise_id = old.id; END",
    "CREATE TRIGGER enterprise_gram_update AFTER UPDATE OF name, name_initials ON enterprise BEGIN "
    f"DELETE FROM enterprise_gram WHERE enterprise_id = old.id; {SQLITE_GRAMS} END",
    "INSERT OR IGNORE INTO enterprise_gram (gram, enterprise_id) SELECT lower(substr(e.name, p.n, 2)), e.id "
    "FROM enterprise e JOIN gram_position p ON p.n <= length(e.name)",
    "INSERT OR IGNORE INTO enterprise_gram (gram, enterprise_id) SELECT char(31) || substr(e.name_initials, p.n, 2), "
    "e.id FROM enterprise e JOIN gram_position p ON p.n <= length(e.name_initials)",
]
SQLITE_REVERSE = [
    "DROP TRIGGER enterprise_gram_update",
    "DROP TRIGGER enterprise_gram_delete",
    "DROP TRIGGER enterprise_gram_insert",
    "DROP TABLE gram_position",
    "DROP TABLE enterprise_gram",
]
POSTGRES = [
    'CREATE TABLE enterprise_gram (gram TEXT COLLATE "C" NOT NULL, enterprise_id INTEGER NOT NULL, '
    "PRIMARY KEY (gram, enterprise_id))",
    "CREATE INDEX enterprise_gram_owner ON enterprise_gram (enterprise_id)",
    """CREATE FUNCTION enterprise_gram_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM enterprise_gram WHERE enterprise_id = OLD.id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO enterprise_gram (gram, enterprise_id)
      SELECT lower(substr(NEW.name, n, 2)), NEW.id FROM generate_series(1, char_length(NEW.name)) AS n
      UNION SELECT chr(31) || substr(NEW.name_initials, n, 2), NEW.id
      FROM generate_series(1, char_length(NEW.name_initials)) AS n
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$""",
    "CREATE TRIGGER enterprise_gram_sync AFTER INSERT OR DELETE OR UPDATE OF name, name_initials ON enterprise "
    "FOR EACH ROW EXECUTE FUNCTION enterprise_gram_sync()",
    "INSERT INTO enterprise_gram (gram, enterprise_id) "
    "SELECT lower(substr(e.name, n, 2)), e.id FROM enterprise e, generate_series(1, char_length(e.name)) AS n "
    "UNION SELECT chr(31) || substr(e.name_initials, n, 2), e.id FROM enterprise e, "
    "generate_series(1, char_length(e.name_initials)) AS n ON CONFLICT DO NOTHING",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER enterprise_gram_sync ON enterprise",
    "DROP FUNCTION enterprise_gram_sync()",
    "DROP TABLE enterprise_gram",
]


async def forward(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    for sql in SQLITE if client.capabilities.dialect == "sqlite" else POSTGRES:
        await client.execute_script(sql)


async def backward(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    for sql in SQLITE_REVERSE if client.capabilities.dialect == "sqlite" else POSTGRES_REVERSE:
        await client.execute_script(sql)


class Migration(migrations.Migration):
    dependencies = [("models", "0009_review_certificates")]

    initial = False

    operations = [ops.RunPython(forward, backward)]
