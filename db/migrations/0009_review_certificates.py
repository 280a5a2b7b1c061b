from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0008_person_mobile_nationality')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Announcement',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('year', fields.IntField()),
                ('seq', fields.IntField()),
                ('title', fields.CharField(max_length=200)),
                ('published_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('staff', fields.ForeignKeyField('models.StaffUser', source_field='staff_id', null=True, db_constraint=True, to_field='id', related_name='announcements', on_delete=OnDelete.RESTRICT)),
                ('application_count', fields.IntField(default=0)),
            ],
            options={'table': 'announcement', 'app': 'models', 'unique_together': (('year', 'seq'),), 'indexes': [Index(fields=['published_at', 'id'])], 'pk_attr': 'id', 'table_description': 'A numbered announcement of a year (e.g. 2026年第3号), listing the approved filings it publishes.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Certificate',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('registration', fields.ForeignKeyField('models.Registration', source_field='registration_id', db_constraint=True, to_field='id', related_name='certificates', on_delete=OnDelete.RESTRICT)),
                ('person', fields.ForeignKeyField('models.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='certificates', on_delete=OnDelete.RESTRICT)),
                ('application', fields.ForeignKeyField('models.Application', source_field='application_id', null=True, unique=True, db_constraint=True, to_field='id', related_name='certificates', on_delete=OnDelete.RESTRICT)),
                ('number', fields.CharField(max_length=20)),
                ('seal_check', fields.IntField()),
                ('current_key', fields.IntField(null=True, unique=True)),
                ('reason', fields.CharField(max_length=30)),
                ('issued_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('issued_on', fields.DateField()),
                ('snapshot', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('superseded_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('superseded_reason', fields.CharField(null=True, max_length=20)),
            ],
            options={'table': 'certificate', 'app': 'models', 'unique_together': (('registration_id', 'seal_check'),), 'indexes': [Index(fields=['person_id', 'issued_at'])], 'pk_attr': 'id', 'table_description': "One issue of a registration's certificate: the seal check code is its version (00, 01, …). The facts printed"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CertificateDownload',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('certificate', fields.ForeignKeyField('models.Certificate', source_field='certificate_id', db_constraint=True, to_field='id', related_name='downloads', on_delete=OnDelete.RESTRICT)),
                ('person', fields.ForeignKeyField('models.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='certificate_downloads', on_delete=OnDelete.RESTRICT)),
                ('file_format', fields.CharField(max_length=4)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('usable_until', fields.DateField()),
            ],
            options={'table': 'certificate_download', 'app': 'models', 'indexes': [Index(fields=['certificate_id', 'created_at'])], 'pk_attr': 'id', 'table_description': 'A download of the electronic certificate (PDF or PNG): usable until usable_until (180 days, capped).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RegistrationSerial',
            fields=[
                ('province_code', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=2)),
                ('last_serial', fields.IntField(default=0)),
            ],
            options={'table': 'registration_serial', 'app': 'models', 'pk_attr': 'province_code', 'table_description': 'The last 5-digit serial given out in a province (registration numbers are unique per province).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RenewalReminder',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('registered_specialty', fields.ForeignKeyField('models.RegisteredSpecialty', source_field='registered_specialty_id', db_constraint=True, to_field='id', related_name='reminders', on_delete=OnDelete.CASCADE)),
                ('days_before', fields.IntField()),
                ('expires_on', fields.DateField()),
                ('sent_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'renewal_reminder', 'app': 'models', 'unique_together': (('registered_specialty_id', 'days_before', 'expires_on'),), 'pk_attr': 'id', 'table_description': "A renewal reminder SMS sent for one specialty's expiry, N days before (sent once)."},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Application',
            name='announcement',
            field=fields.ForeignKeyField('models.Announcement', source_field='announcement_id', null=True, db_constraint=True, to_field='id', related_name='applications', on_delete=OnDelete.RESTRICT),
        ),
        ops.AddField(
            model_name='Application',
            name='effect_applied_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Application',
            name='overdue_notified_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Application',
            name='queue_key',
            field=fields.CharField(null=True, max_length=60),
        ),
        ops.AddField(
            model_name='Application',
            name='reviewed_specialty_codes',
            field=fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='Application',
            name='stage_deadline_on',
            field=fields.DateField(null=True),
        ),
        ops.AddField(
            model_name='Application',
            name='stage_entered_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddIndex(
            model_name='Application',
            index=Index(fields=['queue_key', 'stage_entered_at', 'id']),
        ),
        ops.AddIndex(
            model_name='Application',
            index=Index(fields=['queue_key', 'stage_deadline_on', 'id']),
        ),
        ops.AddIndex(
            model_name='Application',
            index=Index(fields=['status', 'decided_at', 'id']),
        ),
        ops.AddField(
            model_name='StaffUser',
            name='mobile',
            field=fields.CharField(null=True, max_length=11),
        ),
        ops.AddField(
            model_name='StaffUser',
            name='specialty_codes',
            field=fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
    ]
