"""Load a ``padu generate`` output folder into the contract's tables. For tests and benchmarks only.

* registry CSV → ``tg_person`` / ``tg_family`` (ids: the number in ``P00001234`` / ``F00000042``, see
  :func:`person_key`); family status ``pindah`` when every member moved, else ``aktif``; house flags
  as the generator defines them.
* ``manifest.json`` programmes → ``tg_programme`` (eligibility conditions translated to the contract's
  columns; conditions the contract has no column for, e.g. occupation, are listed in
  :attr:`LoadResult.unsupported`) and ``exclusive_of`` → ``tg_programme_exclusion``.
* each list file, read with the ingest engine's reader (header found by the manifest's column names,
  checked against ``header_row``; ``column_mapping`` says which header is NIK / name / kelurahan) →
  ``tg_roll_entry``, linked with ``truth/list_identities.csv`` (perfect links: the targeting logic is
  measured apart from linkage), with the row's own amount where the list has one ("Nominal"). Family
  programmes link person (the recipient) and family; person
  programmes link the person only.
"""

from __future__ import annotations

import csv
import json
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from padu.ingest.engine import read_table
from padu.programs.engine.cells import parse_rupiah
from padu.targeting.engine.dialect import Db, detect_dialect
from padu.targeting.engine.schema import quote_name

__all__ = ["LoadResult", "create_contract_tables", "family_key", "load_synth", "person_key"]

BATCH = 20_000
RELATIONSHIP = {
    "Kepala Keluarga": "kepala",
    "Istri": "istri",
    "Suami": "suami",
    "Anak": "anak",
    "Menantu": "menantu",
    "Cucu": "cucu",
    "Orang Tua": "orang_tua",
    "Famili Lain": "famili",
    "Lainnya": "lainnya",
}
POOR_ROOF = frozenset({"Seng", "Bambu", "Jerami/ijuk/rumbia", "Kayu/sirap"})  # padu.synth.population
FIT_WALLS = frozenset({"Tembok diplester", "Tembok tanpa plester"})
CATEGORY_FIELDS = {"pkh_component", "in_school", "house_owned", "house_unfit", "extreme_poor", "disability"}

# Logical column types of the contract tables (default names of TargetingSchema).
TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "tg_family": (
        ("id", "id"),
        ("desil", "int"),
        ("status", "text"),
        ("kelurahan_code", "text"),
        ("extreme_poor", "bool"),
        ("house_owned", "bool"),
        ("house_unfit", "bool"),
    ),
    "tg_person": (
        ("id", "id"),
        ("family_id", "big"),
        ("status", "text"),
        ("nik", "text"),
        ("death_date", "date"),
        ("birth_date", "date"),
        ("sex", "text"),
        ("kelurahan_code", "text"),
        ("relationship", "text"),
        ("is_pregnant", "bool"),
        ("disability", "bool"),
        ("in_school", "bool"),
    ),
    "tg_programme": (
        ("id", "id"),
        ("code", "text"),
        ("opd", "text"),
        ("unit", "text"),
        ("benefit_value_rp", "big"),
        ("benefit_frequency", "text"),
        ("payments_per_year", "int"),
        ("strategy", "text"),
        ("targeting", "text"),
        ("max_desil", "int"),
        ("statuses", "text"),
        ("min_age", "int"),
        ("max_age", "int"),
        ("min_age_months", "int"),
        ("max_age_months", "int"),
        ("sex", "text"),
        ("categories", "text"),
        ("recipient", "text"),
    ),
    "tg_programme_exclusion": (("programme_a_id", "big"), ("programme_b_id", "big")),
    "tg_roll_entry": (
        ("id", "id"),
        ("programme_id", "big"),
        ("period", "text"),
        ("row_number", "int"),
        ("person_id", "big"),
        ("family_id", "big"),
        ("link_status", "text"),
        ("nik", "text"),
        ("name", "text"),
        ("kelurahan_code", "text"),
        ("benefit_rp", "big"),
    ),
    "tg_asn": (("nik", "text"), ("person_id", "big")),
}
INDEXES = (
    ("tg_person", "family_id"),
    ("tg_person", "nik"),
    ("tg_roll_entry", "period, programme_id"),
    ("tg_roll_entry", "person_id"),
    ("tg_roll_entry", "family_id"),
)


@dataclass
class LoadResult:
    period: str
    reference_date: str
    counts: dict[str, int]
    unsupported: dict[str, list[str]] = field(default_factory=dict)  # programme -> conditions ignored
    unread_rows: int = 0  # list rows without a truth identity (should be 0)
    seconds: float = 0.0


def person_key(id_art: str) -> int:
    return int(id_art[1:])


def family_key(id_keluarga: str) -> int:
    return int(id_keluarga[1:])


def create_contract_tables(conn: Any) -> None:
    """(Re)create the contract's tables under their default names, empty."""
    db = Db(conn, detect_dialect(conn))
    pg = db.dialect.is_postgres
    types = {
        "id": "BIGINT PRIMARY KEY" if pg else "INTEGER PRIMARY KEY",
        "big": "BIGINT",
        "int": "INTEGER",
        "text": "TEXT",
        "date": "DATE" if pg else "TEXT",
        "bool": "BOOLEAN",
    }
    for name, cols in TABLES.items():
        db.execute(f"DROP TABLE IF EXISTS {quote_name(name)}")
        body = ", ".join(f"{quote_name(c)} {types[t]}" for c, t in cols)
        db.execute(f"CREATE TABLE {quote_name(name)} ({body})")
    conn.commit()


def _insert(db: Db, table: str, rows: Iterable[Sequence[Any]]) -> int:
    cols = [c for c, _ in TABLES[table]]
    names = ", ".join(quote_name(c) for c in cols)
    n = 0
    cur = db.conn.cursor()
    try:
        if db.dialect.is_postgres:
            with cur.copy(f"COPY {quote_name(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
            return n
        sql = f"INSERT INTO {quote_name(table)} ({names}) VALUES ({', '.join('?' * len(cols))})"
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cur.executemany(sql, batch)
                n += len(batch)
                batch = []
        cur.executemany(sql, batch)
        return n + len(batch)
    finally:
        cur.close()


def load_synth(conn: Any, synth_dir: str | Path, *, period: str | None = None) -> LoadResult:
    """Create the contract tables (default names) on ``conn`` and fill them from ``synth_dir``."""
    started = time.perf_counter()
    root = Path(synth_dir)
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    period = period or manifest["reference_date"][:7]
    db = Db(conn, detect_dialect(conn))
    create_contract_tables(conn)
    kelurahan: dict[str, str] = {}
    families: list[list[Any]] = []
    counts = {
        "persons": _insert(
            db, "tg_person", _persons(root / manifest["registry"]["file"], families, kelurahan)
        )
    }
    counts["families"] = _insert(db, "tg_family", families)
    rows, unsupported = _programmes(manifest["programmes"])
    counts["programmes"] = _insert(db, "tg_programme", rows)
    ids = {p["code"]: i for i, p in enumerate(manifest["programmes"], start=1)}
    counts["exclusions"] = _insert(
        db,
        "tg_programme_exclusion",
        [(ids[p["code"]], ids[b]) for p in manifest["programmes"] for b in p["exclusive_of"]],
    )
    identities = _identities(root / "truth" / "list_identities.csv")
    unread = [0]
    counts["roll_entries"] = _insert(
        db,
        "tg_roll_entry",
        _entries(root, manifest["programmes"], ids, identities, period, kelurahan, unread),
    )
    for table, cols in INDEXES:
        name = quote_name(f"{table}_{cols.replace(', ', '_')}_idx")
        db.execute(f"CREATE INDEX {name} ON {quote_name(table)} ({cols})")
    conn.commit()
    db.execute("ANALYZE")
    conn.commit()
    return LoadResult(
        period, manifest["reference_date"], counts, unsupported, unread[0], time.perf_counter() - started
    )


def _persons(path: Path, families: list[list[Any]], kelurahan: dict[str, str]) -> Iterator[tuple[Any, ...]]:
    seen: dict[str, list[Any]] = {}  # family status: pindah while every member read so far moved
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        i = {name: k for k, name in enumerate(next(reader))}
        pid, fid, nik, sex, birth, rel = (
            i[c]
            for c in ("id_art", "id_keluarga", "nik", "jenis_kelamin", "tanggal_lahir", "hubungan_keluarga")
        )
        school, dis, preg, kel, desil = (
            i[c] for c in ("status_sekolah", "disabilitas", "hamil", "kode_kelurahan", "desil")
        )
        status, date, kel_name = i["status_art"], i["tanggal_status"], i["nama_kelurahan"]
        for r in reader:
            family = seen.get(r[fid])
            if family is None:
                kelurahan.setdefault(r[kel_name].upper(), r[kel])
                unfit = (
                    r[i["jenis_lantai"]] == "Tanah"
                    or r[i["jenis_dinding"]] not in FIT_WALLS
                    or r[i["jenis_atap"]] in POOR_ROOF
                )
                family = seen[r[fid]] = [
                    family_key(r[fid]),
                    int(r[desil]),
                    "pindah",
                    r[kel],
                    r[i["miskin_ekstrem"]] == "1",
                    r[i["status_kepemilikan_rumah"]] == "Milik sendiri",
                    unfit,
                ]
                families.append(family)
            if r[status] != "pindah":
                family[2] = "aktif"
            yield (
                person_key(r[pid]),
                family_key(r[fid]),
                r[status],
                r[nik] or None,
                r[date] if r[status] == "meninggal" and r[date] else None,
                r[birth] or None,
                r[sex],
                r[kel],
                RELATIONSHIP.get(r[rel], "lainnya"),
                r[preg] == "1",
                bool(r[dis]),
                r[school] == "Masih sekolah",
            )


_FREQ = (("bulanan", "monthly", None), ("per tahun", "annual", None), ("sekali", "once", None))


def _frequency(text: str) -> tuple[str, int | None]:
    if m := re.match(r"harian selama (\d+) hari", text):
        return "daily", int(m[1])
    for prefix, code, n in _FREQ:
        if text.startswith(prefix):
            return code, n
    raise ValueError(f"frekuensi tidak dikenal / unknown benefit frequency: {text!r}")


def _programmes(programmes: list[dict[str, Any]]) -> tuple[list[tuple[Any, ...]], dict[str, list[str]]]:
    rows, unsupported = [], {}
    for n, p in enumerate(programmes, start=1):
        rule: dict[str, Any] = {
            "statuses": None,
            "max_desil": None,
            "min_age": None,
            "max_age": None,
            "min_age_months": None,
            "max_age_months": None,
        }
        cats, other = [], []
        for c in p["eligibility"]:
            fld, op, value = c["field"], c["op"], c["value"]
            if fld == "status" and op == "==":
                rule["statuses"] = value
            elif fld == "desil" and op in ("<=", "<"):
                rule["max_desil"] = value - (op == "<")
            elif fld in ("age", "age_months") and op in ("between", ">=", "<="):
                suffix = "" if fld == "age" else "_months"
                lo, hi = value if op == "between" else ((value, None) if op == ">=" else (None, value))
                rule["min_age" + suffix], rule["max_age" + suffix] = lo, hi
            elif fld in CATEGORY_FIELDS and op == "==" and value is True:
                cats.append(fld)
            else:
                other.append(f"{fld} {op} {value}")
        if other:
            unsupported[p["code"]] = other
        freq, per_year = _frequency(p["benefit_frequency"])
        recipient = p["recipient"] if p["recipient"] in ("head", "mother") else None
        rows.append(
            (
                n,
                p["code"],
                p["opd_code"],
                p["unit"],
                p["benefit_value_rp"],
                freq,
                per_year,
                p["strategy"],
                p["targeting"],
                rule["max_desil"],
                rule["statuses"],
                rule["min_age"],
                rule["max_age"],
                rule["min_age_months"],
                rule["max_age_months"],
                None,
                ",".join(cats) or None,
                recipient,
            )
        )
    return rows, unsupported


def _identities(path: Path) -> dict[tuple[str, int], tuple[int, str, str]]:
    out: dict[tuple[str, int], tuple[int, str, str]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            out[(r["programme"], int(r["file_row"]))] = (int(r["row_number"]), r["id_art"], r["id_keluarga"])
    return out


def _nik(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value).strip()
    return text or None


def _amount(cell: object) -> int | None:
    """The row's own amount (PKH by component, PIP by school level, RTLH), as the product reads it."""
    try:
        return parse_rupiah(cell)
    except ValueError:
        return None


def _entries(
    root: Path,
    programmes: list[dict[str, Any]],
    ids: dict[str, int],
    identities: dict[tuple[str, int], tuple[int, str, str]],
    period: str,
    kelurahan: dict[str, str],
    unread: list[int],
) -> Iterator[tuple[Any, ...]]:
    entry_id = 0
    for p in programmes:
        headers = {h.strip().lower() for h in p["columns"]}

        def score(cells: Sequence[object], headers: set[str] = headers) -> int:
            return sum(1 for c in cells if c is not None and str(c).strip().lower() in headers)

        mapping = p["column_mapping"]
        with read_table(root / p["file"], sheet=p.get("sheet_name"), score=score) as table:
            if table.header_line != p["header_row"]:
                raise ValueError(
                    f"{p['file']}: header on row {table.header_line}, manifest says {p['header_row']}"
                )
            for row in table.rows:
                ident = identities.get((p["code"], row.line))
                if ident is None:
                    unread[0] += 1
                    continue
                number, pid, fid = ident
                entry_id += 1
                kel = row.values.get(mapping.get("kelurahan", ""))
                yield (
                    entry_id,
                    ids[p["code"]],
                    period,
                    number,
                    person_key(pid) if pid else None,
                    family_key(fid) if fid and p["unit"] == "family" else None,
                    "matched" if pid else "unmatched",
                    _nik(row.values.get(mapping["nik"])),
                    row.values.get(mapping["name"]),
                    kelurahan.get(str(kel).upper()) if kel else None,
                    _amount(row.values.get(mapping.get("nominal", ""))),
                )
