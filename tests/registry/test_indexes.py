"""PostgreSQL: the registry keeps a prefix (``varchar_pattern_ops``) index only where a query reads by
prefix — the kelurahan code (a kecamatan's rows) — not on NIK, KK, names, source ids or status."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_only_the_kelurahan_columns_keep_a_prefix_index():
    if connection.vendor != "postgresql":
        pytest.skip("Django makes prefix indexes on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE tablename LIKE 'registry%%' "
            "AND indexdef LIKE '%%varchar_pattern_ops%%'"
        )
        found = {(table, definition.split("(")[-1].split()[0]) for table, definition in cursor.fetchall()}
    assert found == {("registry_person", "kelurahan_id"), ("registry_family", "kelurahan_id")}
