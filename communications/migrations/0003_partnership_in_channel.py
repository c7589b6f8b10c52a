"""State only: the models moved to `channel` (channel 0001); no table or column changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('channel', '0001_initial'),
        ('communications', '0002_message_body_search_idx'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='conversation',
                    name='partnership',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='conversations', to='channel.partnership'),
                ),
            ],
            database_operations=[],
        ),
    ]
