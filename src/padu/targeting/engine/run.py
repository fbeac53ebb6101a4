"""One targeting run: stage the period's data, run every rule as INSERT ... SELECT, count, commit.

Idempotent per period: the period's earlier findings in the results table are deleted in the same
transaction as the new ones are written, so running twice leaves one set and a failed run leaves the
earlier one. On PostgreSQL (one connection) the whole run is one transaction. On SQLite, where only one
connection at a time may write the file, staging and rules write temporary tables only (other
connections keep writing meanwhile) and the findings go in at the end in one short ``BEGIN IMMEDIATE``
transaction (delete + copy); in WAL mode staging and rules read one snapshot (a reader holds up no
writer). The temporary tables are dropped at the end.

With ``helpers`` (more PostgreSQL connections to the same database) the statements run on all the
connections at once (:mod:`padu.targeting.engine.parallel`): each commits on its own, so the caller
writes into a table of its own and swaps it in when the run succeeded.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from padu.targeting.engine.dialect import Db, Dialect, detect_dialect
from padu.targeting.engine.double import double_rules
from padu.targeting.engine.exclusion import exclusion_rules
from padu.targeting.engine.inclusion import inclusion_rules
from padu.targeting.engine.parallel import Pool, statement
from padu.targeting.engine.rules import FINDING_COLUMNS, FINDING_TYPES, create_results_table
from padu.targeting.engine.rupiah import PAYMENTS_PER_YEAR
from padu.targeting.engine.schema import TargetingSchema, col, quote_name, tbl
from padu.targeting.engine.staging import CATEGORIES, TEMP_TABLES, build_staging

__all__ = [
    "DEFAULT_RESULTS_TABLE",
    "RunResult",
    "discard_findings",
    "reference_date_for",
    "run_targeting",
    "write_findings",
]

DEFAULT_RESULTS_TABLE = "tg_finding"
FOUND = "tg_tmp_found"  # SQLite: the run's findings, in the temporary database until the end
_STAGED = {"tg_tmp_person": "persons", "tg_tmp_family": "families", "tg_tmp_entry": "entries",
           "tg_tmp_prog": "programmes"}  # fmt: skip
STATUSES = ("aktif", "mampu", "meninggal", "pindah", "tidak_ditemukan", "ganda")


@dataclass
class RunResult:
    period: str
    reference_date: dt.date
    results_table: str
    dialect: str
    counts: dict[str, int]  # every finding type, 0 included
    rupiah_month: dict[str, int]
    rupiah_year: dict[str, int]
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step / finding type
    seconds: float = 0.0
    packages: list[dict[str, Any]] | None = None  # with ``packages=True``: the package matrix
    staged: dict[str, int] = field(
        default_factory=dict
    )  # rows staged: persons, families, entries, programmes

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def reference_date_for(period: str) -> dt.date:
    """Last day of ``YYYY-MM``, 31 December of ``YYYY``, or the date ``YYYY-MM-DD`` itself."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", period):
        return dt.date.fromisoformat(period)
    if m := re.fullmatch(r"(\d{4})-(\d{2})", period):
        year, month = int(m[1]), int(m[2])
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    if re.fullmatch(r"\d{4}", period):
        return dt.date(int(period), 12, 31)
    raise ValueError(
        f"periode {period!r} bukan YYYY, YYYY-MM atau YYYY-MM-DD; berikan reference_date / "
        f"period {period!r} is not YYYY, YYYY-MM or YYYY-MM-DD; pass reference_date"
    )


def run_targeting(
    conn: Any,
    schema: TargetingSchema,
    period: str,
    results_table: str = DEFAULT_RESULTS_TABLE,
    *,
    reference_date: dt.date | None = None,
    priority_max_desil: int = 2,
    keep_staging: bool = False,
    pg_work_mem_mb: int = 128,
    sqlite_cache_mb: int = 256,
    packages: bool = False,
    constants: dict[str, int | str] | None = None,
    helpers: Sequence[Any] = (),
    write: bool = True,
) -> RunResult:
    """Compute every finding of ``period`` into ``results_table`` (created when missing).

    ``conn``: a :mod:`sqlite3` or psycopg 3 connection. ``reference_date`` (default: from ``period``)
    is the date ages are computed at and deaths compared with. Priority families (exclusion_priority,
    strategy gaps) are the extreme poor and desil <= ``priority_max_desil``. ``keep_staging`` leaves
    the ``tg_tmp_*`` tables on the connection (debugging). ``packages`` also computes the package
    matrix (:func:`padu.targeting.engine.aggregate.package_matrix`) from the staged tables into
    ``RunResult.packages``. ``constants`` are more columns of the results table written with the same
    value on every finding (the product's ``run_id``: set while inserting, not updated afterwards).
    On PostgreSQL the run sets, for its own transaction only, ``jit = off`` and ``work_mem`` =
    ``pg_work_mem_mb``. On SQLite the page caches of the main and the temporary
    database are raised to ``sqlite_cache_mb`` each for the run and restored afterwards (SQLite's default,
    2 MB, made the staging and the findings' index writes spill to disk: about a quarter of the run's
    wall time at 1,000,000 persons); the memory is taken only as pages are read.

    ``helpers``: more psycopg connections to the same PostgreSQL database, in autocommit mode like
    ``conn``; the run then uses all of them at once (staging in shards, rules and the package matrix
    as a queue) and is **not** one transaction; ``results_table`` must exist (it gets no index
    here): every statement commits on its own and the staged
    tables are ``UNLOGGED`` tables in the schema first on ``conn``'s search_path (give the run a
    schema of its own). ``timings`` then add up the connections' statement times; ``seconds`` is wall.

    ``write=False`` (SQLite, one connection): the run's findings stay in the temporary table
    ``tg_tmp_found`` of ``conn`` and the database is not written; the caller writes them inside a
    transaction of its own with :func:`write_findings` (its own bookkeeping beside them), or drops them
    with :func:`discard_findings`. The counts are those of the findings to write."""
    started = time.perf_counter()
    ref = reference_date or reference_date_for(period)
    db = Db(conn, detect_dialect(conn))
    if not write and (helpers or db.dialect.is_postgres):
        raise ValueError("write=False: hanya SQLite satu koneksi / SQLite with one connection only")
    if helpers and not db.dialect.is_postgres:
        raise ValueError("helpers: hanya PostgreSQL / helpers need PostgreSQL connections")
    quote_name(results_table)
    check_programmes(db, schema)
    extra = dict(constants or {})
    for name in extra:
        quote_name(name)
    columns = ", ".join([FINDING_COLUMNS[0], *extra, *FINDING_COLUMNS[1:]])
    marks = "SELECT ?" + ", ?" * len(extra)

    def statements(into: str = results_table) -> list[tuple[str, str, tuple[Any, ...]]]:
        rules = [
            *inclusion_rules(ref, with_asn=schema.asn is not None),
            *exclusion_rules(db, priority_max_desil, ref),
            *double_rules(schema),
        ]
        out = []
        for rule in rules:
            head, sep, rest = rule.select.lstrip().partition("SELECT ?")
            if head or not sep:
                raise ValueError(f"rule {rule.finding_type}: SELECT must start with the period placeholder")
            sql = f"INSERT INTO {tbl(into)} ({columns}) {marks}{rest}"
            out.append((rule.finding_type, sql, (period, *extra.values(), *rule.params)))
        return out

    def matrix_of(d: Db) -> list[dict[str, Any]]:
        from padu.targeting.engine.aggregate import staged_package_matrix  # (imports this module)

        step = time.perf_counter()
        try:
            return staged_package_matrix(d, priority_max_desil=priority_max_desil)
        finally:
            d.timings["package_matrix"] = time.perf_counter() - step

    def count_sql(table: str = results_table) -> str:
        return (
            f"SELECT finding_type, COUNT(*), SUM(rupiah_month), SUM(rupiah_year) "
            f"FROM {tbl(table)} WHERE period = ? GROUP BY finding_type"
        )

    matrix = None
    if helpers:
        pool = _pool(db, helpers, pg_work_mem_mb)
        try:  # the caller's own table, indexed by the caller once it is full (none created here)
            db.execute(f"DELETE FROM {tbl(results_table)} WHERE period = ?", (period,), step="delete")
            step = time.perf_counter()
            build_staging(db, schema, period, ref, pool=pool)
            db.timings["wall.staging"] = time.perf_counter() - step
            step = time.perf_counter()
            # The longest first, so that the queue ends evenly on the connections.
            ordered = sorted(statements(), key=lambda s: _ORDER.index(s[0]) if s[0] in _ORDER else 99)
            jobs: list[Any] = [statement(q, p, step=n) for n, q, p in ordered]
            at = len(jobs) // 2
            if packages:
                jobs.insert(at, matrix_of)
            done = pool.queue(jobs)
            db.timings["wall.rules"] = time.perf_counter() - step
            matrix = done[at] if packages else None
            rows = db.query(count_sql(), (period,))
        finally:
            try:
                if not keep_staging:
                    db.drop_temp(*TEMP_TABLES)
            finally:
                for d in pool.dbs:
                    d.execute("RESET jit; RESET work_mem; RESET default_statistics_target")
    elif db.dialect.is_postgres:
        with _transaction(conn, db.dialect):
            db.execute("SET LOCAL jit = off")  # for this transaction only: JIT compiles longer than it saves
            db.execute(f"SET LOCAL work_mem = '{int(pg_work_mem_mb)}MB'")
            create_results_table(db, results_table)
            db.execute(f"DELETE FROM {tbl(results_table)} WHERE period = ?", (period,), step="delete")
            build_staging(db, schema, period, ref)
            for name, sql, params in statements():
                db.execute(sql, params, step=name)
            rows = db.query(count_sql(), (period,))
            if packages:
                matrix = matrix_of(db)
            if not keep_staging:
                db.drop_temp(*TEMP_TABLES)
    else:
        # SQLite: one writer at a time for the whole file. Staging and rules write temporary tables
        # only, so other connections keep writing while they run; the database itself is written in
        # one short transaction at the end (the period's findings replaced), not for the whole run.
        with _sqlite_cache(db, sqlite_cache_mb):
            create_results_table(db, results_table)
            if conn.in_transaction:
                conn.commit()
            db.drop_temp(FOUND)
            # In WAL mode one read transaction gives staging and rules one snapshot and holds up no
            # writer; in a rollback journal it would, so there each statement reads on its own.
            if db.query("PRAGMA journal_mode")[0][0] == "wal":
                conn.execute("BEGIN")
            finished = False
            try:
                build_staging(db, schema, period, ref)
                db.execute(f"CREATE TEMP TABLE {FOUND} AS SELECT {columns} FROM {tbl(results_table)} WHERE 0")
                for name, sql, params in statements(into=f"temp.{FOUND}"):
                    db.execute(sql, params, step=name)
                if packages:
                    matrix = matrix_of(db)
                if conn.in_transaction:  # the snapshot ends: only temporary tables were written
                    conn.commit()
                if write:
                    with _transaction(conn, db.dialect, immediate=True):
                        _write_found(db, results_table, period)
                        rows = db.query(count_sql(), (period,))
                else:  # the caller writes them in a transaction of its own (write_findings)
                    rows = db.query(count_sql(f"temp.{FOUND}"), (period,))
                finished = True
            finally:
                if conn.in_transaction:
                    conn.rollback()
                db.drop_temp(*(() if keep_staging else TEMP_TABLES))
                if write or not finished:
                    db.drop_temp(FOUND)
    counts = dict.fromkeys(FINDING_TYPES, 0)
    month = dict.fromkeys(FINDING_TYPES, 0)
    year = dict.fromkeys(FINDING_TYPES, 0)
    for finding_type, n, m, y in rows:
        counts[finding_type], month[finding_type], year[finding_type] = int(n), int(m or 0), int(y or 0)
    return RunResult(
        period=period,
        reference_date=ref,
        results_table=results_table,
        dialect=db.dialect.name,
        counts=counts,
        rupiah_month=month,
        rupiah_year=year,
        timings={k: round(v, 4) for k, v in db.timings.items()},
        seconds=time.perf_counter() - started,
        packages=matrix,
        staged={_STAGED.get(k, k): v for k, v in db.rows.items()},
    )


def write_findings(conn: Any, results_table: str, period: str) -> dict[str, float]:
    """SQLite, after ``run_targeting(..., write=False)`` on ``conn``: replace ``period``'s findings in
    ``results_table`` by the run's, inside the caller's transaction; returns the steps' seconds."""
    db = Db(conn, detect_dialect(conn))
    _write_found(db, results_table, period)
    db.drop_temp(FOUND)
    return db.timings


def discard_findings(conn: Any) -> None:
    """Drop a ``write=False`` run's findings that were not written (SQLite)."""
    Db(conn, detect_dialect(conn)).drop_temp(FOUND)


def _write_found(db: Db, results_table: str, period: str) -> None:
    names = [str(r[1]) for r in db.query(f"PRAGMA temp.table_info({FOUND})")]
    if not names:
        raise ValueError("tidak ada temuan penargetan untuk ditulis / no run's findings to write")
    columns = ", ".join(quote_name(n) for n in names)
    db.execute(f"DELETE FROM {tbl(results_table)} WHERE period = ?", (period,), step="delete")
    db.execute(
        f"INSERT INTO {tbl(results_table)} ({columns}) SELECT {columns} FROM temp.{FOUND}",
        step="write_findings",
    )


# Which statements go first in a pooled run's queue (the longest, so the queue ends evenly).
_ORDER = ("exclusion_programme", "exclusion_strategy_gap", "double_family", "double_in_programme")


def _pool(db: Db, helpers: Sequence[Any], work_mem_mb: int) -> Pool:
    path = db.query("SHOW search_path")[0][0]
    db.table_kind = "UNLOGGED"
    dbs = [db, *(db.sibling(c) for c in helpers)]
    for d in dbs:
        if detect_dialect(d.conn) != db.dialect or not getattr(d.conn, "autocommit", False):
            raise ValueError("helpers: koneksi PostgreSQL autocommit / autocommit PostgreSQL connections")
        d.execute("SET jit = off")  # JIT compiles for longer than it saves
        d.execute(f"SET work_mem = '{int(work_mem_mb)}MB'")
        d.execute("SET default_statistics_target = 10")  # ANALYZE of the staged tables: a small sample
        if d is not db:
            d.execute(f"SET search_path = {path}")
    return Pool(dbs)


@contextlib.contextmanager
def _sqlite_cache(db: Db, megabytes: int) -> Iterator[None]:
    if db.dialect.is_postgres or megabytes <= 0:
        yield
        return
    schemas = ("main", "temp")
    old = {s: db.query(f"PRAGMA {s}.cache_size")[0][0] for s in schemas}
    for s in schemas:
        db.execute(f"PRAGMA {s}.cache_size = -{int(megabytes) * 1024}")
    try:
        yield
    finally:
        for s in schemas:
            db.execute(f"PRAGMA {s}.cache_size = {int(old[s])}")


@contextlib.contextmanager
def _transaction(conn: Any, dialect: Dialect, *, immediate: bool = False) -> Iterator[None]:
    if dialect.is_postgres:
        with conn.transaction():
            yield
        if not conn.autocommit:
            conn.commit()
        return
    if not conn.in_transaction:  # IMMEDIATE: wait for the write lock now, not halfway through
        conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
    try:
        yield
    except BaseException:
        conn.rollback()
        raise
    conn.commit()


def check_programmes(db: Db, schema: TargetingSchema) -> None:
    """Refuse programme rows the rules cannot read (unknown unit, frequency, status, category ...)."""
    g = schema.programmes
    names = (
        "code",
        "unit",
        "benefit_frequency",
        "payments_per_year",
        "targeting",
        "recipient",
        "statuses",
        "categories",
    )
    select = ", ".join(col("g", getattr(g, n)) for n in names)
    problems: list[str] = []
    for code, unit, freq, per_year, targeting, recipient, statuses, cats in db.query(
        f"SELECT {select} FROM {tbl(g.table)} g"
    ):
        if unit not in ("person", "family"):
            problems.append(f"{code}: unit {unit!r}")
        if per_year is None and freq not in PAYMENTS_PER_YEAR:
            problems.append(f"{code}: benefit_frequency {freq!r}")
        if targeting not in (None, "entitlement", "quota"):
            problems.append(f"{code}: targeting {targeting!r}")
        if recipient not in (None, "head", "mother"):
            problems.append(f"{code}: recipient {recipient!r}")
        problems += [f"{code}: status {s!r}" for s in _codes(statuses) if s not in STATUSES]
        problems += [f"{code}: category {c!r}" for c in _codes(cats) if c not in CATEGORIES]
    if problems:
        raise ValueError(
            "aturan program tidak dikenal / unknown programme rule values: " + "; ".join(problems)
        )


def _codes(value: str | None) -> list[str]:
    return [v for v in (value or "").split(",") if v] if value is not None else []
