"""PostgreSQL: drop the ``varchar_pattern_ops`` copies Django makes of every indexed text column, where
no query of Padu filters by prefix (``LIKE 'x%'``).

Django adds a ``…_like`` index beside the plain one for each ``CharField(db_index=True)`` on PostgreSQL,
for ``startswith`` lookups. Padu searches these columns by equality (NIK, KK, source id, status) or by
``icontains`` (names: ``UPPER(name) LIKE '%…%'``, which no b-tree serves), so the copies only cost:
every registry write maintains them, and a first import rebuilds each one (≈ 2 s of a 1M-person load).
The kelurahan columns keep theirs (a kecamatan's rows are read by code prefix). SQLite has no such
indexes: nothing to do there. Reversible (the indexes are created again with Django's names).

If a later migration changes the type of one of these columns, Django's schema editor creates its
``_like`` index again; drop it the same way.
"""

from __future__ import annotations

from django.db import migrations

COLUMNS = {
    "registry_person": ("nik", "name", "source_id", "status"),
    "registry_family": ("kk", "source_id", "status"),
    "registry_kkhistory": ("kk",),
}


def _like_indexes(cursor, table: str, columns: tuple[str, ...]) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT i.relname, a.attname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "JOIN pg_class t ON t.oid = x.indrelid JOIN pg_attribute a ON a.attrelid = t.oid "
        "AND a.attnum = x.indkey[0] WHERE t.relname = %s AND x.indnatts = 1 AND i.relname LIKE %s",
        [table, "%\\_like"],
    )
    return [(name, column) for name, column in cursor.fetchall() if column in columns]


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        for table, columns in COLUMNS.items():
            for name, _column in _like_indexes(cursor, table, columns):
                cursor.execute(f"DROP INDEX IF EXISTS {quote(name)}")


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in COLUMNS.items():
        model = next(m for m in apps.get_app_config("registry").get_models() if m._meta.db_table == table)
        for column in columns:
            field = next(f for f in model._meta.local_fields if f.column == column)
            statement = schema_editor._create_like_index_sql(model, field)
            if statement is not None:
                schema_editor.execute(str(statement).replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(drop, create)]
