from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0002_verification')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Person',
            name='trail_head_hash',
            field=fields.CharField(default='0000000000000000000000000000000000000000000000000000000000000000', max_length=64),
        ),
        ops.AddField(
            model_name='Person',
            name='trail_head_seq',
            field=fields.IntField(default=0),
        ),
    ]
