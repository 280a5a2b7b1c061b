from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from db.models.verification import VerificationMethod, VerificationStatus
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ProviderNotice',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('provider', fields.CharField(max_length=20)),
                ('notify_id', fields.CharField(null=True, max_length=128)),
                ('certify_id', fields.CharField(null=True, db_index=True, max_length=64)),
                ('params', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('valid', fields.BooleanField()),
                ('rejection', fields.CharField(null=True, max_length=200)),
                ('received_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ip', fields.CharField(max_length=45)),
                ('processed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('outcome', fields.CharField(null=True, max_length=200)),
            ],
            options={'table': 'provider_notice', 'app': 'models', 'unique_together': (('provider', 'notify_id'),), 'pk_attr': 'id', 'table_description': 'An asynchronous notice as received (valid or not, kept for audit). notify_id is stable across retries.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SandboxCertification',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('certify_id', fields.CharField(unique=True, max_length=64)),
                ('outer_order_no', fields.CharField(max_length=32)),
                ('cert_name', fields.CharField(max_length=30)),
                ('cert_no_masked', fields.CharField(max_length=18)),
                ('return_url', fields.TextField(null=True, unique=False)),
                ('passed', fields.BooleanField(null=True)),
                ('fail_reason', fields.CharField(null=True, max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'sandbox_certification', 'app': 'models', 'pk_attr': 'id', 'table_description': 'State of the local Alipay stand-in: what the person pressed on the sandbox certify page.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='VerificationAttempt',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('person', fields.ForeignKeyField('models.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='verifications', on_delete=OnDelete.RESTRICT)),
                ('method', fields.CharEnumField(description='ALIPAY: ALIPAY\nONSITE: ONSITE', enum_type=VerificationMethod, max_length=10)),
                ('status', fields.CharEnumField(default=VerificationStatus.PENDING, description='PENDING: PENDING\nPASSED: PASSED\nFAILED: FAILED\nEXPIRED: EXPIRED', enum_type=VerificationStatus, max_length=10)),
                ('outer_order_no', fields.CharField(unique=True, max_length=32)),
                ('certify_id', fields.CharField(null=True, unique=True, max_length=64)),
                ('certify_url', fields.TextField(null=True, unique=False)),
                ('provider', fields.CharField(max_length=20)),
                ('failure_reason', fields.CharField(null=True, max_length=200)),
                ('staff', fields.ForeignKeyField('models.StaffUser', source_field='staff_id', null=True, db_constraint=True, to_field='id', related_name='verifications', on_delete=OnDelete.RESTRICT)),
                ('comment', fields.CharField(null=True, max_length=500)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('completed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_checked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('check_count', fields.IntField(default=0)),
            ],
            options={'table': 'verification_attempt', 'app': 'models', 'indexes': [Index(fields=['person_id', 'created_at']), Index(fields=['status', 'created_at'])], 'pk_attr': 'id', 'table_description': 'One try at real-name verification. The provider ids tie it to Alipay (or the sandbox).'},
            bases=['Model'],
        ),
    ]
