"""Order search (`?q=`) on PostgreSQL: a trigram index on UPPER(number) (core.search_indexes).

Without it a search read every order of the tenant (about 120 ms at 200,000 orders).
"""

from django.db import migrations

from core.search_indexes import create_upper_trigram_index, drop_index

INDEX = "order_number_trgm_idx"


def create_index(apps, schema_editor) -> None:
    create_upper_trigram_index(
        apps, schema_editor, app_label="orders", model="Order", column="number", name=INDEX
    )


def remove_index(apps, schema_editor) -> None:
    drop_index(schema_editor, INDEX)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("orders", "0019_order_tallies_built"),
    ]

    operations = [
        migrations.RunPython(create_index, remove_index, elidable=False),
    ]
