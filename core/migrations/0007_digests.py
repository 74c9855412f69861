from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0006_webhooks')]

    initial = False

    operations = [
        ops.CreateModel(
            name='DigestSchedule',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('organization', fields.ForeignKeyField('models.Organization', source_field='organization_id', db_constraint=True, to_field='id', related_name='digest_schedules', on_delete=OnDelete.CASCADE)),
                ('team_id', fields.CharField(max_length=32)),
                ('channel_id', fields.CharField(max_length=32)),
                ('project', fields.ForeignKeyField('models.Project', source_field='project_id', null=True, db_constraint=True, to_field='id', related_name='digest_schedules', on_delete=OnDelete.CASCADE)),
                ('time_of_day', fields.CharField(max_length=5)),
                ('timezone', fields.CharField(default='UTC', max_length=64)),
                ('days', fields.CharField(default='weekdays', max_length=16)),
                ('include_empty', fields.BooleanField(default=False)),
                ('is_active', fields.BooleanField(default=True)),
            ],
            options={'table': 'digest_schedules', 'app': 'models', 'unique_together': (('team_id', 'channel_id'),), 'indexes': [Index(fields=['is_active'])], 'pk_attr': 'id'},
            bases=['TimestampedModel'],
        ),
        ops.CreateModel(
            name='ScheduledSend',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('kind', fields.CharField(max_length=32)),
                ('target', fields.CharField(max_length=100)),
                ('period', fields.CharField(max_length=64)),
                ('scheduled_for', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('status', fields.CharField(default='pending', max_length=16)),
                ('attempts', fields.IntField(default=0)),
                ('error', fields.CharField(default='', max_length=500)),
                ('claimed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'scheduled_sends', 'app': 'models', 'unique_together': (('kind', 'target', 'period'),), 'indexes': [Index(fields=['status', 'scheduled_for']), Index(fields=['created_at'])], 'pk_attr': 'id'},
            bases=['TimestampedModel'],
        ),
    ]
