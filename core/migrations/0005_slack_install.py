from tortoise import migrations
from tortoise.migrations import operations as ops
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0004_slack_followups')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SlackInstallation',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('team_id', fields.CharField(max_length=32)),
                ('enterprise_id', fields.CharField(null=True, max_length=32)),
                ('bot_token_encrypted', fields.TextField(unique=False)),
                ('bot_user_id', fields.CharField(default='', max_length=32)),
                ('bot_id', fields.CharField(default='', max_length=32)),
                ('bot_scopes', fields.CharField(default='', max_length=1000)),
                ('installer_user_id', fields.CharField(default='', max_length=32)),
                ('installed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('is_active', fields.BooleanField(default=True)),
            ],
            options={'table': 'slack_installations', 'app': 'models', 'unique_together': (('team_id', 'enterprise_id'),), 'pk_attr': 'id'},
            bases=['TimestampedModel'],
        ),
        ops.CreateModel(
            name='SlackOAuthState',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('state', fields.CharField(unique=True, max_length=64)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('consumed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'slack_oauth_states', 'app': 'models', 'indexes': [Index(fields=['expires_at'])], 'pk_attr': 'id'},
            bases=['TimestampedModel'],
        ),
    ]
