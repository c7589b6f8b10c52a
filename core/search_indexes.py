"""Trigram indexes for `icontains` search on PostgreSQL, created from migrations.

`field__icontains` compiles to `UPPER(field) LIKE UPPER('%…%')` on PostgreSQL; a GIN index
on `UPPER(field) gin_trgm_ops` lets a search read only the rows that match. PostgreSQL only
(SQLite, the development default, has no GIN indexes; there search stays a scan). pg_trgm is a
trusted extension since PostgreSQL 13: a database owner may create it. Where it cannot be
created the index is skipped with a warning: search still works, only slower. The index is
built CONCURRENTLY, so the migration must be non-atomic and the table keeps taking writes.
"""

import warnings

from django.db import DatabaseError


def create_upper_trigram_index(
    apps, schema_editor, *, app_label: str, model: str, column: str, name: str
) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model(app_label, model)._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            try:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            except DatabaseError as error:
                warnings.warn(
                    f"pg_trgm could not be created ({error}); {model} search stays a scan.",
                    stacklevel=1,
                )
                return
        cursor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} "
            f"ON {table} USING gin (UPPER({column}) gin_trgm_ops)"
        )


def drop_index(schema_editor, name: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
