"""State only: the models moved to `channel` (channel 0001); no table or column changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('channel', '0001_initial'),
        ('orders', '0003_partnership_in_channel'),
        ('resellers', '0003_partnership_tables_to_channel'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='customerinteraction',
                    name='end_customer',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='interactions', to='channel.endcustomer'),
                ),
                migrations.RemoveField(
                    model_name='partnership',
                    name='manufacturer',
                ),
                migrations.RemoveField(
                    model_name='partnership',
                    name='price_list',
                ),
                migrations.RemoveField(
                    model_name='partnership',
                    name='reseller',
                ),
                migrations.AlterField(
                    model_name='affiliatelink',
                    name='partnership',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='affiliate_links', to='channel.partnership'),
                ),
                migrations.DeleteModel(
                    name='EndCustomer',
                ),
            ],
            database_operations=[],
        ),
    ]
