from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0003_slack')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ActivityCursor',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('name', fields.CharField(unique=True, max_length=64)),
                ('last_created_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_activity_id', fields.UUIDField(null=True)),
            ],
            options={'table': 'activity_cursors', 'app': 'models', 'pk_attr': 'id'},
            bases=['TimestampedModel'],
        ),
        ops.CreateModel(
            name='SlackMessageTask',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('organization', fields.ForeignKeyField('models.Organization', source_field='organization_id', db_constraint=True, to_field='id', related_name='slack_message_tasks', on_delete=OnDelete.CASCADE)),
                ('team_id', fields.CharField(max_length=32)),
                ('channel_id', fields.CharField(max_length=32)),
                ('message_ts', fields.CharField(max_length=32)),
                ('task_id', fields.UUIDField(null=True)),
                ('permalink', fields.CharField(default='', max_length=500)),
            ],
            options={'table': 'slack_message_tasks', 'app': 'models', 'unique_together': (('team_id', 'channel_id', 'message_ts'),), 'pk_attr': 'id'},
            bases=['TimestampedModel'],
        ),
        ops.CreateModel(
            name='SlackSubscription',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('organization', fields.ForeignKeyField('models.Organization', source_field='organization_id', db_constraint=True, to_field='id', related_name='slack_subscriptions', on_delete=OnDelete.CASCADE)),
                ('team_id', fields.CharField(max_length=32)),
                ('channel_id', fields.CharField(max_length=32)),
                ('project', fields.ForeignKeyField('models.Project', source_field='project_id', db_constraint=True, to_field='id', related_name='slack_subscriptions', on_delete=OnDelete.CASCADE)),
                ('events', fields.CharField(default='created,assigned,completed,commented', max_length=200)),
            ],
            options={'table': 'slack_subscriptions', 'app': 'models', 'unique_together': (('team_id', 'channel_id', 'project'),), 'indexes': [Index(fields=['project_id'])], 'pk_attr': 'id'},
            bases=['TimestampedModel'],
        ),
    ]
