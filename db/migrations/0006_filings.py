from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from db.models.filings import ApplicationKind, ApplicationStatus, RegistrationStatus, StepOutcome
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0005_staff_case_access')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Application',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('person', fields.ForeignKeyField('models.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='applications', on_delete=OnDelete.RESTRICT)),
                ('kind', fields.CharEnumField(description='INITIAL: INITIAL\nCHANGE: CHANGE\nADD_SPECIALTY: ADD_SPECIALTY\nRENEWAL: RENEWAL\nCANCELLATION: CANCELLATION\nREREGISTRATION: REREGISTRATION\nCERTIFICATE_REPLACEMENT: CERTIFICATE_REPLACEMENT\nPERSONAL_INFO_CHANGE: PERSONAL_INFO_CHANGE', enum_type=ApplicationKind, max_length=30)),
                ('status', fields.CharEnumField(default=ApplicationStatus.SUBMITTED, description='SUBMITTED: SUBMITTED\nENTERPRISE_CONFIRMATION: ENTERPRISE_CONFIRMATION\nSPECIALTY_REVIEW: SPECIALTY_REVIEW\nMINISTRY_REVIEW: MINISTRY_REVIEW\nRETURNED: RETURNED\nAPPROVED: APPROVED\nANNOUNCED: ANNOUNCED\nREFUSED: REFUSED\nWITHDRAWN: WITHDRAWN', enum_type=ApplicationStatus, max_length=30)),
                ('open_key', fields.CharField(null=True, unique=True, max_length=50)),
                ('temporary', fields.BooleanField(default=False)),
                ('enterprise', fields.ForeignKeyField('models.Enterprise', source_field='enterprise_id', null=True, db_constraint=True, to_field='id', related_name='applications', on_delete=OnDelete.RESTRICT)),
                ('contract_start', fields.DateField(null=True)),
                ('contract_end', fields.DateField(null=True)),
                ('specialty_codes', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('details', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('terms_version', fields.CharField(max_length=20)),
                ('terms_accepted_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('submitted_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('version', fields.IntField(default=0)),
            ],
            options={'table': 'application', 'app': 'models', 'indexes': [Index(fields=['person_id', 'submitted_at']), Index(fields=['status', 'submitted_at'])], 'pk_attr': 'id', 'table_description': 'A filing (注册申报) of one kind by one person, with the inputs of its kind.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ApplicationStep',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('application', fields.ForeignKeyField('models.Application', source_field='application_id', db_constraint=True, to_field='id', related_name='steps', on_delete=OnDelete.CASCADE)),
                ('seq', fields.IntField()),
                ('stage', fields.CharField(max_length=30)),
                ('outcome', fields.CharEnumField(description='PENDING: PENDING\nDONE: DONE\nPASSED: PASSED\nRETURNED: RETURNED\nREFUSED: REFUSED\nWITHDRAWN: WITHDRAWN', enum_type=StepOutcome, max_length=10)),
                ('actor_role', fields.CharField(max_length=20)),
                ('staff', fields.ForeignKeyField('models.StaffUser', source_field='staff_id', null=True, db_constraint=True, to_field='id', related_name='application_steps', on_delete=OnDelete.RESTRICT)),
                ('comment', fields.TextField(null=True, unique=False)),
                ('items', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('deadline_on', fields.DateField(null=True)),
            ],
            options={'table': 'application_step', 'app': 'models', 'unique_together': (('application_id', 'seq'),), 'pk_attr': 'id', 'table_description': '进度: one step of a filing, in order (`seq` from 1), with who acted, their comment and the deadline.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='FilingBan',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('person', fields.ForeignKeyField('models.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='filing_bans', on_delete=OnDelete.RESTRICT)),
                ('reason', fields.CharField(max_length=200)),
                ('ends_on', fields.DateField()),
                ('staff', fields.ForeignKeyField('models.StaffUser', source_field='staff_id', null=True, db_constraint=True, to_field='id', related_name='filing_bans', on_delete=OnDelete.RESTRICT)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'filing_ban', 'app': 'models', 'indexes': [Index(fields=['person_id', 'ends_on'])], 'pk_attr': 'id', 'table_description': 'A ban on filing set by staff: false materials 1 year, fraud or bribery 3 years.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Qualification',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('id_number_digest', fields.CharField(db_index=True, max_length=64)),
                ('id_number_masked', fields.CharField(max_length=18)),
                ('real_name', fields.CharField(max_length=30)),
                ('specialty_code', fields.CharField(max_length=2)),
                ('certificate_number', fields.CharField(max_length=40)),
                ('issued_on', fields.DateField()),
                ('temporary', fields.BooleanField(default=False)),
                ('imported_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'qualification', 'app': 'models', 'unique_together': (('certificate_number', 'specialty_code'),), 'pk_attr': 'id', 'table_description': 'A 资格 record as imported: one specialty of one qualification certificate, matched to people by ID number.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Registration',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('person', fields.OneToOneField('models.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='registration', on_delete=OnDelete.RESTRICT)),
                ('enterprise', fields.ForeignKeyField('models.Enterprise', source_field='enterprise_id', db_constraint=True, to_field='id', related_name='registrations', on_delete=OnDelete.RESTRICT)),
                ('number', fields.CharField(unique=True, max_length=20)),
                ('seal_check', fields.IntField(default=0)),
                ('status', fields.CharEnumField(default=RegistrationStatus.ACTIVE, description='ACTIVE: ACTIVE\nCANCELLED: CANCELLED\nLAPSED: LAPSED\nREVOKED: REVOKED', enum_type=RegistrationStatus, max_length=10)),
                ('temporary', fields.BooleanField(default=False)),
                ('registered_on', fields.DateField()),
                ('ended_on', fields.DateField(null=True)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'registration', 'app': 'models', 'pk_attr': 'id', 'table_description': '注册: at most one per person, with one employer, and its specialties each with their own expiry.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RegisteredSpecialty',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('registration', fields.ForeignKeyField('models.Registration', source_field='registration_id', db_constraint=True, to_field='id', related_name='specialties', on_delete=OnDelete.CASCADE)),
                ('specialty_code', fields.CharField(max_length=2)),
                ('registered_on', fields.DateField()),
                ('expires_on', fields.DateField()),
                ('active', fields.BooleanField(default=True)),
            ],
            options={'table': 'registered_specialty', 'app': 'models', 'unique_together': (('registration_id', 'specialty_code'),), 'pk_attr': 'id', 'table_description': 'One specialty of a registration and its own validity (增项 adds one with its own three years).'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Enterprise',
            name='name_initials',
            field=fields.CharField(default='', db_default='', max_length=200),
        ),
        ops.AddField(
            model_name='Enterprise',
            name='qualification_status',
            field=fields.CharField(default='QUALIFIED', db_default='QUALIFIED', max_length=10),
        ),
    ]
