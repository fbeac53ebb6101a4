"""A cache of the cleaned registry side, so routine linking of a new list cleans only the list.

The registry changes rarely; cleaning a million registry rows (:func:`.prepare.prepare`) is most of a
routine run. :func:`prepare_cached` keeps the cleaned table as a Parquet file in a folder the caller
names, keyed by

* the preparation code (a digest of the source of :mod:`.prepare` and :mod:`.normalise`: any change
  to the cleaning gives a new key, so a stale cache is never read), and
* the registry content: a digest of its column names and types, row count and an order-independent
  sum of row hashes computed in DuckDB (about a second for a million rows), or a version string the
  caller already has (``key=``, e.g. the registry's import batch), which skips the digest.

Nothing is model-specific: cleaning does not depend on the model, so a retrained model reuses the
cache. Files are written to a temporary name and renamed, so a crash leaves no half-written cache;
older cache files in the folder beyond the newest ``KEEP`` are removed.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from padu.linkage.engine import normalise
from padu.linkage.engine import prepare as prepare_module
from padu.linkage.engine.prepare import prepare

PREFIX = "prepared-"
KEEP = 3


@dataclass(frozen=True)
class PreparedTable:
    """A cleaned table on disk (written by :func:`prepare_cached`); :func:`.link.link` accepts it as
    ``right`` in place of the raw registry, so a routine run need not load the registry at all."""

    path: Path
    rows: int


@cache
def preparation_digest() -> str:
    """Digest of the cleaning code (prepare + normalise macros)."""
    h = hashlib.sha256()
    for module in (prepare_module, normalise):
        h.update(inspect.getsource(module).encode())
    return h.hexdigest()[:12]


def content_key(con: duckdb.DuckDBPyConnection, raw: str) -> str:
    """Digest of a registered table's columns, types, row count and (order-independent) row hashes."""
    columns = con.execute(f"DESCRIBE {raw}").fetchall()
    names = [str(c[0]) for c in columns]
    hashes = ", ".join(f'"{n}"' for n in names)
    count, total, mixed = con.execute(
        f"SELECT count(*), sum(hash({hashes})::HUGEINT), bit_xor(hash({hashes}, 'padu')) FROM {raw}"
    ).fetchall()[0]
    h = hashlib.sha256(repr(([(c[0], c[1]) for c in columns], count, total, mixed)).encode())
    return h.hexdigest()[:16]


def key_of(data: Any) -> str:
    """The content key of a table (pandas or Arrow) as :func:`prepare_cached` computes it; a caller
    may keep it as the registry's version and later :func:`lookup` the cleaned table by it."""
    con = duckdb.connect()
    try:
        con.register("t__fp", data)
        return content_key(con, "t__fp")
    finally:
        con.close()


def _safe(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", key)[:80]


def cache_path(cache_dir: str | Path, key: str) -> Path:
    return Path(cache_dir) / f"{PREFIX}{preparation_digest()}-{_safe(key)}.parquet"


def lookup(cache_dir: str | Path, key: str) -> PreparedTable | None:
    """The cached cleaned registry of version ``key`` (as given to ``link(..., right_key=)``), if any:
    a routine run that knows its registry has not changed need not load the registry at all."""
    path = cache_path(cache_dir, key)
    if not path.exists():
        return None
    import pyarrow.parquet as pq

    try:
        rows = pq.ParquetFile(path).metadata.num_rows
    except Exception:  # unreadable: treat as absent (rebuilt on the next cold run)
        return None
    return PreparedTable(path, rows)


def load_prepared(con: duckdb.DuckDBPyConnection, prepared: PreparedTable, table: str) -> int:
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM read_parquet(?)", [str(prepared.path)]
    )
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def prepare_cached(
    con: duckdb.DuckDBPyConnection, data: Any, table: str, cache_dir: str | Path, key: str | None = None
) -> tuple[int, bool]:
    """Write the cleaned ``table`` from the cache when it holds ``data`` (same content or ``key``), else
    clean ``data`` and store the result. Returns (rows, whether the cache was used)."""
    if key is None:
        raw = f"{table}__fp"
        con.register(raw, data)
        try:
            key = content_key(con, raw)
        finally:
            con.unregister(raw)
    path = cache_path(cache_dir, key)
    if path.exists():
        try:
            return load_prepared(con, PreparedTable(path, 0), table), True
        except duckdb.Error:  # unreadable (e.g. truncated by a full disk): rebuild it
            path.unlink(missing_ok=True)
    rows = prepare(con, data, table)
    _store(con, table, path)
    return rows, False


def _store(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    con.execute(f"COPY {table} TO '{tmp}' (FORMAT parquet, COMPRESSION zstd)")
    os.replace(tmp, path)
    old = sorted(
        (p for p in path.parent.glob(f"{PREFIX}*.parquet") if p != path),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for stale in old[KEEP - 1 :]:
        stale.unlink(missing_ok=True)


def prepare_registry(
    right: Any, cache_dir: str | Path, *, key: str | None = None, threads: int | None = None
) -> PreparedTable:
    """Clean ``right`` once (or find it in the cache) and return the cached file, e.g. after the
    registry changes or when the model is trained, so routine runs can pass it as ``right``."""
    from padu.linkage.engine.prepare import connect

    con = connect(threads)
    try:
        key = key or key_of(right)
        rows, _ = prepare_cached(con, right, "r", cache_dir, key)
    finally:
        con.close()
    return PreparedTable(cache_path(cache_dir, key), rows)
