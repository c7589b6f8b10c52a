"""Rename the permission tables of partnerships, which move to the `channel` app."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('salesreps', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelTable(
            name='partnershipuserobjectpermission',
            table='channel_partnershipuserobjectpermission',
        ),
        migrations.AlterModelTable(
            name='partnershipgroupobjectpermission',
            table='channel_partnershipgroupobjectpermission',
        ),
    ]
