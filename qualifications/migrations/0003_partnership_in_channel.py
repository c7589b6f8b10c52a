"""State only: the models moved to `channel` (channel 0001); no table or column changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('channel', '0001_initial'),
        ('qualifications', '0002_grants_status_history_requests'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='qualificationgrant',
                    name='partnership',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='qualification_grants', to='channel.partnership'),
                ),
                migrations.AlterField(
                    model_name='qualificationrequest',
                    name='partnership',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='qualification_requests', to='channel.partnership'),
                ),
                migrations.AlterField(
                    model_name='qualifyingstatuschange',
                    name='partnership',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='qualifying_status_changes', to='channel.partnership'),
                ),
            ],
            database_operations=[],
        ),
    ]
