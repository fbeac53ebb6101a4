"""Load the Kemendagri region codes and the installation's boundaries into the database.

Both loaders take the model classes as arguments so that the data migration
(``0002_load_regions``) can pass its historical models; commands and tests call them without.
They are idempotent: re-running updates changed rows, adds new ones and never duplicates.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction

DATA_DIR = Path(__file__).resolve().parent / "data"
CSV_PATH = DATA_DIR / "wilayah.csv"
GEO_DIR = DATA_DIR / "geo"
CSV_HEADER = ["code", "name", "level", "type", "parent_code", "code_plain"]
REGION_FIELDS = ("name", "level", "type", "parent_id", "code_plain")
REGION_TYPES = {
    1: {"provinsi"},
    2: {"kabupaten", "kota"},
    3: {"kecamatan"},
    4: {"kelurahan", "desa"},
}
BOUNDARY_LEVELS = (3, 4)  # kecamatan, desa/kelurahan
BOUNDARY_SOURCE = "cahyadsn/wilayah_boundaries (MIT)"

# (code, name, level, type, parent_code | None, code_plain)
RegionRow = tuple[str, str, int, str, str | None, str]


class RegionDataError(ValueError):
    """The region CSV is not in the expected format."""


@dataclass(frozen=True)
class RegionLoadResult:
    total: int  # rows in the source file
    created: int
    updated: int
    unchanged: int
    not_in_source: int  # rows in the database that the file no longer lists (kept, never deleted)
    seconds: float


@dataclass(frozen=True)
class BoundaryLoadResult:
    region_code: str
    counts: dict[int, int] = field(default_factory=dict)  # level -> boundaries loaded
    sources: dict[int, str] = field(default_factory=dict)  # level -> file name
    skipped: int = 0  # features whose code is not in the region table
    seconds: float = 0.0

    @property
    def kecamatan(self) -> int:
        return self.counts.get(3, 0)

    @property
    def kelurahan(self) -> int:
        return self.counts.get(4, 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


# --------------------------------------------------------------------------- region codes


def read_region_csv(path: Path | str | None = None) -> list[RegionRow]:
    """Parse and check a region CSV (``code,name,level,type,parent_code,code_plain``)."""
    path = Path(path) if path else CSV_PATH
    rows: list[RegionRow] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header != CSV_HEADER:
            raise RegionDataError(f"{path}: kepala kolom harus / header must be {','.join(CSV_HEADER)}")
        for lineno, rec in enumerate(reader, start=2):
            if not rec:
                continue
            if len(rec) != 6:
                raise RegionDataError(f"{path}:{lineno}: baris tidak sah / bad row: {rec}")
            code, name, level_s, type_, parent, plain = rec
            level = code.count(".") + 1
            if (
                level_s != str(level)
                or type_ not in REGION_TYPES.get(level, ())
                or not name
                or plain != code.replace(".", "")
                or not plain.isdigit()
                or parent != code.rpartition(".")[0]
                or code in seen
            ):
                raise RegionDataError(f"{path}:{lineno}: baris tidak sah / bad row: {rec}")
            seen.add(code)
            rows.append((code, name.strip(), level, type_, parent or None, plain))
    return rows


def load_regions(
    model: Any = None, csv_path: Path | str | None = None, *, using: str = DEFAULT_DB_ALIAS
) -> RegionLoadResult:
    """Insert or update every region of the CSV (default: the packaged Kemendagri list).

    ``model`` is the ``Region`` model (or a migration's historical one). One transaction;
    a fresh table is filled with one ``COPY`` on PostgreSQL or large ``bulk_create`` batches.
    """
    if model is None:
        from padu.wilayah.models import Region

        model = Region
    started = time.perf_counter()
    rows = read_region_csv(csv_path)
    manager = model._default_manager.db_manager(using)
    with transaction.atomic(using=using):
        existing = {
            code: tuple(rest)
            for code, *rest in manager.values_list("code", *REGION_FIELDS).order_by().iterator(5000)
        }
        new = [r for r in rows if r[0] not in existing]
        changed = [r for r in rows if r[0] in existing and existing[r[0]] != r[1:]]
        if new:
            if not existing and connections[using].vendor == "postgresql":
                _copy_postgres(model, new, using)
            else:
                _insert_rows(model, new, using)
        if changed:
            _update_rows(model, changed, using)
    source = {r[0] for r in rows}
    return RegionLoadResult(
        total=len(rows),
        created=len(new),
        updated=len(changed),
        unchanged=len(rows) - len(new) - len(changed),
        not_in_source=sum(1 for code in existing if code not in source),
        seconds=time.perf_counter() - started,
    )


def _table_and_columns(model: Any, using: str) -> tuple[str, str]:
    qn = connections[using].ops.quote_name
    opts = model._meta
    columns = ", ".join(qn(opts.get_field(f).column) for f in ("code", *REGION_FIELDS))
    return qn(opts.db_table), columns


def _insert_rows(model: Any, rows: list[RegionRow], using: str) -> None:
    """Plain ``executemany`` INSERTs: the rows are simple values (str/int/None), so the ORM's
    per-field preparation (~5x the cost of the SQL on SQLite) is not needed."""
    table, columns = _table_and_columns(model, using)
    sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s)"
    with connections[using].cursor() as cursor:
        for start in range(0, len(rows), 10_000):
            cursor.executemany(sql, rows[start : start + 10_000])


def _update_rows(model: Any, rows: list[RegionRow], using: str) -> None:
    qn = connections[using].ops.quote_name
    opts = model._meta
    sets = ", ".join(f"{qn(opts.get_field(f).column)} = %s" for f in REGION_FIELDS)
    sql = f"UPDATE {qn(opts.db_table)} SET {sets} WHERE {qn(opts.pk.column)} = %s"
    with connections[using].cursor() as cursor:
        cursor.executemany(sql, [(*row[1:], row[0]) for row in rows])


def _copy_postgres(model: Any, rows: list[RegionRow], using: str) -> None:
    """One ``COPY ... FROM STDIN (FORMAT csv)`` with the rows as a single CSV block."""
    table, columns = _table_and_columns(model, using)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)  # None -> empty -> NULL
    with connections[using].cursor() as cursor:
        raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy:
            copy.write(buffer.getvalue())


# --------------------------------------------------------------------------- boundaries


@lru_cache(maxsize=1)
def _geo_index() -> dict[str, tuple[int, frozenset[str]]]:
    """file name -> (size in bytes, the codes it holds). Built once per process (about 0.1 s)."""
    index: dict[str, tuple[int, frozenset[str]]] = {}
    for path in sorted(GEO_DIR.glob("*.geojson")):
        data = json.loads(path.read_text(encoding="utf-8"))
        codes = frozenset(f["properties"]["kode"] for f in data.get("features", []))
        index[path.name] = (path.stat().st_size, codes)
    return index


def boundary_sources(region_code: str | None = None) -> dict[int, Path]:
    """Which shipped GeoJSON file to use for each level (3, 4) under ``region_code``.

    A file qualifies when some of its features lie under the region. The best file holds the
    most of them; on a tie a file holding only this region wins (e.g. ``kota_serang_kecamatan``,
    dissolved from the kelurahan so both layers agree), then the smaller file.
    Returns ``{}`` for a region without shipped boundaries.
    """
    code = region_code or settings.REGION_CODE
    prefix = code + "."
    chosen: dict[int, Path] = {}
    for level in BOUNDARY_LEVELS:
        best: tuple[int, bool, int] | None = None
        for name, (size, codes) in _geo_index().items():
            under = [c for c in codes if c.startswith(prefix)]
            hits = sum(1 for c in under if c.count(".") + 1 == level)
            if not hits:
                continue
            key = (-hits, len(under) != len(codes), size)
            if best is None or key < best:
                best, chosen[level] = key, GEO_DIR / name
    return chosen


def load_boundaries(
    region_code: str | None = None,
    *,
    region_model: Any = None,
    boundary_model: Any = None,
    using: str = DEFAULT_DB_ALIAS,
) -> BoundaryLoadResult:
    """Load kecamatan and desa/kelurahan polygons under ``region_code`` (default: the installation).

    Replaces the boundaries of those levels under the region; regions without a shipped file
    simply get none (pages then show no map).
    """
    if region_model is None or boundary_model is None:
        from padu.wilayah.models import Boundary, Region

        region_model, boundary_model = region_model or Region, boundary_model or Boundary
    started = time.perf_counter()
    code = region_code or settings.REGION_CODE
    prefix = code + "."
    sources = boundary_sources(code)
    known = set(
        region_model._default_manager.db_manager(using)
        .filter(code__startswith=prefix)
        .values_list("code", flat=True)
    )
    objs: list[Any] = []
    counts: dict[int, int] = {}
    skipped = 0
    for level, path in sources.items():
        data = json.loads(path.read_text(encoding="utf-8"))
        for feature in data["features"]:
            props = feature["properties"]
            kode = props["kode"]
            if not kode.startswith(prefix) or kode.count(".") + 1 != level:
                continue
            if kode not in known:
                skipped += 1
                continue
            geometry = feature["geometry"]
            lat, lng = props.get("lat"), props.get("lng")
            if lat is None or lng is None:
                lng, lat = geometry_centroid(geometry)
            objs.append(
                boundary_model(
                    region_id=kode,
                    geometry=geometry,
                    centroid_lat=lat,
                    centroid_lng=lng,
                    source=f"{BOUNDARY_SOURCE}: {path.name}",
                )
            )
            counts[level] = counts.get(level, 0) + 1
    manager = boundary_model._default_manager.db_manager(using)
    with transaction.atomic(using=using):
        manager.filter(region__code__startswith=prefix, region__level__in=list(sources)).delete()
        manager.bulk_create(objs, batch_size=500)
    return BoundaryLoadResult(
        region_code=code,
        counts=counts,
        sources={lvl: p.name for lvl, p in sources.items()},
        skipped=skipped,
        seconds=time.perf_counter() - started,
    )


def geometry_centroid(geometry: dict[str, Any]) -> tuple[float, float]:
    """Area-weighted centroid ``(lng, lat)`` of a Polygon/MultiPolygon's outer rings (planar)."""
    polygons: Iterable[Any] = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    total = cx = cy = 0.0
    for polygon in polygons:
        ring = polygon[0]
        for (x0, y0), (x1, y1) in itertools.pairwise(ring):
            cross = x0 * y1 - x1 * y0
            total += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
    if total == 0:
        first = next(iter(polygons))[0][0]
        return float(first[0]), float(first[1])
    return cx / (3 * total), cy / (3 * total)
