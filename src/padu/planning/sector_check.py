"""Checking a sector indicator file (Django-free): one row per kelurahan, the kelurahan by code or by
name (a kecamatan column settles names used twice), and either one column per indicator (wide) or,
with ``indicator``, one value column. Every problem is an :class:`Issue` naming the row, the field
and the reason in Bahasa Indonesia and English; a row with any problem is rejected whole and kept
with its raw values. A kelurahan given twice with different values is rejected in every row (which
one is right is not for Padu to guess); an exact repeat is rejected as a duplicate of the first."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

CODE_HEADERS = frozenset(
    {
        "kode",
        "kode_wilayah",
        "kode_kelurahan",
        "kode_desa",
        "kode_kel",
        "kelurahan_code",
        "code",
        "kode_kemendagri",
    }
)
NAME_HEADERS = frozenset(
    {"kelurahan", "nama_kelurahan", "desa", "nama_desa", "nama", "kelurahan_desa", "nama_kel"}
)
KECAMATAN_HEADERS = frozenset({"kecamatan", "nama_kecamatan", "kec"})
IGNORED_HEADERS = frozenset(
    {"no", "nomor", "no_urut", "keterangan", "ket", "catatan", "sumber", "sumber_data"}
)
VALUE_HEADERS = ("nilai", "value", "jumlah", "angka", "total")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
_PREFIX = re.compile(r"^(kel(urahan)?|desa|kec(amatan)?)\b\.?\s*")


@dataclass(frozen=True)
class Kelurahan:
    code: str  # dotted Kemendagri code
    code_plain: str
    name: str
    kecamatan: str


@dataclass(frozen=True)
class Issue:
    line: int  # 0: the file as a whole
    field: str  # the column as written in the file ("" for the file)
    value: str
    id: str
    en: str

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "value": self.value, "id": self.id, "en": self.en}


@dataclass
class Checked:
    keys: list[str] = field(default_factory=list)
    rows: int = 0
    accepted: list[tuple[int, str, dict[str, float]]] = field(default_factory=list)  # line, code, values
    rejected: list[tuple[int, dict[str, Any], list[Issue]]] = field(default_factory=list)
    file_errors: list[Issue] = field(default_factory=list)

    @property
    def issues(self) -> list[Issue]:
        return [*self.file_errors, *(i for _line, _raw, issues in self.rejected for i in issues)]


def slug(header: object) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(header or "").strip().lower()).strip("_")


def name_key(name: object) -> str:
    """``"Kel. Kasemen "`` -> ``"kasemen"``: case, spacing, punctuation and the Kel./Desa prefix ignored."""
    text = " ".join(str(name or "").lower().split())
    return re.sub(r"[^a-z0-9]+", "", _PREFIX.sub("", text))


def header_score(cells: Sequence[object]) -> int:
    return sum(1 for c in cells if c is not None and slug(c) in CODE_HEADERS | NAME_HEADERS)


def number(value: object) -> float | None:
    """A cell as a number: ``12``, ``"20,5"``, ``"1.234,5"``, ``"12%"``; ``None`` when blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        result = float(value)
    else:
        text = str(value).strip().replace("%", "").replace(" ", "")
        if "," in text:  # Indonesian decimals: 1.234,5
            text = text.replace(".", "").replace(",", ".")
        elif text.count(".") > 1:  # 1.234.567
            text = text.replace(".", "")
        result = float(text)
    if not math.isfinite(result):
        raise ValueError
    return result


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _Places:
    def __init__(self, kelurahan: Iterable[Kelurahan]) -> None:
        self.by_code: dict[str, Kelurahan] = {}
        self.by_name: dict[str, list[Kelurahan]] = {}
        for k in kelurahan:
            self.by_code[k.code] = k
            self.by_code[k.code_plain] = k
            self.by_name.setdefault(name_key(k.name), []).append(k)

    def find(
        self, code: str, name: str, kecamatan: str, cols: dict[str, str], line: int
    ) -> Kelurahan | Issue:
        code_col, name_col = cols.get("code", ""), cols.get("name", "")
        if code:
            hit = self.by_code.get(code) or self.by_code.get(code.replace(".", "").replace(" ", ""))
            if hit is None:
                return Issue(
                    line,
                    code_col,
                    code,
                    f"Kode kelurahan '{code}' tidak dikenal di wilayah ini.",
                    f"Kelurahan code '{code}' is not known in this region.",
                )
            named = self.by_name.get(name_key(name), []) if name else []
            if named and hit not in named:
                return Issue(
                    line,
                    name_col,
                    name,
                    f"Kode {hit.code} adalah Kel. {hit.name}, tetapi nama di baris ini '{name}' "
                    f"(kelurahan lain); periksa baris ini.",
                    f"Code {hit.code} is Kel. {hit.name}, but the name in this row is '{name}' "
                    f"(another kelurahan); check this row.",
                )
            return hit
        if not name:
            return Issue(
                line,
                code_col or name_col,
                "",
                "Kelurahan kosong (kode dan nama tidak diisi).",
                "Kelurahan is empty (neither code nor name given).",
            )
        matches = self.by_name.get(name_key(name), [])
        if kecamatan and len(matches) > 1:
            matches = [k for k in matches if name_key(k.kecamatan) == name_key(kecamatan)]
        if not matches:
            return Issue(
                line,
                name_col,
                name,
                f"Nama kelurahan '{name}' tidak dikenal di wilayah ini.",
                f"Kelurahan name '{name}' is not known in this region.",
            )
        if len(matches) > 1:
            kecs = ", ".join(sorted(k.kecamatan for k in matches))
            return Issue(
                line,
                name_col,
                name,
                f"Nama kelurahan '{name}' ada di beberapa kecamatan ({kecs}); isi kode atau kolom kecamatan.",
                f"Kelurahan name '{name}' exists in several kecamatan ({kecs}); give the code or a "
                "kecamatan column.",
            )
        return matches[0]


def _columns(columns: Sequence[str], indicator: str, out: Checked) -> tuple[dict[str, str], dict[str, str]]:
    """(place columns: code/name/kecamatan -> header, value columns: header -> indicator key)."""
    by_slug: dict[str, str] = {}
    for c in columns:
        by_slug.setdefault(slug(c), c)
    place = {
        role: next((by_slug[s] for s in by_slug if s in headers), "")
        for role, headers in (
            ("code", CODE_HEADERS),
            ("name", NAME_HEADERS),
            ("kecamatan", KECAMATAN_HEADERS),
        )
    }
    taken = {h for h in place.values() if h}
    candidates = [c for c in columns if c not in taken and slug(c) and slug(c) not in IGNORED_HEADERS]
    if not place["code"] and not place["name"]:
        out.file_errors.append(
            Issue(
                0,
                "",
                "",
                "Kolom kelurahan tidak ditemukan: beri kolom kode_wilayah (kode Kemendagri) atau kelurahan "
                "(nama).",
                "No kelurahan column found: give a kode_wilayah (Kemendagri code) or a kelurahan (name) "
                "column.",
            )
        )
        return place, {}
    if indicator:
        chosen = next((c for c in candidates if slug(c) == indicator), None)
        chosen = chosen or next((c for v in VALUE_HEADERS for c in candidates if slug(c) == v), None)
        if chosen is None and len(candidates) == 1:
            chosen = candidates[0]
        if chosen is None:
            names = ", ".join(candidates) or "-"
            out.file_errors.append(
                Issue(
                    0,
                    "",
                    "",
                    f"Kolom nilai untuk indikator '{indicator}' tidak ditemukan: beri kolom "
                    f"'{indicator}' atau 'nilai' (kolom yang ada: {names}).",
                    f"No value column for indicator '{indicator}': give a column '{indicator}' or 'nilai' "
                    f"(columns found: {names}).",
                )
            )
            return place, {}
        return place, {chosen: indicator}
    values = {c: slug(c) for c in candidates}
    bad = [c for c, key in values.items() if not KEY_RE.match(key)]
    for c in bad:
        out.file_errors.append(
            Issue(
                0,
                c,
                c,
                f"Nama kolom '{c}' tidak dapat menjadi kode indikator (harus diawali huruf).",
                f"Column name '{c}' cannot be an indicator code (it must start with a letter).",
            )
        )
    if not values:
        out.file_errors.append(Issue(0, "", "", "Tidak ada kolom indikator.", "No indicator column."))
    return place, ({} if bad else values)


def check_rows(
    columns: Sequence[str],
    rows: Iterable[tuple[int, dict[str, object]]],
    *,
    kelurahan: Iterable[Kelurahan],
    indicator: str = "",
) -> Checked:
    """Check every row; ``accepted`` holds only rows without any problem."""
    out = Checked()
    if indicator and not KEY_RE.match(indicator):
        out.file_errors.append(
            Issue(
                0,
                "",
                indicator,
                f"Kode indikator '{indicator}' tidak sah: huruf kecil, angka dan garis bawah, diawali huruf.",
                f"Indicator code '{indicator}' is not valid: lower-case letters, digits and underscores, "
                "starting with a letter.",
            )
        )
        return out
    place, value_cols = _columns(columns, indicator, out)
    if out.file_errors:
        return out
    out.keys = sorted(set(value_cols.values()))
    places = _Places(kelurahan)
    good: list[tuple[int, dict[str, Any], str, dict[str, float]]] = []
    for line, row in rows:
        code = _text(row.get(place["code"])) if place["code"] else ""
        name = _text(row.get(place["name"])) if place["name"] else ""
        kec = _text(row.get(place["kecamatan"])) if place["kecamatan"] else ""
        if not code and not name and all(row.get(c) in (None, "") for c in value_cols):
            continue  # a blank line
        out.rows += 1
        raw = {str(k): _text(v) for k, v in row.items()}
        issues: list[Issue] = []
        hit = places.find(code, name, kec, place, line)
        if isinstance(hit, Issue):
            issues.append(hit)
        values: dict[str, float] = {}
        for col, key in value_cols.items():
            cell = row.get(col)
            try:
                parsed = number(cell)
            except (TypeError, ValueError):
                issues.append(
                    Issue(
                        line,
                        col,
                        _text(cell),
                        f"Kolom '{col}': '{_text(cell)}' bukan angka.",
                        f"Column '{col}': '{_text(cell)}' is not a number.",
                    )
                )
                continue
            if parsed is not None:
                values[key] = parsed
        if not issues and not values:
            issues.append(
                Issue(
                    line,
                    ", ".join(value_cols),
                    "",
                    "Tidak ada nilai indikator di baris ini.",
                    "No indicator value in this row.",
                )
            )
        if issues or isinstance(hit, Issue):
            out.rejected.append((line, raw, issues))
        else:
            good.append((line, raw, hit.code, values))
    _duplicates(good, out, place)
    if out.rows == 0:
        out.file_errors.append(
            Issue(0, "", "", "Berkas tidak berisi baris data.", "The file has no data rows.")
        )
    out.rejected.sort(key=lambda r: r[0])
    return out


def _duplicates(
    good: list[tuple[int, dict[str, Any], str, dict[str, float]]], out: Checked, place: dict[str, str]
) -> None:
    by_code: dict[str, list[tuple[int, dict[str, Any], str, dict[str, float]]]] = {}
    for item in good:
        by_code.setdefault(item[2], []).append(item)
    field_name = place["code"] or place["name"]
    for code, items in by_code.items():
        first = items[0]
        if len(items) == 1:
            out.accepted.append((first[0], code, first[3]))
            continue
        lines = ", ".join(str(i[0]) for i in items)
        if all(i[3] == first[3] for i in items):
            out.accepted.append((first[0], code, first[3]))
            for line, raw, _code, _values in items[1:]:
                out.rejected.append(
                    (
                        line,
                        raw,
                        [
                            Issue(
                                line,
                                field_name,
                                code,
                                f"Kelurahan {code} sudah ada di baris {first[0]} dengan nilai yang sama "
                                "(baris ganda).",
                                f"Kelurahan {code} is already in line {first[0]} with the same values "
                                "(duplicate row).",
                            )
                        ],
                    )
                )
            continue
        for line, raw, _code, _values in items:
            out.rejected.append(
                (
                    line,
                    raw,
                    [
                        Issue(
                            line,
                            field_name,
                            code,
                            f"Kelurahan {code} muncul di baris {lines} dengan nilai berbeda; "
                            "tidak ada yang dipakai.",
                            f"Kelurahan {code} appears in lines {lines} with different values; none is used.",
                        )
                    ],
                )
            )
