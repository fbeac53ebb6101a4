"""Plain-SQL helpers of the intake's writes: rows in database form, ``COPY``/``executemany``, key lookups.

No models of their own and no ORM instances on the hot path: an import sends millions of rows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connection, models

__all__ = [
    "KEY_SLICE",
    "NewId",
    "bulk_insert",
    "day",
    "db_value",
    "dumps",
    "execute_rows",
    "load_json",
    "real",
    "same",
    "select_rows",
    "slices",
]

KEY_SLICE = 2000


class NewId:
    """The id of a row planned for insertion; filled in when the chunk is written."""

    __slots__ = ("id",)

    def __init__(self) -> None:
        self.id: int | None = None


def real(value: Any) -> Any:
    return value.id if isinstance(value, NewId) else value


def slices(keys: Iterable[Any]) -> Iterable[list[Any]]:
    items = list(keys)
    for start in range(0, len(items), KEY_SLICE):
        yield items[start : start + KEY_SLICE]


def same(value: Any) -> Any:
    return value


def day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def dumps(value: Any) -> str:
    if not value:
        return "[]" if isinstance(value, list) else "{}"
    return json.dumps(value, ensure_ascii=False)


def load_json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def select_rows(
    model: type[models.Model], columns: Sequence[str], key: str, keys: Iterable[Any], where: str = ""
) -> Iterator[dict[str, Any]]:
    """Rows of ``model`` whose ``key`` is one of ``keys`` (plain SQL: no model instances, no ORM cost)."""
    quote = connection.ops.quote_name
    head = "SELECT {} FROM {} WHERE ".format(
        ", ".join(quote(c) for c in columns), quote(model._meta.db_table)
    )
    extra = f" AND {where}" if where else ""
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for part in slices(keys):
            if postgres:  # one array parameter: no 2,000-placeholder statement to build and parse
                cursor.execute(f"{head}{quote(key)} = ANY(%s){extra}", [part])
            else:
                cursor.execute(f"{head}{quote(key)} IN ({', '.join(['%s'] * len(part))}){extra}", part)
            for row in cursor.fetchall():
                yield dict(zip(columns, row, strict=True))


def bulk_insert(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """INSERT rows whose values are already in database form (``insert_rows`` without per-value work).

    PostgreSQL gets ``COPY ... FROM STDIN`` (an order of magnitude faster than row inserts); SQLite
    one ``executemany`` in the open transaction."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})", rows)


def db_value(value: Any, vendor: str) -> Any:
    if isinstance(value, NewId):
        return value.id
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if vendor == "sqlite" and isinstance(value, dt.date):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return value


def execute_rows(model: type[models.Model], sql: str, rows: Sequence[Sequence[Any]]) -> None:
    if not rows:
        return
    vendor = connection.vendor
    statement = sql.format(t=connection.ops.quote_name(model._meta.db_table))
    with connection.cursor() as cursor:
        cursor.executemany(statement, [tuple(db_value(v, vendor) for v in row) for row in rows])
