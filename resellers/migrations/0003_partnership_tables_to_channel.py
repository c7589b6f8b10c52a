"""Rename the tables of the models that move to the `channel` app (see channel 0001)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('resellers', '0002_partnership_discount_percent_and_more'),
    ]

    operations = [
        migrations.AlterModelTable(name='partnership', table='channel_partnership'),
        migrations.AlterModelTable(name='endcustomer', table='channel_endcustomer'),
    ]
