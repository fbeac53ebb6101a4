"""Read person lists (CSV/XLSX as OPDs send them) into the canonical linkage columns.

``read_records(path, mapping=None)`` finds the header with :func:`padu.ingest.engine.read_table`,
maps columns (``mapping`` role -> one or more headers joined with a space, or guessed from header
names), parses dates with :func:`padu.ingest.engine.parse_date`, resolves kelurahan names to codes with
:class:`padu.ingest.engine.KelurahanResolver`, and returns a pandas DataFrame whose ``record_id`` is
the spreadsheet row (XLSX) or line (CSV) unless ``record_id`` is mapped.

Roles: ``record_id``, ``name``, ``id_number`` (alias ``nik``), ``kk``, ``birth_date``, ``ttl``
("Tempat, Tgl Lahir"), ``sex``, ``address``, ``rt``, ``rw``, ``region_code`` (alias ``kelurahan_code``),
``kelurahan``, ``kecamatan``, ``mother_name``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from padu.ingest.engine import KelurahanResolver, parse_date, read_table

ROLES = (
    "record_id", "name", "id_number", "kk", "birth_date", "ttl", "sex", "address", "rt", "rw",
    "region_code", "kelurahan", "kecamatan", "mother_name",
)  # fmt: skip
ALIASES = {"nik": "id_number", "kelurahan_code": "region_code", "address_rt_rw": "address",
           "no_kk": "kk", "id": "record_id"}  # fmt: skip

# Guessing roles from header names: (role, compiled pattern over the lower-case alphanumeric header).
_GUESS = (
    ("mother_name", r"(nama)?ibu(kandung)?|namaibu.*"),
    ("kk", r"(no|nomor)?kk|nokartukeluarga|kartukeluarga"),
    ("id_number", r"nik.*|(no)?ktp|nomorindukkependudukan"),
    ("ttl", r"tempat.*tgl.*|ttl|tempattanggallahir"),
    ("birth_date", r"(tgl|tanggal)lahir|tgllhr|dob|birthdate|tanggallahir"),
    ("sex", r"jeniskelamin|jk|lp|kelamin|sex|gender"),
    ("region_code", r"(kd|kode)kel(urahan)?|kodedesa|kodewilayah"),
    ("kelurahan", r"(desa)?kelurahan|desa|kel|namakel(urahan)?"),
    ("kecamatan", r"kecamatan|kec|namakec"),
    ("rt", r"rt"),
    ("rw", r"rw"),
    ("address", r"alamat.*|address"),
    ("name", r"nama.*|name"),
)


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def guess_mapping(columns: Sequence[str]) -> dict[str, list[str]]:
    """Roles found among ``columns`` by name (first header wins for each role)."""
    out: dict[str, list[str]] = {}
    for header in columns:
        key = _key(header)
        for role, pattern in _GUESS:
            if role not in out and re.fullmatch(pattern, key):
                out[role] = [header]
                break
    return out


def parse_map(text: str | None) -> dict[str, list[str]]:
    """``"name=NAMA,address=ALAMAT+RT+RW"`` -> ``{"name": ["NAMA"], "address": ["ALAMAT", "RT", "RW"]}``."""
    out: dict[str, list[str]] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        role, _, cols = part.partition("=")
        role = ALIASES.get(role.strip(), role.strip())
        if role not in ROLES or not cols.strip():
            raise ValueError(
                f"peran tidak dikenal / unknown role in --map: {part!r} (roles: {', '.join(ROLES)})"
            )
        out[role] = [c.strip() for c in cols.split("+") if c.strip()]
    return out


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    text = str(value).strip()
    return text or None


def _id_text(value: object) -> str | None:
    """NIK/KK cell as text; a number (numeric Excel cell) is marked as a float: its 16th digit is lost."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return f"{value}.0"
    if isinstance(value, float):
        return None if value != value else f"{value:.0f}.0"
    return _text(value)


def _date(value: object) -> str | None:
    if isinstance(value, str) and "," in value:  # "SERANG, 17 AGUSTUS 1950" (ttl)
        value = value.rsplit(",", 1)[1]
    try:
        parsed = parse_date(value)
    except ValueError:
        return None
    return parsed.isoformat() if isinstance(parsed, dt.date) else None


def records_from_rows(
    rows: Sequence[tuple[int, Mapping[str, object]]],
    mapping: Mapping[str, Sequence[str]],
    *,
    region: str = "36.73",
) -> pd.DataFrame:
    """Canonical DataFrame from ``(line, {header: value})`` rows."""
    resolver = KelurahanResolver(region_code=region) if "kelurahan" in mapping else None
    cache: dict[tuple[str | None, str | None], str | None] = {}

    def joined(values: Mapping[str, object], role: str) -> object:
        cols = mapping.get(role)
        if not cols:
            return None
        if len(cols) == 1:
            return values.get(cols[0])
        parts = [_text(values.get(c)) for c in cols]
        return " ".join(p for p in parts if p) or None

    records: list[dict[str, Any]] = []
    for line, values in rows:
        rid = joined(values, "record_id")
        birth = joined(values, "birth_date")
        if birth is None:
            birth = joined(values, "ttl")
        code = _text(joined(values, "region_code"))
        if code is None and resolver is not None:
            kel, kec = _text(joined(values, "kelurahan")), _text(joined(values, "kecamatan"))
            if (kel, kec) not in cache:
                try:
                    cache[(kel, kec)] = resolver.resolve(kel, kec) if kel else None
                except ValueError:
                    cache[(kel, kec)] = None
            code = cache[(kel, kec)]
        records.append(
            {
                "record_id": _text(rid) if rid is not None else str(line),
                "name": _text(joined(values, "name")),
                "id_number": _id_text(joined(values, "id_number")),
                "kk": _id_text(joined(values, "kk")),
                "birth_date": _date(birth),
                "sex": _text(joined(values, "sex")),
                "address": _text(joined(values, "address")),
                "rt": _text(joined(values, "rt")),
                "rw": _text(joined(values, "rw")),
                "region_code": code,
                "mother_name": _text(joined(values, "mother_name")),
            }
        )
    return pd.DataFrame.from_records(
        records,
        columns=[
            "record_id",
            "name",
            "id_number",
            "kk",
            "birth_date",
            "sex",
            "address",
            "rt",
            "rw",
            "region_code",
            "mother_name",
        ],
    )


def read_records(
    path: str | Path,
    mapping: Mapping[str, Sequence[str]] | None = None,
    *,
    sheet: str | None = None,
    region: str = "36.73",
) -> pd.DataFrame:
    """Read a CSV/XLSX list into canonical columns (see the module docstring)."""
    with read_table(path, sheet=sheet) as table:
        roles = dict(mapping) if mapping else guess_mapping(table.columns)
        missing = [c for cols in roles.values() for c in cols if c not in table.columns]
        if missing:
            raise ValueError(
                f"kolom tidak ada / columns not found: {', '.join(missing)} "
                f"(ada / present: {', '.join(table.columns)})"
            )
        rows = [(row.line, row.values) for row in table.rows]
    return records_from_rows(rows, roles, region=region)


def read_registry_csv(path: str | Path) -> pd.DataFrame:
    """The synthetic/DTSEN registry CSV (``padu.synth`` layout) in canonical columns."""
    cols = {"id_art": "record_id", "nama": "name", "nik": "id_number", "no_kk": "kk",
            "tanggal_lahir": "birth_date", "jenis_kelamin": "sex", "alamat": "address", "rt": "rt",
            "rw": "rw", "kode_kelurahan": "region_code", "nama_ibu_kandung": "mother_name"}  # fmt: skip
    frame = pd.read_csv(path, usecols=list(cols), dtype=str, keep_default_na=False, na_values=[""])
    return frame.rename(columns=cols)[list(cols.values())]
