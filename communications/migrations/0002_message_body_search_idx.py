"""Inbox search (`?q=`) on PostgreSQL: a trigram index on UPPER(body).

`body__icontains` compiles to `UPPER(body) LIKE UPPER('%…%')` on PostgreSQL; without this
index every search read every message of the tenant (about 100 ms at 50,000 messages in
`manage.py benchmark_pages --scale 20000`, twice per page: the tab counts and the list).
With it the search reads only the messages that match.

PostgreSQL only, so the index is created here rather than declared in Message.Meta (SQLite,
the development default, has no GIN indexes; there search stays a scan). pg_trgm is a
trusted extension since PostgreSQL 13: a database owner may create it. Where it cannot be
created the index is skipped with a warning: search still works, only slower. The index is
built CONCURRENTLY (hence a non-atomic migration), so a large messages table keeps taking
writes while it is built.
"""

import warnings

from django.db import DatabaseError, migrations

INDEX = "message_body_trgm_idx"


def create_index(apps, schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("communications", "Message")._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            try:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            except DatabaseError as error:
                warnings.warn(
                    f"pg_trgm could not be created ({error}); inbox search stays a scan.",
                    stacklevel=1,
                )
                return
        cursor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} "
            f"ON {table} USING gin (UPPER(body) gin_trgm_ops)"
        )


def drop_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("communications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
