"""State only: the models moved to `channel` (channel 0001); no table or column changes."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('communications', '0003_partnership_in_channel'),
        ('orders', '0003_partnership_in_channel'),
        ('qualifications', '0003_partnership_in_channel'),
        ('resellers', '0004_partnership_in_channel'),
        ('salesreps', '0003_permission_models_in_channel'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='Partnership',
                ),
            ],
            database_operations=[],
        ),
    ]
