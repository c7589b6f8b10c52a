"""Order search (`?q=`) on PostgreSQL: a trigram index on UPPER(number).

`number__icontains` compiles to `UPPER(number) LIKE UPPER('%…%')`; without this index a
search read every order of the tenant (about 120 ms at 200,000 orders). PostgreSQL only, and
skipped with a warning where pg_trgm cannot be created, as the inbox's message index
(communications/migrations/0002). Built CONCURRENTLY, so the orders table keeps taking writes.
"""

import warnings

from django.db import DatabaseError, migrations

INDEX = "order_number_trgm_idx"


def create_index(apps, schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("orders", "Order")._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            try:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            except DatabaseError as error:
                warnings.warn(
                    f"pg_trgm could not be created ({error}); order search stays a scan.",
                    stacklevel=1,
                )
                return
        cursor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} "
            f"ON {table} USING gin (UPPER(number) gin_trgm_ops)"
        )


def drop_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("orders", "0019_order_tallies_built"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
