"""PostgreSQL: a targeting run built beside the live findings, on two connections, then swapped in.

``targeting_finding`` is partitioned by period there (migration ``0009_finding_partitions``). A run:

1. creates a schema of its own (``tgw_<run>_<token>``, first on the search path of both connections)
   for the staging views and tables, and an empty table shaped like the findings
   (``targeting_finding_r<run>_<token>``, with ``CHECK (period = …)``);
2. runs the engine on Django's connection and a second one at once
   (``run_targeting(helpers=...)``): staging in shards, rules as a queue, every statement committed
   on its own — into the run's own table, which nobody reads yet;
3. indexes that table like the partitioned parent (the two connections again);
4. in one short transaction (:func:`swap`): drops the period's previous partition, moves any of the
   period's rows out of the default partition, attaches the new table as the period's partition —
   then the caller finishes the run (field tasks, aggregates, audit) in that same transaction.

A failure before the swap leaves the live findings as they were and drops the run's table and schema;
a killed process leaves them behind, and the next run removes what belongs to no running run
(:func:`clean_stale`).
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection

from padu.targeting.engine.dialect import Db, Dialect
from padu.targeting.engine.parallel import Pool, statement

__all__ = ["Workspace", "clean_stale", "is_partitioned", "swap", "workspace"]

PARENT = "targeting_finding"
DEFAULT_PARTITION = f"{PARENT}_default"


def is_partitioned() -> bool:
    """Whether runs can be built beside the live findings: the findings table is partitioned
    (PostgreSQL after migration 0009) and the database user may create the run's schema. Without that
    privilege the run writes in place (delete + insert, routed to the period's partition)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cur:
        cur.execute(
            "SELECT relkind, has_database_privilege(current_database(), 'CREATE') "
            "FROM pg_class WHERE oid = to_regclass(%s)",
            [PARENT],
        )
        row = cur.fetchone()
    return bool(row and row[0] == "p" and row[1])


@dataclass
class Workspace:
    run_id: int
    schema: str  # the staging schema
    table: str  # the run's findings table, schema-qualified
    name: str  # the same, unqualified
    helper: Any  # the second psycopg connection
    pool: Pool


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _parent_schema(cur: Any) -> str:
    cur.execute(
        "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.oid = to_regclass(%s)",
        [PARENT],
    )
    return str(cur.fetchone()[0])


@contextlib.contextmanager
def workspace(*, run_id: int, period: str) -> Iterator[Workspace]:
    """The run's schema, findings table and second connection; everything but an attached table is
    dropped on the way out (the search path and session settings are restored)."""
    import psycopg

    token = secrets.token_hex(3)
    schema = f"tgw_{int(run_id)}_{token}"
    name = f"{PARENT}_r{int(run_id)}_{token}"
    with connection.cursor() as cur:
        parent_schema = _parent_schema(cur)
        cur.execute("SHOW search_path")
        path = cur.fetchone()[0]
        table = f"{parent_schema}.{name}"  # plain names (the engine refuses anything else)
        cur.execute(f"CREATE TABLE {table} (LIKE {parent_schema}.{PARENT} INCLUDING DEFAULTS)")
        cur.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name}_period CHECK (period = {_literal(period)})")
        cur.execute(f"CREATE SCHEMA {schema}")
        cur.execute(f"SET search_path = {schema}, {path}")
    helper = psycopg.connect(**connection.get_connection_params())
    helper.autocommit = True
    dialect = Dialect("postgresql")
    main = Db(connection.connection, dialect)
    pool = Pool([main, main.sibling(helper)])
    try:
        yield Workspace(run_id=run_id, schema=schema, table=table, name=name, helper=helper, pool=pool)
    finally:
        try:
            helper.close()
        finally:
            with connection.cursor() as cur:
                cur.execute(f"SET search_path = {path}")
                cur.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
                cur.execute("SELECT c.relispartition FROM pg_class c WHERE c.oid = to_regclass(%s)", [table])
                row = cur.fetchone()
                if row is not None and not row[0]:  # built but never swapped in
                    cur.execute(f"DROP TABLE {table}")


def build_indexes(ws: Workspace) -> None:
    """Index the run's table as the parent is indexed (the attach then adopts these indexes), the
    statements spread over the workspace's connections."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND schemaname = %s",
            [PARENT, ws.table.split(".")[0]],
        )
        definitions = [d for (d,) in cur.fetchall()]
    statements, key = [], ""
    for n, definition in enumerate(definitions):
        head, _sep, columns = definition.partition(" USING ")
        unique = "UNIQUE " if head.startswith("CREATE UNIQUE") else ""
        if unique:  # the primary key: the attach adopts only a constraint, made from this index below
            key = f"{ws.name}_i{n}"
        statements.append(f"CREATE {unique}INDEX {ws.name}_i{n} ON {ws.table} USING {columns}")
    statements.sort(key=lambda s: -s.count(","))  # the widest first: the queue ends evenly
    # Statistics for the pages' plans (autovacuum may be off, and never analyses a table this young).
    statements.insert(1, f"ANALYZE {ws.table}")
    for db in ws.pool.dbs:
        db.execute("SET maintenance_work_mem = '256MB'")
    try:  # CREATE INDEX takes a lock that lets other index builds run; ALTER TABLE would not
        ws.pool.queue([statement(s, step="indexes") for s in statements])
        if key:
            ws.pool.main.execute(
                f"ALTER TABLE {ws.table} ADD CONSTRAINT {ws.name}_pkey PRIMARY KEY USING INDEX {key}"
            )
    finally:
        for db in ws.pool.dbs:
            db.execute("RESET maintenance_work_mem")


def swap(ws: Workspace, *, period: str) -> None:
    """Inside the caller's transaction: the run's table becomes ``period``'s partition."""
    parent_schema = ws.table.split(".")[0]
    parent = f"{parent_schema}.{PARENT}"
    with connection.cursor() as cur:
        cur.execute(f"LOCK TABLE {parent} IN ACCESS EXCLUSIVE MODE")
        for old in _partitions_of(cur, period):
            cur.execute(f"ALTER TABLE {parent} DETACH PARTITION {old}")
            cur.execute(f"DROP TABLE {old}")
        cur.execute(f"DELETE FROM {parent_schema}.{DEFAULT_PARTITION} WHERE period = %s", [period])
        cur.execute(f"ALTER TABLE {parent} ATTACH PARTITION {ws.table} FOR VALUES IN ({_literal(period)})")


def _partitions_of(cur: Any, period: str) -> list[str]:
    cur.execute(
        "SELECT format('%%I.%%I', n.nspname, c.relname), pg_get_expr(c.relpartbound, c.oid) "
        "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE i.inhparent = to_regclass(%s)",
        [PARENT],
    )
    wanted = f"FOR VALUES IN ({_literal(period)})"
    return [name for name, bound in cur.fetchall() if bound == wanted]


def clean_stale(*, running: set[int]) -> list[str]:
    """Drop the schemas and unattached tables of runs that are not running (a killed process's)."""
    dropped = []
    with connection.cursor() as cur:
        cur.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tgw\\_%%'")
        for (schema,) in cur.fetchall():
            if _run_of(schema, "tgw_") not in running:
                cur.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
                dropped.append(schema)
        cur.execute(
            "SELECT format('%%I.%%I', n.nspname, c.relname), c.relname FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'r' AND NOT c.relispartition AND c.relname LIKE %s",
            [PARENT + "\\_r%"],
        )
        for qualified, name in cur.fetchall():
            if _run_of(name, PARENT + "_r") not in running:
                cur.execute(f"DROP TABLE IF EXISTS {qualified}")
                dropped.append(name)
    return dropped


def _run_of(name: str, prefix: str) -> int | None:
    head = name[len(prefix) :].split("_", 1)[0]
    return int(head) if head.isdigit() else None
