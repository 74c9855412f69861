from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0008_personal_digests_reports_magic_links')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Task',
            index=Index(fields=['organization_id', 'is_active', 'status']),
        ),
    ]
