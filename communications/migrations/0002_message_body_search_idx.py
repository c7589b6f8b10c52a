"""Inbox search (`?q=`) on PostgreSQL: a trigram index on UPPER(body) (core.search_indexes).

Without it every search read every message of the tenant (about 100 ms at 50,000 messages in
`manage.py benchmark_pages --scale 20000`, twice per page: the tab counts and the list).
"""

from django.db import migrations

from core.search_indexes import create_upper_trigram_index, drop_index

INDEX = "message_body_trgm_idx"


def create_index(apps, schema_editor) -> None:
    create_upper_trigram_index(
        apps, schema_editor, app_label="communications", model="Message", column="body", name=INDEX
    )


def remove_index(apps, schema_editor) -> None:
    drop_index(schema_editor, INDEX)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("communications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_index, remove_index, elidable=False),
    ]
