"""State only: the models moved to `channel` (channel 0001); no table or column changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('channel', '0001_initial'),
        ('orders', '0002_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='cart',
                    name='end_customer',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='channel.endcustomer'),
                ),
                migrations.AlterField(
                    model_name='cart',
                    name='partnership',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='carts', to='channel.partnership'),
                ),
                migrations.AlterField(
                    model_name='order',
                    name='end_customer',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='orders', to='channel.endcustomer', verbose_name='end customer'),
                ),
                migrations.AlterField(
                    model_name='order',
                    name='partnership',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='orders', to='channel.partnership'),
                ),
            ],
            database_operations=[],
        ),
    ]
