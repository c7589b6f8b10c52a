"""State only: qualification definitions moved to `catalog`, beside the categories they
unlock; the table was renamed by qualifications 0004."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0003_qualification_in_catalog'),
        ('qualifications', '0004_qualification_table_to_catalog'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='qualificationrequest',
                    name='qualification',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='requests', to='catalog.qualification', verbose_name='qualification'),
                ),
                migrations.AlterField(
                    model_name='qualificationgrant',
                    name='qualification',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='grants', to='catalog.qualification'),
                ),
                migrations.DeleteModel(
                    name='Qualification',
                ),
            ],
            database_operations=[],
        ),
    ]
