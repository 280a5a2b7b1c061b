"""Certificate versions are unique per registration number and seal check code, no longer per registration: a
re-registration re-activates the person's one registration with a new number, whose first version is 00 again.
Also the unique index on certificate.application_id that the model declares and 0009 did not create (an approval
issues at most one version)."""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import UniqueConstraint

OLD_CONSTRAINT = ',\n    CONSTRAINT "uid_certificate_registr_7dac05" UNIQUE ("registration_id", "seal_check")'


class RemoveUniqueTogether(ops.RemoveConstraint):
    """RemoveConstraint, except on SQLite, where a unique_together is part of CREATE TABLE (no index to drop): the
    table is rebuilt from its own CREATE statement without that clause, rows and indexes kept (SQLite's way)."""

    async def database_forward(
        self, app_label: str, old_state: Any, new_state: Any, state_editor: Any | None = None
    ) -> None:
        if state_editor is None or state_editor.client.capabilities.dialect != "sqlite":
            await super().database_forward(app_label, old_state, new_state, state_editor)
            return
        client = state_editor.client
        rows = await client.execute_query_dict(
            "SELECT type, sql FROM sqlite_master WHERE tbl_name = 'certificate' AND sql IS NOT NULL"
        )
        create = next(row["sql"] for row in rows if row["type"] == "table")
        if OLD_CONSTRAINT not in create:
            raise RuntimeError("certificate: the unique (registration_id, seal_check) clause was not found")
        indexes = [row["sql"] for row in rows if row["type"] == "index"]
        rebuilt = create.replace(OLD_CONSTRAINT, "").replace(
            'CREATE TABLE "certificate"', 'CREATE TABLE "new__certificate"'
        )
        for statement in (
            rebuilt,
            'INSERT INTO "new__certificate" SELECT * FROM "certificate"',
            'DROP TABLE "certificate"',
            'ALTER TABLE "new__certificate" RENAME TO "certificate"',
            *indexes,
        ):
            await client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [("models", "0011_import_jobs")]

    initial = False

    operations = [
        RemoveUniqueTogether(model_name="Certificate", name=None, fields=["registration_id", "seal_check"]),
        ops.AddConstraint(
            model_name="Certificate",
            constraint=UniqueConstraint(fields=("number", "seal_check"), name=None),
        ),
        ops.RunSQL(
            'CREATE UNIQUE INDEX "uid_certificate_application" ON "certificate" ("application_id")',
            'DROP INDEX "uid_certificate_application"',
        ),
    ]
