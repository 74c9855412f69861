from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0009_task_open_status_index')]

    initial = False

    operations = [
        ops.RemoveIndex(
            model_name='Task',
            name=None,
            fields=['organization_id', 'completed_at'],
        ),
        ops.AddIndex(
            model_name='Task',
            index=Index(fields=['organization_id', 'is_active', 'status', 'completed_at']),
        ),
        ops.AddIndex(
            model_name='Task',
            index=Index(fields=['organization_id', 'is_active', 'status', 'started_at']),
        ),
    ]
