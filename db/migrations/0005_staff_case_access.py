from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0004_attachment_file_deleted')]

    initial = False

    operations = [
        ops.CreateModel(
            name='StaffCaseAccess',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('staff', fields.ForeignKeyField('models.StaffUser', source_field='staff_id', db_constraint=True, to_field='id', related_name='case_accesses', on_delete=OnDelete.RESTRICT)),
                ('person', fields.ForeignKeyField('models.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='staff_accesses', on_delete=OnDelete.RESTRICT)),
                ('opened_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'staff_case_access', 'app': 'models', 'indexes': [Index(fields=['staff_id', 'person_id', 'expires_at'])], 'pk_attr': 'id', 'table_description': "A staff user opened a case of this person (on-site verification): they may read the person's data until"},
            bases=['Model'],
        ),
    ]
