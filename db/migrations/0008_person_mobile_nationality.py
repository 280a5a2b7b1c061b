from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

# Person.mobile becomes UNIQUE (one number, one person: MOBILE_TAKEN). Before this migration a number could be
# bound to several people (registration did not prove it). Which of them owns the number cannot be decided by a
# program, so the migration refuses to run while duplicates exist, naming them (masked numbers and person ids):
# an operator settles each case (ask the people; change the others' mobile) and runs `migrate` again.
DUPLICATES_SQL = (
    "SELECT mobile, COUNT(*) AS people, MIN(id) AS first_id, MAX(id) AS last_id "
    "FROM person GROUP BY mobile HAVING COUNT(*) > 1 ORDER BY mobile"
)


class DuplicateMobiles(RuntimeError):
    """Several people share one mobile: the unique index cannot be built until an operator settles it."""


async def refuse_duplicate_mobiles(apps, schema_editor) -> None:
    rows = await schema_editor.client.execute_query_dict(DUPLICATES_SQL)
    if not rows:
        return
    cases = "; ".join(
        f"{row['mobile'][:3]}****{row['mobile'][-4:]}: {row['people']} (person id {row['first_id']}…{row['last_id']})"
        for row in rows[:20]
    )
    raise DuplicateMobiles(
        f"手机号码重复：{len(rows)}个号码绑定了多个账号，无法建立唯一索引；请逐一核实后更换其他账号的手机号码，再重新迁移。"
        f" / {len(rows)} mobile numbers are bound to several people; settle each (change the others' mobile) and "
        f"migrate again. {cases}"
    )


class Migration(migrations.Migration):
    dependencies = [('models', '0007_enterprise_search')]

    initial = False

    operations = [
        ops.RunPython(refuse_duplicate_mobiles, ops.RunPython.noop),
        ops.AlterField(
            model_name='Person',
            name='mobile',
            field=fields.CharField(unique=True, max_length=11),
        ),
        ops.AddField(
            model_name='Person',
            name='nationality',
            field=fields.CharField(default='CN', db_default='CN', max_length=2),
        ),
    ]
