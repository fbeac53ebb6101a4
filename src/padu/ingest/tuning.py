"""Settings for one long import pass: the garbage collector and the database connection.

Django-aware (the connection) but free of models, so ``services`` and ``commit`` can both use it.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Sequence
from typing import Any

from django.db import connection

_GC_DEPTH = [0]
GC_YOUNG = 200_000


@contextlib.contextmanager
def quiet_gc() -> Iterator[None]:
    """Fewer cyclic garbage collections during a pass: a chunk allocates hundreds of thousands of
    short-lived dicts and tuples (freed by reference counting, not by the collector), and with the
    default threshold (700) Python walks every live object again and again — a third of an import's
    CPU time. Objects alive before the pass are frozen out of the walks; the young generation is
    collected every ``GC_YOUNG`` allocations. Restored at the end."""
    _GC_DEPTH[0] += 1
    if _GC_DEPTH[0] > 1:
        try:
            yield
        finally:
            _GC_DEPTH[0] -= 1
        return
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(GC_YOUNG, old[1], old[2])
    try:
        yield
    finally:
        _GC_DEPTH[0] -= 1
        gc.set_threshold(*old)
        gc.unfreeze()


@contextlib.contextmanager
def tuned_connection() -> Iterator[None]:
    """Settings for one long import on this connection.

    SQLite: a 128 MiB page cache (the default 2 MiB makes index inserts spill to disk once the registry
    passes a few hundred thousand rows). PostgreSQL: no sequential scans for the key lookups — inside
    the import's transaction the tables grow without fresh statistics, and a planner that still
    believes them small would scan a million rows for every chunk."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET enable_seqscan")
        return
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        old = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA cache_size = -131072")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {old}")


# Columns the import itself looks rows up by (``commit._load`` and its UPDATEs): their indexes stay.
LOOKUP_COLUMNS: dict[str, frozenset[str]] = {
    "registry_family": frozenset({"kk", "source_id"}),
    "registry_person": frozenset({"source_id", "family_id"}),  # nik: the partial unique index
    # membership by person: the partial unique index on live memberships (valid_to IS NULL) answers;
    # welfare by family: the unique (family, period, source) index answers.
    "registry_membership": frozenset(),
    "registry_welfarerecord": frozenset(),
    "registry_kkhistory": frozenset({"family_id"}),
    "registry_statuschange": frozenset(),
}
DEFER_MIN_ROWS = 20_000
SORT_CACHE_KIB = 32 * 1024


def _indexes(cursor: Any, table: str) -> list[tuple[str, str, bool, tuple[str, ...]]]:
    """(name, CREATE statement, unique, columns) of ``table``'s indexes that have a statement."""
    out: list[tuple[str, str, bool, tuple[str, ...]]] = []
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid), i.indisunique OR i.indisprimary, "
            "ARRAY(SELECT a.attname FROM unnest(i.indkey) k JOIN pg_attribute a "
            "ON a.attrelid = i.indrelid AND a.attnum = k) "
            "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = %s::regclass",
            [table],
        )
        for name, sql, unique, columns in cursor.fetchall():
            out.append((name, sql, bool(unique), tuple(columns)))
        return out
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
        [table],
    )
    for name, sql in cursor.fetchall():
        cursor.execute(f'PRAGMA index_info("{name}")')
        columns = tuple(row[2] for row in cursor.fetchall())
        out.append((name, sql, sql.upper().startswith("CREATE UNIQUE"), columns))
    return out


def _deferrable(table: str, sql: str, unique: bool, columns: tuple[str, ...]) -> bool:
    """An index the import does not read and no constraint stands on: built once at the end instead."""
    if unique:
        return False
    lookup = LOOKUP_COLUMNS.get(table, frozenset())
    return not (len(columns) == 1 and columns[0] in lookup and "pattern_ops" not in sql)


class Dropped(list[str]):
    """The names of the indexes and keys dropped; ``empty``: the tables that were empty at the start
    (only checked for a large file, else ``()``)."""

    empty: tuple[str, ...] = ()


@contextlib.contextmanager
def deferred_indexes(tables: Sequence[str], *, expected_rows: int | None) -> Iterator[Dropped]:
    """Drop the secondary indexes of the ``tables`` that are empty now and rebuild them when the block
    succeeds: a first load of a large file then sorts each index once instead of inserting a million
    keys into it one by one (on PostgreSQL the registry's person table has fifteen indexes).

    Must run inside the import's transaction: DDL is transactional on SQLite and PostgreSQL, so an
    error, a kill or a crash anywhere rolls the drop back with the rows and the schema is whole
    again. Unique indexes (constraints) and the indexes on the columns the import looks rows up by
    stay in place. Only for tables that are empty and a file expected to have ``DEFER_MIN_ROWS`` rows
    or more: on PostgreSQL a dropped index holds an exclusive lock on its table until the commit,
    which an empty registry can afford. Yields the names of the indexes dropped."""
    assert connection.in_atomic_block, "deferred_indexes() needs the import's transaction"
    dropped = Dropped()
    statements: list[str] = []
    if expected_rows is None or expected_rows < DEFER_MIN_ROWS:
        yield dropped
        return
    quote = connection.ops.quote_name
    postgres = connection.vendor == "postgresql"
    foreign: list[tuple[str, str, str]] = []
    with connection.cursor() as cursor:
        empty = []
        for table in tables:
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")
            if cursor.fetchone() is None:
                empty.append(table)
        dropped.empty = tuple(empty)
        for table in empty:
            for name, sql, unique, columns in _indexes(cursor, table):
                if _deferrable(table, sql, unique, columns):
                    cursor.execute(f"DROP INDEX {quote(name)}")
                    dropped.append(name)
                    statements.append(sql)
            if postgres:
                for name, definition in _foreign_keys(cursor, table, refer_to=set(empty)):
                    cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
                    dropped.append(name)
                    foreign.append((table, name, definition))
    yield dropped
    if not statements and not foreign:
        return
    with connection.cursor() as cursor:
        if postgres:  # CREATE INDEX refuses a table with deferred foreign-key checks still pending:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # run them now (commit would run them)
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")  # sorts in memory, not on disk
        else:  # SQLite's sorter may use as much memory as the page cache, on top of it: a small cache
            # keeps the rebuild's memory bounded (the sort spills to temporary files, merged once).
            cursor.execute("PRAGMA cache_size")
            cache = int(cursor.fetchone()[0])
            cursor.execute(f"PRAGMA cache_size = -{SORT_CACHE_KIB}")
        for sql in statements:
            cursor.execute(sql)
        if not postgres:
            cursor.execute(f"PRAGMA cache_size = {cache}")
        for table, name, definition in foreign:  # validated by one join per key, before the commit
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        if postgres:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


# PostgreSQL checks a foreign key row by row (a trigger per inserted row, millions for a 1M-person
# registry); re-adding the constraint checks all rows with one join. Only keys between the empty bulk
# tables are treated so (they are locked by the dropped indexes anyway); a key to another table, such
# as the users table written at every login, keeps its trigger.


def _foreign_keys(cursor: Any, table: str, *, refer_to: set[str]) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid), confrelid::regclass::text FROM pg_constraint "
        "WHERE contype = 'f' AND conrelid = %s::regclass",
        [table],
    )
    return [(name, definition) for name, definition, target in cursor.fetchall() if target in refer_to]
