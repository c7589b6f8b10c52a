"""Rename the table of qualification definitions, which move to `catalog` (see catalog 0003)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('qualifications', '0003_partnership_in_channel'),
    ]

    operations = [
        migrations.AlterModelTable(name='qualification', table='catalog_qualification'),
    ]
