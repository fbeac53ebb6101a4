"""Beneficiary lists (rolls) of OPD programmes: fields, aliases, validation. Django-free.

An OPD's list is read with the registry intake's readers (title rows, numeric NIK cells, Excel dates)
and mapped through its own aliases — the column names the OPDs of Kota Serang actually use (the synthetic
manifest's ``column_mapping`` headers among them). Validation differs from the registry's on purpose:

* A row is **rejected** only when nobody can be recognised from it: neither a name nor any NIK digits.
* A missing, invalid or Excel-damaged NIK is a **warning**: the row is kept and flagged
  (``nik_valid`` false); linkage will match it by name and birth date later.
* Unreadable dates, unknown sex, a kelurahan that is unknown or outside the city, RT/RW that are not
  numbers, a NIK repeated in the file: warnings, with a precise message naming the column.

Each row gets ``values["content_hash"]``: the SHA-256 of its mapped cells (plus how often the same
content came earlier in the file), so that importing the same list again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from padu.ingest.engine import (
    ColumnMapping,
    FieldIssue,
    KelurahanResolver,
    RawRow,
    RowResult,
    ValidationContext,
    ValueProblem,
)
from padu.ingest.engine.dates import parse_date
from padu.ingest.engine.layouts import AliasIndex, FieldSpec
from padu.ingest.engine.results import EXCEL_DAMAGE
from padu.ingest.engine.values import clean_text, parse_rt, parse_sex, show
from padu.lib.kk import parse_kk
from padu.lib.nik import parse_nik
from padu.lib.regions import default_regions
from padu.programs.engine.cells import WARNING, parse_rupiah, split_ttl
from padu.programs.engine.cells import issue as _issue
from padu.programs.engine.cells import problem as _problem

__all__ = ["ROLL_FIELDS", "ROLL_INDEX", "map_roll_columns", "split_ttl", "validate_roll"]

ERROR = "error"
NAME_LIMIT = 150
TEXT_LIMITS = {"address": 200, "birth_place": 80, "mother_name": 150}


def _f(name: str, label_id: str, label_en: str, *aliases: str, required: bool = False) -> FieldSpec:
    return FieldSpec(name, label_id, label_en, required, "person", "roll", (name, *aliases))


ROLL_FIELDS: dict[str, FieldSpec] = {
    spec.name: spec
    for spec in (
        _f("nik", "NIK", "NIK (national ID number)", "NIK", "NO_NIK", "NIK_PENERIMA", "NIK Penerima",
           "NIK KPM", "NIK Peserta", "NIK Balita", "NIK Siswa", "NIK Pengurus", "NIK Lansia", "No. KTP",
           "No KTP", "Nomor KTP", "NOMOR_NIK", "No NIK", "Nomor NIK", "Nomor Induk Kependudukan", "NIK ART"),
        _f("name", "Nama penerima", "Beneficiary name", "NAMA", "NAMA_PENERIMA", "NAMA_PESERTA",
           "Nama Penerima", "Nama Peserta", "Nama KPM", "NAMA PENGURUS", "Nama Pengurus", "Nama Siswa",
           "Nama Lengkap", "Nama Pemilik Usaha", "Nama Balita", "NAMA LANSIA", "Nama Lansia", "Nama Anak",
           "Nama Penerima Manfaat", "NAMA_LENGKAP", "Nama ART", "nama_art", required=True),
        _f("kk", "Nomor KK", "Family card (KK) number", "No KK", "NO_KK", "NOMOR_KK", "No. KK", "Nomor KK",
           "Nomor Kartu Keluarga", "No Kartu Keluarga", "nokk", "KK"),
        _f("birth_date", "Tanggal lahir", "Birth date", "TGL_LAHIR", "Tgl Lahir", "TGL LAHIR",
           "Tanggal Lahir", "tanggal_lahir", "Tgl. Lahir", "TANGGAL_LAHIR", "tgllahir", "DOB"),
        _f("ttl", "Tempat, tanggal lahir", "Place and date of birth", "Tempat, Tgl Lahir", "TEMPAT/TGL LAHIR",
           "Tempat/Tgl Lahir", "Tempat/Tanggal Lahir", "Tempat Tanggal Lahir", "Tempat, Tanggal Lahir", "TTL",
           "Tempat Tgl Lahir"),
        _f("birth_place", "Tempat lahir", "Birth place", "Tempat Lahir", "TEMPAT_LAHIR", "TMP_LAHIR"),
        _f("sex", "Jenis kelamin", "Sex", "JENIS_KELAMIN", "Jenis Kelamin", "JK", "L/P", "JNS_KEL", "Kelamin",
           "JENKEL", "gender"),
        _f("mother_name", "Nama ibu kandung", "Mother's name", "Nama Ibu Kandung", "NAMA_IBU_KANDUNG",
           "Nama Ibu", "nama_ibu", "IBU_KANDUNG"),
        _f("address", "Alamat", "Address", "ALAMAT", "Alamat Lengkap", "Alamat Usaha", "Alamat Rumah",
           "Alamat Domisili", "alamat_rumah"),
        _f("rt", "RT", "RT (neighbourhood)", "RT", "No RT", "NO_RT"),
        _f("rw", "RW", "RW (hamlet)", "RW", "No RW", "NO_RW"),
        _f("kelurahan_code", "Kode kelurahan", "Kelurahan code", "KD_KEL", "kode_kelurahan", "KODE_KEL",
           "KODE_DESA", "kode_desa", "KD_DESA", "Kode Kelurahan", "Kode Desa/Kelurahan", "kode_wilayah"),
        _f("kelurahan_name", "Kelurahan", "Kelurahan/village", "KELURAHAN", "NAMA_KEL", "Desa/Kelurahan",
           "Kelurahan/Desa", "nama_kelurahan", "DESA", "nama_desa", "Desa Kelurahan"),
        _f("kecamatan_name", "Kecamatan", "Kecamatan (district)", "KECAMATAN", "NAMA_KEC", "nama_kecamatan",
           "KEC"),
        # In the programme's frequency: a year's amount for an annual programme, a month's for a monthly one.
        _f("benefit_rp", "Nilai bantuan (Rp)", "Benefit amount (Rp)", "NOMINAL", "Nominal Bantuan",
           "NOMINAL_BANTUAN", "Nilai Bantuan", "Nilai Bantuan (Rp)", "NILAI_BANTUAN", "Nilai Manfaat",
           "NILAI_MANFAAT", "Besaran Bantuan", "Jumlah Bantuan", "JUMLAH_BANTUAN", "Bantuan (Rp)",
           "Nominal (Rp)", "Jumlah (Rp)", "nilai_bantuan", "nominal_bantuan"),
    )
}  # fmt: skip
ROLL_INDEX = AliasIndex(ROLL_FIELDS)
_HASHED = tuple(ROLL_FIELDS)
_RT_RW = re.compile(r"\bRT\.?\s*:?\s*0*(\d{1,3})\s*[/,\-]?\s*RW\.?\s*:?\s*0*(\d{1,3})\b", re.IGNORECASE)


def map_roll_columns(
    columns: list[str], *, saved: Mapping[str, str | None] | None = None, source: str = "auto"
) -> ColumnMapping:
    """Map a list's headers to :data:`ROLL_FIELDS`; a name or a NIK column is required."""
    columns = list(columns)
    fields, used, _skipped = ROLL_INDEX.match(columns, saved)
    ordered = {name: fields[name] for name in ROLL_FIELDS if name in fields}
    missing = [] if ("name" in ordered or "nik" in ordered) else ["name"]
    return ColumnMapping(
        fields=ordered,
        layout="roll",
        unmapped_columns=[c for c in columns if c not in used],
        missing_required=missing,
        columns=columns,
    )


class _RollValidator:
    def __init__(self, mapping: ColumnMapping, context: ValidationContext) -> None:
        self.cols = mapping.fields
        self.today = context.today or dt.date.today()
        self.regions = default_regions()
        self.resolver = KelurahanResolver(context.region_code, context.kelurahan_index, self.regions)
        self.check_duplicates = context.check_duplicates
        self.seen_nik: dict[str, int] = {}
        self.seen_hash: dict[str, int] = {}
        self.hashed = [(name, self.cols[name]) for name in _HASHED if name in self.cols]
        self.mapped = [column for _name, column in self.hashed]
        self.kel_cache: dict[tuple[object, object, object], tuple[str | None, FieldIssue | None]] = {}

    def _text(self, name: str, raw: dict[str, object], issues: list[FieldIssue]) -> str | None:
        column = self.cols.get(name)
        if column is None:
            return None
        text = clean_text(raw[column])
        limit = TEXT_LIMITS.get(name)
        if text is not None and limit is not None and len(text) > limit:
            issues.append(
                _issue(
                    name,
                    column,
                    "too_long",
                    WARNING,
                    f"teks lebih dari {limit} karakter; dipotong",
                    f"the text is longer than {limit} characters; it was cut",
                    raw[column],
                )
            )
            text = text[:limit]
        return text

    def _date(self, column: str, cell: object, issues: list[FieldIssue]) -> dt.date | None:
        try:
            date = parse_date(cell, today=self.today)
        except ValueProblem as problem:
            issues.append(_problem("birth_date", column, problem, cell))
            return None
        if date is not None and date > self.today:
            issues.append(
                _issue(
                    "birth_date",
                    column,
                    "future",
                    WARNING,
                    f"tanggal lahir {date:%d-%m-%Y} ada di masa depan; diabaikan",
                    f"the birth date {date:%d-%m-%Y} is in the future; ignored",
                    cell,
                )
            )
            return None
        return date

    def _kelurahan(self, raw: dict[str, object], issues: list[FieldIssue]) -> str | None:
        code_col, name_col = self.cols.get("kelurahan_code"), self.cols.get("kelurahan_name")
        kec_col = self.cols.get("kecamatan_name")
        code = raw[code_col] if code_col else None
        name = raw[name_col] if name_col else None
        kec = raw[kec_col] if kec_col else None
        key = (code, name, kec)
        cached = self.kel_cache.get(key)
        if cached is None:
            cached = self._resolve(code_col, code, name_col, name, kec)
            if len(self.kel_cache) < 50_000:
                self.kel_cache[key] = cached
        if cached[1] is not None:
            issues.append(cached[1])
        return cached[0]

    def _resolve(
        self, code_col: str | None, code: object, name_col: str | None, name: object, kec: object
    ) -> tuple[str | None, FieldIssue | None]:
        first: FieldIssue | None = None
        for column, value in ((code_col, code), (name_col, name)):
            if column is None or clean_text(value) is None:
                continue
            try:
                return self.resolver.resolve(value, kec), None
            except ValueProblem as problem:
                first = first or _problem("kelurahan_code", column, problem, value)
        if first is None and (code_col or name_col):
            column = code_col or name_col
            first = _issue(
                "kelurahan_code", column, "missing", WARNING, "kelurahan kosong", "the kelurahan is empty"
            )
        return None, first

    def validate(self, row: RawRow) -> RowResult | None:
        raw, line, cols = row.values, row.line, self.cols
        if all(clean_text(raw[c]) is None for c in self.mapped):
            return None
        issues: list[FieldIssue] = []
        values: dict[str, Any] = {}
        name = self._text("name", raw, issues)
        if name is not None and len(name) > NAME_LIMIT:
            issues.append(
                _issue(
                    "name",
                    cols["name"],
                    "too_long",
                    WARNING,
                    f"nama lebih dari {NAME_LIMIT} karakter; dipotong",
                    f"the name is longer than {NAME_LIMIT} characters; it was cut",
                    name,
                )
            )
            name = name[:NAME_LIMIT]
        values["name"] = name
        for key in ("address", "mother_name"):
            values[key] = self._text(key, raw, issues)
        sex = None
        if "sex" in cols:
            try:
                sex = parse_sex(raw[cols["sex"]])
            except ValueProblem as problem:
                issues.append(_problem("sex", cols["sex"], problem, raw[cols["sex"]]))
        values["sex"] = sex
        birth_place = self._text("birth_place", raw, issues)
        birth: dt.date | None = None
        if "ttl" in cols:
            place, date_text = split_ttl(raw[cols["ttl"]])
            birth_place = birth_place or (place[:80] if place else None)
            if date_text is not None:
                birth = self._date(cols["ttl"], date_text, issues)
        if "birth_date" in cols and birth is None:
            birth = self._date(cols["birth_date"], raw[cols["birth_date"]], issues)
        values["birth_date"], values["birth_place"] = birth, birth_place
        self._rt_rw(raw, values, issues)
        values["kelurahan_code"] = (
            self._kelurahan(raw, issues) if ("kelurahan_code" in cols or "kelurahan_name" in cols) else None
        )
        self._nik(raw, line, birth, sex, values, issues)
        self._kk(raw, values, issues)
        values["benefit_rp"] = self._amount(raw, issues)
        if name is None and not values["nik_digits"]:
            issues.append(
                _issue(
                    "name",
                    cols.get("name") or cols.get("nik"),
                    "unidentifiable",
                    ERROR,
                    "baris tanpa nama dan tanpa NIK; penerima tidak dapat dikenali",
                    "a row without a name and without a NIK; the beneficiary cannot be identified",
                )
            )
        elif name is None:
            issues.append(
                _issue("name", cols.get("name"), "missing", WARNING, "nama kosong", "the name is empty")
            )
        values["content_hash"] = self._hash(raw)
        ok = not any(i.severity == ERROR for i in issues)
        key = values["nik"] or f"{(name or '').upper()}:{birth.isoformat() if birth else ''}"
        return RowResult(line, raw, values, issues, ok, f"row:{line}", key)

    def _amount(self, raw: dict[str, object], issues: list[FieldIssue]) -> int | None:
        column = self.cols.get("benefit_rp")
        if column is None:
            return None
        try:
            return parse_rupiah(raw[column])
        except ValueProblem as problem:
            issues.append(_problem("benefit_rp", column, problem, raw[column]))
            return None

    def _rt_rw(self, raw: dict[str, object], values: dict[str, Any], issues: list[FieldIssue]) -> None:
        for key in ("rt", "rw"):
            column = self.cols.get(key)
            values[key] = None
            if column is None:
                continue
            try:
                values[key] = parse_rt(raw[column])
            except ValueProblem as problem:
                issues.append(_problem(key, column, problem, raw[column]))
        address = values.get("address")
        if address and (values["rt"] is None or values["rw"] is None):
            match = _RT_RW.search(address)
            if match:
                values["rt"] = values["rt"] or f"{int(match[1]):03d}"
                values["rw"] = values["rw"] or f"{int(match[2]):03d}"

    def _nik(
        self,
        raw: dict[str, object],
        line: int,
        birth: dt.date | None,
        sex: str | None,
        values: dict[str, Any],
        issues: list[FieldIssue],
    ) -> None:
        column = self.cols.get("nik")
        values.update(nik=None, nik_valid=False, nik_digits="", nik_damaged=False, nik_issues=[])
        if column is None:
            return
        cell = raw[column]
        result = parse_nik(
            cell, record_birth_date=birth, record_sex=sex, today=self.today, regions=self.regions
        )
        digits = result.nik or re.sub(r"\D", "", show(cell, limit=40))[:16]
        values["nik_digits"] = digits
        found = []
        for problem in (*result.errors, *result.warnings):
            found.append(
                FieldIssue(
                    "nik",
                    column,
                    problem.code,
                    WARNING,
                    f"Kolom '{column}': {problem.message_id}",
                    f"Column '{column}': {problem.message_en}",
                    show(cell),
                )
            )
            values["nik_damaged"] = values["nik_damaged"] or problem.code in EXCEL_DAMAGE
        if result.valid and result.nik:
            values["nik"], values["nik_valid"] = result.nik, True
            first = self.seen_nik.get(result.nik) if self.check_duplicates else None
            if first is not None:
                found.append(
                    FieldIssue(
                        "nik",
                        column,
                        "nik.duplicate_in_file",
                        WARNING,
                        f"Kolom '{column}': NIK ini sudah ada di baris {first}; kemungkinan ganda",
                        f"Column '{column}': this NIK already appears on line {first}; possibly a duplicate",
                        show(cell),
                    )
                )
            elif self.check_duplicates:
                self.seen_nik[result.nik] = line
        issues.extend(found)
        values["nik_issues"] = [i.code for i in found]

    def _kk(self, raw: dict[str, object], values: dict[str, Any], issues: list[FieldIssue]) -> None:
        column = self.cols.get("kk")
        values.update(kk="", kk_valid=False)
        if column is None or clean_text(raw[column]) is None:
            return
        result = parse_kk(raw[column], today=self.today, regions=self.regions)
        values["kk"] = (result.kk or re.sub(r"\D", "", show(raw[column], limit=40)))[:16]
        values["kk_valid"] = bool(result.valid)
        for problem in (*result.errors, *result.warnings):
            issues.append(
                FieldIssue(
                    "kk",
                    column,
                    problem.code,
                    WARNING,
                    f"Kolom '{column}': {problem.message_id}",
                    f"Column '{column}': {problem.message_en}",
                    show(raw[column]),
                )
            )

    def _hash(self, raw: dict[str, object]) -> str:
        text = "\x1f".join(f"{name}={clean_text(raw[column]) or ''}" for name, column in self.hashed)
        base = hashlib.sha256(text.encode("utf-8")).hexdigest()
        seen = self.seen_hash.get(base, 0)
        self.seen_hash[base] = seen + 1
        if seen == 0:
            return base
        return hashlib.sha256(f"{base}#{seen}".encode()).hexdigest()


def validate_roll(
    rows: Iterable[RawRow], mapping: ColumnMapping, context: ValidationContext | None = None
) -> Iterator[RowResult]:
    """Validate a list's rows lazily; rows whose mapped cells are all blank are skipped."""
    validator = _RollValidator(mapping, context or ValidationContext())
    return filter(None, map(validator.validate, rows))
