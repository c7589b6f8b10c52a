"""State only: the models moved to `channel` (channel 0001); no table or column changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('channel', '0001_initial'),
        ('salesreps', '0002_permission_tables_to_channel'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterUniqueTogether(
                    name='partnershipuserobjectpermission',
                    unique_together=None,
                ),
                migrations.RemoveField(
                    model_name='partnershipuserobjectpermission',
                    name='content_object',
                ),
                migrations.RemoveField(
                    model_name='partnershipuserobjectpermission',
                    name='permission',
                ),
                migrations.RemoveField(
                    model_name='partnershipuserobjectpermission',
                    name='user',
                ),
                migrations.AlterField(
                    model_name='portfolioassignment',
                    name='partnership',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rep_assignments', to='channel.partnership'),
                ),
                migrations.DeleteModel(
                    name='PartnershipGroupObjectPermission',
                ),
                migrations.DeleteModel(
                    name='PartnershipUserObjectPermission',
                ),
            ],
            database_operations=[],
        ),
    ]
