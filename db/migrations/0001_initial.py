from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from db.models.accounts import StaffRole
from db.models.attachments import AttachmentKind
from json import dumps, loads
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Enterprise',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=200)),
                ('credit_code', fields.CharField(unique=True, max_length=18)),
                ('province_code', fields.CharField(max_length=2)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'enterprise', 'app': 'models', 'pk_attr': 'id', 'table_description': 'An employer (聘用企业), identified by its unified social credit code.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OutboxMessage',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('job_name', fields.CharField(max_length=60)),
                ('payload', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('enqueued_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('enqueue_count', fields.IntField(default=0)),
                ('done_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('failed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.CharField(null=True, max_length=300)),
            ],
            options={'table': 'outbox_message', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A job to run. Its id is the arq job id, so re-sending it never runs it twice at once.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Person',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('real_name', fields.CharField(max_length=30)),
                ('id_number_digest', fields.CharField(unique=True, max_length=64)),
                ('id_number_cipher', fields.TextField(unique=False)),
                ('id_number_masked', fields.CharField(max_length=18)),
                ('birth_date', fields.DateField()),
                ('gender', fields.CharField(max_length=1)),
                ('mobile', fields.CharField(db_index=True, max_length=11)),
                ('password_hash', fields.CharField(max_length=200)),
                ('ethnicity', fields.CharField(null=True, max_length=10)),
                ('email', fields.CharField(null=True, max_length=254)),
                ('education', fields.CharField(null=True, max_length=20)),
                ('degree', fields.CharField(null=True, max_length=10)),
                ('school', fields.CharField(null=True, max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'person', 'app': 'models', 'pk_attr': 'id', 'table_description': 'An applicant. The ID number is kept encrypted, looked up by keyed digest, shown masked.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Attachment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('person', fields.ForeignKeyField('models.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='attachments', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='PHOTO: PHOTO\nID_CARD_FRONT: ID_CARD_FRONT\nID_CARD_BACK: ID_CARD_BACK\nHANDHELD_ID: HANDHELD_ID\nSIGNATURE: SIGNATURE', enum_type=AttachmentKind, max_length=20)),
                ('storage_name', fields.CharField(unique=True, max_length=64)),
                ('content_type', fields.CharField(max_length=20)),
                ('size_bytes', fields.IntField()),
                ('width', fields.IntField()),
                ('height', fields.IntField()),
                ('sha256', fields.CharField(max_length=64)),
                ('current', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('replaced_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'attachment', 'app': 'models', 'indexes': [Index(fields=['person_id', 'kind', 'current'])], 'pk_attr': 'id', 'table_description': 'One stored, re-encoded image. current marks the one in use for its kind.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StaffUser',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('username', fields.CharField(unique=True, max_length=50)),
                ('display_name', fields.CharField(max_length=50)),
                ('role', fields.CharEnumField(description='ADMIN: ADMIN\nPROVINCE: PROVINCE\nENTERPRISE: ENTERPRISE\nSPECIALTY_MINISTRY: SPECIALTY_MINISTRY\nMINISTRY: MINISTRY', enum_type=StaffRole, max_length=20)),
                ('province_code', fields.CharField(null=True, max_length=2)),
                ('enterprise', fields.ForeignKeyField('models.Enterprise', source_field='enterprise_id', null=True, db_constraint=True, to_field='id', related_name='staff', on_delete=OnDelete.RESTRICT)),
                ('password_hash', fields.CharField(max_length=200)),
                ('active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'staff_user', 'app': 'models', 'pk_attr': 'id', 'table_description': 'An employee of an enterprise, a provincial authority, a ministry, or an administrator.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Session',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('person', fields.ForeignKeyField('models.Person', source_field='person_id', null=True, db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.CASCADE)),
                ('staff', fields.ForeignKeyField('models.StaffUser', source_field='staff_id', null=True, db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_seen_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('ip', fields.CharField(max_length=45)),
                ('user_agent', fields.CharField(max_length=300)),
            ],
            options={'table': 'session', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A login session. Only the SHA-256 of the bearer token is stored.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TrailEntry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('person', fields.ForeignKeyField('models.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='trail', on_delete=OnDelete.RESTRICT)),
                ('seq', fields.IntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('action', fields.CharField(max_length=40)),
                ('description', fields.CharField(max_length=200)),
                ('actor', fields.CharField(max_length=80)),
                ('ip', fields.CharField(max_length=45)),
                ('user_agent', fields.CharField(max_length=300)),
                ('prev_hash', fields.CharField(max_length=64)),
                ('entry_hash', fields.CharField(max_length=64)),
            ],
            options={'table': 'trail_entry', 'app': 'models', 'unique_together': (('person_id', 'seq'),), 'pk_attr': 'id', 'table_description': 'One action. entry_hash covers every field and the hash of the previous entry.'},
            bases=['Model'],
        ),
    ]
