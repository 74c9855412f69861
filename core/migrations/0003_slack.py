from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0002_tokens')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SlackChannel',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('organization', fields.ForeignKeyField('models.Organization', source_field='organization_id', db_constraint=True, to_field='id', related_name='slack_channels', on_delete=OnDelete.CASCADE)),
                ('team_id', fields.CharField(max_length=32)),
                ('channel_id', fields.CharField(max_length=32)),
                ('default_project', fields.ForeignKeyField('models.Project', source_field='default_project_id', null=True, db_constraint=True, to_field='id', related_name='slack_channels', on_delete=OnDelete.SET_NULL)),
            ],
            options={'table': 'slack_channels', 'app': 'models', 'unique_together': (('team_id', 'channel_id'),), 'pk_attr': 'id'},
            bases=['TimestampedModel'],
        ),
        ops.CreateModel(
            name='SlackUserLink',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('organization', fields.ForeignKeyField('models.Organization', source_field='organization_id', db_constraint=True, to_field='id', related_name='slack_user_links', on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='slack_links', on_delete=OnDelete.CASCADE)),
                ('team_id', fields.CharField(max_length=32)),
                ('slack_user_id', fields.CharField(max_length=32)),
            ],
            options={'table': 'slack_user_links', 'app': 'models', 'unique_together': (('team_id', 'slack_user_id'),), 'indexes': [Index(fields=['organization_id', 'user_id'])], 'pk_attr': 'id'},
            bases=['TimestampedModel'],
        ),
        ops.CreateModel(
            name='SlackWorkspace',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('team_id', fields.CharField(unique=True, max_length=32)),
                ('team_name', fields.CharField(default='', max_length=120)),
                ('organization', fields.ForeignKeyField('models.Organization', source_field='organization_id', db_constraint=True, to_field='id', related_name='slack_workspaces', on_delete=OnDelete.CASCADE)),
                ('bot_user_id', fields.CharField(default='', max_length=32)),
                ('is_active', fields.BooleanField(default=True)),
            ],
            options={'table': 'slack_workspaces', 'app': 'models', 'pk_attr': 'id'},
            bases=['TimestampedModel'],
        ),
    ]
